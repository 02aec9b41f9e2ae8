/// The stats page's replies: HTML, or `show stat`'s CSV, JSON and typed output byte for byte
/// (the CLI's renderer, over the same rows), chunked, with haproxy's headers.
public enum StatsPage {
    public static func reply(for request: StatsPageRequest, snapshot: StatsSnapshot) -> HTTPReply {
        var buffers = HTTPReplyBuffers()
        return reply(for: request, snapshot: snapshot, buffers: &buffers)
    }

    /// `reply`, rendered and built in `buffers` (kept by the connection from one reply to the next).
    public static func reply(for request: StatsPageRequest, snapshot: StatsSnapshot,
                             buffers: inout HTTPReplyBuffers) -> HTTPReply {
        let contentType: String
        buffers.body.removeAll(keepingCapacity: true)
        buffers.writer.removeAll()
        switch request.format {
        case .html:
            StatsPageHTML.render(request, snapshot, into: &buffers.writer)
            contentType = "text/html"
        case .csv, .json, .typed:
            dump(request, snapshot, into: &buffers.body)
            contentType = request.format == .json ? "application/json" : "text/plain"
        case .jsonSchema:
            buffers.body.append(StatsSchema.json)
            contentType = "application/json"
        }
        var headers = [("cache-control", "no-cache"), ("content-type", contentType)]
        if request.config.refreshSeconds > 0 && !request.noRefresh {
            headers.append(("refresh", String(request.config.refreshSeconds)))
        }
        if request.format == .html {
            return buffers.writer.withBytes { page in
                HTTPReply.make(status: 200, reason: "OK", headers: headers, body: page, chunked: true,
                               headOnly: request.headOnly, close: request.closes, into: &buffers.reply)
            }
        }
        return HTTPReply.make(status: 200, reason: "OK", headers: headers, body: buffers.body, chunked: true,
                              headOnly: request.headOnly, close: request.closes, into: &buffers.reply)
    }

    /// `show stat` (`typed`, `json`) over the proxies the page shows.
    static func dump(_ request: StatsPageRequest, _ snapshot: StatsSnapshot, into out: inout [UInt8]) {
        let format: StatsFormat = request.format == .json ? .json : request.format == .typed ? .typed : .plain
        let renderer = StatsRenderer(format: format, withDescriptions: false, showLegends: request.config.showLegends)
        renderer.appendPrologue(into: &out)
        var first = true
        for proxy in snapshot.proxies where request.shows(proxy: proxy.name) {
            for row in proxy.rows where request.accepts(row) {
                renderer.appendRow(row, isFirst: first, into: &out)
                first = false
            }
        }
        renderer.appendEpilogue(into: &out)
    }
}
