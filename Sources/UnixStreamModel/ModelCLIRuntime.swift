import OrdrelCLI

/// The fixed proxy the model's CLI sessions answer from: frontend `fe_main` (id 2) and backend
/// `be_app` (id 3) with one server `s1` (id 1), no traffic, no sessions, a frozen clock.
///
/// A fixture, not a mock: it exists so that `show stat` and `show info` in the model are the real
/// CLI renderers' output. Every instance starts from the same values, which the model's replay
/// relies on; admin commands change the instance as a runtime would, and lookups of other names
/// fail with the protocol's errors.
public final class ModelCLIRuntime: CLIRuntime {
    public let version = "ordrel-model"
    public let threadCount = 1

    /// One thread: the state is always consistent.
    public func consistently<T>(_ body: () -> T) -> T { body() }
    private var rateLimits: [String: UInt64] = [:]
    /// `maxconn` at start; `set maxconn global 0` restores it and nothing may exceed it.
    static let hardMaxconn: Int32 = 100

    private var serverWeight: UInt32 = 1
    private let serverInitialWeight: UInt32 = 1
    private var serverAdmin: ServerAdminState = .ready
    /// Forced by `set server ... health` (the fixture server has no checks).
    private var serverHealth: ServerHealthRequest = .up
    private var serverAddress = "127.0.0.1"
    private var serverPort: UInt16 = 8080
    private var serverMaxconn: UInt32 = 0
    private var frontendEnabled = true
    private var frontendMaxconn: Int32 = 100
    private var globalMaxconn: Int32 = hardMaxconn

    public init() {}

    public func info() -> InfoValues {
        var values = InfoValues()
        for (name, limit) in rateLimits { values[name] = .u(limit) }
        values[.name] = .str("ordrel")
        values[.version] = .str(version)
        values[.releaseDate] = .str("2026/11/21")
        values[.nbthread] = .u(1)
        values[.nbproc] = .u(1)
        values[.processNum] = .u(1)
        values[.pid] = .u(1)
        values[.uptime] = .str("0d 0h00m00s")
        values[.uptimeSec] = .u(0)
        values[.maxconn] = .u(UInt64(globalMaxconn))
        values[.hardMaxconn] = .u(UInt64(Self.hardMaxconn))
        values[.currConns] = .u(0)
        values[.cumConns] = .u(1)
        values[.stopping] = .u(0)
        values[.jobs] = .u(2)
        values[.listeners] = .u(2)
        return values
    }

    public func statsRows() -> any IteratorProtocol<StatsRow> {
        var frontend = StatsRow(kind: .frontend, pxname: "fe_main", svname: "FRONTEND", iid: 2, sid: 0)
        frontend.slim = UInt64(frontendMaxconn)
        frontend.status = frontendEnabled ? "OPEN" : "PAUSED"

        var server = StatsRow(kind: .server, pxname: "be_app", svname: "s1", iid: 3, sid: 1)
        server.slim = serverMaxconn == 0 ? nil : UInt64(serverMaxconn)
        server.status = switch (serverAdmin, serverHealth) {
        case (.maint, _): "MAINT"
        case (_, .down): "DOWN"
        case (_, .stopping): "NOLB"
        case (.drain, .up): "DRAIN"
        case (.ready, .up): "no check"
        }
        let usable = serverAdmin == .ready && serverHealth == .up && serverWeight > 0
        server.weight = UInt64(serverWeight)
        server.uweight = UInt64(serverWeight)
        server.act = 1
        server.addr = "\(serverAddress):\(serverPort)"

        var backend = StatsRow(kind: .backend, pxname: "be_app", svname: "BACKEND", iid: 3, sid: 0)
        backend.slim = 10
        backend.status = serverAdmin == .maint || serverHealth != .up ? "DOWN" : "UP"
        backend.weight = usable ? UInt64(serverWeight) : 0
        backend.uweight = backend.weight
        backend.act = usable ? 1 : 0
        backend.chkdown = 0
        backend.downtime = 0
        backend.algo = "roundrobin"
        return [frontend, server, backend].makeIterator()
    }

    public func proxyID(named name: String) -> UInt64? { ["fe_main": 2, "be_app": 3][name] }

    public func backendNames() -> [String] { ["be_app"] }

    /// The model has no `resolvers` sections.
    public func resolvers() -> [ResolversInfo] { [] }

    public func setServerFQDN(backend: String, server: String, fqdn: String) -> ServerResult<SetFQDNOutcome> {
        withServer(backend, server) { .noResolution }
    }

    public func serversState(backend: String?) -> (any IteratorProtocol<ServerStateRow>)? {
        if let backend, !isBackend(backend) { return nil }
        let adminBits: UInt32 = switch serverAdmin {
        case .ready: 0
        case .drain: 0x08
        case .maint: 0x01
        }
        let row = ServerStateRow(
            backendID: 3, backendName: "be_app", serverID: 1, serverName: "s1", address: serverAddress,
            opState: 2, adminState: adminBits, userWeight: serverWeight, initialWeight: serverInitialWeight,
            secondsSinceLastChange: 0, checkStatus: 0, checkResult: 0, checkHealth: 0, checkState: 0,
            port: serverPort)
        return [row].makeIterator()
    }

    public func sessions() -> any IteratorProtocol<SessionInfo> { [SessionInfo]().makeIterator() }

    public func session(id: UInt64) -> SessionInfo? { nil }

    public func environment() -> [String] { [] }

    public func currentDateString() -> String { "21/Nov/2026:00:00:00.000" }

    public func shutdownSession(id: UInt64) -> SessionShutdownResult { .noSuchSession }

    public func lookupServer(backend: String, server: String) -> ServerResult<Void> {
        withServer(backend, server) {}
    }

