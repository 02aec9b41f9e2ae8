import OrdrelLog
import OrdrelSystem

/// The resolved configuration: what the runtime builds its listeners, proxies and servers from.
/// `defaults` inheritance is already applied; every value here is final.
public struct Configuration: Sendable, Equatable {
    public var global: GlobalConfig
    /// Proxies (frontend, backend, listen) in file order; `id`s are assigned like haproxy's (1, 2, ...).
    public var proxies: [ProxyConfig]
    /// `resolvers` sections, in file order.
    public var resolvers: [ResolversConfig]

    public init(global: GlobalConfig = GlobalConfig(), proxies: [ProxyConfig] = [], resolvers: [ResolversConfig] = []) {
        self.global = global
        self.proxies = proxies
        self.resolvers = resolvers
    }

    /// Whether anything would listen: a stats socket, or a `bind` of an enabled proxy. haproxy
    /// refuses to start without (and `-c` exits 2).
    public var hasEnabledListener: Bool {
        !global.statsSockets.isEmpty || proxies.contains { !$0.disabled && !$0.binds.isEmpty }
    }
}

/// Where a config item came from, for messages of the form `file:line`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// The `global` section.
public struct GlobalConfig: Sendable, Equatable {
    public var daemon = false
    /// Process-wide concurrent connection limit; nil = derived from the fd limit.
    public var maxconn: Int?
    /// `maxconnrate` / `maxsessrate`: the accept rates per second `set rate-limit connections|sessions
    /// global` starts from (0 = none).
    public var maxConnRate = 0
    public var maxSessRate = 0
    /// Worker threads; nil = one per CPU.
    public var nbthread: Int?
    public var pidfile: String?
    /// `log` lines: where process messages go, and what `log global` stands for.
    public var logTargets: [LogTarget] = []
    /// `log-send-hostname`: the host name syslog headers carry (nil: none).
    public var logSendHostname: String?
    /// `log-tag`: the syslog tag (nil: the program name).
    public var logTag: String?
    public var tuneBufsize = 16384
    /// Consecutive accepts per listener wakeup; -1 = unlimited.
    public var tuneMaxaccept = 4
    public var user: String?
    public var group: String?
    public var uid: Int?
    public var gid: Int?
    public var chroot: String?
    /// false after `no strict-limits`: failing to raise the fd limit is a warning, not fatal.
    public var strictLimits = true
    public var statsSockets: [StatsSocketConfig] = []
    /// `stats timeout`: idle timeout of CLI sessions, ms (haproxy default 10 s).
    public var statsTimeoutMs: UInt64 = 10_000
    /// `stats maxconn`: concurrent CLI sessions per stats socket (haproxy default 10).
    public var statsMaxconn = 10
    public var hardStopAfterMs: UInt64?
    public var graceMs: UInt64?
    /// `ordrel.product-name`: what `show info` calls the product.
    public var productName: ProductName = .haproxy
    /// `master-worker`: run as a master supervising one worker (as `-W`).
    public var masterWorker = false
    /// false after `master-worker no-exit-on-failure`: a current worker that fails does not stop
    /// the master and its other workers.
    public var masterExitsOnWorkerFailure = true
    /// `mworker-max-reloads`: an old worker that has lived through more reloads gets SIGTERM.
    public var mworkerMaxReloads: Int?
    /// `noreuseport`: TCP listeners are bound without SO_REUSEPORT.
    public var noReusePort = false
    /// `unix-bind`: what Unix `bind` sockets declared after it start from (their path prefix,
    /// mode and owner); `stats socket` lines do not use it, as in haproxy.
    public var unixBind = UnixBindDefaults()

    public init() {}
}

/// The product `show info` names (`Name:`). haproxy's by default, because client libraries
/// check it before they talk; `ordrel.product-name ordrel` for operators who want the truth there.
public enum ProductName: String, Sendable, Equatable, CaseIterable {
    case haproxy = "HAProxy"
    case ordrel
}

/// CLI access level of a stats socket (`level user|operator|admin`).
public enum AccessLevel: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Read-only, no sensitive data.
    case user = 1
    /// Read-only plus a few non-destructive actions (clear counters, show sess).
    case `operator` = 2
    /// Everything.
    case admin = 3

    public static func < (lhs: AccessLevel, rhs: AccessLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .user: return "user"
        case .operator: return "operator"
        case .admin: return "admin"
        }
    }
}

