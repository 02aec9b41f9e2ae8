/// The stats page's replies: HTML, or `show stat`'s CSV, JSON and typed output byte for byte
/// (the CLI's renderer, over the same rows), chunked, with haproxy's headers.
public enum StatsPage {
    public static func reply(for request: StatsPageRequest, snapshot: StatsSnapshot) -> HTTPReply {
        let body: [UInt8]
        let contentType: String
        switch request.format {
        case .html:
            body = StatsPageHTML.render(request, snapshot)
            contentType = "text/html"
        case .csv, .json, .typed:
            body = dump(request, snapshot)
            contentType = request.format == .json ? "application/json" : "text/plain"
        case .jsonSchema:
            body = Array(StatsSchema.json.utf8)
            contentType = "application/json"
        }
        var headers = [("cache-control", "no-cache"), ("content-type", contentType)]
        if request.config.refreshSeconds > 0 && !request.noRefresh {
            headers.append(("refresh", String(request.config.refreshSeconds)))
        }
        return HTTPReply.make(status: 200, reason: "OK", headers: headers, body: body, chunked: true,
                              headOnly: request.headOnly, close: request.closes)
    }

    /// `show stat` (`typed`, `json`) over the proxies the page shows.
    static func dump(_ request: StatsPageRequest, _ snapshot: StatsSnapshot) -> [UInt8] {
        let format: StatsFormat = request.format == .json ? .json : request.format == .typed ? .typed : .plain
        let renderer = StatsRenderer(format: format, withDescriptions: false, showLegends: request.config.showLegends)
        var out: [UInt8] = []
        renderer.appendPrologue(into: &out)
        var first = true
        for proxy in snapshot.proxies where request.shows(proxy: proxy.name) {
            for row in proxy.rows where request.accepts(row) {
                renderer.appendRow(row, isFirst: first, into: &out)
                first = false
            }
        }
        renderer.appendEpilogue(into: &out)
        return out
    }
}
