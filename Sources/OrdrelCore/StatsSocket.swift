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
/// worker: each connection runs a `CLISession`. All of it runs on the CLI thread
/// (`Runtime.cliLoop`).
final class StatsSocket {
    let config: StatsSocketConfig
    let fd: FD
    let origin: StatsSocketOrigin
    unowned(unsafe) let runtime: Runtime
    private(set) var watcher: IOWatcher!
    /// Connections open on this socket (bounded by `stats maxconn` on a listener).
    var connections = 0
    /// Scratch space every connection of this socket reads into: all of them run on the CLI
    /// thread and copy what they read into their session at once.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16384, alignment: 16)

    /// Whether it still accepts (false once closed, e.g. after its fd went to a new process).
    private(set) var isListening = true

    /// Uses the socket received from the old process for this path if there is one, else binds.
    init(config: StatsSocketConfig, runtime: Runtime, inherited: InheritedListeners) throws {
        self.config = config
        self.runtime = runtime
        origin = .listener
        if let number = config.inheritedFD {
            fd = try Listener.adoptInherited(number, backlog: 128, location: config.location, address: config.path)
        } else {
            fd = try inherited.take(unixPath: config.path) ?? UnixListenSocket.bindAtomically(
                path: config.path, mode: config.mode, uid: config.uid, gid: config.gid, backlog: 128,
                location: config.location)
        }
        watcher = IOWatcher(loop: runtime.cliLoop, fd: fd.rawValue) { [unowned(unsafe) self] _ in self.acceptBatch() }
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
        watcher = IOWatcher(loop: runtime.cliLoop, fd: fd.rawValue) { [unowned(unsafe) self] _ in self.receiveFromMaster() }
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
            runtime.cliSessionCount += 1
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

/// Runs one `CLISession` on a `SessionDriver`, in bounded steps: one session step per turn, and
/// the sessions of all stats sockets share a time budget per loop iteration (`Runtime.cliTurns`).
/// The session pauses the other threads (`CLIRuntime.consistently`) only while a command reads
/// or changes what they share, or while it pulls a batch of `show servers state` or `show sess`
/// rows (`show stat` rows need no pause); it parses input and formats replies, and the driver
/// does socket I/O, while the traffic flows.
final class CLIConnection: SessionDriverHost {
    unowned(unsafe) let socket: StatsSocket
    let session: CLISession
    private(set) var driver: SessionDriver<CLIConnection>!
    /// Accept order among CLI sessions: their `show sess` id and listing order.
    let serial: UInt64
    let acceptedAt: Double
    let acceptedWallMicros: UInt64

    /// What only the worker's CLI asks of its connection.
    enum Extra {
        /// Send the listening sockets over the connection (`_getsocks`).
        case transferListeners
        /// Wait, off the socket, for `show stat` rows thread 0 is building.
        case awaitRows
    }

    /// What the stats sessions may add to one loop iteration of the CLI thread, together: each waiting
    /// session takes one step (at most `commandsPerStep` commands or one output chunk) per
    /// iteration until this is spent (`SessionTurns`). A time, not a count, so the cheap steps
    /// of several clients share an iteration while large chunks take one each.
    static let turnBudget = Duration.microseconds(100)
    /// Commands one step may run: one, so a client pipelining short commands gets one answer per
    /// loop iteration, as haproxy's CLI applet, and cannot take the CPU from the streams.
    static let commandsPerStep = 1

    /// A connection at the socket's level, or at `level` (one the master sent); `serial` is its
    /// accept order among CLI sessions (`show sess`).
    init(fd: FD, socket: StatsSocket, serial: UInt64, level: CLILevel? = nil) {
        self.socket = socket
        self.serial = serial
        acceptedAt = socket.runtime.cliLoop.now
        acceptedWallMicros = socket.runtime.wallClockMicros()
        session = CLISession(runtime: socket.runtime, level: level ?? socket.level, commandsPerStep: Self.commandsPerStep)
        driver = SessionDriver(fd: fd, host: self, loop: socket.runtime.cliLoop,
                               readBuffer: socket.readBuffer, turns: socket.runtime.cliTurns)
    }

    var fd: FD { driver.fd }

    /// Seconds until the idle timeout closes the session (`exp=` of `show sess`).
    var secondsToIdleTimeout: UInt64? { driver.secondsToTimeout }

    func drive() { driver.drive() }

    /// Ends the session now (also when the process stops).
    func finish() { driver.finish() }

    // MARK: SessionDriverHost

    func nextStep() -> SessionStep<Extra> {
        switch session.nextAction() {
        case .write(let bytes): return .write(bytes)
        case .read: return .read
        case .shutdownWrite: return .shutdownWrite
        case .close: return .close
        case .done: return .done
        case .transferListeners: return .extra(.transferListeners)
        case .awaitRows: return .extra(.awaitRows)
        }
    }

    func perform(_ extra: Extra) -> Bool {
        switch extra {
        case .transferListeners:
            socket.runtime.exportListeners(over: fd, allowed: socket.config.exposeFDListeners)
            session.didTransferListeners()
            driver.touch()
            return true
        case .awaitRows:
            // The rows arrive as a message of this thread's loop; the session goes on from there.
            session.whenRowsReady { [weak self] in self?.driver.takeTurn() }
            return false
        }
    }

    var timeout: Double? {
        if let seconds = session.idleTimeoutSeconds { return Double(seconds) }
        return Double(socket.runtime.configuration.global.statsTimeoutMs) / 1000
    }

    func wrote(_ count: Int) {
        socket.runtime.lock.withLock { socket.runtime.cliBytesOut += UInt64(count) }
    }

    /// Input is activity: the idle timeout starts again.
    func received(_ count: Int) { driver.touch() }

    func timedOut() -> Bool { false }

    var sessionHasWorkLeft: Bool { session.hasWorkLeft }

    func finished() {
        socket.connectionClosed()
        socket.runtime.cliConnections[ObjectIdentifier(self)] = nil
        socket.runtime.lock.withLock { socket.runtime.cliSessionCount -= 1 }
        socket.runtime.cliSessionEnded()
    }
}
