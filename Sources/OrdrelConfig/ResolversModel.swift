import OrdrelSystem

/// A `resolvers <name>` section: the name servers that re-resolve servers' host names at run
/// time, and how often and how patiently (haproxy 2.6, configuration.txt 5.3.2).
public struct ResolversConfig: Sendable, Equatable {
    public var name: String
    /// `nameserver` lines and `parse-resolv-conf` entries, in order.
    public var nameservers: [NameserverConfig] = []
    /// `resolve_retries`: queries sent for one resolution before it gives up (default 3).
    public var resolveRetries = 3
    /// `timeout resolve`: the time between two resolutions of a name (default 1s).
    public var resolveIntervalMs: UInt64 = 1000
    /// `timeout retry`: how long a query waits for its answers before the next try (default 1s).
    public var retryTimeoutMs: UInt64 = 1000
    /// `hold <status> <period>`.
    public var hold = ResolverHoldTimes()
    /// `accepted_payload_size`: announced in each query's EDNS0 OPT record (default 512).
    public var acceptedPayloadSize = 512
    public var location: SourceLocation

    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }
}

/// One `nameserver <id> <ip>:<port>` (UDP).
public struct NameserverConfig: Sendable, Equatable {
    public var name: String
    public var address: SocketAddress
    public var location: SourceLocation

    public init(name: String, address: SocketAddress, location: SourceLocation) {
        self.name = name
        self.address = address
        self.location = location
    }
}

/// `hold` periods in ms, haproxy 2.6's defaults.
public struct ResolverHoldTimes: Sendable, Equatable {
    /// How long a valid answer is reused by a new request for the same name.
    public var valid: UInt64 = 10_000
    /// NXDOMAIN, REFUSED, time-out and other failures: a server keeps its address while its name
    /// resolved validly less than this long ago, then goes to maintenance (`MAINT (resolution)`).
    public var nx: UInt64 = 30_000
    public var refused: UInt64 = 30_000
    public var timeout: UInt64 = 30_000
    public var other: UInt64 = 30_000
    /// How long a SRV record missing from the answers keeps its server.
    public var obsolete: UInt64 = 0

    public init() {}
}

/// How a server's host name is resolved at run time (`resolvers` and the `resolve-*` options).
public struct ServerResolution: Sendable, Equatable {
    /// The `resolvers` section; nil: the host name is resolved once, at start (`init-addr`).
    public var resolvers: String?
    /// `resolve-prefer`: the record type asked first (haproxy's default is IPv6).
    public var preferIPv4 = false
    /// `resolve-net`: addresses in these networks are taken before the others, in this order.
    public var networks: [ACLNetwork] = []
    /// `resolve-opts allow-dup-ip`: servers of one backend may take the same address.
    public var allowDuplicateIP = false
    /// `resolve-opts ignore-weight`: SRV records leave the server's weight alone.
    public var ignoreWeight = false

    public init() {}
}
