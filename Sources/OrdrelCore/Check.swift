import OrdrelConfig
import OrdrelEventLoop
import OrdrelLog
import OrdrelSystem

/// Timing rules of health checks (haproxy 2.6 check.c, tcpcheck.c), kept pure for tests.
public enum CheckSchedule {
    /// How long one check may take to connect: `inter`, or min(`inter`, `timeout connect`) when
    /// `timeout check` is also set (haproxy then gives `timeout check` to the rest of the check,
    /// from the moment the connection is up).
    public static func connectTimeoutMs(inter: UInt64, timeoutConnect: UInt64?, timeoutCheck: UInt64?) -> UInt64 {
        guard timeoutCheck != nil, let connect = timeoutConnect else { return inter }
        return min(inter, connect)
    }

    /// First-check delays for servers whose next intervals are `intervals`, in check order: the
    /// smallest interval spread evenly over them (check.c `start_checks`), so they never burst.
    public static func initialDelays(intervals: [UInt64]) -> [UInt64] {
        guard let shortest = intervals.min() else { return [] }
        return intervals.indices.map {
            HealthCheckState.spreadInitialDelay(index: $0, count: intervals.count, inter: shortest)
        }
    }
}

/// Runs one server's health checks on the event loop: the proxy's rule set (`CheckProgram`)
/// decides what to connect, send and expect; this class only does the I/O, with one timer for
/// both the interval and the check timeout and one watcher for the connection; never a thread.
/// The check connection is closed with SO_LINGER {1,0} (a reset), as haproxy does, unless the
/// connect rule says `linger`.
final class HealthCheck {
    private unowned(unsafe) let runtime: Runtime
    private unowned(unsafe) let server: Server
    private let rules: CompiledCheckRules
    private(set) var fd: FD?
    private(set) var watcher: IOWatcher!
    private var clock: CheckClock!
    private var program: CheckProgram?
    /// Bytes the rules sent that the socket has not taken yet.
    private var outbox: [UInt8] = []
    /// Where the connection being opened goes, when its rule says `send-proxy` or the server
    /// `check-send-proxy`.
    private var proxyLineTarget: SocketAddress?
    /// The connection's rule says `linger`: close it with a FIN rather than a reset.
    private var lingers = false

    init(runtime: Runtime, server: Server) {
        self.runtime = runtime
        self.server = server
        rules = CompiledCheckRules(server.backend.config.healthCheck, disableOn404: server.backend.config.httpCheckDisableOn404)
        watcher = IOWatcher(loop: runtime.loop, fd: -1) { [unowned(unsafe) self] events in self.socketReady(events) }
        clock = CheckClock(loop: runtime.loop) { [unowned(unsafe) self] state in self.timerFired(state) }
    }

    /// What the runner is doing (`show fd` reports a connect in flight).
    var state: CheckRunnerState { clock.state }

    /// The delay before the next check, from the server's health (inter / fastinter / downinter).
    var nextIntervalMs: UInt64 {
        let config = server.config
        let health = server.health ?? HealthCheckState(rise: config.rise, fall: config.fall)
        return health.nextCheckInterval(inter: config.interMs, fastinter: config.fastinterMs, downinter: config.downinterMs)
    }

    /// Runs the next check `delayMs` from now; a check in flight is dropped without a result.
    func schedule(afterMs delayMs: UInt64) {
        abandonInFlight()
        clock.wait(afterMs: delayMs)
    }

    /// Stops checking (maintenance, `disable health`, process stop).
    func stop() {
        abandonInFlight()
        clock.stop()
    }

    private func timerFired(_ state: CheckRunnerState) {
        switch state {
        case .waiting: begin()
        case .connecting, .exchanging: complete(program?.timedOut() ?? CheckVerdict(.layer4Timeout))
        case .stopped: break
        }
    }

    private func begin() {
        clock.began()
        server.checkInProgress = true
        // haproxy's HCHK_STATUS_START empties the description, and each rule resets the code.
        server.lastCheckInfo = ""
        server.lastCheckCode = 0
        runtime.lock.withLock {
            runtime.cumulativeConnections += 1
            server.estimatedNeededConnections = max(server.estimatedNeededConnections, server.counters.current + 1)
        }
        var program = CheckProgram(rules, serverIsDown: !server.isUp, bufferSize: runtime.configuration.global.tuneBufsize,
                                   unixTime: UInt32(truncatingIfNeeded: runtime.wallSeconds))
        let steps = program.start()
        self.program = program
        perform(steps)
    }

