import OrdrelConfig

/// One server as the balancer sees it. The runtime keeps these fields current through
/// `Balancer`'s setters; the balancer never does I/O.
public struct BalancerServer: Sendable, Equatable {
    /// Position in the backend's server list; `pick` returns this value.
    public var index: Int
    /// haproxy server id (`sid`): `first` fills servers in increasing id order.
    public var id: Int
    /// Effective weight 0...256 (user weight already scaled by `set weight` percent); 0 takes no new traffic.
    public var weight: Int
    /// Declared with `backup`: used only when no active server is usable.
    public var isBackup: Bool
    /// UP (or unchecked) and neither MAINT nor DRAIN; computed by the runtime.
    public var isUsable: Bool
    /// Connections this server is serving now.
    public var currentConnections: Int
    /// Connections waiting in this server's own queue (a non-empty queue makes the server full, like haproxy).
    public var queuedConnections: Int
    /// Concurrent connection limit; 0 = unlimited.
    public var maxconn: Int

    public init(
        index: Int, id: Int, weight: Int = 1, isBackup: Bool = false, isUsable: Bool = true,
        currentConnections: Int = 0, queuedConnections: Int = 0, maxconn: Int = 0
    ) {
        self.index = index
        self.id = id
        self.weight = weight
        self.isBackup = isBackup
        self.isUsable = isUsable
        self.currentConnections = currentConnections
        self.queuedConnections = queuedConnections
        self.maxconn = maxconn
    }

    /// No free slot: at maxconn, or others already wait for it (haproxy's `srv->queue.length || served >= maxconn`).
    @inlinable
    public var isFull: Bool {
        maxconn > 0 && (queuedConnections > 0 || currentConnections >= maxconn)
    }
}

/// The outcome of `Balancer.pick`.
public enum Pick: Sendable, Equatable {
    /// Connect to the server at this index (the caller then reports `connectionOpened`).
    case server(Int)
    /// Usable servers exist but all candidates are at maxconn: queue in the backend queue.
    case allFull
    /// `source` only: the client's hashed server is at maxconn; queue on that server to keep persistence.
    case serverFull(Int)
    /// No usable server at all: close the client (`SC`, `<NOSRV>`).
    case noServer
}

/// Pure load-balancing state for one backend: haproxy 2.6's `balance` algorithms over servers
/// whose usability, weight and connection counts the runtime keeps up to date.
///
/// Server set selection (backend.c `recount_servers`): the active servers when at least one is
/// usable with a non-zero weight; otherwise all usable backups with `allBackups`, else only the
/// first usable backup in declaration order (haproxy's `fbck`).
///
/// Cost: `roundrobin`, `leastconn` and `first` scan the selected servers (O(n), no allocation);
/// `static-rr` and `source` index a precomputed map (O(1), rebuilt in O(total weight) after a
/// usability change). Every setter is O(1) except a backup's usability change (O(backups)).
public final class Balancer {
    /// The configured algorithm.
    public let algorithm: BalanceAlgorithm
    /// `option allbackups`: balance over every usable backup instead of the first one.
    public let allBackups: Bool

    private var servers: ContiguousArray<BalancerServer>
    /// Build-time weights reduced by their GCD: the only non-zero weights static algorithms use.
    private let staticWeights: ContiguousArray<Int>
    /// Active and backup indices in scan order (declaration order; id order for `first`).
    private let activeOrder: ContiguousArray<Int>
    private let backupOrder: ContiguousArray<Int>
    /// Smooth weighted round-robin accumulators (nginx's `current_weight`).
    private var smoothCurrent: ContiguousArray<Int>
    /// `leastconn` rotation start in `activeOrder` / `backupOrder`, for round-robin among equals.
    private var activeCursor = 0
    private var backupCursor = 0
    /// Server map of `static-rr`/`source` (lb_map.c), its scratch scores, position and validity.
    private var map: ContiguousArray<Int> = []
    private var mapScores: ContiguousArray<Int>
    private var mapCursor = 0
    private var mapIsStale = true
    /// First usable backup in declaration order, or -1.
    private var firstBackup = -1

    /// Active servers usable with a non-zero weight (haproxy's `srv_act`, for "N active ... servers left").
    public private(set) var usableActiveCount = 0
    /// Backup servers usable with a non-zero weight (haproxy's `srv_bck`).
    public private(set) var usableBackupCount = 0

