/// What a `mode http` section serves, as the sans-IO services need it (the runtime fills it
/// from the section's configuration).
public struct BuiltinServiceSettings: Sendable {
    /// `monitor-uri`.
    public var monitorURI: String?
    /// Whether a request path goes to the Prometheus exporter (`http-request use-service`).
    public var usesPrometheusExporter: @Sendable (String) -> Bool
    /// The stats page, if enabled.
    public var stats: StatsPageSettings?
    /// `errorfile`s: status → whole HTTP response.
    public var errorFiles: [Int: [UInt8]]

    public init(monitorURI: String? = nil, usesPrometheusExporter: @escaping @Sendable (String) -> Bool = { _ in false },
                stats: StatsPageSettings? = nil, errorFiles: [Int: [UInt8]] = [:]) {
        self.monitorURI = monitorURI
        self.usesPrometheusExporter = usesPrometheusExporter
        self.stats = stats
        self.errorFiles = errorFiles
    }
}

/// The `stats` keywords of a section (haproxy's `uri_auth`).
public struct StatsPageSettings: Sendable, Equatable {
    public var uriPrefix = "/haproxy?stats"
    public var realm = "HAProxy Statistics"
    /// `user:password` accounts; empty = no authentication.
    public var credentials: [String] = []
    public var refreshSeconds: UInt64 = 0
    public var hideVersion = false
    public var showLegends = false
    /// `stats show-node [name]`: "" = the host name.
    public var showNode: String?
    /// `stats show-desc [text]`.
    public var showDescription: String?
    /// Proxy names shown (`.` = this one); empty = all.
    public var scopes: [String] = []

    public init() {}
}

/// Which built-in service answers a request. `reply` is complete; the others need the
/// runtime: the host takes what they need at one instant (isolated), renders outside.
public enum BuiltinServiceRoute: Sendable {
    /// A complete reply of a service (monitor-uri, the stats page's 401).
    case reply(HTTPReply)
    /// No service takes the request: haproxy's 503, which it does not count as intercepted.
    case unserved(HTTPReply)
    /// `http-request use-service prometheus-exporter` matched.
    case prometheusExporter(HTTPRequest)
    /// The stats page (any format).
    case statsPage(StatsPageRequest)
    /// A POST of the stats page's server action form.
    case statsAdmin(StatsAdminRequest)
}

/// The dispatch point of a `mode http` section, in haproxy's order: `monitor-uri`, then the
/// `http-request use-service` rules, then `stats uri`; anything else gets haproxy's 503 (no
/// server is there to take it).
public struct BuiltinServices: Sendable {
    public let config: BuiltinServiceSettings
    /// The section's name (`stats scope .`).
    public let proxyName: String

    public init(config: BuiltinServiceSettings, proxyName: String) {
        self.config = config
        self.proxyName = proxyName
    }

    /// `adminAllowed`: a `stats admin` condition holds for the client (the runtime evaluates it,
    /// as it knows the client's address).
    /// haproxy 2.6 (http_ana.c): a `monitor-uri` starting with `/` is compared with the request's
    /// path and query (also of an absolute-form target), any other with the whole target.
    static func matchesMonitorURI(_ monitor: String, _ target: String) -> Bool {
        guard monitor.hasPrefix("/") else { return target == monitor }
        guard !target.hasPrefix("/"), let scheme = target.firstRange(of: "://") else { return target == monitor }
        let afterAuthority = target[scheme.upperBound...].drop { $0 != "/" && $0 != "?" }
        return afterAuthority == monitor
    }

    public func route(_ request: HTTPRequest, adminAllowed: Bool) -> BuiltinServiceRoute {
        let headOnly = request.method == "HEAD"
        let path = request.path
        if let monitor = config.monitorURI, Self.matchesMonitorURI(monitor, request.target) {
            return .reply(HTTPReply.make(status: 200, reason: "OK",
                                         headers: [("cache-control", "no-cache"), ("content-type", "text/html")],
                                         body: HTTPErrors.body(200), headOnly: headOnly, close: closes(request)))
        }
        if config.usesPrometheusExporter(path) { return .prometheusExporter(request) }
        if let stats = config.stats, request.target.hasPrefix(stats.uriPrefix),
           ["GET", "HEAD", "POST"].contains(request.method) {
            if !stats.credentials.isEmpty && !Self.authorized(request, stats.credentials) {
                let realm = stats.realm.filter { $0 != "\"" }
                return .reply(errorReply(401, request, extraHeaders: [("www-authenticate", "Basic realm=\"\(realm)\"")]))
            }
            let page = StatsPageRequest(request: request, config: stats, proxyName: proxyName,
                                        adminAllowed: adminAllowed)
            if request.method == "POST" {
                return .statsAdmin(StatsAdminRequest(page: page, body: request.hasUnreadBody ? nil : request.body))
            }
            return .statsPage(page)
        }
        return .unserved(errorReply(503, request))
    }

    /// haproxy's message for `status`, or the section's `errorfile` for it.
    public func errorReply(_ status: Int, _ request: HTTPRequest, extraHeaders: [(String, String)] = []) -> HTTPReply {
        HTTPErrors.reply(status, errorFiles: config.errorFiles, extraHeaders: extraHeaders,
                         headOnly: request.method == "HEAD", close: closes(request))
    }

    func closes(_ request: HTTPRequest) -> Bool { !request.wantsKeepAlive || request.hasUnreadBody }

    /// `Authorization: Basic <base64 user:password>` naming one of the `stats auth` accounts.
    static func authorized(_ request: HTTPRequest, _ credentials: [String]) -> Bool {
        guard let value = request.header("authorization") else { return false }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Base64.decode(parts[1].trimmingCharacters(in: " \t")) else { return false }
        return credentials.contains(String(decoding: decoded, as: UTF8.self))
    }
}

/// RFC 4648 base64 decoding (for `Authorization: Basic`).
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for byte in text.utf8 {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="):
                padding += 1
                continue
            default: return nil
            }
            guard padding == 0 else { return nil }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return padding <= 2 ? out : nil
    }
}
