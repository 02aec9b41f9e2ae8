import OrdrelCLI
import OrdrelSystem

/// `show stat`, `show backend` and `show servers state` rows built from live proxies and servers.
extension Runtime {
    public func statsRows() -> any IteratorProtocol<StatsRow> {
        let rows = StatsRowIterator(runtime: self)
        return Threads.currentWorker == 0 ? rows : StatsRowBatches(rows)
    }

    public func proxyID(named name: String) -> UInt64? {
        findProxy(name).map { UInt64($0.id) }
    }

    public func backendNames() -> [String] {
        proxies.filter(\.isBackend).map(\.name)
    }

    /// How many `show stat` rows `proxy` has: FRONTEND, then its servers and BACKEND.
    func statsRowCount(of proxy: Proxy) -> Int {
        (proxy.isFrontend ? 1 : 0) + (proxy.isBackend ? proxy.servers.count + 1 : 0)
    }

    // Each row is appended blank and filled where it lies in the array: a row is large, and
    // built apart and moved in, it was copied through several temporaries. Under `lock`.

    fileprivate func appendFrontendRow(of proxy: Proxy, to rows: inout [StatsRow]) {
        rows.append(blankRow(.frontend, of: proxy))
        fillFrontendRow(&rows[rows.count - 1], proxy)
    }

    fileprivate func appendServerRow(of server: Server, to rows: inout [StatsRow], latency: Bool) {
        rows.append(blankRow(of: server))
        fillServerRow(&rows[rows.count - 1], server, latency: latency)
    }

    fileprivate func appendBackendRow(of proxy: Proxy, to rows: inout [StatsRow], latency: Bool) {
        rows.append(blankRow(.backend, of: proxy))
        fillBackendRow(&rows[rows.count - 1], proxy, latency: latency)
    }

    /// A FRONTEND or BACKEND row with only its identity.
    private func blankRow(_ kind: StatsObjectKind, of proxy: Proxy) -> StatsRow {
        StatsRow(kind: kind, pxname: proxy.name, svname: kind == .frontend ? "FRONTEND" : "BACKEND", iid: UInt64(proxy.id), sid: 0)
    }

    /// A server row with only its identity.
    private func blankRow(of server: Server) -> StatsRow {
        StatsRow(kind: .server, pxname: server.backend.name, svname: server.name, iid: UInt64(server.backend.id), sid: UInt64(server.id))
    }

    private func fillFrontendRow(_ row: inout StatsRow, _ proxy: Proxy) {
        let counters = proxy.frontendCounters
        row.mode = proxy.config.mode.rawValue
        fillTraffic(&row, from: counters, bytes: proxy.frontendBytes)
        row.slim = UInt64(proxy.maxconn)
        row.ereq = counters.requestErrors
        row.dreq = counters.deniedRequests
        // haproxy 2.6.6+: `disable frontend` and SIGTTOU pause (PAUSED); stopping is STOP.
        row.status = stopMode != .running ? "STOP"
            : proxy.frontendEnabled && !isSuspended(proxy) ? "OPEN" : "PAUSED"
        row.connRate = UInt64(counters.connectionRate.rate(nowMs: nowMs))
        row.connRateMax = UInt64(counters.connectionRate.max)
        row.connTot = counters.connectionsTotal
        row.dcon = counters.deniedConnections
        row.dses = counters.deniedSessions
        // haproxy prints the request rate and total of tcp frontends too (always 0 there).
        row.reqRate = UInt64(counters.http.requestRate.rate(nowMs: nowMs))
        row.reqRateMax = UInt64(counters.http.requestRate.max)
        row.reqTot = counters.http.requests
        if proxy.config.mode == .http {
            fillHTTPResponses(&row, from: counters.http)
            row.intercepted = counters.http.intercepted
            fillNoCache(&row)
        }
    }

    /// ordrel has no HTTP cache: an http frontend or backend shows 0 lookups and hits, as
    /// haproxy's without `http-request cache-use`.
    private func fillNoCache(_ row: inout StatsRow) {
        row.cacheLookups = 0
        row.cacheHits = 0
    }

