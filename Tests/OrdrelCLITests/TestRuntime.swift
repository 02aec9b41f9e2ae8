import OrdrelCLI

/// In-memory runtime mirroring the captured haproxy configuration (see `Captured`).
final class TestRuntime: CLIRuntime {
    struct Server {
        var name: String
        var id: UInt64
        var weight: UInt32
        var initialWeight: UInt32
        var maxconn: UInt32
        var admin: ServerAdminState = .ready
        var health: ServerHealthRequest = .up
        var checked = false
        var checksEnabled = false
        var address = "127.0.0.1"
        var port: UInt16
    }

    var version = "2.6.12-1+deb12u4"
    let threadCount = 2
    var servers: [Server] = [
        Server(name: "s1", id: 1, weight: 1, initialWeight: 1, maxconn: 0, checked: true, checksEnabled: true, port: 25101),
        Server(name: "s2", id: 2, weight: 50, initialWeight: 50, maxconn: 100, checked: true, checksEnabled: true, port: 25102),
        Server(name: "s4", id: 3, weight: 1, initialWeight: 1, maxconn: 0, port: 25104),
    ]
    var liveSessions: [SessionInfo] = []
    var killed: [UInt64] = []
    var cleared: [Bool] = []
    var frontendEnabled = true
    var frontendMaxconn: Int32 = 500
    var globalMaxconn: Int32 = 1000
    var extraServers = 0
    var staticAlgo = false
    /// `consistently` stretches run so far, and runtime reads or changes made outside one.
    private(set) var consistentStretches = 0
    private(set) var accessesOutsideConsistency = 0
    private var consistentDepth = 0

    func consistently<T>(_ body: () -> T) -> T {
        if consistentDepth == 0 { consistentStretches += 1 }
        consistentDepth += 1
        defer { consistentDepth -= 1 }
        return body()
    }

    /// Counts an access made outside `consistently` (the session must never make one).
    private func noteAccess() {
        if consistentDepth == 0 { accessesOutsideConsistency += 1 }
    }

    func info() -> InfoValues {
        noteAccess()
        var m = InfoValues()
        for line in Captured.info.split(separator: "\n") {
            guard let c = line.firstIndex(of: ":") else { continue }
            let k = String(line[..<c])
            let v = String(line[line.index(c, offsetBy: 2)...])
            m[k] = UInt64(v).map { .u($0) } ?? .str(v)
        }
        m["Tainted"] = .str("0")
        return m
    }

    func rows() -> [StatsRow] {
        var fe = StatsRow(kind: .frontend, pxname: "fe_main", svname: "FRONTEND", iid: 2, sid: 0)
        fe.slim = 500
        fe.status = frontendEnabled ? "OPEN" : "PAUSED"
        var out = [fe]
        for s in servers {
            var r = StatsRow(kind: .server, pxname: "be_app", svname: s.name, iid: 3, sid: s.id)
            r.slim = s.maxconn == 0 ? nil : UInt64(s.maxconn)
            r.weight = UInt64(s.weight)
            r.uweight = UInt64(s.weight)
            r.act = 1
            r.lastchg = 3
            r.addr = "\(s.address):\(s.port)"
            if s.name == "s1" {
                r.status = "DOWN"
                r.chkfail = 1
                r.chkdown = 1
                r.downtime = 3
                r.checkStatus = "L4CON"
                r.checkDuration = 0
                r.lastChk = "Connection refused"
                r.checkDesc = "Layer4 connection problem"
                r.checkRise = 2
                r.checkFall = 2
                r.checkHealth = 0
                r.needConnEst = 1
            } else {
                r.status = s.admin == .maint ? "MAINT" : "no check"
            }
            if s.name == "s2" { r.qlimit = 7 }
            out.append(r)
        }
        for i in 0..<extraServers {
            var r = StatsRow(kind: .server, pxname: "be_big", svname: "srv\(i)", iid: 9, sid: UInt64(i + 1))
            r.status = "no check"
            r.addr = "10.0.\(i / 256 % 256).\(i % 256):80"
            r.stot = UInt64(i) * 1000
            out.append(r)
        }
        var be = StatsRow(kind: .backend, pxname: "be_app", svname: "BACKEND", iid: 3, sid: 0)
        be.slim = 50
        be.status = "UP"
        be.weight = 51
        be.uweight = 51
        be.act = 2
        be.chkdown = 0
        be.lastchg = 3
        be.downtime = 0
        be.algo = "roundrobin"
        out.append(be)
        return out
    }