    public func shutdownSessions(backend: String, server: String) -> ServerResult<Void> {
        withServer(backend, server) {}
    }

    public func setServerAdminState(backend: String, server: String, state: ServerAdminState) -> ServerResult<Void> {
        withServer(backend, server) { serverAdmin = state }
    }

    public func setServerHealth(backend: String, server: String, health: ServerHealthRequest) -> ServerResult<Void> {
        withServer(backend, server) { serverHealth = health }
    }

    public func setHealthChecks(backend: String, server: String, enabled: Bool) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { .notConfigured }
    }

    public func setAgentChecks(backend: String, server: String, enabled: Bool) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { .notConfigured }
    }

    public func setAgentTarget(backend: String, server: String, address: String?, port: String?) -> ServerResult<String?> {
        withServer(backend, server) { "agent checks are not enabled on this server" }
    }

    public func setAgentSend(backend: String, server: String, text: String) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { .notConfigured }
    }

    public func setAgentHealth(backend: String, server: String, up: Bool?) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { .notConfigured }
    }

    public func serverWeight(backend: String, server: String) -> ServerResult<ServerWeight> {
        withServer(backend, server) { ServerWeight(current: serverWeight, initial: serverInitialWeight) }
    }

    public func setServerWeight(backend: String, server: String, weight: WeightRequest) -> ServerResult<SetWeightOutcome> {
        withServer(backend, server) {
            serverWeight = switch weight {
            case .absolute(let value): min(256, value)
            case .relative(let percent): min(256, (serverInitialWeight * percent + 99) / 100)
            }
            return .done
        }
    }

    public func setServerAddress(backend: String, server: String, address: String, port: PortRequest?)
        -> ServerResult<SetAddressOutcome> {
        withServer(backend, server) {
            var newPort = serverPort
            var portOutcome: PortOutcome?
            switch port {
            case nil:
                break
            case .absolute(let value):
                newPort = value
                portOutcome = value == serverPort ? .unchanged : .changed(from: serverPort, to: value)
            case .offset:
                return .updated(address: .unchanged, port: .incompatibleWithCheckPort)
            case .invalid(let text):
                portOutcome = .invalid(text)
            }
            guard Self.isIPv4(address) else { return .invalidAddress }
            let change: AddressOutcome = address == serverAddress ? .unchanged : .changed(from: serverAddress, to: address)
            serverAddress = address
            serverPort = newPort
            return .updated(address: change, port: portOutcome)
        }
    }

    public func setServerMaxconn(backend: String, server: String, maxconn: UInt32) -> ServerResult<Void> {
        withServer(backend, server) { serverMaxconn = maxconn }
    }

    public func frontendExists(_ name: String) -> Bool { isFrontend(name) }

    public func setFrontendMaxconn(frontend: String, maxconn: Int32) -> FrontendResult {
        guard isFrontend(frontend) else { return .noSuchFrontend }
        frontendMaxconn = maxconn
        return .done
    }

    public func setGlobalMaxconn(_ maxconn: Int32) -> GlobalMaxconnResult {
        guard maxconn >= 0, maxconn <= Self.hardMaxconn else { return .outOfRange }
        globalMaxconn = maxconn == 0 ? Self.hardMaxconn : maxconn
        return .done
    }

    /// One thread that has accepted nothing.
    public func activity() -> (nowMicros: UInt64, counters: [ActivityCounter]) {
        (0, [ActivityCounter(name: "accepted", perThread: [0])])
    }

    /// The model watches no fds and pools nothing; its one "thread" is the caller.
    public func fileDescriptors() -> [FDInfo] { [] }
    public func pools() -> [PoolInfo] { [] }
    public func threads() -> [ThreadInfo] {
        [ThreadInfo(pthreadID: 0, isCalling: true, hasQueuedWork: false, hasTimers: false, pendingEvents: 0,
                    isParked: false, cpuNanoseconds: nil)]
    }

    /// The model has no accepts to limit: it keeps the value for `show info`.
    public func setRateLimit(_ kind: RateLimitKind, perSecond: Int32) {
        rateLimits[kind == .connections ? "ConnRateLimit" : "SessRateLimit"] = UInt64(perSecond)
    }

    public func setFrontendEnabled(frontend: String, enabled: Bool) -> FrontendResult {
        guard isFrontend(frontend) else { return .noSuchFrontend }
        if frontendEnabled == enabled { return .alreadyInState }
        frontendEnabled = enabled
        return .done
    }

    /// Every counter of the fixture is zero and stays zero, so there is nothing to clear.
    public func clearCounters(all: Bool) {}

    /// The fixture has no stick table: `show table` lists none, and names none to act on.
    public func stickTables() -> [StickTableInfo] { [] }
    public func stickTableKeyIsValid(_ table: String, key: String) -> Bool { false }
    public func stickTableEntries(_ table: String, key: String?, filters: [StickTableFilter], remove: Bool) -> StickTableResult { .rows([]) }
    public func setStickTableEntry(_ table: String, key: String, values: [(String, Int64)]) -> StickTableResult { .invalidKey }

    private func isFrontend(_ name: String) -> Bool { name == "fe_main" || name == "#2" }

    private func isBackend(_ name: String) -> Bool { name == "be_app" || name == "#3" }

    /// Runs `action` on the fixture server when `<backend>/<server>` names it.
    private func withServer<Outcome>(_ backend: String, _ server: String,
                                     _ action: () -> Outcome) -> ServerResult<Outcome> {
        guard isBackend(backend) else { return .failure(.noSuchBackend) }
        guard server == "s1" || server == "#1" else { return .failure(.noSuchServer) }
        return .success(action())
    }

    /// Dotted-quad IPv4 with each part 0...255.
    private static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber } && UInt8(part) != nil
        }
    }
}
