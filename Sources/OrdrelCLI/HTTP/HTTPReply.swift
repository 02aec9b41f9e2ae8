/// A reply ready to write: its bytes, and whether the connection ends after it.
public struct HTTPReply: Sendable, Equatable {
    public var bytes: [UInt8]
    public var closesConnection: Bool

    public init(bytes: [UInt8], closesConnection: Bool) {
        self.bytes = bytes
        self.closesConnection = closesConnection
    }

    /// The status code of the status line (`HTTP/1.x NNN ...`), which an `errorfile` may set to
    /// anything: what the `hrsp_*` counters count. 0 (an "other" response) when there is none.
    public var status: Int {
        guard let space = bytes.prefix(16).firstIndex(of: UInt8(ascii: " ")) else { return 0 }
        var code = 0
        for byte in bytes[(space + 1)...].prefix(3) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return 0 }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return code
    }

    /// A generated reply in haproxy's form: lowercase header names, `content-length` first unless
    /// `headers` place it, or for `chunked` the body as `transfer-encoding: chunked` chunks of at
    /// most 16 KiB; `connection: close` when the connection ends after it. `headOnly` (a HEAD
    /// request) sends the head alone.
    public static func make(status: Int, reason: String, headers: [(String, String)], body: [UInt8],
                            chunked: Bool = false, headOnly: Bool = false, close: Bool = false) -> HTTPReply {
        var out: [UInt8] = []
        return make(status: status, reason: reason, headers: headers, body: body, chunked: chunked, headOnly: headOnly,
                    close: close, into: &out)
    }

    /// `make`, written into `out` (emptied first, its capacity kept): a connection that keeps its
    /// buffer builds each large reply without allocating one. The reply shares `out`'s storage,
    /// which is free again once the reply is sent and dropped.
    public static func make(status: Int, reason: String, headers: [(String, String)], body: [UInt8],
                            chunked: Bool = false, headOnly: Bool = false, close: Bool = false,
                            into out: inout [UInt8]) -> HTTPReply {
        body.withUnsafeBufferPointer { body in
            make(status: status, reason: reason, headers: headers, body: body, chunked: chunked, headOnly: headOnly,
                 close: close, into: &out)
        }
    }

    /// `make` of a body in memory the caller keeps (the stats page's `ByteWriter`).
    static func make(status: Int, reason: String, headers: [(String, String)], body: UnsafeBufferPointer<UInt8>,
                     chunked: Bool, headOnly: Bool, close: Bool, into out: inout [UInt8]) -> HTTPReply {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(body.count + body.count / 16384 * 8 + 256)
        out.append("HTTP/1.1 \(status) \(reason)\r\n")
        func header(_ name: String, _ value: String) {
            out.append(name)
            out.append(": ")
            out.append(value)
            out.append("\r\n")
        }
        if !chunked && !headers.contains(where: { $0.0 == "content-length" }) { header("content-length", String(body.count)) }
        for (name, value) in headers { header(name, value) }
        // haproxy announces no transfer coding on a HEAD reply.
        if chunked && !headOnly { header("transfer-encoding", "chunked") }
        if close { header("connection", "close") }
        out.append(contentsOf: [0x0D, 0x0A])
        if !headOnly {
            if chunked {
                var offset = 0
                while offset < body.count {
                    let end = min(body.count, offset + 16384)
                    out.appendHex(UInt64(end - offset), uppercase: true)
                    out.append(0x0D)
                    out.append(0x0A)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: body[offset..<end]))
                    out.append(0x0D)
                    out.append(0x0A)
                    offset = end
                }
                out.append("0\r\n\r\n")
            } else {
                out.append(contentsOf: body)
            }
        }
        return HTTPReply(bytes: out, closesConnection: close)
    }
}

/// What a connection keeps between its replies so that large ones (the stats page, a scrape)
/// reuse memory: the body as rendered, and the reply around it.
public struct HTTPReplyBuffers {
    /// The page's CSV and JSON forms.
    public var body: [UInt8] = []
    /// The HTML page, or a scrape.
    public var writer = ByteWriter()
    public var reply: [UInt8] = []

    public init() {}
}

