import OrdrelCLI
import OrdrelConfig
import OrdrelSystem

/// A backend server: its address, limits, runtime state and counters. State changes go through
/// the runtime (`Control.swift`, the check runner) so the backend's balancer always agrees.
public final class Server {
    public let name: String
    public let id: Int
    /// Position in `backend.servers`, which is also its index in the backend's balancer.
    let index: Int
    public unowned let backend: Proxy
    public let config: ServerConfig
    /// Where streams connect (changed by `set server ... addr/port`).
    public internal(set) var address: SocketAddress {
        didSet { addressText = address.description }
    }
    /// `address` as text (`show stat`'s `addr`), made when it changes rather than for every
    /// stats row and scrape.
    private(set) var addressText: String
    /// Where health checks connect: `address` unless `addr`/`port` override it.
    public internal(set) var checkAddress: SocketAddress
    public internal(set) var adminState: ServerAdminState
    /// The maintenance comes from the `disabled` keyword (`srv_admin_state` 0x04) rather than the CLI.
    public internal(set) var maintenanceFromConfig: Bool
    /// The maintenance comes from `init-addr none` (`MAINT (resolution)`, `srv_admin_state` 0x20):
    /// the server has no address until `set server ... addr` gives it one.
    public internal(set) var maintenanceFromResolution: Bool
    /// Whether `address` is real; false while waiting for `set server ... addr` after `init-addr none`.
    public internal(set) var hasAddress: Bool
    /// The host name `address` comes from (`srv_fqdn`): the configured one, or a SRV record's
    /// target; nil for an IP literal or a SRV template server without a record yet.
    public internal(set) var fqdn: String?
    /// `fqdn` came from a SRV record: haproxy marks that with `SRV_ADMF_HMAINT` (0x40), which is
    /// no maintenance but shows in `srv_admin_state`.
    var fqdnFromRecord = false
    /// The server went through `MAINT (resolution)`: haproxy zeroes the health then, which
    /// `srv_check_health` shows for a server without checks.
    var healthClearedByResolution: Bool
    /// Health counter and last check result; nil without `check`.
    public internal(set) var health: HealthCheckState?
    /// Checks are configured and not turned off by `disable health`.
    public internal(set) var checksEnabled: Bool
    /// Weight in use (`set server ... weight`), 0...256.
    public internal(set) var weight: Int
    /// Weight from the configuration (`iweight` in `show servers state`).
    public let initialWeight: Int
    /// Concurrent stream limit; 0 = unlimited (`set maxconn server`).
    public internal(set) var maxconn: Int
    /// Limit of this server's own queue (`qlimit`); 0 = unlimited.
    public let maxqueue: Int
    public var counters = TrafficCounters()
    /// Bytes through this server, per thread.
    let bytes: PerThreadBytes
    /// Wall-clock second of the last state change (`lastchg`).
    public internal(set) var lastChangeWallSeconds: UInt64
    /// Seconds spent DOWN in finished DOWN periods; see `downtime(wallSeconds:)` for the total.
    public internal(set) var downtimeSeconds: UInt64 = 0
    /// Duration of the last completed check in ms (`check_duration`); nil before the first one.
    public internal(set) var lastCheckDurationMs: Int?
    /// Detail of the last check (`last_chk`), e.g. "Connection refused"; empty when none.
    public internal(set) var lastCheckInfo = ""
    /// Layer-7 code of the last check (`check_code`): HTTP status, SMTP reply, MySQL error...
    public internal(set) var lastCheckCode = 0
    /// The checks put the server in NOLB (`disable-on-404` saw a 404); a full pass lifts it.
    var stoppingFromCheck = false
    /// haproxy's `est_need_conns` (`need_conn_est`): the most connections to this server open at
    /// once, streams and check alike. haproxy decays it only while the server has idle
    /// connections, which TCP mode never keeps, so it is a peak; `clear counters` leaves it.
    /// Guarded by `Runtime.lock`.
    public internal(set) var estimatedNeededConnections = 0
    /// A check connection is in flight (`check_status` gets haproxy's "* " prefix).
    public internal(set) var checkInProgress = false
    /// Streams waiting for this server in particular (`balance source` with the server at maxconn).
    var queue = PendingQueue<QueuedStream>()
    /// The check runner; nil without `check`.
    var check: HealthCheck?
    /// The agent's state (`agent_*` columns); nil without `agent-check`.
    public internal(set) var agent: AgentCheckState?
    /// `agent-addr` (or `set server ... agent-addr`): the agent's IP; nil = the server's address.
    public internal(set) var agentAddrOverride: String?
    /// `agent-port` (or `set server ... agent-port`).
    public internal(set) var agentPort: UInt16
    /// `agent-send` (or `set server ... agent-send`): written once connected.
    var agentSend: [UInt8]

    /// Where the agent check connects: `agentAddrOverride`, else the server's address (which
    /// `set server ... addr` moves), on `agentPort`; nil while the server has no address.
    public var agentAddress: SocketAddress? {
        if let host = agentAddrOverride { return SocketAddress(ip: host, port: agentPort) }
        guard hasAddress else { return nil }
        var target = address
        target.port = agentPort
        return target
    }
    /// The agent runner; nil without `agent-check`.
    var agentCheck: AgentCheck?
    /// An agent connection is in flight (`agent_status` gets the "* " prefix).
    public internal(set) var agentInProgress = false
    /// The agent answered down/stopped/fail: the server stays DOWN until the agent (or the
    /// checks, once the agent allows it) bring it back, as haproxy's `check_notify_success`.
    public internal(set) var stoppedByAgent = false

