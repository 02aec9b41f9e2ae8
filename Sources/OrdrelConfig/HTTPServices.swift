import OrdrelCLI

/// What a `mode http` frontend or listen section serves: only haproxy's built-in services.
public struct HTTPServiceConfig: Sendable, Equatable {
    /// The stats page (`stats enable`, or any other `stats` keyword, as in haproxy).
    public var stats: StatsPageConfig?
    /// `monitor-uri`: 200 for this exact path while the process runs.
    public var monitorURI: String?
    /// `http-request use-service <service> [if|unless <cond>]`, in order.
    public var serviceRules: [ServiceRule] = []
    /// `errorfile <status> <file>`: the file's bytes, a whole HTTP response sent as is.
    public var errorFiles: [Int: [UInt8]] = [:]

    public init() {}

    /// Whether the section serves anything at all.
    public var servesSomething: Bool { stats != nil || monitorURI != nil || !serviceRules.isEmpty }
}

/// `stats ...` keywords of one proxy: what the page shows, and who may use its action form.
public struct StatsPageConfig: Sendable, Equatable {
    public var page = StatsPageSettings()
    /// `stats admin if|unless <cond>` lines; the first that holds allows the action form.
    public var adminRules: [ACLCondition] = []

    public init() {}

    /// Whether a client may use the action form (the conditions see no request bytes).
    public func allowsAdmin(_ input: ACLInput, _ environment: some ACLEnvironment) -> Bool {
        adminRules.contains { $0.evaluate(input, environment) == .pass }
    }
}

/// An IPv4 address with a prefix length (`10.0.0.0/8`, or one address).
public struct IPv4Network: Sendable, Equatable {
    public var address: UInt32
    public var prefixLength: Int

    /// Parses `a.b.c.d[/n]` or `a.b.c.d/m.m.m.m`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPv4Network.parseAddress(parts[0]) else { return nil }
        self.address = address
        if parts.count == 1 {
            prefixLength = 32
        } else if let bits = Int(parts[1]), (0...32).contains(bits) {
            prefixLength = bits
        } else if let mask = IPv4Network.parseAddress(parts[1]), (~mask) & ((~mask) &+ 1) == 0 {
            prefixLength = mask.nonzeroBitCount
        } else {
            return nil
        }
    }

    /// `a.b.c.d` as a host-order number.
    public static func parseAddress(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCII), let n = UInt32(octet), n < 256 else { return nil }
            value = value << 8 | n
        }
        return value
    }

    public func contains(_ candidate: UInt32) -> Bool {
        let mask: UInt32 = prefixLength == 0 ? 0 : ~UInt32(0) << (32 - prefixLength)
        return candidate & mask == address & mask
    }
}

/// `http-request use-service <name> [if|unless { path|path_beg <p>... }]`.
public struct ServiceRule: Sendable, Equatable {
    public enum Service: String, Sendable, Equatable {
        case prometheusExporter = "prometheus-exporter"
    }

    /// Which request paths the rule applies to.
    public enum PathCondition: Sendable, Equatable {
        case always
        /// `path <p>...`: the path (before `?`) equals one of them.
        case path([String])
        /// `path_beg <p>...`: the path starts with one of them.
        case pathPrefix([String])
    }

    public var service: Service
    public var condition: PathCondition
    public var negated: Bool

    public init(service: Service, condition: PathCondition, negated: Bool) {
        self.service = service
        self.condition = condition
        self.negated = negated
    }

    /// Whether the rule applies to a request for `path` (without its query string).
    public func matches(path: String) -> Bool {
        let value: Bool
        switch condition {
        case .always: value = true
        case .path(let paths): value = paths.contains(path)
        case .pathPrefix(let prefixes): value = prefixes.contains { path.hasPrefix($0) }
        }
        return value != negated
    }
}
