import OrdrelCLI
import OrdrelConfig
import OrdrelSystem

/// The runtime as the stats socket sees it: live values for `show ...` and the actions of the
/// admin commands. Everything runs inside `consistently` (the session calls it that way): on
/// thread 0, handed over by the CLI thread, with every other worker parked, so no value is torn
/// and every thread's streams, checks and timers can be read and changed.
/// Here: lookups, `show info` and the environment; stats rows, sessions and admin actions have
/// their own files (`RuntimeStatsRows`, `RuntimeSessions`, `RuntimeActions`).
extension Runtime: CLIRuntime {
    public var version: String { reportedVersion }

    /// On thread 0 with every other worker paused (`isolated`): the CLI's reads and changes
    /// then see one state.
    public func consistently<T>(_ body: () -> T) -> T { isolated(body) }

    // MARK: lookups shared by the commands

    /// A proxy by name or `#<id>`, as haproxy's CLI accepts them.
    func findProxy(_ name: String, where predicate: (Proxy) -> Bool = { _ in true }) -> Proxy? {
        if name.hasPrefix("#"), let id = Int(name.dropFirst()) {
            return proxies.first { $0.id == id && predicate($0) }
        }
        return proxies.first { $0.name == name && predicate($0) }
    }

    /// Runs `action` on the server `<backend>/<server>` names (either part may be `#<id>`).
    func withServer<Outcome>(_ backend: String, _ server: String,
                             _ action: (Server) -> Outcome) -> ServerResult<Outcome> {
        guard let proxy = findProxy(backend, where: { $0.isBackend }) else { return .failure(.noSuchBackend) }
        let found: Server?
        if server.hasPrefix("#"), let id = Int(server.dropFirst()) {
            found = proxy.servers.first { $0.id == id }
        } else {
            found = proxy.server(named: server)
        }
        guard let found else { return .failure(.noSuchServer) }
        return .success(action(found))
    }

    // MARK: show info

