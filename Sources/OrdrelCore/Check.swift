import OrdrelEventLoop
import OrdrelLog
import OrdrelSystem

/// Timing rules of TCP-connect health checks (haproxy 2.6 check.c), kept pure for tests.
public enum CheckSchedule {
    /// How long one check may take to connect: `inter`, or min(`inter`, `timeout connect`) when
    /// `timeout check` is also set (haproxy then keeps `timeout check` for the read after connect,
    /// which a plain TCP check does not have).
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

/// What a server's check runner is doing.
enum CheckRunnerState: Equatable {
    /// Not scheduled: checks disabled, server in maintenance, or not started yet.
    case stopped
    /// Waiting for the next check.
    case waiting
    /// A non-blocking connect is in flight.
    case connecting
}

/// Runs one server's TCP-connect health checks on the event loop: one timer for both the
/// interval and the check timeout, one watcher for the connect; never a thread. A successful
/// check connection is closed at once with SO_LINGER {1,0}, as haproxy does.
final class HealthCheck {
    private unowned(unsafe) let runtime: Runtime
    private unowned(unsafe) let server: Server
    private(set) var fd: FD?
    private(set) var watcher: IOWatcher!
    private var timer: TimerWatcher!
    private(set) var state = CheckRunnerState.stopped
    private var startedAt: Double = 0

    init(runtime: Runtime, server: Server) {
        self.runtime = runtime
        self.server = server
        watcher = IOWatcher(loop: runtime.loop, fd: -1) { [unowned(unsafe) self] _ in self.connectFinished() }
        timer = TimerWatcher(loop: runtime.loop) { [unowned(unsafe) self] in self.timerFired() }
    }

    /// The delay before the next check, from the server's health (inter / fastinter / downinter).
    var nextIntervalMs: UInt64 {
        let config = server.config
        let health = server.health ?? HealthCheckState(rise: config.rise, fall: config.fall)
        return health.nextCheckInterval(inter: config.interMs, fastinter: config.fastinterMs, downinter: config.downinterMs)
    }

    /// Runs the next check `delayMs` from now; a check in flight is dropped without a result.
    func schedule(afterMs delayMs: UInt64) {
        abandonInFlight()
        state = .waiting
        timer.schedule(after: Double(delayMs) / 1000)
    }

    /// Stops checking (maintenance, `disable health`, process stop).
    func stop() {
        abandonInFlight()
        timer.cancel()
        state = .stopped
    }

    private func timerFired() {
        switch state {
        case .waiting: begin()
        case .connecting: complete(.layer4Timeout, info: "")
        case .stopped: break
        }
    }

    private func begin() {
        runtime.loop.updateNow()
        startedAt = runtime.loop.now
        server.checkInProgress = true
        runtime.lock.withLock {
            runtime.cumulativeConnections += 1
            server.estimatedNeededConnections = max(server.estimatedNeededConnections, server.counters.current + 1)
        }
        let target = server.checkAddress
        let socket: FD
        do {
            socket = try FD.streamSocket(for: target.family)
        } catch {
            complete(.socketError, info: (error as? SyscallError)?.reason ?? "")
            return
        }
        fd = socket
        do {
            if try socket.connect(to: target) {
                complete(.layer4OK, info: "")
                return
            }
        } catch {
            complete(.layer4ConnectionProblem, info: (error as? SyscallError)?.reason ?? "")
            return
        }
        state = .connecting
        watcher.rebind(fd: socket.rawValue)
        watcher.setInterest(.write)
        let config = server.backend.config.timeouts
        let timeout = CheckSchedule.connectTimeoutMs(inter: server.config.interMs, timeoutConnect: config.connect,
                                                     timeoutCheck: config.check)
        timer.schedule(after: Double(timeout) / 1000)
    }

    private func connectFinished() {
        guard state == .connecting, let fd else { return }
        let error: Int32
        do {
            error = try fd.pendingError()
        } catch {
            complete(.layer4ConnectionProblem, info: (error as? SyscallError)?.reason ?? "")
            return
        }
        if error == 0 {
            complete(.layer4OK, info: "")
        } else {
            complete(.layer4ConnectionProblem, info: SyscallError.reason(error))
        }
    }

    /// Closes the check connection (RST after a success), hands the result to the runtime and
    /// schedules the next check from the new health.
    private func complete(_ result: CheckResult, info: String) {
        watcher.rebind(fd: -1)
        if let fd {
            if result == .layer4OK { try? fd.setLingerZero() }
            fd.close()
            self.fd = nil
        }
        server.checkInProgress = false
        runtime.loop.updateNow()
        let durationMs = Int(max(0, runtime.loop.now - startedAt) * 1000)
        state = .waiting
        runtime.isolated { runtime.checkCompleted(server, result: result, info: info, durationMs: durationMs) }
        if state == .waiting { timer.schedule(after: Double(nextIntervalMs) / 1000) }
    }

    private func abandonInFlight() {
        guard state == .connecting || fd != nil else { return }
        watcher.rebind(fd: -1)
        if let fd {
            try? fd.setLingerZero()
            fd.close()
            self.fd = nil
        }
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

    /// A check finished: record it, and apply an UP/DOWN transition with haproxy's log line.
    /// Runs isolated.
    func checkCompleted(_ server: Server, result: CheckResult, info: String, durationMs: Int) {
        server.lastCheckDurationMs = durationMs
        server.lastCheckInfo = info
        guard var health = server.health else { return }
        let transition = health.record(result)
        server.health = health
        let report = ServerStateLog.CheckReport(result: result, info: info, durationMs: durationMs)
        switch transition {
        case .none:
            break
        case .wentDown:
            // Already DOWN when the agent holds it: nothing to announce.
            if !server.stoppedByAgent { markDown(server, check: report) }
        case .wentUp:
            if !server.stoppedByAgent { markUp(server, check: report) }
        }
        if result.passed { releaseAgentHold(server, report: report) }
    }

    /// The checks marked `server` DOWN: log it, and kill its streams with `on-marked-down shutdown-sessions`.
    func markDown(_ server: Server, check: ServerStateLog.CheckReport) {
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
    func markUp(_ server: Server, check: ServerStateLog.CheckReport) {
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
