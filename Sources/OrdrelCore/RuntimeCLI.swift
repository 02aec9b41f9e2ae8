#if canImport(Glibc)
import Glibc
#endif
import OrdrelCLI
import OrdrelConfig
import OrdrelSystem

/// The runtime as the stats socket sees it: live values for `show ...` and the actions of the
/// admin commands. Everything runs on thread 0 while isolated (`StatsSocket` drives sessions
/// that way), so no value is torn and every thread's streams can be read and killed.
extension Runtime: CLIRuntime {
    public var version: String { versionString }

    // MARK: lookups shared by the commands

    /// A proxy by name or `#<id>`, as haproxy's CLI accepts them.
    func findProxy(_ name: String, where predicate: (Proxy) -> Bool = { _ in true }) -> Proxy? {
        if name.hasPrefix("#"), let id = Int(name.dropFirst()) {
            return proxies.first { $0.id == id && predicate($0) }
        }
        return proxies.first { $0.name == name && predicate($0) }
    }

    func findServer(backend: String, server: String) -> Result<Server, ServerLookupFailure> {
        guard let proxy = findProxy(backend, where: { $0.isBackend }) else { return .failure(.noSuchBackend) }
        let found: Server?
        if server.hasPrefix("#"), let id = Int(server.dropFirst()) {
            found = proxy.servers.first { $0.id == id }
        } else {
            found = proxy.server(named: server)
        }
        guard let found else { return .failure(.noSuchServer) }
        return .success(found)
    }

    /// Why a `<backend>/<server>` did not resolve.
    enum ServerLookupFailure: Error {
        case noSuchBackend
        case noSuchServer

        var lookup: ServerLookup { self == .noSuchBackend ? .noSuchBackend : .noSuchServer }
    }

    // MARK: show info

