import Logging
import OrdrelCLI
import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// How the master was started (`-W`/`-Ws`, `-S`, the rest of the command line).
public struct MasterOptions {
    /// The configuration files and directories, as given.
    public var configPaths: [String]
    /// The master's own arguments without argv[0]; workers get them minus the master-only ones.
    public var arguments: [String]
    /// `-S` specs: `<path>[,mode,600,uid,N,gid,N,user,X,group,Y,level,L]`.
    public var cliSpecs: [String]
    /// `-Ws`: tell systemd (`$NOTIFY_SOCKET`) about readiness, reloads and stopping.
    public var systemd: Bool
    public var pidfile: String?
    public var daemonize: Bool
    /// `-q`: configuration warnings are not printed on reload either.
    public var quiet: Bool

    public init(configPaths: [String], arguments: [String], cliSpecs: [String], systemd: Bool,
                pidfile: String?, daemonize: Bool, quiet: Bool) {
        self.configPaths = configPaths
        self.arguments = arguments
        self.cliSpecs = cliSpecs
        self.systemd = systemd
        self.pidfile = pidfile
        self.daemonize = daemonize
        self.quiet = quiet
    }
}

/// What the master is doing.
enum MasterPhase: Equatable {
    /// The first worker was spawned and is not ready yet.
    case starting
    /// One current worker serves; nothing is in flight.
    case running
    /// A reload spawned worker `pid`, which has not said READY yet; the current worker serves.
    case reloading(pid: Int32)
    /// Stopping: workers were signalled; the master leaves when the last one has exited.
    case stopping
}