    /// Carries out the program's steps in order until one waits for the network.
    private func perform(_ steps: [CheckStep]) {
        for step in steps {
            switch step {
            case .connect(let options):
                openConnection(options)
                return
            case .send(let bytes):
                outbox += bytes
            case .receive:
                clock.state = .exchanging
                guard flush() else { return }
                watcher.setInterest(outbox.isEmpty ? .read : [.read, .write])
                return
            case .finish(let verdict):
                if flush() { complete(verdict) }
                return
            }
        }
    }

    /// Closes the previous check connection, if any, and connects where the rule says.
    private func openConnection(_ options: CheckConnect) {
        if fd != nil, !flush() { return }
        closeConnection()
        var target = server.checkAddress
        if let port = options.port { target.port = port }
        if let addr = options.addr, let address = SocketAddress(ip: addr, port: target.port) { target = address }
        let socket: FD
        do {
            socket = try FD.streamSocket(for: target.family)
            // `source` binds checks too, as haproxy's connections to the server.
            if let source = server.config.source ?? server.backend.config.source, source.family == target.family {
                do {
                    try socket.setReuseAddress()
                    try socket.bind(to: source)
                } catch {
                    socket.close()
                    throw error
                }
            }
        } catch {
            complete(CheckVerdict(.socketError, info: (error as? SyscallError)?.reason ?? ""))
            return
        }
        fd = socket
        lingers = options.linger
        proxyLineTarget = options.sendProxy || server.config.checkSendProxy ? target : nil
        watcher.rebind(fd: socket.rawValue)
        do {
            if try socket.connect(to: target) {
                established()
                return
            }
        } catch {
            complete(program?.connectFailed(reason: (error as? SyscallError)?.reason ?? "") ?? CheckVerdict(.layer4ConnectionProblem))
            return
        }
        clock.state = .connecting
        watcher.setInterest(.write)
        let config = server.backend.config.timeouts
        clock.limit(afterMs: CheckSchedule.connectTimeoutMs(inter: server.config.interMs, timeoutConnect: config.connect,
                                                            timeoutCheck: config.check))
    }

    /// The connection is up: `timeout check`, when set, bounds the rest (tcpcheck_eval_connect);
    /// `send-proxy` writes the PROXY header of this connection before anything else.
    private func established() {
        clock.state = .exchanging
        if let remote = proxyLineTarget, let local = try? fd?.localAddress() {
            // The server's version, as haproxy's make_proxy_line: v1 names the check connection's
            // own addresses, v2 is a LOCAL header (captured from haproxy 2.6.12).
            let config = server.config
            let version = config.sendProxy ?? .v1
            outbox = ProxyHeaderEncoder.header(version, source: local, destination: version == .v1 ? remote : nil,
                                               crc32c: config.proxyV2CRC32C) + outbox
        }
        if let check = server.backend.config.timeouts.check { clock.limit(afterMs: check) }
        guard var program else { return }
        let steps = program.connected()
        self.program = program
        perform(steps)
    }

    private func socketReady(_ events: IOEvents) {
        guard let fd else { return }
        switch state {
        case .connecting:
            do {
                let error = try fd.pendingError()
                if error == 0 {
                    established()
                } else if Errno.brokeAfterConnecting(error), var program {
                    // Connected, then reset before we looked: haproxy sees the connection up
                    // and reports the failure at the following rule.
                    _ = program.connected()
                    self.program = program
                    complete(program.socketError(reason: SyscallError.reason(error)))
                } else {
                    complete(program?.connectFailed(reason: SyscallError.reason(error)) ?? CheckVerdict(.layer4ConnectionProblem))
                }
            } catch {
                complete(program?.connectFailed(reason: (error as? SyscallError)?.reason ?? "") ?? CheckVerdict(.layer4ConnectionProblem))
            }
        case .exchanging:
            if events.contains(.write), !flush() { return }
            if events.contains(.read) { readAvailable(fd) } else if outbox.isEmpty { watcher.setInterest(.read) }
        case .waiting, .stopped:
            break
        }
    }