    public func info() -> [String: InfoValue] {
        let now = wallSeconds
        let uptime = now - startWallSeconds
        let days = uptime / 86400
        let hours = uptime / 3600 % 24
        let minutes = uptime / 60 % 60
        let seconds = uptime % 60
        func two(_ value: UInt64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var bytesOut: UInt64 = 0
        var sessionRate: UInt32 = 0
        var maxSessionRate: UInt32 = 0
        var connectionRate: UInt32 = 0
        var maxConnectionRate: UInt32 = 0
        for proxy in proxies where proxy.isFrontend {
            bytesOut += proxy.frontendBytes.totalOut
            sessionRate += proxy.frontendCounters.sessionRate.rate(nowMs: nowMs)
            maxSessionRate += proxy.frontendCounters.sessionRate.max
            connectionRate += proxy.frontendCounters.connectionRate.rate(nowMs: nowMs)
            maxConnectionRate += proxy.frontendCounters.connectionRate.max
        }
        let ulimit = Files.raiseOpenFileLimit(to: 0)
        let poolBytes = UInt64(workers.reduce(0) { $0 + $1.pool.inUse * $1.pool.bufferSize })
        let streamCount = workers.reduce(0) { $0 + $1.streams.count }
        // One per bind, as haproxy counts them (worker 0 holds every bind; the others repeat
        // the TCP ones).
        let listenerCount = workers[0].listeners.count
        var values: [String: InfoValue] = [
            "Name": .str("ordrel"),
            "Version": .str(versionString),
            "Release_date": .str("2026/11/21"),
            "Nbthread": .u(UInt64(workers.count)),
            "Nbproc": .u(1),
            "Process_num": .u(1),
            "Pid": .u(UInt64(getpid())),
            "Uptime": .str("\(days)d \(hours)h\(two(minutes))m\(two(seconds))s"),
            "Uptime_sec": .u(uptime),
            "Memmax_MB": .u(0),
            "PoolAlloc_MB": .u(poolBytes >> 20),
            "PoolUsed_MB": .u(poolBytes >> 20),
            "PoolFailed": .u(0),
            "Ulimit-n": .u(UInt64(ulimit)),
            "Maxsock": .u(UInt64(ulimit)),
            "Maxconn": .u(UInt64(maxconn)),
            "Hard_maxconn": .u(UInt64(maxconn)),
            "CurrConns": .u(UInt64(currentConnections)),
            "CumConns": .u(cumulativeConnections),
            "CumReq": .u(cumulativeConnections),
            "MaxSslConns": .u(0),
            "CurrSslConns": .u(0),
            "CumSslConns": .u(0),
            "Maxpipes": .u(UInt64(workers.reduce(0) { $0 + $1.pipes.limit })),
            "PipesUsed": .u(UInt64(workers.reduce(0) { $0 + $1.pipes.inUse })),
            "PipesFree": .u(UInt64(workers.reduce(0) { $0 + $1.pipes.idleCount })),
            "ConnRate": .u(UInt64(connectionRate)),
            "ConnRateLimit": .u(0),
            "MaxConnRate": .u(UInt64(maxConnectionRate)),
            "SessRate": .u(UInt64(sessionRate)),
            "SessRateLimit": .u(0),
            "MaxSessRate": .u(UInt64(maxSessionRate)),
            "SslRate": .u(0),
            "SslRateLimit": .u(0),
            "MaxSslRate": .u(0),
            "SslFrontendKeyRate": .u(0),
            "SslFrontendMaxKeyRate": .u(0),
            "SslFrontendSessionReuse_pct": .u(0),
            "SslBackendKeyRate": .u(0),
            "SslBackendMaxKeyRate": .u(0),
            "SslCacheLookups": .u(0),
            "SslCacheMisses": .u(0),
            "CompressBpsIn": .u(0),
            "CompressBpsOut": .u(0),
            "CompressBpsRateLim": .u(0),
            "Tasks": .u(UInt64(streamCount + cliConnections.count)),
            "Run_queue": .u(0),
            "Idle_pct": .u(100),
            "node": .str(hostName()),
            "Stopping": .u(stopMode == .running ? 0 : 1),
            "Jobs": .u(UInt64(streamCount + cliConnections.count + listenerCount + statsSockets.count)),
            "Unstoppable Jobs": .u(UInt64(cliConnections.count)),
            "Listeners": .u(UInt64(listenerCount + statsSockets.count)),
            "ActivePeers": .u(0),
            "ConnectedPeers": .u(0),
            "DroppedLogs": .u(0),
            "BusyPolling": .u(0),
            "FailedResolutions": .u(0),
            "TotalBytesOut": .u(bytesOut),
            "TotalSplicdedBytesOut": .u(0),
            "BytesOutRate": .u(0),
            "DebugCommandsIssued": .u(0),
            "CumRecvLogs": .u(0),
            "Build info": .str("ordrel \(versionString), libev"),
            "Memmax_bytes": .u(0),
            "PoolAlloc_bytes": .u(poolBytes),
            "PoolUsed_bytes": .u(poolBytes),
            "Start_time_sec": .u(startWallSeconds),
            "Tainted": .str("0x0"),
        ]
        // Keep exactly haproxy's key set: a renamed or missing key would break existing parsers.
        for key in values.keys where !InfoField.names.contains(key) { values[key] = nil }
        return values
    }

    private func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: show stat

    public func statsRows() -> any IteratorProtocol<StatsRow> {
        StatsRowIterator(runtime: self)
    }

    public func proxyID(named name: String) -> UInt64? {
        findProxy(name).map { UInt64($0.id) }
    }

    public func backendNames() -> [String] {
        proxies.filter(\.isBackend).map(\.name)
    }

    func frontendRow(_ proxy: Proxy) -> StatsRow {
        let counters = proxy.frontendCounters
        var row = StatsRow(kind: .frontend, pxname: proxy.name, svname: "FRONTEND", iid: UInt64(proxy.id), sid: 0)
        fillTraffic(&row, from: counters, bytes: proxy.frontendBytes)
        row.slim = UInt64(proxy.maxconn)
        row.ereq = counters.requestErrors
        row.status = proxy.frontendEnabled && stopMode == .running ? "OPEN" : "STOP"
        row.connRate = UInt64(counters.connectionRate.rate(nowMs: nowMs))
        row.connRateMax = UInt64(counters.connectionRate.max)
        row.connTot = counters.connectionsTotal
        row.dcon = counters.deniedConnections
        row.dses = counters.deniedSessions
        return row
    }

    /// The columns every row kind fills the same way from its counters.
    private func fillTraffic(_ row: inout StatsRow, from counters: TrafficCounters, bytes: PerThreadBytes) {
        row.scur = UInt64(counters.current)
        row.smax = UInt64(counters.maxCurrent)
        row.stot = counters.total
        row.bytesIn = bytes.totalIn
        row.bytesOut = bytes.totalOut
        row.rate = UInt64(counters.sessionRate.rate(nowMs: nowMs))
        row.rateMax = UInt64(counters.sessionRate.max)
        row.cliAbrt = counters.clientAborts
        row.srvAbrt = counters.serverAborts
    }

    /// The columns servers and backends fill the same way: queue, errors, balancing and times.
    private func fillForwarding(_ row: inout StatsRow, from counters: TrafficCounters, bytes: PerThreadBytes) {
        fillTraffic(&row, from: counters, bytes: bytes)
        row.qmax = UInt64(counters.maxQueue)
        row.econ = counters.connectionErrors
        row.eresp = counters.responseErrors
        row.wretr = counters.retries
        row.wredis = counters.redispatches
        row.lbtot = counters.loadBalanced
        row.lastsess = counters.lastSessionWallSeconds.map { Int64(wallSeconds - $0) } ?? -1
        row.qtime = counters.queueTime.average
        row.ctime = counters.connectTime.average
        row.ttime = counters.totalTime.average
        row.qtimeMax = counters.queueTime.max
        row.ctimeMax = counters.connectTime.max
        row.ttimeMax = counters.totalTime.max
        row.connect = counters.total
    }

    func serverRow(_ server: Server) -> StatsRow {
        let counters = server.counters
        let proxy = server.backend
        var row = StatsRow(kind: .server, pxname: proxy.name, svname: server.name, iid: UInt64(proxy.id), sid: UInt64(server.id))
        fillForwarding(&row, from: counters, bytes: server.bytes)
        row.slim = server.maxconn > 0 ? UInt64(server.maxconn) : nil
        row.qlimit = server.config.maxqueue > 0 ? UInt64(server.config.maxqueue) : nil
        row.qcur = UInt64(server.queueLength)
        row.status = server.statusText
        row.weight = UInt64(server.weight)
        row.uweight = UInt64(server.weight)
        row.act = server.isBackup ? 0 : 1
        row.bck = server.isBackup ? 1 : 0
        row.lastchg = server.secondsSinceLastChange(wallSeconds: wallSeconds)
        if let health = server.health, server.checksEnabled {
            row.chkfail = UInt64(health.failedChecks)
            row.chkdown = UInt64(health.downTransitions)
            row.downtime = server.downtime(wallSeconds: wallSeconds)
            row.checkStatus = server.checkStatusText
            row.checkDuration = server.lastCheckDurationMs.map { UInt64($0) } ?? 0
            row.checkDesc = server.checkResult?.description
            row.lastChk = server.lastCheckInfo
            row.checkRise = UInt64(health.rise)
            row.checkFall = UInt64(health.fall)
            row.checkHealth = UInt64(health.health)
        }
        row.addr = server.address.description
        row.srvIcur = 0
        row.aggServerStatus = server.isUsable ? 0 : 1
        return row
    }

    func backendRow(_ proxy: Proxy) -> StatsRow {
        let counters = proxy.backendCounters
        var row = StatsRow(kind: .backend, pxname: proxy.name, svname: "BACKEND", iid: UInt64(proxy.id), sid: 0)
        fillForwarding(&row, from: counters, bytes: proxy.backendBytes)
        let usable = proxy.usableServerCounts
        row.slim = UInt64(fullconn(of: proxy))
        row.qcur = UInt64(proxy.queueLength)
        row.status = proxy.hasUsableServer ? "UP" : "DOWN"
        let activeWeights = proxy.servers.filter { $0.isUsable && !$0.isBackup }.reduce(0) { $0 + $1.weight }
        let backupWeights = proxy.servers.filter { $0.isUsable && $0.isBackup }.reduce(0) { $0 + $1.weight }
        row.weight = UInt64(usable.active > 0 ? activeWeights : backupWeights)
        row.uweight = row.weight
        row.act = UInt64(usable.active)
        row.bck = UInt64(usable.backup)
        row.chkdown = UInt64(proxy.downTransitions)
        row.downtime = proxy.downtime(wallSeconds: wallSeconds)
        row.lastchg = wallSeconds - proxy.lastChangeWallSeconds
        row.algo = proxy.config.balance.rawValue
        return row
    }

    /// haproxy's `fullconn` default: 10% of the maxconn of the frontends that use this backend.
    func fullconn(of backend: Proxy) -> Int {
        if let configured = backend.config.fullconn { return configured }
        let sum = proxies.filter { $0.isFrontend && $0.targetBackend === backend }.reduce(0) { $0 + $1.maxconn }
        return max(1, sum / 10)
    }

    // MARK: show servers state

    public func serversState(backend: String?) -> (any IteratorProtocol<ServerStateRow>)? {
        let selected: [Proxy]
        if let backend {
            guard let proxy = findProxy(backend, where: { $0.isBackend }) else { return nil }
            selected = [proxy]
        } else {
            selected = proxies.filter(\.isBackend)
        }
        let rows = selected.flatMap { proxy in proxy.servers.map(serverStateRow) }
        return rows.makeIterator()
    }

    func serverStateRow(_ server: Server) -> ServerStateRow {
        let check = server.health.map { _ in server.checkResult ?? .initializing }
        var row = ServerStateRow(
            backendID: UInt64(server.backend.id), backendName: server.backend.name,
            serverID: UInt64(server.id), serverName: server.name, address: server.address.host,
            opState: UInt32(server.operationalStateCode), adminState: UInt32(server.adminStateBits),
            userWeight: UInt32(server.weight), initialWeight: UInt32(server.initialWeight),
            secondsSinceLastChange: server.secondsSinceLastChange(wallSeconds: wallSeconds),
            checkStatus: UInt32(check?.rawValue ?? 1), checkResult: UInt32(check?.resultCode ?? 0),
            checkHealth: UInt32(server.health?.health ?? 0),
            checkState: UInt32(server.checkStateBits), port: server.address.port)
        row.checkPort = server.config.checkPort ?? 0
        row.checkAddress = server.config.checkAddr
        row.serverForcedID = server.config.forcedID
        row.backendForcedID = server.backend.config.forcedID
        return row
    }

    // MARK: show sess

    public func sessions() -> any IteratorProtocol<SessionInfo> {
        let now = loop.now
        return workers.flatMap { $0.streams.all }.map { sessionInfo($0, now: now) }.makeIterator()
    }

    public func session(id: UInt64) -> SessionInfo? {
        stream(id: id).map { sessionInfo($0, now: loop.now) }
    }

    /// The live stream with this id on whichever thread owns it (the id names the thread).
    func stream(id: UInt64) -> Stream? {
        let streamID = StreamID(rawValue: id)
        guard Int(streamID.tag) < workers.count else { return nil }
        return workers[Int(streamID.tag)].streams.lookup(streamID)
    }

    func sessionInfo(_ stream: Stream, now: Double) -> SessionInfo {
        let proto: String
        let source: String
        switch stream.clientAddress.family {
        case .inet: proto = "tcpv4"; source = "\(stream.clientAddress.host):\(stream.clientAddress.port)"
        case .inet6: proto = "tcpv6"; source = "\(stream.clientAddress.host):\(stream.clientAddress.port)"
        case .unix: proto = "unix_stream"; source = "unix:\(stream.frontend.id)"
        }
        var info = SessionInfo(
            id: stream.id.rawValue, proto: proto, source: source, frontend: stream.frontend.name,
            backend: stream.backend.name, server: stream.server?.name,
            ageSeconds: UInt64(max(0, stream.age(now: now))), calls: 0,
            frontendFD: stream.client.rawValue, backendFD: stream.serverFD?.rawValue ?? -1,
            expiresInSeconds: nil)
        info.acceptDate = TCPLogLine.date(micros: stream.acceptedWallMicros)
        info.uniqueID = stream.id.rawValue
        info.frontendID = UInt64(stream.frontend.id)
        info.backendID = UInt64(stream.backend.id)
        info.serverID = UInt64(stream.server?.id ?? 0)
        info.serverAddress = stream.server?.address.description ?? ""
        info.bytesIn = stream.request.totalBytes
        info.bytesOut = stream.response.totalBytes
        return info
    }

    // MARK: misc

    public func environment() -> [String] {
        var entries: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            entries.append(String(cString: entry))
            pointer += 1
        }
        return entries
    }