/// One `stats socket <path> [options]` line.
public struct StatsSocketConfig: Sendable, Equatable {
    public var path: String
    /// File mode, parsed from octal (`mode 600`).
    public var mode: UInt32?
    /// Owner and group of the socket file (`uid`/`gid`, or `user`/`group` resolved when parsed).
    public var uid: Int?
    public var gid: Int?
    public var level: AccessLevel = .operator
    public var exposeFDListeners = false
    /// `stats socket fd@<n>`: an inherited listening socket (haproxy's VTest passes its CLI so);
    /// `path` is then `fd@<n>`.
    public var inheritedFD: Int32?
    public var location: SourceLocation

    public init(path: String, location: SourceLocation) {
        self.path = path
        self.location = location
    }
}

/// Proxy mode. `tcp` forwards; `http` only serves haproxy's built-in services (the stats page,
/// the Prometheus exporter, `monitor-uri`): proxying HTTP to servers is refused by the parser.
public enum ProxyMode: String, Sendable, Equatable {
    case tcp
    case http
}

/// Load-balancing algorithm (`balance`).
public enum BalanceAlgorithm: String, Sendable, Equatable, CaseIterable {
    case roundrobin
    case staticRR = "static-rr"
    case leastconn
    case first
    case source
}

/// Inactivity and queueing timeouts, in milliseconds; nil = not set (infinite).
public struct Timeouts: Sendable, Equatable {
    public var connect: UInt64?
    public var client: UInt64?
    public var server: UInt64?
    public var clientFin: UInt64?
    public var serverFin: UInt64?
    public var queue: UInt64?
    public var check: UInt64?
    public var tunnel: UInt64?
    /// `timeout http-request`: a whole request head must arrive within it (built-in services).
    public var httpRequest: UInt64?
    /// `timeout http-keep-alive`: how long an idle keep-alive connection waits for the next request.
    public var httpKeepAlive: UInt64?

    public init() {}
}

/// `option ...` flags that matter in TCP mode.
public struct ProxyOptions: Sendable, Equatable {
    /// `option redispatch`: retries may go to another server.
    public var redispatch = false
    /// `option nolinger`: close with SO_LINGER {1,0} (RST).
    public var nolinger = false
    /// `option tcpka`: SO_KEEPALIVE on both sides.
    public var tcpka = false
    /// `option clitcpka`: SO_KEEPALIVE on the client side.
    public var clitcpka = false
    /// `option srvtcpka`: SO_KEEPALIVE on the server side.
    public var srvtcpka = false
    /// `option tcplog`: log one haproxy-format TCP line per stream.
    public var tcplog = false
    /// `option dontlognull`: no log line for streams that carried no data.
    public var dontlognull = false
    /// `option dontlog-normal`: log only streams with an error, a retry or a redispatch.
    public var dontlogNormal = false
    /// `option log-separate-errors`: such streams log at `err` instead of `info`.
    public var logSeparateErrors = false
    /// `option allbackups`: balance across all backup servers, not just the first.
    public var allbackups = false
    /// `option abortonclose`: drop queued streams whose client has gone.
    public var abortonclose = false
    /// `option log-health-checks`: log every check whose status or health changes.
    public var logHealthChecks = false
    /// `option persist`: a stick table's server is used even when it is down.
    public var persist = false

    public init() {}
}

/// Where a `bind` listens.
public enum BindAddress: Sendable, Equatable, CustomStringConvertible {
    /// A TCP address: host may be empty (`:port`, `*`) meaning all IPv4 addresses, or `::`.
    case tcp(host: String, port: UInt16)
    /// A Unix stream socket path (`unix@/path` or `/path`).
    case unix(path: String)
    /// `fd@<n>`: a stream socket this process inherited as descriptor `n` (systemd socket
    /// activation, haproxy's VTest), used as it is and listened on if it does not yet.
    case inherited(fd: Int32)
    /// `sockpair@<n>`: one end of a Unix socket pair this process inherited as descriptor `n`;
    /// connections arrive over it as descriptors (SCM_RIGHTS), as haproxy's `send_fd_uxst` sends them.
    case socketPair(fd: Int32)

    public var description: String {
        switch self {
        case .tcp(let host, let port):
            return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path):
            return "unix@\(path)"
        case .inherited(let fd):
            return "fd@\(fd)"
        case .socketPair(let fd):
            return "sockpair@\(fd)"
        }
    }
}