    /// Reads what is there, then lets the program judge; a reset before any byte is a socket error.
    private func readAvailable(_ fd: FD) {
        var received: [UInt8] = []
        var closed = false
        var failure: String?
        var chunk = [UInt8](repeating: 0, count: 4096)
        reading: while received.count < runtime.configuration.global.tuneBufsize {
            do {
                let result = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
                switch result {
                case .processed(0):
                    closed = true
                    break reading
                case .processed(let count):
                    received += chunk[..<count]
                case .wouldBlock:
                    break reading
                }
            } catch {
                failure = (error as? SyscallError)?.reason ?? ""
                closed = true
                break reading
            }
        }
        guard var program else { return }
        if let failure, received.isEmpty, program.hasNoResponse {
            complete(program.socketError(reason: failure))
            return
        }
        // A reset right after the FIN shows as a pending error (haproxy reads SO_ERROR too).
        if closed && failure == nil, let pending = try? fd.pendingError(), pending != 0 {
            failure = SyscallError.reason(pending)
        }
        let steps = program.received(received, closed: closed, error: failure)
        self.program = program
        perform(steps)
    }

    /// Writes as much of the outbox as the socket takes now; a failed write ends the check as
    /// a socket error (haproxy's failed `snd_buf`) and returns false.
    private func flush() -> Bool {
        guard let fd, !outbox.isEmpty else { return true }
        do {
            let result = try outbox.withUnsafeBytes { try fd.write($0) }
            if case .processed(let count) = result { outbox.removeFirst(count) }
            return true
        } catch {
            let reason = (error as? SyscallError)?.reason ?? ""
            complete(program?.socketError(reason: reason) ?? CheckVerdict(.socketError, info: reason))
            return false
        }
    }

    /// Closes the check connection, hands the verdict to the runtime and schedules the next
    /// check from the new health.
    private func complete(_ verdict: CheckVerdict) {
        closeConnection()
        program = nil
        server.checkInProgress = false
        clock.finished(report: { durationMs in
            runtime.isolated { runtime.checkCompleted(server, verdict: verdict, durationMs: durationMs) }
        }, nextMs: { nextIntervalMs })
    }

    private func closeConnection(forceReset: Bool = false) {
        watcher.rebind(fd: -1)
        outbox = []
        guard let fd else { return }
        if forceReset || !lingers { try? fd.setLingerZero() }
        fd.close()
        self.fd = nil
    }

    private func abandonInFlight() {
        guard state == .connecting || state == .exchanging || fd != nil else { return }
        closeConnection(forceReset: true)
        program = nil
        server.checkInProgress = false
    }
}

extension Runtime {
    /// Starts every configured check, first checks spread over the shortest interval.
    func startHealthChecks() {
        let checks = proxies.flatMap(\.servers).filter { $0.checksEnabled && $0.adminState != .maint }.compactMap(\.check)
        let delays = CheckSchedule.initialDelays(intervals: checks.map(\.nextIntervalMs))
        for (check, delay) in zip(checks, delays) {
            check.schedule(afterMs: delay)
        }
        healthChecksStarted = true
    }

    /// Stops every check (the process is stopping).
    func stopHealthChecks() {
        for server in proxies.flatMap(\.servers) { server.check?.stop() }
        healthChecksStarted = false
    }