    public func currentDateString() -> String {
        TCPLogLine.date(micros: wallClockMicros())
    }

    // MARK: actions

    public func shutdownSession(id: UInt64) -> SessionShutdownResult {
        // The generation in the id makes a stale id miss, even when its slot holds a new stream.
        guard let stream = stream(id: id) else { return .noSuchSession }
        withExtendedLifetime(stream) { $0.end(.reset(.killed)) }
        stream.worker.watchersChangedElsewhere = true
        return .done
    }

    public func lookupServer(backend: String, server: String) -> ServerLookup {
        switch findServer(backend: backend, server: server) {
        case .success: return .ok
        case .failure(let failure): return failure.lookup
        }
    }

    public func shutdownSessions(backend: String, server: String) -> ServerLookup {
        switch findServer(backend: backend, server: server) {
        case .failure(let failure):
            return failure.lookup
        case .success(let found):
            shutdownSessions(of: found)
            return .ok
        }
    }

    public func setServerAdminState(backend: String, server: String, state: OrdrelCLI.ServerAdminState) -> ServerLookup {
        switch findServer(backend: backend, server: server) {
        case .failure(let failure):
            return failure.lookup
        case .success(let found):
            switch state {
            case .ready: setServerState(found, .ready)
            case .drain: setServerState(found, .drain)
            case .maint: setServerState(found, .maint)
            }
            return .ok
        }
    }

