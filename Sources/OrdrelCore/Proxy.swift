import OrdrelConfig

/// A proxy as haproxy has them: a frontend part (listeners, client-side counters) and/or a
/// backend part (servers, balancing, server-side counters), per the section that declared it.
public final class Proxy {
    public let name: String
    public let id: Int
    public let config: ProxyConfig
    /// Frontend side: counters of accepted streams and whether accepting is enabled.
    public var frontendCounters = TrafficCounters()
    public var frontendEnabled: Bool
    /// Frontend concurrent limit (0 = only the global limit applies).
    public var maxconn: Int
    /// Backend side: counters of streams forwarded to this backend's servers.
    public var backendCounters = TrafficCounters()
    public internal(set) var servers: [Server] = []
    /// Where this frontend sends streams (resolved from use_backend/default_backend).
    public internal(set) var targetBackend: Proxy?
    /// Smooth weighted round-robin state: one accumulator per server.
    var roundRobinCurrent: [Int] = []
    /// Wall-clock second of the backend's last state change (`lastchg` on BACKEND).
    public var lastChangeWallSeconds: UInt64

    init(config: ProxyConfig, defaultMaxconn: Int, wallSeconds: UInt64) {
        self.name = config.name
        self.id = config.id
        self.config = config
        self.frontendEnabled = !config.disabled
        self.maxconn = config.maxconn ?? defaultMaxconn
        self.lastChangeWallSeconds = wallSeconds
    }

    public var isFrontend: Bool { config.isFrontend }
    public var isBackend: Bool { config.isBackend }

    public func server(named name: String) -> Server? { servers.first { $0.name == name } }

    /// Number of servers able to take traffic, active and backup.
    public var usableServerCounts: (active: Int, backup: Int) {
        var active = 0
        var backup = 0
        for server in servers where server.isUsable {
            if server.isBackup { backup += 1 } else { active += 1 }
        }
        return (active, backup)
    }

    /// Picks a server by smooth weighted round-robin among usable servers with a free slot;
    /// backups only when no active server is usable. `excluding` avoids the server that just failed.
    func pickServer(excluding: Server? = nil) -> Server? {
        if roundRobinCurrent.count != servers.count { roundRobinCurrent = Array(repeating: 0, count: servers.count) }
        let anyActive = servers.contains { !$0.isBackup && $0.isUsable }
        var total = 0
        var best = -1
        for (index, server) in servers.enumerated()
        where server.isUsable && server.isBackup != anyActive && server.hasFreeSlot && server !== excluding {
            roundRobinCurrent[index] += server.weight
            total += server.weight
            if best < 0 || roundRobinCurrent[index] > roundRobinCurrent[best] { best = index }
        }
        if best < 0 {
            return excluding.flatMap { $0.isUsable && $0.hasFreeSlot ? $0 : nil }
        }
        roundRobinCurrent[best] -= total
        return servers[best]
    }
}
