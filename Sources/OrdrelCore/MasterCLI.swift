import OrdrelCLI
import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// A `-S <path>[,mode,600,uid,N,gid,N,user,X,group,Y,level,L]` master CLI socket.
struct MasterCLISpec: Equatable {
    var path: String
    var mode: UInt32?
    var uid: Int?
    var gid: Int?
    var level: CLILevel = .admin

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(parsing spec: String) throws {
        var parts = spec.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var path = parts.removeFirst()
        if path.hasPrefix("unix@") { path.removeFirst(5) }
        guard !path.isEmpty, !path.contains("@") else {
            throw Invalid(description: "only a Unix socket path (or unix@<path>) is supported")
        }
        self.path = path
        guard parts.count % 2 == 0 else { throw Invalid(description: "option '\(parts.last!)' expects a value") }
        for index in stride(from: 0, to: parts.count, by: 2) {
            let (option, value) = (parts[index], parts[index + 1])
            switch option {
            case "mode":
                guard let mode = UInt32(value, radix: 8) else { throw Invalid(description: "'mode' expects an octal mode, got '\(value)'") }
                self.mode = mode
            case "uid":
                guard let uid = Int(value), uid >= 0 else { throw Invalid(description: "'uid' expects a number, got '\(value)'") }
                self.uid = uid
            case "gid":
                guard let gid = Int(value), gid >= 0 else { throw Invalid(description: "'gid' expects a number, got '\(value)'") }
                self.gid = gid
            case "user":
                guard let ids = Privileges.userIDs(named: value) else { throw Invalid(description: "unknown user '\(value)'") }
                uid = Int(ids.uid)
            case "group":
                guard let gid = Privileges.groupID(named: value) else { throw Invalid(description: "unknown group '\(value)'") }
                self.gid = Int(gid)
            case "level":
                switch value {
                case "user": level = .user
                case "operator": level = .operator
                case "admin": level = .admin
                default: throw Invalid(description: "'level' only supports 'user', 'operator', and 'admin' (got '\(value)')")
                }
            default:
                throw Invalid(description: "unknown option '\(option)' (mode, uid, gid, user, group, level)")
            }
        }
    }
}

/// One master CLI socket: at most `maxConnections` sessions at once, the rest wait in the backlog.
final class MasterCLIListener {
    let spec: MasterCLISpec
    let fd: FD
    unowned(unsafe) let master: Master
    private var watcher: IOWatcher!
    var connections = 0
    /// haproxy's master CLI maxconn.
    static let maxConnections = 10

    init(spec: MasterCLISpec, master: Master) throws {
        self.spec = spec
        self.master = master
        fd = try UnixListenSocket.bindAtomically(path: spec.path, mode: spec.mode, uid: spec.uid, gid: spec.gid,
                                                 backlog: 128, location: SourceLocation(file: "-S", line: 0))
        watcher = IOWatcher(loop: master.loop, fd: fd.rawValue) { [unowned(unsafe) self] _ in self.acceptBatch() }
        watcher.setInterest(.read)
    }

    private func acceptBatch() {
        while connections < Self.maxConnections {
            do {
                guard case .processed(let (client, _)) = try fd.accept() else { return }
                connections += 1
                let connection = MasterCLIConnection(fd: client, listener: self)
                master.cliConnections[ObjectIdentifier(connection)] = connection
                connection.drive()
            } catch {
                master.logger.warning("master CLI \(spec.path): accept failed: \(error)")
                return
            }
        }
        watcher.setInterest([])
    }

    func connectionClosed() {
        connections -= 1
        watcher.setInterest(.read)
    }

    func close() {
        watcher.setInterest([])
        fd.close()
    }
}

/// A command forwarded to a worker: our end of the socketpair whose other end the worker runs
/// as a CLI connection, and the reply so far.
final class ForwardedCommand {
    let fd: FD
    var reply: [UInt8] = []
    var watcher: IOWatcher?

    init(fd: FD) { self.fd = fd }
}

/// Runs one `MasterCLISession` on a `SessionDriver`, and its forwards: a socketpair, one end sent
/// to the worker over its link (it becomes a CLI connection there at the session's level), the
/// command written and the write side shut down, the whole reply read to EOF and handed back to
/// the session.
final class MasterCLIConnection: SessionDriverHost {
    unowned(unsafe) let listener: MasterCLIListener
    let session: MasterCLISession
    private var driver: SessionDriver<MasterCLIConnection>!
    private var forward: ForwardedCommand?

    /// What only the master's CLI asks of its connection.
    enum Extra {
        /// Send `command` to the worker `pid` at `level`.
        case forward(pid: Int32, command: [UInt8], level: CLILevel)
        /// Wait for the forwarded command's reply.
        case awaitForward
        /// Reload the master.
        case reload
    }