/// haproxy 2.6's built-in error replies (`http_err_msgs`), byte for byte, and how it sends them:
/// 400 and 408 as written there (they close the connection); the others re-encoded as every
/// generated reply is, with lowercase header names, keeping the connection.
public enum HTTPErrors {
    /// Status line reason and body text of each status haproxy has a message for.
    static let messages: [Int: (reason: String, text: String)] = [
        200: ("OK", "Service ready."),
        400: ("Bad request", "Your browser sent an invalid request."),
        401: ("Unauthorized", "You need a valid user and password to access this content."),
        403: ("Forbidden", "Request forbidden by administrative rules."),
        404: ("Not Found", "The resource could not be found."),
        405: ("Method Not Allowed", "A request was made of a resource using a request method not supported by that resource"),
        408: ("Request Time-out", "Your browser didn't send a complete request in time."),
        413: ("Payload Too Large", "The request entity exceeds the maximum allowed."),
        500: ("Internal Server Error", "An internal server error occurred."),
        501: ("Not Implemented", ".The server does not support the functionality required to fulfill the request."),
        503: ("Service Unavailable", "No server is available to handle this request."),
    ]

    /// Statuses whose message closes the connection (its parser state is lost or unknown).
    static let closing: Set<Int> = [400, 408, 413, 500, 501]

    /// The HTML body haproxy sends for `status`.
    public static func body(_ status: Int) -> [UInt8] {
        let message = messages[status] ?? messages[500]!
        return Array("<html><body><h1>\(status) \(message.reason)</h1>\n\(message.text)\n</body></html>\n".utf8)
    }

    /// The reply for `status`: the section's `errorfile` for it if there is one (`fromFile`),
    /// else haproxy's message. `extraHeaders` go after haproxy's (`www-authenticate` for a 401);
    /// `close`: the client asked for the connection to end. `generated`: a 408 for a request
    /// whose head arrived but whose body did not, which haproxy sends in its generated form.
    public static func reply(_ status: Int, errorFiles: [Int: [UInt8]] = [:], extraHeaders: [(String, String)] = [],
                             headOnly: Bool = false, close: Bool = false, generated: Bool = false) -> HTTPReply {
        if let file = errorFiles[status] {
            return fromFile(file, extraHeaders: extraHeaders, headOnly: headOnly, close: close)
        }
        let message = messages[status] ?? messages[500]!
        let body = body(status)
        if generated {
            return HTTPReply.make(status: status, reason: message.reason,
                                  headers: [("cache-control", "no-cache"), ("content-type", "text/html")],
                                  body: body, headOnly: headOnly, close: true)
        }
        if closing.contains(status) {
            var out = Array("HTTP/1.1 \(status) \(message.reason)\r\nContent-length: \(body.count)\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n".utf8)
            if !headOnly { out.append(contentsOf: body) }
            return HTTPReply(bytes: out, closesConnection: true)
        }
        return HTTPReply.make(status: status, reason: message.reason,
                              headers: [("cache-control", "no-cache"), ("content-type", "text/html")] + extraHeaders,
                              body: body, headOnly: headOnly, close: close)
    }

    /// An `errorfile` as haproxy 2.6 sends it: its status line as written, its header names
    /// lowercased without `connection` (and, when `extraHeaders` has one, without the header
    /// haproxy sets itself, such as a 401's `www-authenticate`), then its body. Without a
    /// `content-length` the body ends with the connection; haproxy adds no `connection: close`.
    static func fromFile(_ file: [UInt8], extraHeaders: [(String, String)], headOnly: Bool, close: Bool) -> HTTPReply {
        let split = HTTPRequestParser.endOfHead(file[...])
        let head = file[..<(split?.headEnd ?? file.endIndex)]
        let body = split.map { file[$0.bodyStart...] } ?? []
        var lines = head.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let replaced = Set(extraHeaders.map(\.0)).union(["connection"])
        var out = statusLine + "\r\n"
        var hasLength = false
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            guard !replaced.contains(name) else { continue }
            hasLength = hasLength || name == "content-length"
            out += "\(name): \(line[line.index(after: colon)...].trimmingCharacters(in: " \t"))\r\n"
        }
        for (name, value) in extraHeaders { out += "\(name): \(value)\r\n" }
        var bytes = Array((out + "\r\n").utf8)
        if !headOnly { bytes.append(contentsOf: body) }
        return HTTPReply(bytes: bytes, closesConnection: close || !hasLength)
    }
}
