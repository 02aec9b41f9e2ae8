/// What a Prometheus scrape asks for, from its query string, parsed as haproxy 2.6's exporter
/// does (promex_parse_uri): `scope=<global|frontend|backend|server|listener|sticktable|*>`
/// selects metric families and may repeat (the first one drops the default "all", an empty one
/// drops every scope chosen so far, in order); `no-maint` leaves out servers in maintenance;
/// other parameters are ignored. Anything haproxy answers with 400 makes `init` fail.
public struct PrometheusQuery: Sendable, Equatable {
    /// Metric families, as promex's scope flags.
    public struct Scopes: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let global = Scopes(rawValue: 1 << 0)
        public static let frontend = Scopes(rawValue: 1 << 1)
        public static let listener = Scopes(rawValue: 1 << 2)
        public static let backend = Scopes(rawValue: 1 << 3)
        public static let server = Scopes(rawValue: 1 << 4)
        public static let sticktable = Scopes(rawValue: 1 << 5)
        public static let all: Scopes = [.global, .frontend, .listener, .backend, .server, .sticktable]
    }

    public var scopes: Scopes
    /// `no-maint`: servers in maintenance print no `haproxy_server_*` nor `ordrel_server_*` lines.
    public var skipsMaintenance: Bool

    public init(scopes: Scopes = .all, skipsMaintenance: Bool = false) {
        self.scopes = scopes
        self.skipsMaintenance = skipsMaintenance
    }

    /// Parses a request target such as `/metrics?scope=backend&scope=server&no-maint`; nil for a
    /// query haproxy rejects: `scope` without `=`, an unknown scope, a second `=` in a value, or
    /// a bad `%` escape.
    public init?(requestTarget: some StringProtocol) {
        self.init()
        let bytes = Array(requestTarget.utf8)
        guard let mark = bytes.firstIndex(of: UInt8(ascii: "?")) else { return }
        var chosen: Scopes = []
        var scopeSeen = false
        var p = mark + 1
        let end = bytes.count
        func isDelimiter(_ b: UInt8) -> Bool { b == UInt8(ascii: "=") || b == UInt8(ascii: "&") || b == UInt8(ascii: "#") }
        while p < end && bytes[p] != 0 && bytes[p] != UInt8(ascii: "#") {
            let keyStart = p
            while p < end && !isDelimiter(bytes[p]) { p += 1 }
            let keyEnd = p
            var value: [UInt8]?
            var fragmentFollows = false
            if p < end && bytes[p] == UInt8(ascii: "=") {
                p += 1
                let valueStart = p
                while p < end && !isDelimiter(bytes[p]) { p += 1 }
                if p < end && bytes[p] == UInt8(ascii: "=") { return nil }
                guard let decoded = Self.urlDecode(bytes[valueStart..<p]) else { return nil }
                value = decoded
            }
            if p < end && bytes[p] == UInt8(ascii: "&") {
                p += 1
            } else if p < end && bytes[p] == UInt8(ascii: "#") {
                fragmentFollows = true
            }
            guard let key = Self.urlDecode(bytes[keyStart..<keyEnd]) else { return nil }
            if key == Array("scope".utf8) {
                scopeSeen = true
                guard let value else { return nil }
                if value.isEmpty {
                    chosen = []
                } else if value[0] == UInt8(ascii: "*") {
                    chosen = .all
                } else {
                    guard let scope = Self.scope(named: value) else { return nil }
                    chosen.insert(scope)
                }
            } else if key == Array("no-maint".utf8) {
                skipsMaintenance = true
            }
            if fragmentFollows { break }
        }
        scopes = scopeSeen ? chosen : .all
    }

    private static func scope(named name: [UInt8]) -> Scopes? {
        switch String(decoding: name, as: UTF8.self) {
        case "global": return .global
        case "frontend": return .frontend
        case "listener": return .listener
        case "backend": return .backend
        case "server": return .server
        case "sticktable": return .sticktable
        default: return nil
        }
    }

    /// haproxy's url_decode in form mode: `%XX` escapes and `+` for a space; nil on a bad escape.
    /// The result ends at a decoded NUL, as the C string haproxy compares does.
    static func urlDecode(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard i + 2 < bytes.endIndex, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) else { return nil }
                out.append(high << 4 | low)
                i += 2
            default:
                out.append(b)
            }
            i += 1
        }
        if let nul = out.firstIndex(of: 0) { out.removeSubrange(nul...) }
        return out
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