/// The master-worker master (`-W`, `-Ws`, `master-worker`): single-threaded on the default libev
/// loop, it starts one worker with posix_spawn, reloads on SIGUSR2, SIGHUP or the master CLI's
/// `reload` (new worker inheriting the listeners over the old one's CLI, old worker soft-stopped
/// only once the new one is ready), passes stop signals on (SIGTTIN/SIGTTOU are refused:
/// workers cannot pause), reaps its workers with an `ev_child` watcher, and serves the master
/// CLI (`-S`). It never binds a proxy's listener itself.
public final class Master {
    let loop: EventLoop
    let logger: Logger
    let options: MasterOptions
    /// The last configuration that loaded.
    private(set) var configuration: Configuration
    /// Every live worker, oldest first.
    private(set) var workers: [WorkerProcess] = []
    private(set) var phase: MasterPhase = .starting
    /// Reload attempts, failed ones included (haproxy's master <reloads>).
    private(set) var reloads = 0
    /// Failed reloads since the last one that succeeded (`[failed: N]`).
    private(set) var failedReloads = 0
    /// A reload asked for while one was in flight runs when that one ends.
    private var reloadPending = false
    /// The status of the worker that made the master stop everything (exit-on-failure).
    private var failureCode: Int32?
    /// The status of the last worker that exited (haproxy's master exits with it).
    private var lastExitCode: Int32 = 0
    /// The status the master exits with once every worker has.
    private var exitCode: Int32 { failureCode ?? lastExitCode }
    private let executable: String
    private let startWallSeconds = WallClock.micros() / 1_000_000
    private var signalWatchers: [SignalWatcher] = []
    private var childWatcher: ChildWatcher?
    private(set) var cliListeners: [MasterCLIListener] = []
    var cliConnections: [ObjectIdentifier: MasterCLIConnection] = [:]
    /// Scratch space the master CLI's connections read into (client input, forwarded replies):
    /// all of them run on the master's loop thread and copy what they read at once.
    let cliReadBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16384, alignment: 16)

    /// `loop` must be the default loop, the only one that can watch signals and children.
    public init(options: MasterOptions, configuration: Configuration, logger: Logger, loop: EventLoop) {
        self.options = options
        self.configuration = configuration
        self.logger = logger
        self.loop = loop
        executable = CurrentProcess.executablePath ?? "/proc/self/exe"
    }

    deinit { cliReadBuffer.deallocate() }

    /// Daemonizes with `-D`, writes the pidfile, binds the master CLI, starts the first worker and
    /// supervises until every worker has exited; then exits the process.
    public func run() -> Never {
        if options.daemonize {
            do {
                try CurrentProcess.detach()
            } catch {
                logger.critical("Cannot run in the background: \(error)")
                CurrentProcess.exit(1)
            }
            loop.afterFork()
        }
        if let path = options.pidfile {
            do {
                try Files.write("\(CurrentProcess.id)\n", to: path)
            } catch {
                logger.critical("Cannot write the pidfile \(path): \(error)")
                CurrentProcess.exit(1)
            }
        }
        for spec in options.cliSpecs {
            do {
                cliListeners.append(try MasterCLIListener(spec: MasterCLISpec(parsing: spec), master: self))
            } catch {
                logger.critical("Cannot bind the master CLI '\(spec)': \(error)")
                CurrentProcess.exit(1)
            }
        }
        childWatcher = ChildWatcher(loop: loop) { [unowned(unsafe) self] pid, status in
            self.childExited(pid: pid, exit: ChildExit(waitStatus: status))
        }
        let watched: [(Signal, () -> Void)] = [
            (.user2, { [unowned(unsafe) self] in self.reload() }),
            (.hangUp, { [unowned(unsafe) self] in self.reload() }),
            (.terminate, { [unowned(unsafe) self] in self.stop(passing: .terminate) }),
            (.interrupt, { [unowned(unsafe) self] in self.stop(passing: .interrupt) }),
            (.user1, { [unowned(unsafe) self] in self.stop(passing: .user1) }),
            // Pause/resume the workers' listeners, broadcast as haproxy's master does.
            (.ttyInput, { [unowned(unsafe) self] in self.broadcast(.ttyInput) }),
            (.ttyOutput, { [unowned(unsafe) self] in self.broadcast(.ttyOutput) }),
        ]
        signalWatchers = watched.map { signal, handler in SignalWatcher(loop: loop, signal: signal.number, handler: handler) }
        do {
            _ = try spawnWorker(socketsFrom: nil)
        } catch {
            logger.critical("Cannot start a worker: \(error)")
            CurrentProcess.exit(1)
        }
        loop.run()
        // Only an empty process table ends the loop (childExited stops it).
        for connection in Array(cliConnections.values) { connection.finish() }
        cliListeners.forEach { $0.close() }
        if let path = options.pidfile { try? Files.unlinkIfPresent(path) }
        CurrentProcess.exit(exitCode)
    }

    // MARK: workers

    var currentWorker: WorkerProcess? { workers.last { $0.phase == .current } }

    /// Spawns a worker with its socketpair; with `socketsFrom` (a connection to the current
    /// worker's CLI) it starts with `-x sockpair@<fd>` and takes the listeners from there.
    private func spawnWorker(socketsFrom: FD?) throws -> WorkerProcess {
        let (masterEnd, workerEnd) = try FD.socketPair()
        defer { workerEnd.close() }
        let hidden = [MasterWorker.workerVariable, MasterWorker.linkVariable, "NOTIFY_SOCKET"].map { $0 + "=" }
        var environment = CurrentProcess.environment.filter { entry in !hidden.contains { entry.hasPrefix($0) } }
        environment.append("\(MasterWorker.workerVariable)=1")
        environment.append("\(MasterWorker.linkVariable)=\(workerEnd.rawValue)")
        let arguments = [CommandLine.arguments.first ?? "ordrel"]
            + MasterWorker.workerArguments(from: options.arguments, inheriting: socketsFrom?.rawValue)
        let pid: Int32
        do {
            pid = try ChildProcess.spawn(path: executable, arguments: arguments, environment: environment,
                                         inherited: [workerEnd] + (socketsFrom.map { [$0] } ?? []))
        } catch {
            masterEnd.close()
            throw error
        }
        let worker = WorkerProcess(pid: pid, link: masterEnd, startWallSeconds: WallClock.micros() / 1_000_000)
        let watcher = IOWatcher(loop: loop, fd: masterEnd.rawValue) { [unowned(unsafe) self, unowned(unsafe) worker] _ in
            self.readLink(of: worker)
        }
        watcher.setInterest(.read)
        worker.watcher = watcher
        workers.append(worker)
        logger.notice("New worker (\(pid)) forked")
        return worker
    }

    /// What a worker says on its link: READY once it serves. EOF: it is exiting (the exit itself
    /// comes from the child watcher).
    private func readLink(of worker: WorkerProcess) {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let result: IOResult<Int>
            do {
                result = try buffer.withUnsafeMutableBytes { try worker.link.read(into: $0) }
            } catch {
                worker.watcher = nil
                return
            }
            guard case .processed(let count) = result else { return }
            guard count > 0 else {
                worker.watcher = nil
                return
            }
            worker.pendingInput += buffer[0..<count]
            while let newline = worker.pendingInput.firstIndex(of: 0x0A) {
                let line = String(decoding: worker.pendingInput[...newline], as: UTF8.self)
                worker.pendingInput.removeSubrange(...newline)
                if line == MasterWorker.readyMessage { workerReady(worker) }
            }
        }
    }

    private func workerReady(_ worker: WorkerProcess) {
        guard worker.phase == .starting else { return }
        switch phase {
        case .starting:
            worker.phase = .current
            phase = .running
        case .reloading(let pid) where pid == worker.pid:
            // Only now do the old workers stop taking connections: the new one already does.
            for old in workers where old.phase == .current {
                old.phase = .leaving
                ChildProcess.signal(old.pid, .user1)
            }
            worker.phase = .current
            failedReloads = 0
            phase = .running
            if let limit = configuration.global.mworkerMaxReloads {
                for old in workers where old.phase == .leaving && old.reloads > limit {
                    logger.warning("Worker (\(old.pid)) lived through \(old.reloads) reloads (mworker-max-reloads \(limit)): sending SIGTERM.")
                    ChildProcess.signal(old.pid, .terminate)
                }
            }
        case .running, .reloading, .stopping:
            // A worker that is no longer wanted (stopping) or a stray message.
            return
        }
        logger.notice("Loading success.")
        notifySystemd("READY=1\nMAINPID=\(CurrentProcess.id)")
        runPendingReload()
    }

    private func childExited(pid: Int32, exit: ChildExit) {
        guard let index = workers.firstIndex(where: { $0.pid == pid }) else { return }
        let worker = workers.remove(at: index)
        worker.watcher = nil
        worker.link.close()
        switch (worker.phase, phase) {
        case (.starting, .reloading(let newPID)) where newPID == pid:
            failedReloads += 1
            phase = .running
            logger.critical("New worker (\(pid)) exited with code \(exit) before it was ready: reload failed, the current worker keeps serving.")
            notifySystemd("READY=1\nMAINPID=\(CurrentProcess.id)")
            runPendingReload()
        case (.starting, _), (.current, _):
            logger.critical("Current worker (\(pid)) exited with code \(exit)")
            lastExitCode = exit.code
            let failed = ![0, 130, 143].contains(exit.code)
            if failed && phase != .stopping && configuration.global.masterExitsOnWorkerFailure {
                logger.critical("exit-on-failure: killing every processes with SIGTERM")
                failureCode = exit.code
                stop(passing: .terminate)
            }
        case (.leaving, _):
            logger.warning("Former worker (\(pid)) exited with code \(exit)")
            lastExitCode = exit.code
        }
        if workers.isEmpty {
            logger.warning("All workers exited. Exiting... (\(exitCode))")
            // The signal watchers stay until `exit`: stopping the last libev watcher of a signal
            // gives it its default action back, and a SIGTERM sent again now would end the
            // master with 143 instead of its workers' status.
            childWatcher = nil
            loop.stop()
        }
    }

    // MARK: reloading

    /// SIGUSR2, SIGHUP or `reload`: re-reads the configuration; if it loads, starts a new worker
    /// that takes the current one's listeners. A reload during another one runs after it.
    func reload() {
        switch phase {
        case .stopping:
            return
        case .starting, .reloading:
            reloadPending = true
            return
        case .running:
            break
        }
        reloads += 1
        for worker in workers { worker.reloads += 1 }
        notifySystemd("RELOADING=1")
        logger.notice("Reloading: re-reading the configuration.")
        switch ConfigCheck.load(paths: options.configPaths, logger: logger, warn: !options.quiet) {
        case .failure(let failure):
            for line in failure.lines { CurrentProcess.writeToStandardError(line + "\n") }
            failedReloads += 1
            logger.critical("Reload failed: the configuration has errors; the current worker keeps serving.")
            notifySystemd("READY=1\nMAINPID=\(CurrentProcess.id)")
            return
        case .success(let loaded):
            configuration = loaded
        }
        // The new worker's `-x sockpair@<fd>`: a socket into the current worker over which it
        // sends its own connection end for `_getsocks`, as through haproxy's master socketpair
        // (not the link itself, whose flags the new worker would share and change).
        var inheritFrom: FD?
        if let current = currentWorker {
            do {
                let (ours, theirs) = try FD.socketPair()
                defer { theirs.close() }
                if case .processed = try current.link.send([MasterLinkMessage.carrier.byte], passing: [theirs]) {
                    inheritFrom = ours
                } else {
                    ours.close()
                }
            } catch {
                logger.warning("Cannot reach worker (\(current.pid)) for its listeners: \(error); the new worker binds its own.")
            }
        }
        defer { inheritFrom?.close() }
        do {
            let worker = try spawnWorker(socketsFrom: inheritFrom)
            phase = .reloading(pid: worker.pid)
        } catch {
            failedReloads += 1
            logger.critical("Reload failed: cannot start a worker: \(error)")
            notifySystemd("READY=1\nMAINPID=\(CurrentProcess.id)")
        }
    }

    private func runPendingReload() {
        guard reloadPending else { return }
        reloadPending = false
        reload()
    }

    // MARK: stopping and signals

    /// SIGTERM, SIGINT (hard) or SIGUSR1 (soft): passed to every worker; the master leaves once
    /// they all have.
    func stop(passing signal: Signal) {
        if phase != .stopping {
            phase = .stopping
            notifySystemd("STOPPING=1")
        }
        broadcast(signal)
    }

    private func broadcast(_ signal: Signal) {
        for worker in workers { ChildProcess.signal(worker.pid, signal) }
    }

    private func notifySystemd(_ message: String) {
        guard options.systemd, let socket = CurrentProcess.environmentVariables["NOTIFY_SOCKET"] else { return }
        do {
            try SystemdNotify.send(message, to: socket)
        } catch {
            logger.warning("Cannot notify systemd: \(error)")
        }
    }

    // MARK: what the master CLI sees

    var showProcText: String {
        let now = WallClock.micros() / 1_000_000
        func row(_ w: WorkerProcess) -> ShowProc.Row { .init(pid: w.pid, reloads: w.reloads, startWallSeconds: w.startWallSeconds) }
        return ShowProc.render(
            master: .init(pid: CurrentProcess.id, reloads: reloads, startWallSeconds: startWallSeconds),
            failedReloads: failedReloads,
            workers: workers.filter { $0.phase == .current }.reversed().map(row),
            oldWorkers: workers.filter { $0.phase == .leaving }.reversed().map(row),
            nowWallSeconds: now, version: reportedVersion)
    }

    func worker(pid: Int32) -> WorkerProcess? { workers.first { $0.pid == pid } }
}

