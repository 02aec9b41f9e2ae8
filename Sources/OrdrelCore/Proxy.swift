import OrdrelConfig
import OrdrelLog

/// A proxy as haproxy has them: a frontend part (listeners, client-side counters) and/or a
/// backend part (servers, balancing, server-side counters), per the section that declared it.
public final class Proxy {
    public let name: String
    public let id: Int
    public let config: ProxyConfig
    /// Frontend side: counters of accepted streams and whether accepting is enabled.
    public var frontendCounters = TrafficCounters()
    /// Bytes through the frontend and through the backend, per thread.
    let frontendBytes: PerThreadBytes
    let backendBytes: PerThreadBytes
    public var frontendEnabled: Bool
    /// Connections a listener of this frontend is accepting and has not counted yet (under
    /// `Runtime.lock`): a slot is taken before accept(), as haproxy does, so that two threads
    /// cannot both accept the last one.
    var acceptsInFlight = 0
    /// Frontend concurrent limit (0 = only the global limit applies).
    public var maxconn: Int
    /// `maxconn` as configured, before any `set maxconn frontend`.
    public let initialMaxconn: Int
    /// Backend: `fullconn` as configured or as haproxy derives it at start-up (the runtime sets
    /// it once every frontend's backend is known); `show stat`'s BACKEND `slim`.
    public internal(set) var fullconn = 1
    /// Backend side: counters of streams forwarded to this backend's servers.
    public var backendCounters = TrafficCounters()
    public internal(set) var servers: [Server] = []
    /// Where this frontend sends streams (resolved from use_backend/default_backend). Unowned:
    /// the runtime owns every proxy, and a `listen` section is its own backend (a strong
    /// reference was a cycle that LeakSanitizer reported at every exit).
    public internal(set) unowned var targetBackend: Proxy?
    /// The backend of each `use_backend` rule, in rule order (resolved once at start).
    var ruleBackends: [ProxyReference] = []
    /// Its streams read and inspect the request before choosing a backend (computed once: the
    /// accept path of a proxy without rules only tests this flag).
    let inspectsContent: Bool
    /// As a backend, it has `tcp-request content` rules of its own for streams of other frontends.
    let inspectsAsBackend: Bool
    /// Picks servers for new streams; kept in sync with the servers by `Runtime.serverChanged`.
    /// nil for a frontend-only proxy.
    public internal(set) var balancer: Balancer?
    /// Streams waiting for any server with a free slot (`qcur` of the BACKEND row).
    var queue = PendingQueue<QueuedStream>()
    /// Arrival numbers shared by this backend's queue and its servers' queues.
    var nextQueueSequence: UInt64 = 0
    /// Times the backend lost its last usable server (BACKEND `chkdown`).
    public internal(set) var downTransitions = 0
    /// Seconds without any usable server in finished periods (BACKEND `downtime`).
    public internal(set) var downtimeSeconds: UInt64 = 0
    /// Wall-clock second of the backend's last state change (`lastchg` on BACKEND).
    public var lastChangeWallSeconds: UInt64
    /// This proxy's `log` lines; nil when it has none (then it logs nothing).
    var logSinks: LogSinks?
    /// Traffic lines this frontend logged (`%lc`; under `Runtime.lock`).
    var logCount: UInt64 = 0
    /// The frontend's traffic line format (`option tcplog`, `log-format`).
    var logFormat: LogFormat? { config.logFormat }
    /// Whether that line shows the address the client connected to (`%fi`, `%fp`) or ordrel's
    /// end of the server connection (`%bi`, `%bp`): streams read them from the sockets only then.
    let logsFrontendAddress: Bool
    let logsBackendSource: Bool
    /// Its `stick-table`.
    let stickTable: StickTable?

    init(config: ProxyConfig, defaultMaxconn: Int, wallSeconds: UInt64, threads: Int) {
        self.frontendBytes = PerThreadBytes(threads: threads)
        self.backendBytes = PerThreadBytes(threads: threads)
        self.name = config.name
        self.id = config.id
        self.config = config
        self.frontendEnabled = !config.disabled
        self.maxconn = config.maxconn ?? defaultMaxconn
        self.initialMaxconn = maxconn
        self.lastChangeWallSeconds = wallSeconds
        self.inspectsContent = config.rules.inspectsContent
        self.inspectsAsBackend = config.isBackend && !config.rules.content.isEmpty
        let shown = config.logFormat?.variables ?? []
        logsFrontendAddress = !shown.isDisjoint(with: [.frontendIP, .frontendPort])
        logsBackendSource = !shown.isDisjoint(with: [.backendSourceIP, .backendSourcePort])
        stickTable = config.stickTable.map(StickTable.init)
    }

    public var isFrontend: Bool { config.isFrontend }
    public var isBackend: Bool { config.isBackend }

    public func server(named name: String) -> Server? { servers.first { $0.name == name } }

    /// Servers able to take new streams (available, weight above 0), active and backup, as the
    /// balancer keeps count of them (haproxy's `srv_act` / `srv_bck`).
    public var usableServerCounts: (active: Int, backup: Int) {
        (balancer?.usableActiveCount ?? 0, balancer?.usableBackupCount ?? 0)
    }

    /// Streams waiting in the backend queue (`qcur` of the BACKEND row).
    public var queueLength: Int { queue.count }

    /// Some server can take new streams (BACKEND `status` UP); true for a backend without servers.
    public var hasUsableServer: Bool {
        guard let balancer, balancer.count > 0 else { return true }
        let usable = usableServerCounts
        return usable.active + usable.backup > 0
    }

    /// `downtime` of the BACKEND row: finished periods plus the current one.
    public func downtime(wallSeconds: UInt64) -> UInt64 {
        guard !hasUsableServer, wallSeconds >= lastChangeWallSeconds else { return downtimeSeconds }
        return downtimeSeconds + wallSeconds - lastChangeWallSeconds
    }
}

/// A proxy held without ownership: the runtime owns every proxy, and a frontend naming itself
/// (a `listen` in its own `use_backend`) would otherwise be a cycle.
struct ProxyReference {
    unowned let proxy: Proxy
}
