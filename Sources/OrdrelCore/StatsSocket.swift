import OrdrelCLI
import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// One `stats socket` line: a Unix listening socket whose connections each run a `CLISession`.
final class StatsSocket {
    let config: StatsSocketConfig
    let fd: FD
    unowned(unsafe) let runtime: Runtime
    private var watcher: IOWatcher!
    /// Connections open on this socket (bounded by `stats maxconn`).
    var connections = 0
    /// Scratch space every connection of this socket reads into: all of them run on one loop
    /// thread and copy what they read into their session at once.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16384, alignment: 16)

    init(config: StatsSocketConfig, runtime: Runtime) throws {
        self.config = config
        self.runtime = runtime
        fd = try UnixListenSocket.bindAtomically(
            path: config.path, mode: config.mode, uid: config.uid, gid: config.gid, backlog: 128,
            location: config.location)
        watcher = IOWatcher(loop: runtime.loop, fd: fd.rawValue) { [unowned(unsafe) self] _ in self.acceptBatch() }
        watcher.setInterest(.read)
    }

    var level: CLILevel {
        switch config.level {
        case .user: return .user
        case .operator: return .operator
        case .admin: return .admin
        }
    }

    private func acceptBatch() {
        for _ in 0..<16 {
            guard connections < runtime.configuration.global.statsMaxconn else {
                // Full: new clients wait in the backlog until a session ends.
                watcher.setInterest([])
                return
            }
            do {
                guard case .processed(let (client, _)) = try fd.accept() else { return }
                connections += 1
                runtime.lock.withLock {
                    runtime.cumulativeConnections += 1
                    runtime.cumulativeRequests += 1
                    // Accepted and run by the first thread, counted there as haproxy does.
                    runtime.workers[0].acceptedCount += 1
                    runtime.workers[0].assignedCount += 1
                }
                runtime.cliSessionsAccepted += 1
                let connection = CLIConnection(fd: client, socket: self, serial: runtime.cliSessionsAccepted)
                runtime.cliConnections[ObjectIdentifier(connection)] = connection
                connection.drive()
            } catch {
                runtime.logger.warning("stats socket \(config.path): accept failed: \(error)")
                return
            }
        }
    }

    /// A session ended: make room for the next client.
    func connectionClosed() {
        connections -= 1
        watcher.setInterest(.read)
    }

    func close() {
        watcher.setInterest([])
        fd.close()
    }

    deinit { readBuffer.deallocate() }
}

/// Where a CLI connection is in its close path.
enum CLIConnectionPhase: Equatable {
    /// The session is reading commands and writing replies.
    case active
    /// The reply is written and the write side shut down; unread client input is drained until the
    /// client's EOF so that close() cannot turn into a reset that would destroy the reply.
    case lingering
    /// Closed.
    case closed
}

/// Drives one `CLISession` over a non-blocking Unix socket: speculative reads and writes, a watcher
/// armed only after EAGAIN, and the close path: whole reply written, `shutdown(SHUT_WR)`, the
/// client's remaining input drained (bounded), then `close()`.
final class CLIConnection {
    let fd: FD
    unowned(unsafe) let socket: StatsSocket
    let session: CLISession
    private var watcher: IOWatcher!
    private var timer: TimerWatcher!
    /// Continues a session that yielded with work left.
    private var resume: TimerWatcher!
    private var phase: CLIConnectionPhase = .active
    private var inputEOF = false
    private var lastActivity: Double
    /// Accept order among CLI sessions: their `show sess` id and listing order.
    let serial: UInt64
    let acceptedAt: Double
    let acceptedWallMicros: UInt64

    /// Longest time a finished session waits for the client's EOF before closing anyway.
    static let lingerSeconds = 2.0
    /// Session steps (each at most `commandsPerStep` commands or one output chunk) run per
    /// wake-up before the loop's other work gets a turn.
    static let stepsPerWakeUp = 1
    /// Commands one step may run: one, so a client pipelining short commands gets one answer per
    /// loop iteration, as haproxy's CLI applet, and cannot take the CPU from the streams.
    static let commandsPerStep = 1

