/// What the CLI needs from the proxy runtime. Every call is synchronous and made on the driver's
/// thread; all results are plain values. Proxy/server arguments are passed as typed by the
/// operator (a name or `#<numeric id>`); resolving them is the runtime's job.
public protocol CLIRuntime: AnyObject {
    /// `show version` text, e.g. "2.6.12-1+deb12u4" or ordrel's own version.
    var version: String { get }
    /// Runs `body` seeing and changing the runtime's state as if nothing else ran (the daemon
    /// pauses its other threads meanwhile). The session calls every other method of this protocol
    /// from inside it (but `statsRows` and `proxyID`, which need no pause), and formats replies
    /// outside it, so a stats client never holds up traffic for longer than it takes to read or
    /// change the state.
    func consistently<T>(_ body: () -> T) -> T
    /// Worker threads (`show servers conn` prints one idle count per thread).
    var threadCount: Int { get }
    /// `show info` values by field (`InfoKey`); fields without a value are not printed.
    func info() -> InfoValues
    /// Every `show stat` row in configuration order (per proxy: FRONTEND, servers, BACKEND).
    /// Pulled lazily while the dump streams, outside `consistently`: each row is consistent in
    /// itself without pausing the other threads, and the state may change between two rows (as
    /// in haproxy, whose dump reads its counters while the threads run). An iterator that is also
    /// `DeferredRows` is made on another thread: the session waits for it without blocking.
    func statsRows() -> any IteratorProtocol<StatsRow>
    /// Numeric id of the proxy with this name (for `show stat <proxy> <type> <sid>`); the
    /// proxies never change while the process runs, so it needs no `consistently`.
    func proxyID(named name: String) -> UInt64?
    /// `show backend`: backend names (including `listen` sections) in configuration order.
    func backendNames() -> [String]
    /// `show servers state [backend]`; `nil` when the backend does not exist.
    func serversState(backend: String?) -> (any IteratorProtocol<ServerStateRow>)?
    /// `resolvers` sections and their name servers' counters, in file order.
    func resolvers() -> [ResolversInfo]
    /// `set server <b>/<s> fqdn <name>`: the server resolves another name from now on.
    func setServerFQDN(backend: String, server: String, fqdn: String) -> ServerResult<SetFQDNOutcome>
    /// `show sess`: current sessions, lazily.
    func sessions() -> any IteratorProtocol<SessionInfo>
    /// `show sess <id>`; `nil` when no live session has this id (stale ids must not match).
    func session(id: UInt64) -> SessionInfo?
    /// Process environment as `NAME=value` entries, in order.
    func environment() -> [String]
    /// Date printed by `show errors`, formatted like haproxy: `21/Nov/2026:14:09:12.740`.
    func currentDateString() -> String