    /// When set, `show stat` rows come `deferredBatch` at a time from another "thread"
    /// (`TestDeferredRows`, delivered by the test), as the daemon's CLI thread gets them.
    var deferredBatch: Int?
    /// The last deferred rows handed out.
    private(set) var deferredRows: TestDeferredRows?

    /// Needs no `consistently` (the protocol's contract): not counted as an access.
    func statsRows() -> any IteratorProtocol<StatsRow> {
        guard let deferredBatch else { return rows().makeIterator() }
        let deferred = TestDeferredRows(rows(), batch: deferredBatch)
        deferredRows = deferred
        return deferred
    }
    func proxyID(named name: String) -> UInt64? { ["fe_main": 2, "be_app": 3][name] }
    func backendNames() -> [String] { ["be_app"] }

    /// `show resolvers` sections.
    var resolverSections: [ResolversInfo] = []
    func resolvers() -> [ResolversInfo] { resolverSections }
    /// The server with `resolvers` (s4 here) and the name it resolves.
    var fqdns: [String: String] = ["s4": "old.example"]
    func setServerFQDN(backend: String, server: String, fqdn: String) -> ServerResult<SetFQDNOutcome> {
        withServer(backend, server) { found in
            guard let old = fqdns[found.name] else { return .noResolution }
            guard !fqdn.contains("!") else { return .invalid }
            fqdns[found.name] = fqdn
            return .changed(server: "be_app/\(found.name)", from: old, to: fqdn)
        }
    }

    func serversState(backend: String?) -> (any IteratorProtocol<ServerStateRow>)? {
        if let backend, backend != "be_app" { return nil }
        let st: [(UInt32, UInt32, UInt32, UInt32, UInt32)] = [(0, 8, 2, 0, 6), (2, 1, 0, 2, 0), (2, 1, 0, 2, 0)]
        return servers.enumerated().map { i, s in
            ServerStateRow(backendID: 3, backendName: "be_app", serverID: s.id, serverName: s.name, address: s.address,
                           opState: st[i].0, adminState: 0, userWeight: s.weight, initialWeight: s.initialWeight,
                           secondsSinceLastChange: 3, checkStatus: st[i].1, checkResult: st[i].2,
                           checkHealth: st[i].3, checkState: st[i].4, port: s.port)
        }.makeIterator()
    }

    func sessions() -> any IteratorProtocol<SessionInfo> {
        noteAccess()
        return liveSessions.makeIterator()
    }
    func session(id: UInt64) -> SessionInfo? { liveSessions.first { $0.id == id } }
    func environment() -> [String] { ["HOME=/root", "PATH=/usr/bin:/bin", "HOMER=x"] }
    func currentDateString() -> String { "21/Nov/2026:14:09:12.740" }

    func shutdownSession(id: UInt64) -> SessionShutdownResult {
        guard let i = liveSessions.firstIndex(where: { $0.id == id }) else { return .noSuchSession }
        liveSessions.remove(at: i)
        killed.append(id)
        return .done
    }

    /// Runs `action` on the server `<b>/<s>` names.
    private func withServer<T>(_ b: String, _ s: String, _ action: (inout Server) -> T) -> ServerResult<T> {
        guard b == "be_app" || b == "#3" else { return .failure(.noSuchBackend) }
        guard let i = servers.firstIndex(where: { $0.name == s || "#\($0.id)" == s }) else { return .failure(.noSuchServer) }
        return .success(action(&servers[i]))
    }