    /// The `hrsp_*` cells, which haproxy prints for `mode http` rows only.
    private func fillHTTPResponses(_ row: inout StatsRow, from counters: HTTPCounters) {
        row.hrsp1xx = counters.responses.0
        row.hrsp2xx = counters.responses.1
        row.hrsp3xx = counters.responses.2
        row.hrsp4xx = counters.responses.3
        row.hrsp5xx = counters.responses.4
        row.hrspOther = counters.responses.5
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
        row.dresp = counters.deniedResponses
        row.srvAbrt = counters.serverAborts
    }

    /// The columns servers and backends fill the same way: queue, errors, balancing and times.
    /// `latency`: the row carries the histograms (the exporter's rows; the page and `show stat`
    /// print none).
    private func fillForwarding(_ row: inout StatsRow, from counters: TrafficCounters, bytes: PerThreadBytes, latency: Bool) {
        fillTraffic(&row, from: counters, bytes: bytes)
        row.qmax = UInt64(counters.maxQueue)
        row.econ = counters.connectionErrors
        row.eresp = counters.responseErrors
        row.wretr = counters.retries
        row.wredis = counters.redispatches
        row.lbtot = counters.loadBalanced
        row.lastsess = counters.lastSessionWallSeconds.map { Int64(wallSeconds - $0) } ?? -1
        row.qtime = counters.queueTime.average(samples: counters.loadBalanced)
        row.ctime = counters.connectTime.average(samples: counters.loadBalanced)
        row.ttime = counters.totalTime.average(samples: counters.loadBalanced)
        row.windowAverages = WindowAverages(queue: counters.queueTime.average, connect: counters.connectTime.average,
                                            total: counters.totalTime.average)
        row.qtimeMax = counters.queueTime.max
        row.ctimeMax = counters.connectTime.max
        row.ttimeMax = counters.totalTime.max
        if latency { row.latency = counters.latency }
        row.connect = counters.total
    }