    /// `shutdown session <id>`: ends the session if `id` names a live one, else `.noSuchSession`.
    func shutdownSession(id: UInt64) -> SessionShutdownResult
    /// Resolves `<backend>/<server>` before an action, so lookup errors win over argument errors.
    func lookupServer(backend: String, server: String) -> ServerResult<Void>
    /// `shutdown sessions server`.
    func shutdownSessions(backend: String, server: String) -> ServerResult<Void>
    /// `set server ... state`, `enable/disable server`.
    func setServerAdminState(backend: String, server: String, state: ServerAdminState) -> ServerResult<Void>
    /// `set server ... health up|stopping|down`.
    func setServerHealth(backend: String, server: String, health: ServerHealthRequest) -> ServerResult<Void>
    /// `enable health` (`true`) / `disable health` (`false`).
    func setHealthChecks(backend: String, server: String, enabled: Bool) -> ServerResult<HealthChecksOutcome>
    /// `enable agent` (`true`) / `disable agent` (`false`).
    func setAgentChecks(backend: String, server: String, enabled: Bool) -> ServerResult<HealthChecksOutcome>
    /// `set server ... agent up|down` (nil: a word that is neither, only the agent is checked);
    /// `.notConfigured` when the agent is not enabled.
    func setAgentHealth(backend: String, server: String, up: Bool?) -> ServerResult<HealthChecksOutcome>
    /// `set server ... agent-addr <addr> [port <p>]` / `agent-port <p>`: haproxy's refusal, or nil when applied.
    func setAgentTarget(backend: String, server: String, address: String?, port: String?) -> ServerResult<String?>
    /// `set server ... agent-send <string>`; `.notConfigured` when the agent is not enabled.
    func setAgentSend(backend: String, server: String, text: String) -> ServerResult<HealthChecksOutcome>
    /// `get weight`: current and initial weight.
    func serverWeight(backend: String, server: String) -> ServerResult<ServerWeight>
    /// `set weight` / `set server ... weight` with an already validated request.
    func setServerWeight(backend: String, server: String, weight: WeightRequest) -> ServerResult<SetWeightOutcome>
    /// `set server ... addr <ip> [port <p>]`.
    func setServerAddress(backend: String, server: String, address: String, port: PortRequest?)
        -> ServerResult<SetAddressOutcome>
    /// `set maxconn server`.
    func setServerMaxconn(backend: String, server: String, maxconn: UInt32) -> ServerResult<Void>
    /// Whether a frontend with this name (or `#id`) exists.
    func frontendExists(_ name: String) -> Bool
    /// `set maxconn frontend` (value already checked to be >= 0).
    func setFrontendMaxconn(frontend: String, maxconn: Int32) -> FrontendResult
    /// `set maxconn global`; 0 restores the initial value.
    func setGlobalMaxconn(_ maxconn: Int32) -> GlobalMaxconnResult
    /// `set rate-limit connections|sessions global <n>`: accepted connections (sessions) per
    /// second over the whole process; 0 lifts the limit.
    func setRateLimit(_ kind: RateLimitKind, perSecond: Int32)
    /// `enable frontend` (`true`) / `disable frontend` (`false`).
    func setFrontendEnabled(frontend: String, enabled: Bool) -> FrontendResult
    /// `show activity`: counters per thread, in haproxy's names and order (only those ordrel
    /// measures), and the current wall time in µs.
    func activity() -> (nowMicros: UInt64, counters: [ActivityCounter])
    /// `show fd`: every fd an event loop watches (listeners, client, server, CLI and check
    /// connections), in any order.
    func fileDescriptors() -> [FDInfo]
    /// `show pools`: ordrel's object pools, summed over the threads.
    func pools() -> [PoolInfo]
    /// `show threads`: one entry per loop thread, in thread order; the CLI's thread is marked
    /// calling.
    func threads() -> [ThreadInfo]
    /// `clear counters` (max values only) or `clear counters all`.
    func clearCounters(all: Bool)
    /// Stick tables in `show table` order.
    func stickTables() -> [StickTableInfo]
    /// Whether `key` is one of the table's type (haproxy reads a bad IPv4 key as 0.0.0.0).
    func stickTableKeyIsValid(_ table: String, key: String) -> Bool
    /// The entries of `table` in key order that pass every filter, or only the one of `key`;
    /// `remove`: those nobody tracks are removed instead (and none returned).
    func stickTableEntries(_ table: String, key: String?, filters: [StickTableFilter], remove: Bool) -> StickTableResult
    /// `set table <t> key <k> [data.<type> <value>]*`: creates the entry if needed, then sets
    /// each (stored) type.
    func setStickTableEntry(_ table: String, key: String, values: [(String, Int64)]) -> StickTableResult
}

/// `shutdown session` outcome.
public enum SessionShutdownResult: Sendable, Equatable {
    case done
    case noSuchSession
}

/// Frontend action outcome.
public enum FrontendResult: Sendable, Equatable {
    case done
    case noSuchFrontend
    /// `enable` on an enabled frontend / `disable` on a disabled one.
    case alreadyInState
    /// A socket could not be paused or listen again (the reason is logged).
    case failed
}

/// `set maxconn global` outcome.
/// One `show activity` line: a counter's value on each thread.
public struct ActivityCounter: Sendable, Equatable {
    public let name: String
    public let perThread: [UInt64]

    public init(name: String, perThread: [UInt64]) {
        self.name = name
        self.perThread = perThread
    }
}

/// What `set rate-limit ... global` limits. In TCP mode every accepted connection is a session,
/// so both limit the same accepts, as in haproxy's listener_accept.
public enum RateLimitKind: Sendable, Equatable {
    case connections
    case sessions
}

public enum GlobalMaxconnResult: Sendable, Equatable {
    case done
    /// Negative or above the hard limit.
    case outOfRange
}