    func lookupServer(backend: String, server: String) -> ServerResult<Void> { withServer(backend, server) { _ in } }
    func shutdownSessions(backend: String, server: String) -> ServerResult<Void> { withServer(backend, server) { _ in } }

    func setServerAdminState(backend: String, server: String, state: ServerAdminState) -> ServerResult<Void> {
        noteAccess()
        return withServer(backend, server) { $0.admin = state }
    }

    func setServerHealth(backend: String, server: String, health: ServerHealthRequest) -> ServerResult<Void> {
        withServer(backend, server) { $0.health = health }
    }

    func setAgentChecks(backend: String, server: String, enabled: Bool) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { _ in .notConfigured }
    }

    func setAgentTarget(backend: String, server: String, address: String?, port: String?) -> ServerResult<String?> {
        withServer(backend, server) { _ in "agent checks are not enabled on this server" }
    }

    func setAgentSend(backend: String, server: String, text: String) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { _ in .notConfigured }
    }

    func setAgentHealth(backend: String, server: String, up: Bool?) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { _ in .notConfigured }
    }

    func setHealthChecks(backend: String, server: String, enabled: Bool) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) {
            guard $0.checked else { return .notConfigured }
            $0.checksEnabled = enabled
            return .done
        }
    }

    func serverWeight(backend: String, server: String) -> ServerResult<ServerWeight> {
        withServer(backend, server) { ServerWeight(current: $0.weight, initial: $0.initialWeight) }
    }

    func setServerWeight(backend: String, server: String, weight: WeightRequest) -> ServerResult<SetWeightOutcome> {
        let staticAlgo = staticAlgo
        return withServer(backend, server) {
            let w: UInt32
            switch weight {
            case .absolute(let v): w = v
            case .relative(let p): w = min(256, $0.initialWeight * p / 100)
            }
            if staticAlgo && w != 0 && w != $0.initialWeight { return .staticAlgorithm }
            $0.weight = w
            return .done
        }
    }

    func setServerAddress(backend: String, server: String, address: String, port: PortRequest?)
        -> ServerResult<SetAddressOutcome> {
        withServer(backend, server) {
            guard address.split(separator: ".").count == 4 else { return .invalidAddress }
            let old = $0.address
            $0.address = address
            var po: PortOutcome?
            switch port {
            case .none: po = nil
            case .absolute(let p)?:
                po = p == $0.port ? .unchanged : .changed(from: $0.port, to: p)
                $0.port = p
            case .offset?: po = .incompatibleWithCheckPort
            case .invalid(let s)?: po = .invalid(s)
            }
            return .updated(address: old == address ? .unchanged : .changed(from: old, to: address), port: po)
        }
    }

    func setServerMaxconn(backend: String, server: String, maxconn: UInt32) -> ServerResult<Void> {
        withServer(backend, server) { $0.maxconn = maxconn }
    }

    func frontendExists(_ name: String) -> Bool { name == "fe_main" }

    func setFrontendMaxconn(frontend: String, maxconn: Int32) -> FrontendResult {
        guard frontend == "fe_main" else { return .noSuchFrontend }
        frontendMaxconn = maxconn
        return .done
    }

    func setGlobalMaxconn(_ maxconn: Int32) -> GlobalMaxconnResult {
        if maxconn > 1000 { return .outOfRange }
        globalMaxconn = maxconn == 0 ? 1000 : maxconn
        return .done
    }

    func activity() -> (nowMicros: UInt64, counters: [ActivityCounter]) {
        (1_796_152_514_062_316, [ActivityCounter(name: "loops", perThread: [2950, 3168]),
                                 ActivityCounter(name: "accepted", perThread: [12, 15])])
    }

    /// haproxy 2.6.12's fds 4 and 13 of a capture, as ordrel describes them.
    func fileDescriptors() -> [FDInfo] {
        var server = FDInfo(fd: 13, kind: .serverConnection(backend: "be_app", server: "s1"), owner: 0x557b_e13c_35f0,
                            handler: 0x557b_a3d1_6820, threadMask: 1)
        server.readPolledMask = 1
        server.writeReady = true
        server.family = "ipv4"
        server.localPort = 47468
        server.remotePort = 18302
        server.context = 0x557b_e13c_3810
        var listener = FDInfo(fd: 4, kind: .listener(frontend: "fe_main", state: "RDY"), owner: 0x557b_e11e_e950,
                              handler: 0x557b_a3d1_6470, threadMask: 3)
        listener.readPolledMask = 3
        listener.family = "ipv4"
        listener.localPort = 18301
        return [server, listener]
    }

    func pools() -> [PoolInfo] {
        [PoolInfo(name: "pipe", size: 8, allocated: 3, used: 3, cached: 1, neededAverage: 2, failures: 1, address: 0x7f00_0000_1000),
         PoolInfo(name: "buffer", size: 16384, allocated: 4, used: 4, cached: 2, neededAverage: 1, failures: 0, address: 0x7f00_0000_2000)]
    }

    func threads() -> [ThreadInfo] {
        [ThreadInfo(pthreadID: 0x7ff3_287a_7440, isCalling: true, hasQueuedWork: false, hasTimers: true, pendingEvents: 0,
                    isParked: false, cpuNanoseconds: 28_151_862),
         ThreadInfo(pthreadID: 0x7ff3_283f_f6c0, isCalling: false, hasQueuedWork: true, hasTimers: false, pendingEvents: 2,
                    isParked: true, cpuNanoseconds: 1_046_932)]
    }

    var rateLimits: [RateLimitKind: Int32] = [:]
    func setRateLimit(_ kind: RateLimitKind, perSecond: Int32) { rateLimits[kind] = perSecond }

    func setFrontendEnabled(frontend: String, enabled: Bool) -> FrontendResult {
        guard frontend == "fe_main" else { return .noSuchFrontend }
        if frontendEnabled == enabled { return .alreadyInState }
        frontendEnabled = enabled
        return .done
    }

    func clearCounters(all: Bool) { cleared.append(all) }

    /// One `ip` table, `st`, storing gpc0: entries by key, the tracked ones marked.
    var tableEntries: [String: Int64] = [:]
    var trackedKeys: Set<String> = []

    func stickTables() -> [StickTableInfo] {
        [StickTableInfo(name: "st", type: "ip", size: 100, used: tableEntries.count, stored: ["gpc0"])]
    }

    func stickTableKeyIsValid(_ table: String, key: String) -> Bool { true }

    func stickTableEntries(_ table: String, key: String?, filters: [StickTableFilter], remove: Bool) -> StickTableResult {
        let keys = tableEntries.keys.sorted().filter { k in
            (key == nil || k == key) && filters.allSatisfy { $0.keeps(tableEntries[k]!) }
        }
        if remove {
            if key != nil, let k = keys.first, trackedKeys.contains(k) { return .inUse }
            for k in keys where !trackedKeys.contains(k) { tableEntries[k] = nil }
            return .rows([])
        }
        return .rows(keys.enumerated().map { index, k in
            StickTableRow(id: UInt64(index + 1), key: k, use: trackedKeys.contains(k) ? 1 : 0, expiresInMs: 0,
                          values: [StickTableValue(name: "gpc0", period: nil, text: String(tableEntries[k]!))])
        })
    }

    func setStickTableEntry(_ table: String, key: String, values: [(String, Int64)]) -> StickTableResult {
        tableEntries[key] = values.last?.1 ?? tableEntries[key] ?? 0
        return .rows([])
    }
}

