import OrdrelConfig
import OrdrelSystem

/// What the operator asked of a server (config `disabled`, `set server ... state`).
public enum ServerAdminState: Sendable, Equatable {
    /// Takes traffic when its checks allow.
    case ready
    /// Keeps its open streams but takes no new ones.
    case drain
    /// Maintenance: no new streams and no checks.
    case maint
}

/// A backend server: its address, limits, runtime state and counters.
public final class Server {
    public let name: String
    public let id: Int
    public unowned let backend: Proxy
    public let config: ServerConfig
    /// Where streams connect (changed by `set server ... addr`).
    public var address: SocketAddress
    public var adminState: ServerAdminState
    /// Operational state from health checks; always true without `check`.
    public var isUp = true
    /// Weight in use (`set server ... weight`), 0...256.
    public var weight: Int
    /// Weight from the configuration (`iweight` in `show servers state`).
    public let initialWeight: Int
    /// Concurrent stream limit; 0 = unlimited (`set maxconn server`).
    public var maxconn: Int
    public var counters = TrafficCounters()
    /// Wall-clock second of the last state change (`lastchg`).
    public var lastChangeWallSeconds: UInt64
    /// Seconds spent DOWN so far (`downtime`), not counting the current DOWN period.
    public var downtimeSeconds: UInt64 = 0

    init(config: ServerConfig, backend: Proxy, address: SocketAddress, wallSeconds: UInt64) {
        self.name = config.name
        self.id = config.id
        self.backend = backend
        self.config = config
        self.address = address
        self.adminState = config.disabled ? .maint : .ready
        self.weight = config.weight
        self.initialWeight = config.weight
        self.maxconn = config.maxconn
        self.lastChangeWallSeconds = wallSeconds
    }

    public var isBackup: Bool { config.backup }

    /// May receive new streams now.
    public var isUsable: Bool { adminState == .ready && isUp && weight > 0 }

    /// Has room for one more stream under its `maxconn`.
    public var hasFreeSlot: Bool { maxconn == 0 || counters.current < maxconn }

    /// `be/srv`, as haproxy names servers in logs and the CLI.
    public var qualifiedName: String { "\(backend.name)/\(name)" }
}