    /// Builds the balancer; `servers[i].index` must equal `i`.
    public init(algorithm: BalanceAlgorithm, servers: [BalancerServer], allBackups: Bool = false) {
        for (position, server) in servers.enumerated() {
            precondition(server.index == position, "BalancerServer.index must equal its position")
            precondition((0...256).contains(server.weight), "weight must be within 0...256")
        }
        self.algorithm = algorithm
        self.allBackups = allBackups
        self.servers = ContiguousArray(servers)

        var divisor = 0
        for server in servers where server.weight > 0 {
            divisor = divisor == 0 ? server.weight : Self.gcd(divisor, server.weight)
        }
        staticWeights = ContiguousArray(servers.map { divisor == 0 ? 0 : $0.weight / divisor })

        let byId = algorithm == .first
        func order(backup: Bool) -> ContiguousArray<Int> {
            let members = servers.filter { $0.isBackup == backup }
            let sorted = byId ? members.sorted { ($0.id, $0.index) < ($1.id, $1.index) } : members
            return ContiguousArray(sorted.map(\.index))
        }
        activeOrder = order(backup: false)
        backupOrder = order(backup: true)
        smoothCurrent = ContiguousArray(repeating: 0, count: servers.count)
        mapScores = ContiguousArray(repeating: 0, count: servers.count)

        var activeMapSize = 0
        var backupMapSize = 0
        for server in servers {
            if server.isBackup { backupMapSize += staticWeights[server.index] } else { activeMapSize += staticWeights[server.index] }
            if lbWeight(server.index) > 0 {
                if server.isBackup { usableBackupCount += 1 } else { usableActiveCount += 1 }
            }
        }
        map.reserveCapacity(max(activeMapSize, backupMapSize))
        recomputeFirstBackup()
    }

    // MARK: - Reading state

    /// Number of servers in the backend.
    public var count: Int { servers.count }

    /// The balancer's current view of server `index`.
    public func server(_ index: Int) -> BalancerServer { servers[index] }

    /// The weight the algorithm uses for `index` now (0 = takes no new traffic). Static algorithms
    /// use the build-time weight (GCD-reduced) whenever the runtime weight is non-zero.
    public func lbWeight(_ index: Int) -> Int {
        let server = servers[index]
        guard server.isUsable, server.weight > 0 else { return 0 }
        switch algorithm {
        case .staticRR, .source: return staticWeights[index]
        case .first: return 1
        case .roundrobin, .leastconn: return server.weight
        }
    }

    /// Server `index` is in the set that takes traffic now: usable with a non-zero weight, and
    /// active, or a selected backup while no active server is usable. A slot freed on such a
    /// server may be given to a queued connection.
    public func isSelectable(_ index: Int) -> Bool {
        guard lbWeight(index) > 0 else { return false }
        switch selection {
        case .none: return false
        case .all(_, let backups): return servers[index].isBackup == backups
        case .single(let backup): return index == backup
        }
    }

    // MARK: - Runtime updates

    /// Sets the effective weight (0...256). Dynamic algorithms use it from the next pick; static
    /// ones (`static-rr`, `source`) only honour zero versus non-zero, like haproxy's "0% or 100%".
    public func setWeight(_ weight: Int, of index: Int) {
        precondition((0...256).contains(weight), "weight must be within 0...256")
        mutate(index) { $0.weight = weight }
    }

    /// Marks a server usable (UP / no check, READY) or not (DOWN, MAINT, DRAIN, NOLB).
    public func setUsable(_ usable: Bool, of index: Int) {
        mutate(index) { $0.isUsable = usable }
    }

    /// Changes the concurrent connection limit (`set maxconn server`); 0 = unlimited.
    public func setMaxconn(_ maxconn: Int, of index: Int) {
        servers[index].maxconn = maxconn
    }

    /// Reports how many connections wait in the server's own queue.
    public func setQueuedConnections(_ queued: Int, of index: Int) {
        servers[index].queuedConnections = queued
    }

    /// A connection to `index` was established or assigned (leastconn/first/maxconn bookkeeping).
    public func connectionOpened(_ index: Int) {
        servers[index].currentConnections += 1
    }

    /// A connection to `index` ended.
    public func connectionClosed(_ index: Int) {
        precondition(servers[index].currentConnections > 0, "connectionClosed without connectionOpened")
        servers[index].currentConnections -= 1
    }

    // MARK: - Picking