/// One address of a `bind` line (a line may list several, or a port range).
public struct BindConfig: Sendable, Equatable {
    public var address: BindAddress
    public var name: String?
    public var backlog: Int?
    public var maxconn: Int?
    /// For Unix binds: file mode (octal), owner and group (`uid`/`gid`, or `user`/`group`
    /// resolved when parsed).
    public var mode: UInt32?
    public var uid: Int?
    public var gid: Int?
    /// `v6only` (true) or `v4v6` (false); nil = the system default for `::` sockets.
    public var ipv6Only: Bool?
    /// `accept-proxy`: each connection starts with a PROXY v1 or v2 header whose addresses
    /// replace the connection's own.
    public var acceptProxy = false
    /// `tfo`: TCP Fast Open on this TCP listener.
    public var tfo = false
    public var location: SourceLocation

    public init(address: BindAddress, location: SourceLocation) {
        self.address = address
        self.location = location
    }
}

/// One `server` line, with `default-server` values applied.
public struct ServerConfig: Sendable, Equatable {
    public var name: String
    /// Host as written (an IP literal or a name resolved at start-up).
    public var host: String
    /// 0 when the address has none: each stream connects to the port its client connected to.
    public var port: UInt16
    /// Numeric id (`id`), or assigned 1, 2, ... in file order.
    public var id: Int
    /// 0...256; 0 takes no new traffic.
    public var weight = 1
    /// Concurrent connection limit; 0 = unlimited.
    public var maxconn = 0
    /// Queue limit; 0 = unlimited.
    public var maxqueue = 0
    public var backup = false
    /// Starts in maintenance.
    public var disabled = false
    /// Health checks enabled.
    public var check = false
    public var interMs: UInt64 = 2000
    public var fastinterMs: UInt64?
    public var downinterMs: UInt64?
    public var rise = 2
    public var fall = 3
    /// Check target overrides.
    public var checkPort: UInt16?
    public var checkAddr: String?
    /// `on-marked-down shutdown-sessions`.
    public var shutdownSessionsOnMarkedDown = false
    /// `on-marked-up shutdown-backup-sessions`.
    public var shutdownBackupSessionsOnMarkedUp = false
    /// The id came from an `id` keyword (haproxy's `srv_f_forced_id` in `show servers state`).
    public var forcedID = false
    /// `agent-check`: an agent on `agentAddr`:`agentPort` reports weight, state and health.
    public var agentCheck = false
    /// `agent-port` (required with `agent-check`).
    public var agentPort: UInt16?
    /// `agent-addr`: an IP literal; nil = the server's address.
    public var agentAddr: String?
    /// `agent-inter`; nil = `inter`.
    public var agentInterMs: UInt64?
    /// `agent-send`: bytes written to the agent once connected (none when nil).
    public var agentSend: String?
    /// `init-addr`: how the address is found at start, methods tried in order.
    public var initAddr: [InitAddrMethod] = [.last, .libc]
    /// `send-proxy` / `send-proxy-v2`: the PROXY header written before any payload.
    public var sendProxy: ProxyProtocolVersion?
    /// `proxy-v2-options crc32c`: the v2 header carries a CRC32C TLV.
    public var proxyV2CRC32C = false
    /// `proxy-v2-options unique-id`: the v2 header of a stream's connection carries a
    /// `PP2_TYPE_UNIQUE_ID` TLV, empty since `unique-id-format` is refused (haproxy 2.6.12 then
    /// sends it empty too).
    public var proxyV2UniqueID = false
    /// `check-send-proxy`: health checks start with a PROXY header too (the version of
    /// `sendProxy`, v1 when none).
    public var checkSendProxy = false
    /// `source`: the local address connections to this server bind to; nil = the backend's.
    public var source: SocketAddress?
    /// `resolvers`, `resolve-prefer`, `resolve-net`, `resolve-opts`: run-time DNS resolution.
    public var resolution = ServerResolution()
    /// A `server-template` on a SRV label (`_service._proto.name`): the records give host, port
    /// and weight; `host` is empty and `port` 0 until they do.
    public var srvRecord: String?
    public var location: SourceLocation

    public init(name: String, host: String, port: UInt16, id: Int, location: SourceLocation) {
        self.name = name
        self.host = host
        self.port = port
        self.id = id
        self.location = location
    }
}

/// `unix-bind prefix <p> mode <m> uid|user <u> gid|group <g>`.
public struct UnixBindDefaults: Sendable, Equatable {
    /// Prepended to every Unix `bind` path, as is (haproxy concatenates).
    public var prefix = ""
    public var mode: UInt32?
    public var uid: Int?
    public var gid: Int?

    public init() {}
}

/// Which PROXY protocol header a server is sent.
public enum ProxyProtocolVersion: Sendable, Equatable {
    case v1
    case v2
}