    private func fillServerRow(_ row: inout StatsRow, _ server: Server, latency: Bool) {
        let counters = server.counters
        let proxy = server.backend
        row.mode = proxy.config.mode.rawValue
        fillForwarding(&row, from: counters, bytes: server.bytes, latency: latency)
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
        }
        // The check's own columns need it enabled and not paused by maintenance (stats.c).
        if let health = server.health, server.checksEnabled, server.adminState != .maint {
            row.checkStatus = server.checkStatusText
            row.checkDuration = server.lastCheckDurationMs.map { UInt64($0) } ?? 0
            row.checkDesc = server.checkResult?.description
            if let result = server.checkResult, result.carriesCode { row.checkCode = UInt64(max(0, server.lastCheckCode)) }
            row.lastChk = server.lastCheckInfo
            row.checkRise = UInt64(health.rise)
            row.checkFall = UInt64(health.fall)
            row.checkHealth = UInt64(health.health)
        }
        if let agent = server.enabledAgent {
            row.agentStatus = (server.agentInProgress ? "* " : "") + agent.lastResult.code
            row.agentCode = agent.lastResult.carriesCode ? 0 : nil
            row.agentDuration = UInt64(agent.durationMs)
            row.agentDesc = agent.lastResult.description
            row.lastAgt = agent.lastInfo
            row.agentRise = UInt64(agent.rise)
            row.agentFall = UInt64(agent.fall)
            row.agentHealth = UInt64(agent.health)
        }
        if let health = server.health {
            row.lastCheck = LastCheck(status: health.lastResult.code, durationMs: UInt64(server.lastCheckDurationMs ?? 0))
        }
        row.addr = server.hasAddress ? server.addressText : nil
        if proxy.config.mode == .http { fillHTTPResponses(&row, from: counters.http) }
        row.srvIcur = 0
        row.needConnEst = UInt64(server.estimatedNeededConnections)
        row.aggServerStatus = server.isUsable ? 0 : 1
    }

    private func fillBackendRow(_ row: inout StatsRow, _ proxy: Proxy, latency: Bool) {
        let counters = proxy.backendCounters
        row.mode = proxy.config.mode.rawValue
        fillForwarding(&row, from: counters, bytes: proxy.backendBytes, latency: latency)
        let usable = proxy.usableServerCounts
        row.slim = UInt64(proxy.fullconn)
        row.qcur = UInt64(proxy.queueLength)
        row.status = proxy.hasUsableServer ? "UP" : "DOWN"
        // The weights of the servers that take traffic: the active ones, else the backups.
        let backups = usable.active == 0
        var weights = 0
        for server in proxy.servers where server.isBackup == backups && server.isUsable { weights += server.weight }
        row.weight = UInt64(weights)
        row.uweight = row.weight
        row.act = UInt64(usable.active)
        row.bck = UInt64(usable.backup)
        row.chkdown = UInt64(proxy.downTransitions)
        row.downtime = proxy.downtime(wallSeconds: wallSeconds)
        // A backend's own HTTP counters: requests it forwarded, none for the built-in services
        // of a `listen` (haproxy counts those on the frontend only).
        if proxy.config.mode == .http {
            fillHTTPResponses(&row, from: counters.http)
            row.reqTot = counters.http.requests
            fillNoCache(&row)
        }
        row.lastchg = wallSeconds - proxy.lastChangeWallSeconds
        row.algo = proxy.config.balance.rawValue
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
            serverID: UInt64(server.id), serverName: server.name, address: server.hasAddress ? server.address.host : "",
            opState: UInt32(server.operationalStateCode), adminState: UInt32(server.adminStateBits),
            userWeight: UInt32(server.weight), initialWeight: UInt32(server.initialWeight),
            secondsSinceLastChange: server.secondsSinceLastChange(wallSeconds: wallSeconds),
            checkStatus: UInt32(check?.rawValue ?? 1), checkResult: UInt32(check?.resultCode ?? 0),
            // Without checks haproxy leaves the health at its initial value, rise, until a
            // resolution maintenance zeroes it.
            checkHealth: UInt32(server.health?.health ?? (server.healthClearedByResolution ? 0 : server.config.rise)),
            checkState: UInt32(server.checkStateBits), port: server.address.port)
        row.usedConnections = UInt64(server.counters.current)
        row.peakConnections = UInt64(server.estimatedNeededConnections)
        row.checkPort = server.config.checkPort ?? 0
        row.checkAddress = server.config.checkAddr
        row.agentState = UInt32(server.agentStateBits)
        row.agentAddress = server.agentAddrOverride
        row.agentPort = server.agentPort
        // haproxy keeps the name of a server given by host name (`srv_fqdn`), and its SRV label.
        row.fqdn = server.fqdn
        row.srvRecord = server.config.srvRecord
        row.serverForcedID = server.config.forcedID
        row.backendForcedID = server.backend.config.forcedID
        return row
    }
}

/// Walks proxies in configuration order yielding FRONTEND, server and BACKEND rows on demand, so a
/// large `show stat` streams without building every row first.
///
/// It runs on thread 0 (`StatsRowBatches` hands it there for the CLI, `StatsRowCollection` walks
/// it for the stats page and the exporter) without pausing the other threads: what they change
/// in a row (counters, queues, slots) changes under `Runtime.lock`, which each row is built
/// under, and the bytes are relaxed atomics (`PerThreadBytes`); the rest (proxies, servers,
/// their states and checks) only thread 0 changes. Each row is consistent in itself and rows are
/// apart in time, as haproxy's dump, which reads its counters without isolating the threads at
/// all.
struct StatsRowIterator: IteratorProtocol {
    let runtime: Runtime
    /// Rows with the latency histograms (the exporter's).
    private let latency: Bool
    private var proxyIndex = 0
    /// -1: the FRONTEND row is next; 0..<servers: a server row; servers.count: the BACKEND row.
    private var position = -1

    init(runtime: Runtime, latency: Bool = false) {
        self.runtime = runtime
        self.latency = latency
    }

    mutating func next() -> StatsRow? {
        var row: [StatsRow] = []
        return appendNext(to: &row) ? row[0] : nil
    }

    /// Builds the next `StatsRowBatches.batchSize` rows at the end of `rows` (fewer at the end);
    /// true when the walk has ended.
    mutating func appendBatch(to rows: inout [StatsRow]) -> Bool {
        for _ in 0..<StatsRowBatches.batchSize {
            guard appendNext(to: &rows) else { return true }
        }
        return false
    }

