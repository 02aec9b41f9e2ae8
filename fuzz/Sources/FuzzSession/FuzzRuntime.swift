import OrdrelCLI

/// A small deterministic proxy for the session target: frontend `fe` (id 1), backend `be` (id 2)
/// with servers `s1` (checked) and `s2`, one live session (id 7). Admin commands change it as a
/// runtime would; every instance starts from the same values so runs can be compared.
final class FuzzRuntime: CLIRuntime {
    private struct Server {
        var name: String
        var id: UInt64
        var weight: UInt32 = 1
        var admin: ServerAdminState = .ready
        var health: ServerHealthRequest = .up
        var checked: Bool
        var checksEnabled: Bool
        var address = "127.0.0.1"
        var port: UInt16
        var maxconn: UInt32 = 0
        /// The host name a `resolvers` section re-resolves, when the server has one.
        var fqdn: String?
    }

    let version = "ordrel-fuzz"
    /// `show stat` rows come one at a time from "another thread" (`FuzzDeferredRows`), as the
    /// daemon's CLI thread gets them; the driver delivers each.
    let defersRows: Bool
    /// The deferred rows of the current dump.
    private(set) var deferredRows: FuzzDeferredRows?

    init(defersRows: Bool = false) { self.defersRows = defersRows }

    /// One thread: the state is always consistent.
    func consistently<T>(_ body: () -> T) -> T { body() }
    let threadCount = 1
    private var rateLimits: [RateLimitKind: Int32] = [:]
    private static let hardMaxconn: Int32 = 1000
    private var servers = [
        Server(name: "s1", id: 1, checked: true, checksEnabled: true, port: 8001, fqdn: "s1.example"),
        Server(name: "s2", id: 2, checked: false, checksEnabled: false, port: 8002),
    ]
    private var liveSessions: Set<UInt64> = [7]
    private var frontendEnabled = true
    private var frontendMaxconn: Int32 = 100
    private var globalMaxconn: Int32 = hardMaxconn

    func info() -> InfoValues {
        var values = InfoValues()
        values[.name] = .str("ordrel")
        values[.version] = .str(version)
        values[.maxconn] = .u(UInt64(globalMaxconn))
        values[.hardMaxconn] = .u(UInt64(Self.hardMaxconn))
        values[.currConns] = .u(UInt64(liveSessions.count))
        values[.uptimeSec] = .u(0)
        return values
    }

    func statsRows() -> any IteratorProtocol<StatsRow> {
        var frontend = StatsRow(kind: .frontend, pxname: "fe", svname: "FRONTEND", iid: 1, sid: 0)
        frontend.slim = UInt64(frontendMaxconn)
        frontend.status = frontendEnabled ? "OPEN" : "PAUSED"
        var rows = [frontend]
        for server in servers {
            var row = StatsRow(kind: .server, pxname: "be", svname: server.name, iid: 2, sid: server.id)
            row.status = server.admin == .maint ? "MAINT" : server.health == .down ? "DOWN" : "UP"
            row.weight = UInt64(server.weight)
            row.addr = "\(server.address):\(server.port)"
            rows.append(row)
        }
        var backend = StatsRow(kind: .backend, pxname: "be", svname: "BACKEND", iid: 2, sid: 0)
        backend.status = "UP"
        backend.algo = "roundrobin"
        rows.append(backend)
        guard defersRows else { return rows.makeIterator() }
        let deferred = FuzzDeferredRows(rows)
        deferredRows = deferred
        return deferred
    }

    func proxyID(named name: String) -> UInt64? { ["fe": 1, "be": 2][name] }

    func backendNames() -> [String] { ["be"] }

    func serversState(backend: String?) -> (any IteratorProtocol<ServerStateRow>)? {
        if let backend, !isBackend(backend) { return nil }
        return servers.map { server in
            ServerStateRow(backendID: 2, backendName: "be", serverID: server.id, serverName: server.name,
                           address: server.address, opState: 2, adminState: server.admin == .maint ? 1 : 0,
                           userWeight: server.weight, initialWeight: 1, secondsSinceLastChange: 0, checkStatus: 6,
                           checkResult: 3, checkHealth: 2, checkState: server.checksEnabled ? 6 : 0, port: server.port)
        }.makeIterator()
    }

    func sessions() -> any IteratorProtocol<SessionInfo> { liveSessions.sorted().compactMap(session).makeIterator() }

    func session(id: UInt64) -> SessionInfo? {
        guard liveSessions.contains(id) else { return nil }
        return SessionInfo(id: id, proto: "tcpv4", source: "127.0.0.1:40000", frontend: "fe", backend: "be",
                           server: "s1", ageSeconds: 1, calls: 2, frontendFD: 10, backendFD: 11, expiresInSeconds: 30)
    }

