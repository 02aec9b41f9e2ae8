/// One header line of a request, its name lowercased (HTTP names are case-insensitive).
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A parsed HTTP/1.x request: what the built-in services look at.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The request target as sent (`/haproxy?stats;csv`).
    public var target: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: Int
    public var headers: [HTTPHeader]
    /// The body announced by `Content-Length` (empty without one).
    public var body: [UInt8]
    /// The body is chunked (`Transfer-Encoding`): not read, so the connection cannot carry
    /// another request after the reply.
    public var hasUnreadBody: Bool

    public init(method: String, target: String, minorVersion: Int, headers: [HTTPHeader] = [],
                body: [UInt8] = [], hasUnreadBody: Bool = false) {
        self.method = method
        self.target = target
        self.minorVersion = minorVersion
        self.headers = headers
        self.body = body
        self.hasUnreadBody = hasUnreadBody
    }

    /// The first header with this (lowercase) name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// The target without its query string.
    public var path: String {
        String(target.prefix { $0 != "?" })
    }

    /// Whether the client wants the connection kept after the reply: HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var wantsKeepAlive: Bool {
        let tokens = (header("connection") ?? "").lowercased().split(separator: ",").map {
            $0.trimmingCharacters(in: " \t")
        }
        if minorVersion == 0 { return tokens.contains("keep-alive") }
        return !tokens.contains("close")
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        let start = firstIndex { !set.contains($0) } ?? endIndex
        let end = lastIndex { !set.contains($0) }.map { index(after: $0) } ?? start
        return start < end ? String(self[start..<end]) : ""
    }
}