    /// Builds the next row at the end of `rows`, where it stays; false at the end.
    mutating func appendNext(to rows: inout [StatsRow]) -> Bool {
        let proxies = runtime.proxies
        while proxyIndex < proxies.count {
            let proxy = proxies[proxyIndex]
            // haproxy leaves out proxies disabled in the configuration (stats.c, stats_dump_proxies).
            if proxy.config.disabled {
                proxyIndex += 1
                continue
            }
            if position == -1 {
                position = 0
                if proxy.isFrontend {
                    runtime.lock.withLock { runtime.appendFrontendRow(of: proxy, to: &rows) }
                    return true
                }
            }
            if proxy.isBackend {
                if position < proxy.servers.count {
                    position += 1
                    let server = proxy.servers[position - 1]
                    runtime.lock.withLock { runtime.appendServerRow(of: server, to: &rows, latency: latency) }
                    return true
                }
                if position == proxy.servers.count {
                    position += 1
                    runtime.lock.withLock { runtime.appendBackendRow(of: proxy, to: &rows, latency: latency) }
                    return true
                }
            }
            proxyIndex += 1
            position = -1
        }
        return false
    }
}

/// `StatsRowIterator` as the CLI thread reads it: rows are built on thread 0, which changes what
/// they show other than counters (checks, resolutions, stopping) without `Runtime.lock`, in
/// batches of `batchSize` (one mailbox message each, between two of its loop iterations, the
/// other threads running on), and formatted on the CLI thread. The CLI thread does not wait for a
/// batch: its session waits (`DeferredRows`) while it serves the others, and thread 0 builds the
/// waiting sessions' batches in one wake-up. One batch is built ahead while the previous one is
/// formatted. On thread 0 (the stats page) the rows come straight from the iterator.
final class StatsRowBatches: IteratorProtocol, DeferredRows {
    /// Rows built per visit to thread 0: few enough that its streams barely wait, enough that
    /// the hand-over (a message each way) is not what a dump costs.
    static let batchSize = 32

    /// Where the walk over the proxies is.
    private enum Cursor {
        /// Here, to send with the next request.
        case here(StatsRowIterator)
        /// Thread 0 is building a batch with it.
        case building
        /// Every row is built.
        case end
    }

    private unowned(unsafe) let runtime: Runtime
    private var cursor: Cursor
    /// Rows for `next()`, from `taken` on.
    private var current: [StatsRow] = []
    private var taken = 0
    /// The batch built ahead, while `current` was being formatted.
    private var ahead: [StatsRow]?
    /// The waiting session's driver, called when a batch arrives.
    private var resume: (() -> Void)?

    init(_ rows: StatsRowIterator) {
        runtime = rows.runtime
        cursor = .here(rows)
    }

    func next() -> StatsRow? {
        guard taken < current.count else { return nil }
        taken += 1
        return current[taken - 1]
    }

    func prepare() -> Bool {
        if taken == current.count, let batch = ahead {
            current = batch
            taken = 0
            ahead = nil
        }
        if ahead == nil, case .here(let rows) = cursor {
            cursor = .building
            runtime.workers[0].post(.buildStatsRows(self, rows))
        }
        if taken < current.count { return true }
        if case .end = cursor { return true }
        return false
    }

    func whenReady(_ resume: @escaping () -> Void) {
        self.resume = resume
    }

    /// Thread 0: builds the next batch from `rows` and sends it to the CLI thread.
    func build(from rows: StatsRowIterator) {
        var rows = rows
        var batch: [StatsRow] = []
        batch.reserveCapacity(Self.batchSize)
        let rest = rows.appendBatch(to: &batch) ? nil : rows
        runtime.cli.post(.statsRowsBuilt(self, batch, rest: rest))
    }

    /// CLI thread: a batch arrived; `rest` builds the rows after it (nil: they were the last).
    func arrived(_ batch: [StatsRow], rest: StatsRowIterator?) {
        cursor = rest.map(Cursor.here) ?? .end
        if taken == current.count {
            current = batch
            taken = 0
        } else {
            ahead = batch
        }
        let waiting = resume
        resume = nil
        waiting?()
    }
}