    /// Idle time before a session is closed, and the longest a forwarded command may take.
    static let idleSeconds = 10.0

    init(fd: FD, listener: MasterCLIListener) {
        self.listener = listener
        session = MasterCLISession(runtime: MasterCLIView(master: listener.master), level: listener.spec.level)
        driver = SessionDriver(fd: fd, host: self, loop: listener.master.loop,
                               readBuffer: listener.master.cliReadBuffer, turns: nil)
    }

    func drive() { driver.drive() }

    /// Ends the session now (also when the master exits).
    func finish() { driver.finish() }

    // MARK: SessionDriverHost

    func nextStep() -> SessionStep<Extra> {
        switch session.nextAction() {
        case .write(let bytes): return .write(bytes)
        case .read: return .read
        case .shutdownWrite: return .shutdownWrite
        case .close: return .close
        case .done: return .done
        case .forward(let pid, let command, let level): return .extra(.forward(pid: pid, command: command, level: level))
        case .awaitForward: return .extra(.awaitForward)
        case .reload: return .extra(.reload)
        }
    }

    func perform(_ extra: Extra) -> Bool {
        switch extra {
        case .forward(let pid, let command, let level):
            startForward(pid: pid, command: command, level: level)
        case .awaitForward:
            return false
        case .reload:
            listener.master.reload()
        }
        return true
    }

    var timeout: Double? { Self.idleSeconds }

    func wrote(_ count: Int) {}

    /// Input is activity: the idle timeout starts again.
    func received(_ count: Int) { driver.touch() }

    /// A forward that outlived the idle timeout fails (the session answers and ends); an idle
    /// session closes.
    func timedOut() -> Bool {
        guard forward != nil else { return false }
        endForward(succeeded: false)
        return true
    }

    func finished() {
        if let forward {
            forward.watcher = nil
            forward.fd.close()
            self.forward = nil
        }
        listener.connectionClosed()
        listener.master.cliConnections[ObjectIdentifier(self)] = nil
    }

    // MARK: forwarding

    private func startForward(pid: Int32, command: [UInt8], level: CLILevel) {
        guard let worker = listener.master.worker(pid: pid) else {
            session.forwardFailed()
            return
        }
        do {
            let (ours, theirs) = try FD.socketPair()
            defer { theirs.close() }
            guard case .processed = try worker.link.send([MasterLinkMessage.connection(level).byte], passing: [theirs]) else {
                ours.close()
                session.forwardFailed()
                return
            }
            let request = command + [0x0A]
            // A fresh socketpair's buffer holds any command line (at most 16 KiB).
            guard case .processed(request.count) = try request.withUnsafeBytes({ try ours.write($0) }) else {
                ours.close()
                session.forwardFailed()
                return
            }
            try ours.shutdown(.write)
            let forward = ForwardedCommand(fd: ours)
            forward.watcher = IOWatcher(loop: listener.master.loop, fd: ours.rawValue) { [unowned(unsafe) self] _ in
                withExtendedLifetime(self) { $0.readForwardReply() }
            }
            self.forward = forward
            driver.touch()
            readForwardReply()
        } catch {
            session.forwardFailed()
        }
    }

    /// Reads the worker's reply to its EOF, then hands it to the session.
    private func readForwardReply() {
        guard let forward else { return }
        let buffer = listener.master.cliReadBuffer
        while true {
            let result: IOResult<Int>
            do {
                result = try forward.fd.read(into: buffer)
            } catch {
                endForward(succeeded: false)
                return
            }
            switch result {
            case .wouldBlock:
                forward.watcher?.setInterest(.read)
                return
            case .processed(0):
                endForward(succeeded: true)
                return
            case .processed(let count):
                forward.reply += UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            }
        }
    }

    private func endForward(succeeded: Bool) {
        guard let forward else { return }
        self.forward = nil
        forward.watcher = nil
        forward.fd.close()
        if succeeded { session.forwardFinished(reply: forward.reply) } else { session.forwardFailed() }
        driver.touch()
        drive()
    }
}

/// The master as its CLI sessions see it.
final class MasterCLIView: MasterCLIRuntime {
    unowned(unsafe) let master: Master

    init(master: Master) { self.master = master }

    var version: String { reportedVersion }
    func showProc() -> String { master.showProcText }
    var currentWorkerPID: Int32? { master.currentWorker?.pid }
    func isWorker(_ pid: Int32) -> Bool { master.worker(pid: pid) != nil }
    var lastReloadFailed: Bool { master.failedReloads > 0 }
}