    public func info() -> InfoValues {
        let now = wallSeconds
        let uptime = now - startWallSeconds
        let days = uptime / 86400
        let hours = uptime / 3600 % 24
        let minutes = uptime / 60 % 60
        let seconds = uptime % 60
        func two(_ value: UInt64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        // Every socket's output, as haproxy's global.out_bytes: to clients, to servers (what
        // clients sent, forwarded) and to CLI clients; `clear counters all` does not reset it.
        let (cliBytes, cliSessions) = lock.withLock { (cliBytesOut, cliSessionCount) }
        var bytesOut = clearedBytesOut + cliBytes
        var sessionRate: UInt32 = 0
        var maxSessionRate: UInt32 = 0
        var connectionRate: UInt32 = 0
        var maxConnectionRate: UInt32 = 0
        for proxy in proxies where proxy.isFrontend {
            bytesOut += proxy.frontendBytes.totalOut + proxy.frontendBytes.totalIn
            sessionRate += proxy.frontendCounters.sessionRate.rate(nowMs: nowMs)
            maxSessionRate += proxy.frontendCounters.sessionRate.max
            connectionRate += proxy.frontendCounters.connectionRate.rate(nowMs: nowMs)
            maxConnectionRate += proxy.frontendCounters.connectionRate.max
        }
        let poolBytes = UInt64(workers.reduce(0) { $0 + $1.pool.inUse * $1.pool.bufferSize })
        let streamCount = workers.reduce(0) { $0 + $1.streams.count }
        // One per bind, as haproxy counts them (worker 0 holds every bind; the others repeat
        // the TCP ones).
        let listenerCount = workers[0].listeners.count
        var values = InfoValues()
        values[.name] = .str(configuration.global.productName.rawValue)
        values[.version] = .str(reportedVersion)
        values[.releaseDate] = .str(ordrelReleaseDate)
        values[.nbthread] = .u(UInt64(workers.count))
        values[.nbproc] = .u(1)
        values[.processNum] = .u(1)
        values[.pid] = .u(UInt64(processID))
        values[.uptime] = .str("\(days)d \(hours)h\(two(minutes))m\(two(seconds))s")
        values[.uptimeSec] = .u(uptime)
        values[.memmaxMB] = .u(0)
        values[.poolAllocMB] = .u(poolBytes >> 20)
        values[.poolUsedMB] = .u(poolBytes >> 20)
        values[.poolFailed] = .u(0)
        values[.ulimitN] = .u(UInt64(openFileLimit))
        values[.maxsock] = .u(UInt64(haproxyMaxsock))
        values[.maxconn] = .u(UInt64(maxconn))
        values[.hardMaxconn] = .u(UInt64(initialMaxconn))
        values[.currConns] = .u(UInt64(currentConnections))
        values[.cumConns] = .u(cumulativeConnections)
        values[.cumReq] = .u(cumulativeRequests)
        values[.maxSslConns] = .u(0)
        values[.currSslConns] = .u(0)
        values[.cumSslConns] = .u(0)
        values[.maxpipes] = .u(UInt64(workers.reduce(0) { $0 + $1.pipes.limit }))
        values[.pipesUsed] = .u(UInt64(workers.reduce(0) { $0 + $1.pipes.inUse }))
        values[.pipesFree] = .u(UInt64(workers.reduce(0) { $0 + $1.pipes.idleCount }))
        values[.connRate] = .u(UInt64(connectionRate))
        values[.connRateLimit] = .u(UInt64(connectionRateLimit))
        values[.maxConnRate] = .u(UInt64(maxConnectionRate))
        values[.sessRate] = .u(UInt64(sessionRate))
        values[.sessRateLimit] = .u(UInt64(sessionRateLimit))
        values[.maxSessRate] = .u(UInt64(maxSessionRate))
        values[.sslRate] = .u(0)
        values[.sslRateLimit] = .u(0)
        values[.maxSslRate] = .u(0)
        values[.sslFrontendKeyRate] = .u(0)
        values[.sslFrontendMaxKeyRate] = .u(0)
        values[.sslFrontendSessionReusePct] = .u(0)
        values[.sslBackendKeyRate] = .u(0)
        values[.sslBackendMaxKeyRate] = .u(0)
        values[.sslCacheLookups] = .u(0)
        values[.sslCacheMisses] = .u(0)
        values[.compressBpsIn] = .u(0)
        values[.compressBpsOut] = .u(0)
        values[.compressBpsRateLim] = .u(0)
        // haproxy's count on the same config: 6 of its own, 2 per thread, 1 per proxy and per
        // checked server, then 1 per stream (client or CLI).
        values[.tasks] = .u(UInt64(6 + 2 * workers.count + proxies.count + checkedServerCount + streamCount + cliSessions))
        values[.runQueue] = .u(0)
        values[.idlePct] = .u(100)
        values[.node] = .str(hostName)
        values[.stopping] = .u(stopMode == .running ? 0 : 1)
        values[.jobs] = .u(UInt64(streamCount + cliSessions + listenerCount + statsSockets.count))
        // Only the master-worker link's sessions are unstoppable in haproxy; a standalone
        // process has none.
        values[.unstoppableJobs] = .u(0)
        values[.listeners] = .u(UInt64(listenerCount + statsSockets.count))
        values[.activePeers] = .u(0)
        values[.connectedPeers] = .u(0)
        values[.droppedLogs] = .u(logOutput.dropped)
        values[.busyPolling] = .u(0)
        values[.failedResolutions] = .u(0)
        values[.totalBytesOut] = .u(bytesOut)
        values[.totalSplicdedBytesOut] = .u(0)
        values[.bytesOutRate] = .u(0)
        values[.debugCommandsIssued] = .u(0)
        values[.cumRecvLogs] = .u(0)
        values[.buildInfo] = .str(reportedVersion)
        values[.memmaxBytes] = .u(0)
        values[.poolAllocBytes] = .u(poolBytes)
        values[.poolUsedBytes] = .u(poolBytes)
        values[.startTimeSec] = .u(startWallSeconds)
        // haproxy prints it with C's `%#x`, which gives plain `0` for zero.
        values[.tainted] = .str("0")
        return values
    }

    private var checkedServerCount: Int { proxies.reduce(0) { $0 + $1.servers.filter { $0.check != nil }.count } }

    /// `Maxsock` as haproxy 2.6 computes it: two fds per connection and per pipe, three per
    /// thread (poller and wake-up pipe), one per listener and per checked server, and 20 it keeps
    /// for itself (measured on 2.6.12 with one to four threads).
    private var haproxyMaxsock: Int {
        let listenerCount = workers[0].listeners.count + statsSockets.count
        let pipes = workers.reduce(0) { $0 + $1.pipes.limit }
        return 2 * initialMaxconn + 2 * pipes + 3 * workers.count + listenerCount + checkedServerCount + 20
    }

    // MARK: show activity

    /// Per-thread loops, stream steps, accepts and streams received, in haproxy's order, then
    /// ordrel's own `cur_streams` (streams each thread runs now, which haproxy 2.6 does not
    /// show): the other threads are parked between two iterations while this runs (isolated), so
    /// their counts are read at rest. `accq_ring` is the connections handed to a thread and still
    /// in its mailbox; haproxy's `accq_full` has no counterpart (a mailbox is never full).
    public func activity() -> (nowMicros: UInt64, counters: [ActivityCounter]) {
        let waiting = workers.map { UInt64($0.adoptionsWaiting) }
        return lock.withLock {
            (wallClockMicros(), [
                ActivityCounter(name: "loops", perThread: workers.map { $0.loop.iterations - $0.loopsAtClear }),
                ActivityCounter(name: "stream_calls", perThread: workers.map(\.streamCalls)),
                ActivityCounter(name: "accepted", perThread: workers.map(\.acceptedCount)),
                ActivityCounter(name: "accq_pushed", perThread: workers.map(\.assignedCount)),
                ActivityCounter(name: "accq_ring", perThread: waiting),
                ActivityCounter(name: "cur_streams", perThread: workers.map { UInt64($0.streamCount) }),
            ])
        }
    }

    // MARK: misc

    public func environment() -> [String] { CurrentProcess.environment }

    /// Sets the variables haproxy 2.6 exports about itself (seen by `show env`, and by anything
    /// the process starts): its version, local peer name, configuration files and CLI sockets.
    /// Call once at start-up, before the worker threads run.
    public func exportHaproxyEnvironment(configFiles: [String]) {
        var variables = [
            ("HAPROXY_STARTUP_VERSION", reportedVersion),
            ("HAPROXY_LOCALPEER", CurrentProcess.hostName),
            ("HAPROXY_CFGFILES", configFiles.joined(separator: ";")),
        ]
        let sockets = configuration.global.statsSockets.map { "unix@\($0.path)" }
        if !sockets.isEmpty { variables.append(("HAPROXY_CLI", sockets.joined(separator: ";"))) }
        for (name, value) in variables {
            do {
                try CurrentProcess.setEnvironment(name, value)
            } catch {
                logger.warning("Cannot set \(name) in the environment: \(error)")
            }
        }
    }

    public func currentDateString() -> String {
        TCPLogLine.date(micros: wallClockMicros())
    }
}