    public func setServerHealth(backend: String, server: String, health: ServerHealthRequest) -> ServerLookup {
        switch findServer(backend: backend, server: server) {
        case .failure(let failure):
            return failure.lookup
        case .success(let found):
            switch health {
            case .up: setServerHealth(found, .up)
            case .stopping: setServerHealth(found, .stopping)
            case .down: setServerHealth(found, .down)
            }
            return .ok
        }
    }

    public func setHealthChecks(backend: String, server: String, enabled: Bool) -> HealthChecksResult {
        switch findServer(backend: backend, server: server) {
        case .failure(.noSuchBackend): return .noSuchBackend
        case .failure: return .noSuchServer
        case .success(let found):
            return setHealthChecks(found, enabled: enabled) == .checksNotConfigured ? .notConfigured : .done
        }
    }

    public func serverWeight(backend: String, server: String) -> ServerWeightResult {
        switch findServer(backend: backend, server: server) {
        case .failure(.noSuchBackend): return .noSuchBackend
        case .failure: return .noSuchServer
        case .success(let found): return .weight(current: UInt32(found.weight), initial: UInt32(found.initialWeight))
        }
    }

    public func setServerWeight(backend: String, server: String, weight: OrdrelCLI.WeightRequest) -> SetWeightResult {
        let found: Server
        switch findServer(backend: backend, server: server) {
        case .failure(.noSuchBackend): return .noSuchBackend
        case .failure: return .noSuchServer
        case .success(let server): found = server
        }
        let request: OrdrelCore.WeightRequest
        switch weight {
        case .absolute(let value): request = .absolute(Int(value))
        case .relative(let percent): request = .percentOfInitial(Int(percent))
        }
        // The CLI validated the range; the only refusal left is static-rr's 0%-or-100% rule.
        return setServerWeight(found, request) == .staticAlgorithmWeight ? .staticAlgorithm : .done
    }

