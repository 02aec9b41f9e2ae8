/// `http-request use-service prometheus-exporter`: haproxy 2.6's reply to a scrape.
extension BuiltinServices {
    /// `200` with promex's headers and `metrics(query)` as a chunked body (the head alone for
    /// HEAD), or `400` when the query string is one promex rejects: haproxy's built-in message,
    /// never the section's `errorfile`, re-encoded as every generated reply (lowercase headers),
    /// and the connection closes.
    /// `metrics` renders into the buffer it is given; the reply is built in `buffers`.
    public func prometheusReply(_ request: HTTPRequest, buffers: inout HTTPReplyBuffers,
                                metrics: (PrometheusQuery, inout ByteWriter) -> Void) -> HTTPReply {
        let headOnly = request.method == "HEAD"
        guard let query = PrometheusQuery(requestTarget: request.target) else {
            return HTTPReply.make(status: 400, reason: "Bad request",
                                  headers: [("cache-control", "no-cache"), ("content-type", "text/html")],
                                  body: HTTPErrors.body(400), headOnly: headOnly, close: true)
        }
        let headers = [("cache-control", "no-cache"), ("content-type", PrometheusExporter.contentType)]
        let close = closes(request)
        guard !headOnly else {
            // promex announces its chunked body even to HEAD, unlike the stats page.
            return HTTPReply.make(status: 200, reason: "OK", headers: headers + [("transfer-encoding", "chunked")],
                                  body: [], chunked: true, headOnly: true, close: close)
        }
        buffers.writer.removeAll()
        metrics(query, &buffers.writer)
        return buffers.writer.withBytes { body in
            HTTPReply.make(status: 200, reason: "OK", headers: headers, body: body, chunked: true, headOnly: false,
                           close: close, into: &buffers.reply)
        }
    }
}