    func environment() -> [String] { ["HOME=/", "PATH=/bin"] }

    func currentDateString() -> String { "01/Jan/2026:00:00:00.000" }

    func shutdownSession(id: UInt64) -> SessionShutdownResult {
        liveSessions.remove(id) == nil ? .noSuchSession : .done
    }

    func lookupServer(backend: String, server: String) -> ServerResult<Void> { withServer(backend, server) { _ in } }

    func shutdownSessions(backend: String, server: String) -> ServerResult<Void> { withServer(backend, server) { _ in } }

    func setServerAdminState(backend: String, server: String, state: ServerAdminState) -> ServerResult<Void> {
        withServer(backend, server) { $0.admin = state }
    }

    func setServerHealth(backend: String, server: String, health: ServerHealthRequest) -> ServerResult<Void> {
        withServer(backend, server) { $0.health = health }
    }

    func setHealthChecks(backend: String, server: String, enabled: Bool) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { server in
            guard server.checked else { return .notConfigured }
            server.checksEnabled = enabled
            return .done
        }
    }

    // The fuzzed servers have no agent: every agent command takes the "not configured" path.
    func setAgentChecks(backend: String, server: String, enabled: Bool) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { _ in .notConfigured }
    }

    func setAgentHealth(backend: String, server: String, up: Bool?) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { _ in .notConfigured }
    }

    func setAgentTarget(backend: String, server: String, address: String?, port: String?) -> ServerResult<String?> {
        withServer(backend, server) { _ in "agent checks are not enabled on this server" }
    }

    func setAgentSend(backend: String, server: String, text: String) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { _ in .notConfigured }
    }

    func serverWeight(backend: String, server: String) -> ServerResult<ServerWeight> {
        withServer(backend, server) { ServerWeight(current: $0.weight, initial: 1) }
    }

    func setServerWeight(backend: String, server: String, weight: WeightRequest) -> ServerResult<SetWeightOutcome> {
        withServer(backend, server) { server in
            switch weight {
            case .absolute(let value): server.weight = min(256, value)
            case .relative(let percent): server.weight = min(256, (percent + 99) / 100)
            }
            return .done
        }
    }

    func setServerAddress(backend: String, server: String, address: String, port: PortRequest?)
        -> ServerResult<SetAddressOutcome> {
        withServer(backend, server) { server in
            var portOutcome: PortOutcome?
            switch port {
            case nil: break
            case .absolute(let value):
                portOutcome = value == server.port ? .unchanged : .changed(from: server.port, to: value)
                server.port = value
            case .offset: portOutcome = .incompatibleWithCheckPort
            case .invalid(let text): portOutcome = .invalid(text)
            }
            guard !address.isEmpty, address.utf8.allSatisfy({ $0 == UInt8(ascii: ".") || ($0 >= 48 && $0 <= 57) }) else {
                return .invalidAddress
            }
            let change: AddressOutcome = address == server.address ? .unchanged : .changed(from: server.address, to: address)
            server.address = address
            return .updated(address: change, port: portOutcome)
        }
    }

    func setServerMaxconn(backend: String, server: String, maxconn: UInt32) -> ServerResult<Void> {
        withServer(backend, server) { $0.maxconn = maxconn }
    }

    func frontendExists(_ name: String) -> Bool { isFrontend(name) }

    func setFrontendMaxconn(frontend: String, maxconn: Int32) -> FrontendResult {
        guard isFrontend(frontend) else { return .noSuchFrontend }
        frontendMaxconn = maxconn
        return .done
    }

    func setGlobalMaxconn(_ maxconn: Int32) -> GlobalMaxconnResult {
        guard maxconn >= 0, maxconn <= Self.hardMaxconn else { return .outOfRange }
        globalMaxconn = maxconn == 0 ? Self.hardMaxconn : maxconn
        return .done
    }

    func setFrontendEnabled(frontend: String, enabled: Bool) -> FrontendResult {
        guard isFrontend(frontend) else { return .noSuchFrontend }
        if frontendEnabled == enabled { return .alreadyInState }
        frontendEnabled = enabled
        return .done
    }

    /// The fixture has no counters.
    func clearCounters(all: Bool) {}

    /// No `resolvers` section: `show resolvers` lists nothing; `set server fqdn` works on s1 only.
    func resolvers() -> [ResolversInfo] { [] }

    func setServerFQDN(backend: String, server: String, fqdn: String) -> ServerResult<SetFQDNOutcome> {
        withServer(backend, server) { found in
            guard let old = found.fqdn else { return .noResolution }
            guard fqdn.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else { return .invalid }
            found.fqdn = fqdn
            return .changed(server: "be/\(found.name)", from: old, to: fqdn)
        }
    }

    /// One `ip` table, `st`, storing gpc0; entries keyed by the text of their key, at most 16.
    private var tableEntries: [String: Int64] = [:]

    func stickTables() -> [StickTableInfo] {
        [StickTableInfo(name: "st", type: "ip", size: 16, used: tableEntries.count, stored: ["gpc0"])]
    }

    func stickTableKeyIsValid(_ table: String, key: String) -> Bool {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    func stickTableEntries(_ table: String, key: String?, filters: [StickTableFilter], remove: Bool) -> StickTableResult {
        let keys = tableEntries.keys.sorted().filter { k in
            (key == nil || k == key) && filters.allSatisfy { $0.keeps(tableEntries[k]!) }
        }
        if remove {
            for k in keys { tableEntries[k] = nil }
            return .rows([])
        }
        return .rows(keys.enumerated().map { index, k in
            StickTableRow(id: UInt64(index + 1), key: k, use: 0, expiresInMs: 0,
                          values: [StickTableValue(name: "gpc0", period: nil, text: String(tableEntries[k]!))])
        })
    }

    func setStickTableEntry(_ table: String, key: String, values: [(String, Int64)]) -> StickTableResult {
        guard tableEntries[key] != nil || tableEntries.count < 16 else { return .rows([]) }
        tableEntries[key] = values.last?.1 ?? tableEntries[key] ?? 0
        return .rows([])
    }

    private func isFrontend(_ name: String) -> Bool { name == "fe" || name == "#1" }

    private func isBackend(_ name: String) -> Bool { name == "be" || name == "#2" }

    private func withServer<Outcome>(_ backend: String, _ server: String,
                                     _ action: (inout Server) -> Outcome) -> ServerResult<Outcome> {
        guard isBackend(backend) else { return .failure(.noSuchBackend) }
        guard let index = servers.firstIndex(where: { $0.name == server || "#\($0.id)" == server }) else {
            return .failure(.noSuchServer)
        }
        return .success(action(&servers[index]))
    }

    // The internals commands: one of each kind of row, so their renderers are reached.

    func activity() -> (nowMicros: UInt64, counters: [ActivityCounter]) {
        (1_000_000, [ActivityCounter(name: "loops", perThread: [10]), ActivityCounter(name: "accepted", perThread: [1])])
    }

    func fileDescriptors() -> [FDInfo] {
        var client = FDInfo(fd: 9, kind: .serverConnection(backend: "be", server: "s1"), owner: 0x1000, handler: 0x2000,
                            threadMask: 1)
        client.family = "ipv4"
        client.localPort = 40000
        client.remotePort = 8001
        let listener = FDInfo(fd: 4, kind: .listener(frontend: "fe", state: "RDY"), owner: 0x3000, handler: 0x4000,
                              threadMask: 1)
        return [listener, client]
    }

    func pools() -> [PoolInfo] {
        [PoolInfo(name: "buffer", size: 16384, allocated: 2, used: 1, cached: 1, neededAverage: 1, failures: 0, address: 0x5000)]
    }

    func threads() -> [ThreadInfo] {
        [ThreadInfo(pthreadID: 0x6000, isCalling: true, hasQueuedWork: false, hasTimers: true, pendingEvents: 0,
                    isParked: false, cpuNanoseconds: 1_000)]
    }

    func setRateLimit(_ kind: RateLimitKind, perSecond: Int32) { rateLimits[kind] = perSecond }
}

/// `show stat` rows made elsewhere: `prepare()` asks for the next one, which arrives when the
/// driver calls `deliver()`.
final class FuzzDeferredRows: IteratorProtocol, DeferredRows {
    private var remaining: [StatsRow]
    private var ready: StatsRow?
    private var requested = false
    private var resume: (() -> Void)?

    init(_ rows: [StatsRow]) { remaining = rows.reversed() }

    func next() -> StatsRow? {
        defer { ready = nil }
        return ready
    }

    func prepare() -> Bool {
        if ready != nil || remaining.isEmpty && !requested { return true }
        requested = true
        return false
    }

    func whenReady(_ resume: @escaping () -> Void) { self.resume = resume }

    /// The requested row arrives; false when none was asked for or nobody waited.
    func deliver() -> Bool {
        guard requested else { return false }
        requested = false
        ready = remaining.popLast()
        let waiting = resume
        resume = nil
        waiting?()
        return waiting != nil
    }
}
