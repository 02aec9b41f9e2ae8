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

    func info() -> [String: InfoValue] {
        var m: [String: InfoValue] = [:]
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

    func statsRows() -> any IteratorProtocol<StatsRow> { rows().makeIterator() }
    func proxyID(named name: String) -> UInt64? { ["fe_main": 2, "be_app": 3][name] }
    func backendNames() -> [String] { ["be_app"] }

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

    func sessions() -> any IteratorProtocol<SessionInfo> { liveSessions.makeIterator() }
    func session(id: UInt64) -> SessionInfo? { liveSessions.first { $0.id == id } }
    func environment() -> [String] { ["HOME=/root", "PATH=/usr/bin:/bin", "HOMER=x"] }
    func currentDateString() -> String { "21/Nov/2026:14:09:12.740" }

    func shutdownSession(id: UInt64) -> SessionShutdownResult {
        guard let i = liveSessions.firstIndex(where: { $0.id == id }) else { return .noSuchSession }
        liveSessions.remove(at: i)
        killed.append(id)
        return .done
    }

    private func find(_ b: String, _ s: String) -> (ServerLookup, Int?) {
        guard b == "be_app" || b == "#3" else { return (.noSuchBackend, nil) }
        guard let i = servers.firstIndex(where: { $0.name == s || "#\($0.id)" == s }) else { return (.noSuchServer, nil) }
        return (.ok, i)
    }

    func lookupServer(backend: String, server: String) -> ServerLookup { find(backend, server).0 }
    func shutdownSessions(backend: String, server: String) -> ServerLookup { find(backend, server).0 }

    func setServerAdminState(backend: String, server: String, state: ServerAdminState) -> ServerLookup {
        let (r, i) = find(backend, server)
        if let i { servers[i].admin = state }
        return r
    }

    func setServerHealth(backend: String, server: String, health: ServerHealthRequest) -> ServerLookup {
        let (r, i) = find(backend, server)
        if let i { servers[i].health = health }
        return r
    }

    func setHealthChecks(backend: String, server: String, enabled: Bool) -> HealthChecksResult {
        let (r, i) = find(backend, server)
        guard let i else { return r == .noSuchBackend ? .noSuchBackend : .noSuchServer }
        guard servers[i].checked else { return .notConfigured }
        servers[i].checksEnabled = enabled
        return .done
    }

    func serverWeight(backend: String, server: String) -> ServerWeightResult {
        let (r, i) = find(backend, server)
        guard let i else { return r == .noSuchBackend ? .noSuchBackend : .noSuchServer }
        return .weight(current: servers[i].weight, initial: servers[i].initialWeight)
    }

    func setServerWeight(backend: String, server: String, weight: WeightRequest) -> SetWeightResult {
        let (r, i) = find(backend, server)
        guard let i else { return r == .noSuchBackend ? .noSuchBackend : .noSuchServer }
        let w: UInt32
        switch weight {
        case .absolute(let v): w = v
        case .relative(let p): w = min(256, servers[i].initialWeight * p / 100)
        }
        if staticAlgo && w != 0 && w != servers[i].initialWeight { return .staticAlgorithm }
        servers[i].weight = w
        return .done
    }

    func setServerAddress(backend: String, server: String, address: String, port: PortRequest?) -> SetAddressResult {
        let (r, i) = find(backend, server)
        guard let i else { return r == .noSuchBackend ? .noSuchBackend : .noSuchServer }
        guard address.split(separator: ".").count == 4 else { return .invalidAddress }
        let old = servers[i].address
        servers[i].address = address
        var po: PortOutcome?
        switch port {
        case .none: po = nil
        case .absolute(let p)?:
            po = p == servers[i].port ? .unchanged : .changed(from: "\(servers[i].port)", to: "\(p)")
            servers[i].port = p
        case .offset?: po = .incompatibleWithCheckPort
        case .invalid(let s)?: po = .invalid(s)
        }
        return .updated(addressChange: old == address ? nil : (old, address), port: po)
    }

    func setServerMaxconn(backend: String, server: String, maxconn: UInt32) -> ServerLookup {
        let (r, i) = find(backend, server)
        if let i { servers[i].maxconn = maxconn }
        return r
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

    func setFrontendEnabled(frontend: String, enabled: Bool) -> FrontendResult {
        guard frontend == "fe_main" else { return .noSuchFrontend }
        if frontendEnabled == enabled { return .alreadyInState }
        frontendEnabled = enabled
        return .done
    }

    func clearCounters(all: Bool) { cleared.append(all) }
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