    /// Chooses the server for a new connection. `clientAddressHash` (see `hash(addressBytes:)`)
    /// is used by `source`; without it (e.g. a Unix-socket client) `source` falls back to
    /// round-robin over its map, like haproxy when the hash input is missing. `avoiding` is the
    /// server a redispatch leaves: passed over while another one can take the connection, as
    /// haproxy's `srvtoavoid`; a `source` hash keeps its server (it is deterministic).
    public func pick(clientAddressHash: UInt64? = nil, avoiding: Int? = nil) -> Pick {
        switch algorithm {
        case .roundrobin: return pickSmooth(avoiding: avoiding)
        case .staticRR: return pickMapRoundRobin(avoiding: avoiding)
        case .source:
            guard let hash = clientAddressHash else { return pickMapRoundRobin(avoiding: avoiding) }
            return pickMapHash(hash)
        case .leastconn: return pickLeastConnections(avoiding: avoiding)
        case .first: return pickFirst(avoiding: avoiding)
        }
    }

    /// haproxy 2.6's `balance source` input with the default `hash-type map-based`: the address's
    /// big-endian 32-bit words XORed together (backend.c `get_server_sh`), so a client lands on the
    /// same server as with haproxy given the same servers and weights. IPv4: 4 bytes, IPv6: 16.
    public static func hash<Bytes: Collection>(addressBytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash: UInt32 = 0
        var word: UInt32 = 0
        var filled = 0
        for byte in addressBytes {
            word = word << 8 | UInt32(byte)
            filled += 1
            if filled == 4 {
                hash ^= word
                word = 0
                filled = 0
            }
        }
        return UInt64(hash)
    }

    // MARK: - Private

    /// Which servers take traffic now.
    private enum Selection {
        /// No usable server.
        case none
        /// The usable active servers, or all usable backups (`option allbackups`), in the
        /// order a pick scans them.
        case all(ContiguousArray<Int>, backups: Bool)
        /// Only this backup (haproxy's first usable backup).
        case single(Int)
    }

    private var selection: Selection {
        if usableActiveCount > 0 { return .all(activeOrder, backups: false) }
        if usableBackupCount == 0 { return .none }
        return allBackups ? .all(backupOrder, backups: true) : .single(firstBackup)
    }

    /// Applies a change and keeps counts, accumulators and the map consistent with it.
    private func mutate(_ index: Int, _ change: (inout BalancerServer) -> Void) {
        let before = lbWeight(index)
        change(&servers[index])
        let after = lbWeight(index)
        guard before != after else { return }
        mapIsStale = true
        guard (before > 0) != (after > 0) else { return }
        smoothCurrent[index] = 0
        let delta = after > 0 ? 1 : -1
        if servers[index].isBackup {
            usableBackupCount += delta
            recomputeFirstBackup()
        } else {
            usableActiveCount += delta
        }
    }

    private func recomputeFirstBackup() {
        firstBackup = -1
        for index in servers.indices where servers[index].isBackup && lbWeight(index) > 0 {
            firstBackup = index
            return
        }
    }

    private func pickSingle(_ index: Int) -> Pick {
        servers[index].isFull ? .allFull : .server(index)
    }

    /// Whether `index` could take a connection now.
    private func canTake(_ index: Int) -> Bool { lbWeight(index) > 0 && !servers[index].isFull }

    /// The server to pass over: `avoiding`, unless no other server of `order` could take the
    /// connection (then it is the last resort and nothing is passed over).
    private func skipped(_ avoiding: Int?, in order: ContiguousArray<Int>) -> Int? {
        guard let avoiding, order.contains(where: { $0 != avoiding && canTake($0) }) else { return nil }
        return avoiding
    }

    /// nginx's smooth weighted round-robin: every candidate gains its weight, the largest
    /// accumulator wins and pays back the total, which interleaves servers without bursts.
    /// Full servers sit the round out so they do not bank credit while saturated.
    private func pickSmooth(avoiding: Int?) -> Pick {
        let order: ContiguousArray<Int>
        switch selection {
        case .none: return .noServer
        case .single(let index): return pickSingle(index)
        case .all(let servers, _): order = servers
        }
        // A passed-over server still takes its turn's credit, so the rotation goes on around it.
        let skip = skipped(avoiding, in: order)
        var total = 0
        var best = -1
        var bestCurrent = 0
        for index in order {
            let weight = lbWeight(index)
            guard weight > 0, !servers[index].isFull else { continue }
            smoothCurrent[index] += weight
            total += weight
            if index != skip && (best < 0 || smoothCurrent[index] > bestCurrent) {
                best = index
                bestCurrent = smoothCurrent[index]
            }
        }
        guard best >= 0 else { return .allFull }
        smoothCurrent[best] -= total
        return .server(best)
    }