    public func setServerAddress(backend: String, server: String, address: String, port: PortRequest?) -> SetAddressResult {
        let found: Server
        switch findServer(backend: backend, server: server) {
        case .failure(.noSuchBackend): return .noSuchBackend
        case .failure: return .noSuchServer
        case .success(let server): found = server
        }
        let before = found.address
        let oldPort = before.port
        var newPort = oldPort
        var portOutcome: PortOutcome?
        if let port {
            switch port {
            case .absolute(let value):
                newPort = value
                portOutcome = value == oldPort ? .unchanged : .changed(from: "\(oldPort)", to: "\(value)")
            case .offset:
                return .updated(addressChange: nil, port: .incompatibleWithCheckPort)
            case .invalid(let text):
                portOutcome = .invalid(text)
            }
        }
        // The control API validates the address before changing anything.
        if case .invalidAddress = setServerAddress(found, address: address, port: newPort) { return .invalidAddress }
        let after = found.address.host
        let change: (from: String, to: String)? = before.host == after ? nil : (before.host, after)
        return .updated(addressChange: change, port: portOutcome)
    }

    public func setServerMaxconn(backend: String, server: String, maxconn: UInt32) -> ServerLookup {
        switch findServer(backend: backend, server: server) {
        case .failure(let failure):
            return failure.lookup
        case .success(let found):
            setServerMaxconn(found, Int(maxconn))
            return .ok
        }
    }