    /// A check finished: record it, log it with `option log-health-checks`, and apply an
    /// UP/DOWN/NOLB transition with haproxy's log line. Runs isolated.
    func checkCompleted(_ server: Server, verdict: CheckVerdict, durationMs: Int) {
        server.lastCheckDurationMs = durationMs
        server.lastCheckInfo = verdict.info
        server.lastCheckCode = verdict.code
        guard var health = server.health else { return }
        let wasUp = health.isUp
        let report = ServerStateLog.CheckReport(result: verdict.result, info: verdict.info, durationMs: durationMs,
                                                code: verdict.code)
        let logsChecks = server.backend.config.options.logHealthChecks
        // Each status update of the check (one, or haproxy's two for MySQL/LDAP successes)
        // moves the health and may log its line (check.c `set_server_check_status`).
        for info in [verdict.interimInfo, verdict.info].compactMap({ $0 }) {
            let before = health
            _ = health.record(verdict.result)
            guard logsChecks && (before.lastResult != health.lastResult || before.health != health.health) && !health.isPaused else {
                continue
            }
            var logged = report
            logged.info = info
            // haproxy: ha_warning on stderr, `notice` to the backend's log targets.
            logger.warning("\(ServerStateLog.healthCheck(backend: server.backend.name, server: server.name, isBackup: server.isBackup, check: logged, health: health, weight: server.weight))",
                           metadata: LogMetadata.for(proxy: server.backend, level: .notice))
        }
        server.health = health
        let transition: HealthTransition = wasUp == health.isUp ? .none : (health.isUp ? .wentUp : .wentDown)
        // With log-health-checks the check line carries the reason; the state line does not repeat it.
        let stateReport = logsChecks ? nil : report
        switch transition {
        case .none:
            break
        case .wentDown:
            if server.stoppingFromCheck {
                server.stoppingFromCheck = false
                server.isStopping = false
            }
            // Already DOWN when the agent holds it: nothing to announce.
            if !server.stoppedByAgent { markDown(server, check: stateReport) }
        case .wentUp:
            if !server.stoppedByAgent { markUp(server, check: stateReport) }
        }
        if verdict.result == .layer7OKConditional && health.isUp && !server.isStopping {
            markStopping(server, check: stateReport)
        } else if verdict.result.passed && verdict.result != .layer7OKConditional && server.stoppingFromCheck {
            server.stoppingFromCheck = false
            server.isStopping = false
            markUp(server, check: stateReport)
        }
        if verdict.result.passed { releaseAgentHold(server, report: report) }
    }

    /// `disable-on-404` saw a 404 on a running server: NOLB, no new streams (check.c
    /// `check_notify_stopping`).
    private func markStopping(_ server: Server, check: ServerStateLog.CheckReport?) {
        server.isStopping = true
        server.stoppingFromCheck = true
        noteStateChange(server, wasDown: false)
        serverChanged(server) { moves in
            let usable = server.backend.usableServerCounts
            logger.warning("\(server.isBackup ? "Backup " : "")Server \(server.qualifiedName) is stopping\(ServerStateLog.reasonText(check))\(ServerStateLog.serversOnline(activeServers: usable.active, backupServers: usable.backup, requeued: moves.requeued, totalInQueue: server.backend.queue.count))",
                           metadata: LogMetadata.for(proxy: server.backend, level: .notice))
        }
    }

    /// The checks marked `server` DOWN: log it, and kill its streams with `on-marked-down shutdown-sessions`.
    func markDown(_ server: Server, check: ServerStateLog.CheckReport?) {
        noteStateChange(server, wasDown: false)
        let sessions = server.counters.current
        // haproxy's syslog level: `alert`, but `notice` for a server that was already stopping.
        let level: SyslogLevel = server.isStopping ? .notice : .alert
        serverChanged(server) { moves in
            guard server.adminState != .maint else { return }
            let usable = server.backend.usableServerCounts
            logger.warning("\(ServerStateLog.serverDown(backend: server.backend.name, server: server.name, isBackup: server.isBackup, check: check, activeServers: usable.active, backupServers: usable.backup, sessionsActive: sessions, requeued: moves.requeued, remainingInQueue: server.queue.count))",
                           metadata: LogMetadata.for(proxy: server.backend, level: level))
        }
        if server.config.shutdownSessionsOnMarkedDown { killStreams(of: server, cause: .serverDown) }
    }

    /// The checks marked `server` UP: log it, and with `on-marked-up shutdown-backup-sessions`
    /// on an active server, kill the streams still on backups.
    func markUp(_ server: Server, check: ServerStateLog.CheckReport?) {
        noteStateChange(server, wasDown: true)
        serverChanged(server) { moves in
            let usable = server.backend.usableServerCounts
            logger.notice("\(ServerStateLog.serverUp(backend: server.backend.name, server: server.name, isBackup: server.isBackup, check: check, activeServers: usable.active, backupServers: usable.backup, requeued: moves.served, totalInQueue: server.backend.queue.count))",
                          metadata: LogMetadata.for(proxy: server.backend))
        }
        if !server.isBackup && server.config.shutdownBackupSessionsOnMarkedUp && server.isUsable {
            for backup in server.backend.servers where backup.isBackup { killStreams(of: backup, cause: .serverUp) }
        }
    }
}