    /// Fewest (served + queued) connections per unit of weight (lb_fwlc.c), compared exactly by
    /// cross-multiplication; the scan starts after the previous winner so equals take turns.
    private func pickLeastConnections(avoiding: Int?) -> Pick {
        let order: ContiguousArray<Int>
        let start: Int
        let isActive: Bool
        switch selection {
        case .none: return .noServer
        case .single(let index): return pickSingle(index)
        case .all(let servers, let backups): (order, start, isActive) = (servers, backups ? backupCursor : activeCursor, !backups)
        }
        let skip = skipped(avoiding, in: order)
        let n = order.count
        var best = -1
        var bestPosition = 0
        var bestLoad = 0
        var bestWeight = 1
        for offset in 0..<n {
            var position = start + offset
            if position >= n { position -= n }
            let index = order[position]
            let weight = lbWeight(index)
            let server = servers[index]
            guard weight > 0, !server.isFull, index != skip else { continue }
            let load = server.currentConnections + server.queuedConnections
            if best < 0 || load * bestWeight < bestLoad * weight {
                (best, bestPosition, bestLoad, bestWeight) = (index, position, load, weight)
            }
        }
        guard best >= 0 else { return .allFull }
        let next = bestPosition + 1 == n ? 0 : bestPosition + 1
        if isActive { activeCursor = next } else { backupCursor = next }
        return .server(best)
    }

    /// Lowest id with a free slot (lb_fas.c): fills one server up to maxconn before the next.
    private func pickFirst(avoiding: Int?) -> Pick {
        let order: ContiguousArray<Int>
        switch selection {
        case .none: return .noServer
        case .single(let index): return pickSingle(index)
        case .all(let servers, _): order = servers
        }
        let skip = skipped(avoiding, in: order)
        for index in order where index != skip && canTake(index) {
            return .server(index)
        }
        return .allFull
    }

    /// `static-rr` (and `source` without an address): walk the map, skipping full servers
    /// (lb_map.c `map_get_server_rr`).
    private func pickMapRoundRobin(avoiding: Int?) -> Pick {
        if mapIsStale { rebuildMap() }
        let total = map.count
        guard total > 0 else { return .noServer }
        if mapCursor >= total { mapCursor = 0 }
        let skip = avoiding.flatMap { avoided in map.contains { $0 != avoided && !servers[$0].isFull } ? avoided : nil }
        var position = mapCursor
        repeat {
            let index = map[position]
            position += 1
            if position == total { position = 0 }
            if !servers[index].isFull && index != skip {
                mapCursor = position
                return .server(index)
            }
        } while position != mapCursor
        return .allFull
    }

    /// `source`: map slot `hash % total weight` (lb_map.c `map_get_server_hash`); no fallback
    /// when that server is full, so persistence holds and the caller queues on it.
    private func pickMapHash(_ hash: UInt64) -> Pick {
        if mapIsStale { rebuildMap() }
        guard !map.isEmpty else { return .noServer }
        let index = map[Int(hash % UInt64(map.count))]
        return servers[index].isFull ? .serverFull(index) : .server(index)
    }

    /// lb_map.c `recalc_server_map`: one slot per weight unit, interleaved by a smooth score in
    /// declaration order, so the map (hence `source` placement) matches haproxy's.
    private func rebuildMap() {
        mapIsStale = false
        map.removeAll(keepingCapacity: true)
        let order: ContiguousArray<Int>
        switch selection {
        case .none: return
        case .single(let index):
            for _ in 0..<lbWeight(index) { map.append(index) }
            return
        case .all(let servers, _): order = servers
        }
        var total = 0
        for index in order {
            total += lbWeight(index)
            mapScores[index] = 0
        }
        for _ in 0..<total {
            var best = -1
            var bestScore = 0
            for index in order {
                let weight = lbWeight(index)
                guard weight > 0 else { continue }
                if total == 1 {
                    best = index
                    break
                }
                mapScores[index] += weight
                let score = (mapScores[index] + total) / total
                if best < 0 || score > bestScore {
                    best = index
                    bestScore = score
                }
            }
            map.append(best)
            mapScores[best] -= total
        }
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