    public func frontendExists(_ name: String) -> Bool {
        findProxy(name, where: { $0.isFrontend }) != nil
    }

    public func setFrontendMaxconn(frontend: String, maxconn: Int32) -> FrontendResult {
        guard let proxy = findProxy(frontend, where: { $0.isFrontend }) else { return .noSuchFrontend }
        proxy.maxconn = Int(maxconn)
        resumeListenersBelowLimits()
        return .done
    }

    public func setGlobalMaxconn(_ value: Int32) -> GlobalMaxconnResult {
        let hardLimit = initialMaxconn
        guard value >= 0, Int(value) <= hardLimit else { return .outOfRange }
        maxconn = value == 0 ? hardLimit : Int(value)
        resumeListenersBelowLimits()
        return .done
    }

    public func setFrontendEnabled(frontend: String, enabled: Bool) -> FrontendResult {
        guard let proxy = findProxy(frontend, where: { $0.isFrontend }) else { return .noSuchFrontend }
        if proxy.frontendEnabled == enabled { return .alreadyInState }
        setFrontend(proxy, enabled: enabled)
        return .done
    }

    public func clearCounters(all: Bool) {
        for proxy in proxies {
            proxy.frontendCounters.clear(all: all)
            proxy.backendCounters.clear(all: all)
            for server in proxy.servers {
                server.counters.clear(all: all)
                if all { server.bytes.reset() }
            }
            if all {
                proxy.frontendBytes.reset()
                proxy.backendBytes.reset()
            }
        }
    }
}

/// Walks proxies in configuration order yielding FRONTEND, server and BACKEND rows on demand, so a
/// large `show stat` streams without building every row first.
struct StatsRowIterator: IteratorProtocol {
    let runtime: Runtime
    private var proxyIndex = 0
    /// -1: the FRONTEND row is next; 0..<servers: a server row; servers.count: the BACKEND row.
    private var position = -1

    init(runtime: Runtime) { self.runtime = runtime }

    mutating func next() -> StatsRow? {
        let proxies = runtime.proxies
        while proxyIndex < proxies.count {
            let proxy = proxies[proxyIndex]
            if position == -1 {
                position = 0
                if proxy.isFrontend { return runtime.frontendRow(proxy) }
            }
            if proxy.isBackend {
                if position < proxy.servers.count {
                    position += 1
                    return runtime.serverRow(proxy.servers[position - 1])
                }
                if position == proxy.servers.count {
                    position += 1
                    return runtime.backendRow(proxy)
                }
            }
            proxyIndex += 1
            position = -1
        }
        return nil
    }
}