    init(fd: FD, socket: StatsSocket, serial: UInt64) {
        self.fd = fd
        self.socket = socket
        self.serial = serial
        acceptedAt = socket.runtime.loop.now
        acceptedWallMicros = socket.runtime.wallClockMicros()
        session = CLISession(runtime: socket.runtime, level: socket.level, commandsPerStep: Self.commandsPerStep)
        lastActivity = socket.runtime.loop.now
        watcher = IOWatcher(loop: socket.runtime.loop, fd: fd.rawValue) { [unowned(unsafe) self] _ in
            withExtendedLifetime(self) { $0.drive() }
        }
        timer = TimerWatcher(loop: socket.runtime.loop) { [unowned(unsafe) self] in
            withExtendedLifetime(self) { $0.timerFired() }
        }
        resume = TimerWatcher(loop: socket.runtime.loop) { [unowned(unsafe) self] in
            withExtendedLifetime(self) { $0.drive() }
        }
        timer.schedule(after: idleTimeout)
    }

    /// Seconds until the idle timeout closes the session (`exp=` of `show sess`).
    var secondsToIdleTimeout: UInt64 {
        UInt64(max(0, lastActivity + idleTimeout - socket.runtime.loop.now).rounded(.up))
    }

    private var idleTimeout: Double {
        if phase == .lingering { return Self.lingerSeconds }
        if let seconds = session.idleTimeoutSeconds { return Double(seconds) }
        return Double(socket.runtime.configuration.global.statsTimeoutMs) / 1000
    }

    /// Runs the session until it waits for the socket, at most `stepsPerWakeUp` steps at a time:
    /// then the loop gets a turn (its streams, other sessions) and `resume` carries on. Each step
    /// runs isolated, as its commands read and change what every thread shares; socket I/O runs
    /// outside isolation.
    func drive() {
        var steps = 0
        while phase == .active {
            guard steps < Self.stepsPerWakeUp else {
                watcher.setInterest([])
                resume.schedule(after: 0)
                return
            }
            steps += 1
            switch socket.runtime.isolated({ session.nextAction() }) {
            case .write(let bytes):
                let result: IOResult<Int>
                do {
                    result = try bytes.withUnsafeBytes { try fd.write($0) }
                } catch {
                    // The client went away mid-reply: nothing of anyone else's is affected.
                    finish()
                    return
                }
                guard case .processed(let count) = result else {
                    watcher.setInterest(.write)
                    return
                }
                session.didWrite(count)
                socket.runtime.cliBytesOut += UInt64(count)
                touch()
                if count < bytes.count {
                    watcher.setInterest(.write)
                    return
                }
            case .read:
                guard readInput() else { return }
            case .shutdownWrite:
                _ = try? fd.shutdown(.write)
                session.didShutdownWrite()
            case .close:
                session.didClose()
                linger()
                return
            case .done:
                finish()
                return
            }
        }
        if phase == .lingering { linger() }
    }

    /// Reads once into the session. Returns false when the caller must wait for readability.
    private func readInput() -> Bool {
        guard session.wantsInput, !inputEOF else {
            watcher.setInterest([])
            return false
        }
        do {
            let buffer = socket.readBuffer
            switch try fd.read(into: buffer) {
            case .wouldBlock:
                watcher.setInterest(.read)
                return false
            case .processed(0):
                inputEOF = true
                session.receiveEOF()
            case .processed(let count):
                session.receive(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                touch()
            }
            return true
        } catch {
            inputEOF = true
            session.receiveEOF()
            return true
        }
    }

    /// After the reply and the FIN: discard what the client still sends until its EOF, then close.
    private func linger() {
        if phase != .lingering {
            phase = .lingering
            touch()
            timer.schedule(after: Self.lingerSeconds)
        }
        while !inputEOF {
            do {
                switch try fd.read(into: socket.readBuffer) {
                case .wouldBlock:
                    watcher.setInterest(.read)
                    return
                case .processed(0):
                    inputEOF = true
                case .processed:
                    continue
                }
            } catch {
                inputEOF = true
            }
        }
        finish()
    }

    private func touch() {
        lastActivity = socket.runtime.loop.now
    }

    private func timerFired() {
        let due = lastActivity + idleTimeout
        let now = socket.runtime.loop.now
        if phase == .closed { return }
        if now + 0.0005 < due {
            timer.schedule(after: due - now)
            return
        }
        // Idle too long (or the client never sent its EOF while lingering): close.
        finish()
    }

    /// Ends the session now: closes the connection and stops its watchers (also when the process stops).
    func finish() {
        guard phase != .closed else { return }
        if session.state != .closed { session.didClose() }
        phase = .closed
        watcher.setInterest([])
        timer.cancel()
        resume.cancel()
        fd.close()
        socket.connectionClosed()
        socket.runtime.cliConnections[ObjectIdentifier(self)] = nil
    }
}