/// One method of `init-addr` (haproxy 2.6 server.c `srv_iterate_initaddr`).
public enum InitAddrMethod: Sendable, Equatable {
    /// The address saved in a `server-state-file`; ordrel loads none, so it never yields one.
    case last
    /// The system resolver (getaddrinfo) on the server's host.
    case libc
    /// Start without an address: the server stays in maintenance (`MAINT (resolution)`) until
    /// `set server <b>/<s> addr` gives it one.
    case none
    /// This IP literal.
    case ip(String)
}

/// A proxy: a `frontend` (accepts), a `backend` (has servers) or a `listen` (both).
public struct ProxyConfig: Sendable, Equatable {
    /// What kind of section declared this proxy.
    public enum Kind: String, Sendable, Equatable {
        case frontend
        case backend
        case listen
    }

    public var name: String
    public var kind: Kind
    /// Numeric id (`id`), or assigned 1, 2, ... in file order (haproxy's `iid`).
    public var id: Int
    public var mode: ProxyMode = .tcp
    public var binds: [BindConfig] = []
    /// Backend used when no `use_backend` applies; for `listen`, the proxy itself.
    public var defaultBackend: String?
    /// `acl`-based decisions: `tcp-request` rules, `inspect-delay`, `use_backend` rules.
    public var rules = ConnectionRules()
    /// `use-server` rules of a backend, in order.
    public var useServers: [UseServerRule] = []
    /// `tcp-response` rules and delay of a backend.
    public var responseRules = ResponseRules()
    /// `stick-table`: the proxy's table, named after it.
    public var stickTable: StickTableConfig?
    /// `stick match|on|store-request` rules of a backend, in order.
    public var stickRules: [StickRule] = []
    /// `force-persist` and `ignore-persist` rules of a backend, in order.
    public var persistRules: [PersistRule] = []
    public var balance: BalanceAlgorithm = .roundrobin
    public var servers: [ServerConfig] = []
    /// `source`: the local address connections to servers bind to; nil = the kernel's choice.
    public var source: SocketAddress?
    /// Frontend concurrent limit; nil = use the global one.
    public var maxconn: Int?
    public var fullconn: Int?
    public var timeouts = Timeouts()
    /// Connect retries after a failed connect (haproxy default 3).
    public var retries = 3
    public var options = ProxyOptions()
    /// `disabled` keyword: the proxy starts stopped.
    public var disabled = false
    /// The id came from an `id` keyword (haproxy's `bk_f_forced_id` in `show servers state`).
    public var forcedID = false
    /// `log` targets, `log global` replaced by the global ones; empty = no logging
    /// (haproxy logs nothing for a proxy without `log`, even with `option tcplog`).
    public var logTargets: [LogTarget] = []
    /// `log-tag` of this proxy (nil: the global one).
    public var logTag: String?
    /// The traffic line (`option tcplog` or `log-format`, the last one written); nil logs a
    /// `Connect from` line at accept instead, when the frontend has log targets.
    public var logFormat: LogFormat?
    /// `log-format-sd`: the structured-data field of `rfc5424` lines.
    public var structuredDataFormat: LogFormat?
    /// `description` text (shown by `show stat desc`).
    public var description: String?
    /// The rules servers with `check` run; nil = haproxy's plain TCP connect check.
    public var healthCheck: CheckRuleSet?
    /// `http-check disable-on-404`: a 404 answer puts an UP server in NOLB (L7OKC).
    public var httpCheckDisableOn404 = false
    /// What a `mode http` section serves; ignored (with a warning) by `mode tcp` sections.
    public var http = HTTPServiceConfig()
    public var location: SourceLocation

    public init(name: String, kind: Kind, id: Int, location: SourceLocation) {
        self.name = name
        self.kind = kind
        self.id = id
        self.location = location
    }

    /// Accepts connections (frontend or listen).
    public var isFrontend: Bool { kind != .backend }
    /// Forwards to servers (backend or listen).
    public var isBackend: Bool { kind != .frontend }
}

/// A message about the configuration, in haproxy's wording: `parsing [file:line] : ...`.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// How serious the message is.
    public enum Severity: String, Sendable, Equatable {
        /// The configuration is refused.
        case alert = "ALERT"
        /// Accepted, but the operator should know (ignored keyword, odd value).
        case warning = "WARNING"
    }

    public var severity: Severity
    public var location: SourceLocation?
    public var message: String

    public init(_ severity: Severity, _ location: SourceLocation?, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public var description: String {
        if let location {
            return "[\(severity.rawValue)] config : parsing [\(location)] : \(message)"
        }
        return "[\(severity.rawValue)] config : \(message)"
    }
}

/// Thrown when the configuration has at least one alert; carries every diagnostic found.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]

    public init(diagnostics: [ConfigDiagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
