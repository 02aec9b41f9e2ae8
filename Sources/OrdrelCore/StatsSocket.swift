import OrdrelCLI
import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// Where the connections of a `StatsSocket` come from.
enum StatsSocketOrigin: Equatable {
    /// A `stats socket` line: a listening Unix socket, connections by accept().
    case listener
    /// The worker's end of its master↔worker socketpair, as haproxy's `sockpair@` CLI listener:
    /// the master sends connections as fds, one byte and one fd per message (`MasterLinkMessage`).
    /// EOF means the master is gone.
    case master
    /// A socket the master handed over for a new worker's `-x sockpair@<fd>`: the new worker
    /// sends connection ends through it, as through the master link. EOF only closes it.
    case carrier
}

/// The byte that travels with each fd the master (or a new worker) sends to a worker's link.
enum MasterLinkMessage: Equatable {
    /// A CLI connection at this level: 1, 2, 3 = user, operator, admin (a master CLI session's
    /// level); 0 = admin, haproxy's `sockpair@` byte, which a new worker sends.
    case connection(CLILevel)
    /// `C`: a carrier for a new worker's `-x sockpair@<fd>`.
    case carrier

    init?(byte: UInt8) {
        switch byte {
        case 0: self = .connection(.admin)
        case UInt8(ascii: "C"): self = .carrier
        default:
            guard let level = CLILevel(rawValue: Int(byte)) else { return nil }
            self = .connection(level)
        }
    }

    var byte: UInt8 {
        switch self {
        case .connection(let level): return UInt8(level.rawValue)
        case .carrier: return UInt8(ascii: "C")
        }
    }
}

/// One `stats socket` line (a Unix listening socket), or the master's link of a master-worker
/// worker: each connection runs a `CLISession`.
final class StatsSocket {
    let config: StatsSocketConfig
    let fd: FD
    let origin: StatsSocketOrigin
    unowned(unsafe) let runtime: Runtime
    private(set) var watcher: IOWatcher!
    /// Connections open on this socket (bounded by `stats maxconn` on a listener).
    var connections = 0
    /// Scratch space every connection of this socket reads into: all of them run on one loop
    /// thread and copy what they read into their session at once.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16384, alignment: 16)

    /// Whether it still accepts (false once closed, e.g. after its fd went to a new process).
    private(set) var isListening = true

    /// Uses the socket received from the old process for this path if there is one, else binds.
    init(config: StatsSocketConfig, runtime: Runtime, inherited: InheritedListeners) throws {
        self.config = config
        self.runtime = runtime
        origin = .listener
        fd = try inherited.take(unixPath: config.path) ?? UnixListenSocket.bindAtomically(
            path: config.path, mode: config.mode, uid: config.uid, gid: config.gid, backlog: 128,
            location: config.location)
        watcher = IOWatcher(loop: runtime.loop, fd: fd.rawValue) { [unowned(unsafe) self] _ in self.acceptBatch() }
        watcher.setInterest(.read)
    }

    /// The master link of a worker (fd `ipc`, inherited), or a carrier the master sent over it:
    /// level admin and `expose-fd listeners`, as haproxy's internal `sockpair@` listener, so a new
    /// worker's `_getsocks` works through it.
    init(masterLink ipc: FD, runtime: Runtime, origin: StatsSocketOrigin = .master) {
        var config = StatsSocketConfig(path: "sockpair@\(ipc.rawValue)",
                                       location: SourceLocation(file: "master-worker", line: 0))
        config.level = .admin
        config.exposeFDListeners = true
        self.config = config
        self.runtime = runtime
        self.origin = origin
        fd = ipc
        watcher = IOWatcher(loop: runtime.loop, fd: fd.rawValue) { [unowned(unsafe) self] _ in self.receiveFromMaster() }
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
                admit(client, level: nil)
            } catch {
                runtime.logger.warning("stats socket \(config.path): accept failed: \(error)")
                return
            }
        }
    }

    /// Starts a CLI session on `client`, counted as haproxy counts a CLI stream: in CumConns and
    /// CumReq, and as accepted and run by the first thread.
    private func admit(_ client: FD, level: CLILevel?) {
        connections += 1
        runtime.lock.withLock {
            runtime.cumulativeConnections += 1
            runtime.cumulativeRequests += 1
            runtime.workers[0].acceptedCount += 1
            runtime.workers[0].assignedCount += 1
        }
        runtime.cliSessionsAccepted += 1
        let connection = CLIConnection(fd: client, socket: self, serial: runtime.cliSessionsAccepted, level: level)
        runtime.cliConnections[ObjectIdentifier(connection)] = connection
        connection.drive()
    }

    /// Takes the connections the master (or, over a carrier, a new worker) sent. EOF on the master
    /// link: the master died, and a worker without its master exits (haproxy: exit(EXIT_FAILURE)).
    private func receiveFromMaster() {
        for _ in 0..<16 {
            let result: IOResult<ReceivedMessage>
            do {
                result = try fd.receive(maxBytes: 1, maxFDs: 1)
            } catch {
                linkEnded("\(error)")
                return
            }
            guard case .processed(let message) = result else { return }
            guard let byte = message.bytes.first else {
                linkEnded("end of file")
                return
            }
            // A message whose descriptor was lost carries nothing to serve.
            guard let received = message.fds.first else { continue }
            switch MasterLinkMessage(byte: byte) {
            case .connection(let level):
                admit(received, level: origin == .carrier ? .admin : level)
            case .carrier where origin == .master:
                runtime.addMasterCarrier(StatsSocket(masterLink: received, runtime: runtime, origin: .carrier))
            case .carrier, nil:
                received.close()
            }
        }
    }

    private func linkEnded(_ why: String) {
        guard origin == .master else { return close() }
        runtime.logger.critical("The master process is gone (\(why)): exiting.")
        CurrentProcess.exit(1)
    }

    /// At the end of a soft stop, before `close()`: starts a session for every client the kernel
    /// already queued, whatever `stats maxconn` says, so that none is reset by the close.
    func acceptQueued() {
        guard origin == .listener && isListening else { return }
        while case .processed(let (client, _))? = try? fd.accept() { admit(client, level: nil) }
    }

    /// A session ended: make room for the next client.
    func connectionClosed() {
        connections -= 1
        if origin == .listener && isListening { watcher.setInterest(.read) }
    }

    /// Stops accepting and closes the listening fd (close only: a new process may own it now);
    /// open sessions go on.
    func close() {
        guard isListening else { return }
        isListening = false
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
    private(set) var watcher: IOWatcher!
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

    /// A connection at the socket's level, or at `level` (one the master sent); `serial` is its
    /// accept order among CLI sessions (`show sess`).
    init(fd: FD, socket: StatsSocket, serial: UInt64, level: CLILevel? = nil) {
        self.fd = fd
        self.socket = socket
        self.serial = serial
        acceptedAt = socket.runtime.loop.now
        acceptedWallMicros = socket.runtime.wallClockMicros()
        session = CLISession(runtime: socket.runtime, level: level ?? socket.level, commandsPerStep: Self.commandsPerStep)
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
            case .transferListeners:
                socket.runtime.exportListeners(over: fd, allowed: socket.config.exposeFDListeners)
                session.didTransferListeners()
                touch()
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
        socket.runtime.cliSessionEnded()
    }
}