    /// `address` is nil for a server that starts without one (`init-addr none`).
    init(config: ServerConfig, index: Int, backend: Proxy, address: SocketAddress?, checkAddress: SocketAddress,
         wallSeconds: UInt64, threads: Int) {
        self.bytes = PerThreadBytes(threads: threads)
        self.name = config.name
        self.id = config.id
        self.index = index
        self.backend = backend
        self.config = config
        self.address = address ?? checkAddress
        addressText = (address ?? checkAddress).description
        self.hasAddress = address != nil
        self.healthClearedByResolution = address == nil
        self.fqdn = config.srvRecord == nil && SocketAddress(ip: config.host, port: 0) == nil ? config.host : nil
        self.checkAddress = checkAddress
        self.adminState = config.disabled || address == nil ? .maint : .ready
        self.maintenanceFromConfig = config.disabled
        self.maintenanceFromResolution = address == nil
        self.checksEnabled = config.check
        if config.check {
            var health = HealthCheckState(rise: config.rise, fall: config.fall)
            if adminState == .maint { health.pause() }
            self.health = health
        }
        if config.agentCheck { agent = AgentCheckState() }
        agentAddrOverride = config.agentAddr
        agentPort = config.agentPort ?? 0
        agentSend = Array((config.agentSend ?? "").utf8)
        self.weight = config.weight
        self.initialWeight = config.weight
        self.maxconn = config.maxconn
        self.maxqueue = config.maxqueue
        self.lastChangeWallSeconds = wallSeconds
    }

    public var isBackup: Bool { config.backup }

    /// Operationally UP: decided by the checks when configured, else by `set server ... health`.
    public var isUp: Bool { (health?.isUp ?? !forcedDown) && !stoppedByAgent }

    /// `set server ... health down` on a server without checks: DOWN until `health up`.
    public internal(set) var forcedDown = false

    /// `set server ... health stopping`: UP but takes no new load-balanced streams (`NOLB`).
    public internal(set) var isStopping = false

    /// Ready, UP and not stopping: may be chosen for new streams when its weight is not 0.
    public var isAvailable: Bool { adminState == .ready && isUp && !isStopping }

    /// May receive new streams now.
    public var isUsable: Bool { isAvailable && weight > 0 }

    /// Has room for one more stream under its `maxconn`.
    public var hasFreeSlot: Bool { maxconn == 0 || counters.current < maxconn }

    /// `be/srv`, as haproxy names servers in logs and the CLI.
    public var qualifiedName: String { "\(backend.name)/\(name)" }

    // MARK: for the stats renderers

    /// The `status` column: `UP`, `UP 1/3`, `DOWN`, `DOWN 1/2`, `DRAIN`, `MAINT`, `no check`...
    public var statusText: String {
        if adminState == .maint && maintenanceFromResolution { return "MAINT (resolution)" }
        return ServerStatus.string(admin: adminState,
                                   operational: !isUp ? .stopped : (isStopping ? .stopping : .running),
                                   check: checksEnabled ? health : nil, agent: enabledAgent)
    }

    /// The agent's state while `enable agent` is in force (haproxy's `CHK_ST_ENABLED`).
    public var enabledAgent: AgentCheckState? { agent?.isEnabled == true ? agent : nil }

    /// The last check result (`check_status` = `.code`, `check_desc` = `.description`); nil without active checks.
    public var checkResult: CheckResult? { checksEnabled ? health?.lastResult : nil }

    /// `check_status` as haproxy prints it, "* " while a check runs; nil without active checks.
    public var checkStatusText: String? {
        guard let result = checkResult else { return nil }
        return (checkInProgress ? "* " : "") + result.code
    }

    /// Streams waiting in this server's own queue (`qcur`).
    public var queueLength: Int { queue.count }

    /// `lastchg`: seconds since the last state change.
    public func secondsSinceLastChange(wallSeconds: UInt64) -> UInt64 {
        wallSeconds >= lastChangeWallSeconds ? wallSeconds - lastChangeWallSeconds : 0
    }

    /// `downtime`: finished DOWN periods plus the current one when DOWN (MAINT counts as DOWN).
    public func downtime(wallSeconds: UInt64) -> UInt64 {
        isUp && adminState != .maint ? downtimeSeconds : downtimeSeconds + secondsSinceLastChange(wallSeconds: wallSeconds)
    }

    /// `srv_op_state` of `show servers state`: 0 stopped, 2 running.
    public var operationalStateCode: Int { isUp && adminState != .maint ? 2 : 0 }

    /// `srv_admin_state` bits: 0x01 forced maintenance, 0x04 `disabled` in the config, 0x08 forced
    /// drain, 0x20 waiting for an address (`init-addr none`, DNS), 0x40 host name from a SRV record.
    public var adminStateBits: Int {
        let record = fqdnFromRecord ? 0x40 : 0
        switch adminState {
        case .ready: return record
        case .drain: return record | 0x08
        case .maint: return record | (maintenanceFromResolution ? 0x20 : maintenanceFromConfig ? 0x04 : 0x01)
        }
    }

    /// `srv_check_state` bits: 0x01 running now, 0x02 configured, 0x04 enabled, 0x08 paused.
    public var checkStateBits: Int {
        guard health != nil else { return 0 }
        return Self.stateBits(enabled: checksEnabled, paused: adminState == .maint, inProgress: checkInProgress)
    }

    /// `srv_agent_state`: the same bits plus 0x10 (`CHK_ST_AGENT`); never paused.
    public var agentStateBits: Int {
        guard let agent else { return 0 }
        return 0x10 | Self.stateBits(enabled: agent.isEnabled, paused: false, inProgress: agentInProgress)
    }

    private static func stateBits(enabled: Bool, paused: Bool, inProgress: Bool) -> Int {
        var bits = 0x02
        if enabled { bits |= 0x04 }
        if paused { bits |= 0x08 }
        if inProgress { bits |= 0x01 }
        return bits
    }
}