/// One `show servers state` line (format version 1).
public struct ServerStateRow: Sendable, Equatable {
    public var backendID: UInt64
    public var backendName: String
    public var serverID: UInt64
    public var serverName: String
    public var address: String
    /// 0 stopped, 1 starting, 2 running, 3 stopping.
    public var opState: UInt32
    /// Bitmask: 0x01 forced maint, 0x04 config maint, 0x08 forced drain...
    public var adminState: UInt32
    public var userWeight: UInt32
    public var initialWeight: UInt32
    public var secondsSinceLastChange: UInt64
    /// Internal HCHK_STATUS number (6 L4OK, 8 L4CON, 1 none).
    public var checkStatus: UInt32
    /// 0 unknown, 1 neutral, 2 failed, 3 passed, 4 conditional pass.
    public var checkResult: UInt32
    public var checkHealth: UInt32
    /// Bitmask 0x01 in progress, 0x02 configured, 0x04 enabled, 0x08 paused.
    public var checkState: UInt32
    public var agentState: UInt32 = 0
    public var backendForcedID: Bool = false
    public var serverForcedID: Bool = false
    public var fqdn: String?
    public var port: UInt16
    public var srvRecord: String?
    public var useSSL: Bool = false
    public var checkPort: UInt16 = 0
    public var checkAddress: String?
    public var agentAddress: String?
    public var agentPort: UInt16 = 0
    /// Connections to the server now, and the most at once (`show servers conn` used_cur,
    /// used_max and need_est: with no idle connections in TCP mode the last two agree).
    public var usedConnections: UInt64 = 0
    public var peakConnections: UInt64 = 0

    public init(backendID: UInt64, backendName: String, serverID: UInt64, serverName: String, address: String,
                opState: UInt32, adminState: UInt32, userWeight: UInt32, initialWeight: UInt32,
                secondsSinceLastChange: UInt64, checkStatus: UInt32, checkResult: UInt32, checkHealth: UInt32,
                checkState: UInt32, port: UInt16) {
        self.backendID = backendID
        self.backendName = backendName
        self.serverID = serverID
        self.serverName = serverName
        self.address = address
        self.opState = opState
        self.adminState = adminState
        self.userWeight = userWeight
        self.initialWeight = initialWeight
        self.secondsSinceLastChange = secondsSinceLastChange
        self.checkStatus = checkStatus
        self.checkResult = checkResult
        self.checkHealth = checkHealth
        self.checkState = checkState
        self.port = port
    }
}

/// One session for `show sess`. `id` is an opaque, never-reused identifier chosen by the runtime.
public struct SessionInfo: Sendable, Equatable {
    public var id: UInt64
    /// "tcpv4", "tcpv6", "unix_stream".
    public var proto: String
    /// "127.0.0.1:60776" or "unix:1".
    public var source: String
    public var frontend: String
    /// nil prints `<NONE>`.
    public var backend: String?
    /// nil prints `<none>`.
    public var server: String?
    public var ageSeconds: UInt64
    public var calls: UInt64
    public var frontendFD: Int32
    public var backendFD: Int32
    /// Remaining time before expiry in seconds, nil when none.
    public var expiresInSeconds: UInt64?
    /// Accept date for the detailed form, e.g. "21/Nov/2026:13:24:41.325556".
    public var acceptDate: String = ""
    /// Sequential stream number for the detailed form (`id=95`).
    public var uniqueID: UInt64 = 0
    public var frontendID: UInt64 = 0
    public var listenerAddress: String = ""
    public var backendID: UInt64 = 0
    /// Local address of the server-side connection (empty before it exists).
    public var backendLocalAddress: String = ""
    public var serverID: UInt64 = 0
    public var serverAddress: String = ""
    public var bytesIn: UInt64 = 0
    public var bytesOut: UInt64 = 0

    public init(id: UInt64, proto: String, source: String, frontend: String, backend: String?, server: String?,
                ageSeconds: UInt64, calls: UInt64, frontendFD: Int32, backendFD: Int32, expiresInSeconds: UInt64?) {
        self.id = id
        self.proto = proto
        self.source = source
        self.frontend = frontend
        self.backend = backend
        self.server = server
        self.ageSeconds = ageSeconds
        self.calls = calls
        self.frontendFD = frontendFD
        self.backendFD = backendFD
        self.expiresInSeconds = expiresInSeconds
    }
}