/// Drives a session like a non-blocking socket that accepts at most `slice` bytes per write,
/// recording every driver-visible step.
struct Transcript {
    var bytes: [UInt8] = []
    var events: [String] = []

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

func drive(_ s: CLISession, slice: Int = Int.max, into t: inout Transcript) {
    while true {
        switch s.nextAction() {
        case .write(let b):
            let n = min(slice, b.count)
            t.bytes.append(contentsOf: b.prefix(n))
            s.didWrite(n)
        case .read:
            return
        case .awaitRows:
            // As the daemon's driver: off the socket until the rows come (`TestDeferredRows`).
            t.events.append("awaitRows")
            return
        case .transferListeners:
            t.events.append("transferListeners")
            s.didTransferListeners()
        case .shutdownWrite:
            t.events.append("shutdownWrite")
            s.didShutdownWrite()
        case .close:
            t.events.append("close")
            s.didClose()
        case .done:
            return
        }
    }
}

/// One-shot exchange: send `input` (optionally followed by EOF), drain everything.
func exchange(_ input: String, level: CLILevel = .admin, runtime: TestRuntime = TestRuntime(),
              eof: Bool = false, slice: Int = Int.max) -> Transcript {
    let s = CLISession(runtime: runtime, level: level)
    s.receive(Array(input.utf8))
    if eof { s.receiveEOF() }
    var t = Transcript()
    drive(s, slice: slice, into: &t)
    return t
}

/// The commands ordrel implements, by the lowest level that lists them in `help`.
let implementedCommands: [CLILevel: [String]] = [
    .user: ["get weight", "set timeout", "show acl", "show activity", "show backend", "show cli level", "show info", "show map", "show pools", "show resolvers",
            "show schema json", "show servers conn", "show servers state", "show stat", "show table", "show threads", "show version", "user"],
    .operator: ["clear counters", "clear table", "operator", "set table", "show env", "show errors", "show fd", "show sess"],
    .admin: ["disable agent", "disable frontend", "disable health", "disable server", "enable agent", "enable frontend", "enable health",
             "enable server", "set maxconn frontend", "set maxconn global", "set maxconn server", "set rate-limit", "set server",
             "set weight", "shutdown session", "shutdown sessions server"],
]

/// A captured haproxy help reply reduced to the lines of the commands a session of `level` may
/// use: haproxy's header, its lines byte for byte and in its order, then its help/prompt/quit tail.
func implementedSubset(of captured: String, level: CLILevel) -> String {
    let visible = implementedCommands.filter { $0.key <= level }.flatMap(\.value)
    let lines = captured.split(separator: "\n", omittingEmptySubsequences: false)
    let tail = lines.suffix(5)
    let listed = lines.dropFirst().dropLast(5).filter { line in visible.contains { line.hasPrefix("  " + $0 + " ") } }
    return ([lines[0]] + listed + tail).joined(separator: "\n")
}

/// `show stat` rows made elsewhere: `prepare()` asks for the next batch, which arrives when the
/// test calls `deliver()`.
final class TestDeferredRows: IteratorProtocol, DeferredRows {
    private var remaining: [StatsRow]
    private let batch: Int
    private var ready: [StatsRow] = []
    private var resume: (() -> Void)?
    /// Requests made and not yet delivered (0 or 1).
    private(set) var requested = 0
    /// Requests made in all.
    private(set) var requests = 0

    init(_ rows: [StatsRow], batch: Int) {
        remaining = rows
        self.batch = batch
    }

    func next() -> StatsRow? {
        ready.isEmpty ? nil : ready.removeFirst()
    }

    func prepare() -> Bool {
        if !ready.isEmpty || remaining.isEmpty && requested == 0 { return true }
        if requested == 0 {
            requested = 1
            requests += 1
        }
        return false
    }

    func whenReady(_ resume: @escaping () -> Void) {
        self.resume = resume
    }

    /// The requested batch arrives; returns whether a session was waiting for it.
    func deliver() -> Bool {
        precondition(requested == 1, "nothing was asked for")
        requested = 0
        let count = min(batch, remaining.count)
        ready = Array(remaining.prefix(count))
        remaining.removeFirst(count)
        let waiting = resume
        resume = nil
        waiting?()
        return waiting != nil
    }
}