/// Loading a configuration as start-up does, short of binding: parse, build the runtime
/// (servers resolve, backends exist), something listens. Used by the master on reload.
enum ConfigCheck {
    struct Failure: Error {
        /// What standalone start-up prints, one diagnostic per line.
        let lines: [String]
    }

    /// With `warn`, the configuration's warnings go to stderr as at start-up.
    static func load(paths: [String], logger: Logger, warn: Bool) -> Result<Configuration, Failure> {
        let parsed: ParsedConfiguration
        do throws(ConfigError) {
            parsed = try ConfigParser.parse(paths: paths)
        } catch {
            return .failure(Failure(lines: error.diagnostics.map(\.description)))
        }
        if warn { for warning in parsed.warnings { CurrentProcess.writeToStandardError(warning.description + "\n") } }
        do {
            // Its own loop: the default one belongs to the master.
            _ = try Runtime(configuration: parsed.configuration, logger: logger, loop: .makeNew(), defaultThreads: 1)
        } catch let error as RuntimeSetupError {
            return .failure(Failure(lines: [ConfigDiagnostic(.alert, error.location, error.message).description]))
        } catch {
            return .failure(Failure(lines: ["\(error)"]))
        }
        guard parsed.configuration.hasEnabledListener else {
            return .failure(Failure(lines: ["No enabled listener found (check for 'bind' directives) !"]))
        }
        return .success(parsed.configuration)
    }
}
