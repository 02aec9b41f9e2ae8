import OrdrelCLI
import Logging
import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// A configuration the runtime cannot build (unresolvable server, missing backend), naming the line.
public struct RuntimeSetupError: Error, CustomStringConvertible {
    public let location: SourceLocation?
    public let message: String

    public var description: String {
        location.map { "parsing [\($0)] : \(message)" } ?? message
    }
}

/// How the process is stopping.
public enum StopMode: Sendable, Equatable {
    /// Running normally.
    case running
    /// SIGUSR1: listeners closed, open streams finish, then exit.
    case soft
    /// SIGTERM/SIGINT: everything closes now.
    case hard
}

/// The proxy process: proxies and servers, one `Worker` (event loop and thread) per `nbthread`,
/// health checks (on worker 0's loop), and the stats sockets on a thread of their own
/// (`CLIThread`, nice 19).
///
/// Threads share the servers, balancers, queues and counters: streams change them under `lock`;
/// the control plane (CLI commands, check results, stopping) runs `isolated`, with every loop
/// but the caller's paused between two iterations, so it sees and changes the whole process at
/// once.
public final class Runtime {
    /// Worker 0's loop, which also runs checks, resolvers and signals (on the thread that calls
    /// `run()`, or after a fork on a thread `run()` starts).
    public let loop: EventLoop
    public let configuration: Configuration
    public let logger: Logger
    /// The `log` targets of the process and its proxies.
    let logOutput: LogOutput
    /// One per thread; worker 0 is "thread 0", the one that isolates the others.
    private(set) var workers: [Worker] = []
    /// Guards what the threads share: balancers, queues, server slots, the counters (bytes aside)
    /// and the connection counts. Held briefly, never across a stream's I/O or another stream's
    /// start (queued streams start after it is released), so it is never taken twice. Taken
    /// after any loop lock, never before.
    let lock = Lock()
    /// Depth of `isolated` calls on thread 0 (nested calls run their body at once).
    private var isolationDepth = 0
    /// The thread of the stats sockets, their sessions and the master link.
    private(set) var cli: CLIThread!
    /// Its loop: what the CLI state below is watched by.
    var cliLoop: EventLoop { cli.loop }
    public private(set) var proxies: [Proxy] = []
    /// Stick tables by name (each proxy's `stick-table`), and their `show table` order.
    private(set) var stickTablesByName: [String: StickTable] = [:]
    private(set) var stickTableOrder: [StickTable] = []
    /// Process-wide concurrent stream limit (`maxconn`).
    public var maxconn: Int
    /// The limit at start, after the fd limit was applied: `set maxconn global` may not exceed it.
    public private(set) var initialMaxconn: Int
    public private(set) var currentConnections = 0
    /// Slots taken by accepts not counted yet (`Proxy.acceptsInFlight`, process-wide; under `lock`).
    var acceptsInFlight = 0
    /// `CumConns`: accepted client and CLI connections plus health-check runs, as haproxy's
    /// `totalconn` counts every session it creates.
    public internal(set) var cumulativeConnections: UInt64 = 0
    /// `CumReq`: streams, client and CLI alike (haproxy's `global.req_count`).
    public internal(set) var cumulativeRequests: UInt64 = 0
    /// Bytes written to CLI clients, for `TotalBytesOut` (haproxy counts every socket's output),
    /// and the CLI sessions open (`show info`'s Jobs and Tasks): the CLI thread's, under `lock`
    /// so that thread 0's stats page reads them too.
    public internal(set) var cliBytesOut: UInt64 = 0
    var cliSessionCount = 0
    /// `TotalBytesOut` of counters since cleared by `clear counters all`, which does not reset it.
    var clearedBytesOut: UInt64 = 0
    public private(set) var maxConnectionsSeen = 0
    public private(set) var stopMode: StopMode = .running
    /// Wall-clock second the process started, for `show info` uptime.
    public let startWallSeconds: UInt64
    /// `Ulimit-n` and the host name (`node`, the stats page's node), read on first use: only
    /// start-up changes them, as haproxy reads both once, and `show info` and every stats page
    /// would otherwise pay a `getrlimit` and a `gethostname`.
    lazy var openFileLimit = Files.raiseOpenFileLimit(to: 0)
    lazy var hostName = CurrentProcess.hostName
    /// `Pid`, read once (and again after a daemon's fork): `show info` and every stats page
    /// would otherwise make a `getpid` system call.
    lazy var processID = CurrentProcess.id
    private var signalWatchers: [SignalWatcher] = []
    /// Stats sockets and their open CLI connections. These, `masterLink`, `masterCarriers`,
    /// `cliConnections`, `cliTurns` and `cliSessionsAccepted` belong to the CLI thread (set up
    /// before it starts): thread 0 asks it through `cli.post`, and reads them only in work that
    /// thread waits for (`onThread0`). The array itself is fixed once `start()` returns.
    private(set) var statsSockets: [StatsSocket] = []
    /// A master-worker worker's link to its master (not a stats socket: `_getsocks` does not
    /// export it).
    private(set) var masterLink: StatsSocket?
    /// Carriers the master sent for new workers' `-x sockpair@<fd>`; kept until the process stops
    /// (their connections refer to them), closed at their EOF.
    private var masterCarriers: [StatsSocket] = []
    var cliConnections: [ObjectIdentifier: CLIConnection] = [:]
    /// Where the stats sessions of every socket wait for their next step.
    private(set) lazy var cliTurns = SessionTurns(loop: cliLoop, budget: CLIConnection.turnBudget)
    /// The turns of the built-in HTTP services' connections, on thread 0.
    private(set) lazy var httpTurns = SessionTurns(loop: loop, budget: CLIConnection.turnBudget)
    /// Connections of `mode http` sections (built-in services), all on thread 0.
    var httpConnections: [ObjectIdentifier: HTTPConnection] = [:]
    /// What those sections serve, by proxy.
    var builtinServices: [ObjectIdentifier: BuiltinServices] = [:]
    /// Scratch space the HTTP connections read into (thread 0 only).
    let httpReadBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16384, alignment: 16)
    /// `maxconnrate`/`maxsessrate`, changed by `set rate-limit connections|sessions global`
    /// (0 = none), and the process-wide accept rate they limit (haproxy's conn_per_sec; CLI
    /// connections do not count). Under `lock`.
    var connectionRateLimit = 0
    var sessionRateLimit = 0
    var acceptRate = RateCounter()
    /// CLI connections accepted so far (their serial numbers).
    var cliSessionsAccepted: UInt64 = 0
    /// CLI thread: a stop is draining the sessions (thread 0 waits for `.cliDrained`), and the
    /// process is exiting (nothing more is posted to thread 0).
    private var cliDraining = false
    private var cliExiting = false
    /// Thread 0: the CLI thread said it has no session left, at the end of a stop.
    private var cliDrained = false
    /// Thread 0, after a hand-over: the CLI thread has closed the stats sockets; until then, the
    /// stop that waits for it (the listeners still accept meanwhile, so a soft stop cannot end).
    private var statsSocketsReleased = false
    private var drainAfterSocketsClose: StopMode = .running
    /// Thread 0: the CLI thread runs (its exit ends thread 0's loop).
    private var cliRunning = false
    private var hardStopTimer: TimerWatcher?
    /// Runs out the `grace` period of a soft stop, during which listeners still accept.
    private var graceTimer: TimerWatcher?
    private var inGracePeriod = false
    private let maxAccept: Int
    /// Health checks run (from `start()` until the process stops).
    var healthChecksStarted = false
    /// `resolvers` sections some server uses (RuntimeResolvers.swift).
    var resolverSections: [ResolversSection] = []

    /// Builds proxies, servers and one worker per thread from `configuration`; nothing is bound
    /// and no thread starts yet. The thread count is `nbthread`, else `defaultThreads`.
    public init(configuration: Configuration, logger: Logger, loop: EventLoop = .makeDefault(),
                defaultThreads: Int = 1) throws {
        self.loop = loop
        self.configuration = configuration
        let output = LogOutput(configuration: configuration, programName: LogOutput.programName)
        self.logOutput = output
        self.logger = Logger(label: logger.label) { _ in SyslogLogHandler(next: logger, output: output) }
        self.maxconn = configuration.global.maxconn ?? Runtime.defaultMaxconn()
        self.initialMaxconn = maxconn
        self.maxAccept = configuration.global.tuneMaxaccept
        connectionRateLimit = configuration.global.maxConnRate
        sessionRateLimit = configuration.global.maxSessRate
        self.startWallSeconds = UInt64(Runtime.wallMicros() / 1_000_000)
        let threads = max(1, min(configuration.global.nbthread ?? defaultThreads, 64))
        for index in 0..<threads {
            workers.append(Worker(index: index, loop: index == 0 ? loop : .makeNew(), runtime: self,
                                  bufferSize: configuration.global.tuneBufsize))
        }
        try buildProxies()
        for proxy in proxies {
            proxy.logSinks = output.sinks(ofProxy: proxy.id).flatMap { $0.isEmpty ? nil : $0 }
        }
        cli = CLIThread { [unowned(unsafe) self] in self.handle($0) }
    }

    deinit { httpReadBuffer.deallocate() }

    /// Threads (event loops) the process runs.
    public var threadCount: Int { workers.count }

    /// haproxy derives maxconn from the fd limit when it is not set. Each stream needs two fds,
    /// and splice() pipes (up to maxconn/4, two fds each) another half: 2.5 per stream, plus margin.
    static func defaultMaxconn() -> Int {
        let limit = Files.raiseOpenFileLimit(to: 0)
        return max(100, (limit - 64) * 2 / 5)
    }

    private func buildProxies() throws {
        let wall = wallSeconds
        for config in configuration.proxies {
            let proxy = Proxy(config: config, defaultMaxconn: maxconn, wallSeconds: wall, threads: workers.count)
            for (index, serverConfig) in config.servers.enumerated() {
                proxy.servers.append(try makeServer(serverConfig, index: index, backend: proxy, wallSeconds: wall))
            }
            proxies.append(proxy)
            if let table = proxy.stickTable {
                stickTablesByName[table.name] = table
                // haproxy lists tables newest first.
                stickTableOrder.insert(table, at: 0)
            }
            if config.mode == .http { builtinServices[ObjectIdentifier(proxy)] = BuiltinServices(config: config) }
        }
        buildBalancers()
        for proxy in proxies where proxy.isFrontend {
            for rule in proxy.config.rules.useBackends {
                guard let backend = proxies.first(where: { $0.name == rule.backend && $0.isBackend }) else {
                    throw RuntimeSetupError(location: rule.location,
                                            message: "proxy '\(proxy.name)': unable to find required use_backend '\(rule.backend)'.")
                }
                proxy.ruleBackends.append(ProxyReference(proxy: backend))
            }
            let target = proxy.config.rules.useBackends.first(where: { $0.condition == nil })?.backend ?? proxy.config.defaultBackend
            guard let target else { continue }
            guard let backend = proxies.first(where: { $0.name == target && $0.isBackend }) else {
                throw RuntimeSetupError(location: proxy.config.location,
                                        message: "proxy '\(proxy.name)': unable to find required backend '\(target)'.")
            }
            proxy.targetBackend = backend
        }
        // haproxy's `fullconn` default, 10% of the maxconn of the frontends that use the
        // backend, computed once at start-up: `set maxconn frontend` does not change it.
        for backend in proxies where backend.isBackend {
            let sum = proxies.filter { $0.isFrontend && $0.targetBackend === backend }.reduce(0) { $0 + $1.initialMaxconn }
            backend.fullconn = backend.config.fullconn ?? max(1, sum / 10)
        }
    }

    public func proxy(named name: String) -> Proxy? { proxies.first { $0.name == name } }

    // MARK: starting and stopping

    /// Installs signal handlers, raises the fd limit and binds every listener (all or nothing).
    /// A listener or stats socket that matches one of `inherited` (received from the old process
    /// with `-x`) uses it as is; inherited sockets nothing matches are closed once all is bound.
    public func start(inheriting inherited: [InheritedSocket] = []) throws {
        let pool = InheritedListeners(inherited)
        defer {
            let unused = pool.closeLeftovers()
            if unused > 0 { logger.notice("Closed \(unused) listening sockets of the old process that the configuration no longer uses.") }
        }
        // Before anything listens: a client that sees a port open may signal at once.
        let handlers: [(Signal, (Runtime) -> Void)] = [
            (.terminate, { $0.stop(.hard) }),
            (.interrupt, { $0.stop(.hard) }),
            (.user1, { $0.stop(.soft) }),
            (.ttyOutput, { $0.suspendListeners() }),
            (.ttyInput, { $0.resumeSuspendedListeners() }),
        ]
        signalWatchers = handlers.map { signal, handle in
            SignalWatcher(loop: loop, signal: signal.number) { [unowned(unsafe) self] in
                guard !self.loopsExiting else { return }
                self.isolated { handle(self) }
            }
        }
        try reserveFileDescriptors()
        try logOutput.open()
        do {
            try bindListeners(inherited: pool)
            for socketConfig in configuration.global.statsSockets {
                statsSockets.append(try StatsSocket(config: socketConfig, runtime: self, inherited: pool))
            }
        } catch {
            for worker in workers {
                worker.listeners.forEach { $0.close() }
                worker.listeners.removeAll()
            }
            statsSockets.forEach { $0.close() }
            statsSockets.removeAll()
            throw error
        }
        for worker in workers {
            for listener in worker.listeners {
                if listener.proxy.frontendEnabled { listener.start() } else { listener.pause(.disabled, loop: worker.loop) }
            }
        }
        startHealthChecks()
        startAgentChecks()
        stickTableOrder.forEach { $0.startSweeping(on: loop) }
        try startResolvers()
    }

    /// In a master-worker worker, after `start()`: serves the master's CLI connections on `ipc`
    /// (this worker's end of its socketpair) and tells the master this worker is ready.
    public func attachMaster(ipc: FD) throws {
        masterLink = StatsSocket(masterLink: ipc, runtime: self)
        let message = Array(MasterWorker.readyMessage.utf8)
        guard case .processed(message.count) = try message.withUnsafeBytes({ try ipc.write($0) }) else {
            throw RuntimeSetupError(location: nil, message: "cannot tell the master this worker is ready")
        }
    }

    func addMasterCarrier(_ carrier: StatsSocket) { masterCarriers.append(carrier) }

    /// Raises the fd limit for `maxconn` and sizes the splice pipe pools; with `strict-limits` and
    /// an explicit `maxconn`, a limit too low is an error (`ordrel -c` checks it too).
    public func reserveFileDescriptors() throws {
        // Listeners, stats sockets, one fd per checked server while its check runs, and margin.
        let checkedServers = configuration.proxies.reduce(0) { $0 + $1.servers.filter(\.check).count }
        let fixedFDs = 32 + configuration.proxies.reduce(0) { $0 + $1.binds.count }
            + configuration.global.statsSockets.count + checkedServers
        // Streams need two fds each; splice() pipes, two each for up to maxconn/4 of them, are
        // asked for too but only required as far as the limit allows.
        let wantedFDs = maxconn * 2 + fixedFDs
        let got = Files.raiseOpenFileLimit(to: wantedFDs + 2 * (maxconn / 4))
        if got < wantedFDs {
            let message = "[\(CommandLine.arguments.first ?? "ordrel")] maxconn \(maxconn) needs \(wantedFDs) file descriptors but the limit is \(got)."
            if configuration.global.maxconn != nil {
                if configuration.global.strictLimits {
                    throw RuntimeSetupError(location: nil, message: message + " Use 'no strict-limits' to start anyway.")
                }
                // haproxy keeps a configured maxconn under `no strict-limits` and says so twice.
                logger.warning("[\(CommandLine.arguments.first ?? "ordrel")] Cannot raise FD limit to \(wantedFDs), limit is \(got).")
                logger.error("[\(CommandLine.arguments.first ?? "ordrel")] FD limit (\(got)) too low for maxconn=\(maxconn)/maxsock=\(wantedFDs). Please raise 'ulimit-n' to \(wantedFDs) or more to avoid any trouble.")
            } else {
                logger.warning("\(message) Lowering maxconn to \((got - fixedFDs) / 2).")
                maxconn = max(1, (got - fixedFDs) / 2)
                initialMaxconn = maxconn
            }
        }
        // Only as many pipes as the fds left over allow (haproxy's default maxpipes is maxconn/4,
        // counted in its socket budget), so they can never push accept() into EMFILE; with no
        // room left, streams simply stay on their buffers.
        // Each worker gets its share of the pipes.
        let pipeLimit = max(0, min(maxconn / 4, (got - maxconn * 2 - fixedFDs) / 2))
        for worker in workers { worker.pipes.limit = pipeLimit / workers.count }
    }

    /// One listening socket per bind, watched by every worker's loop: whichever thread is free
    /// first accepts, and `openStream` balances the streams over the threads. Measured against one
    /// SO_REUSEPORT socket per thread (docs/performance.md), this cut the connection-per-request
    /// p99 and spread keep-alive connections evenly instead of by hash.
    private func bindListeners(inherited: InheritedListeners) throws {
        for proxy in proxies where proxy.isFrontend {
            for bind in proxy.config.binds {
                let first = try Listener(bind: bind, proxy: proxy, loop: loop, inherited: inherited,
                                         reusePort: !configuration.global.noReusePort) { [unowned(unsafe) self] in
                    self.acceptBatch(on: $0, worker: self.workers[0])
                }
                workers[0].listeners.append(first)
                // Built-in services run on thread 0 only: the stats page isolates the others.
                if proxy.config.mode == .http { continue }
                for worker in workers.dropFirst() {
                    let listener = Listener(sharing: first, loop: worker.loop) {
                        [unowned(unsafe) self, unowned(unsafe) worker] in
                        self.acceptBatch(on: $0, worker: worker)
                    }
                    worker.listeners.append(listener)
                }
            }
        }
    }

    /// In the child after a fork (daemon mode), before `run()`: every loop re-creates its kernel state.
    public func afterFork() {
        processID = CurrentProcess.id
        for worker in workers { worker.loop.afterFork() }
        cliLoop.afterFork()
    }

    /// Runs every worker's loop until the process stops: worker 0 on the calling thread, or,
    /// with `forked` (the process daemonized with fork() after the Swift runtime started), on a
    /// new thread while the calling thread only waits. The Swift runtime's locks identify their
    /// owner by a thread id each thread caches on first use, and the forked child's main thread
    /// keeps its parent's: a runtime lock it holds while another thread waits can then never be
    /// handed over, and both threads spin (seen as a livelock in generic-metadata set-up when two
    /// loops accepted their first connections at once). Threads created after the fork cache
    /// their own ids. That thread also takes the signals, as libev wants them on the thread
    /// running the loop that watches them.
    public func run(forked: Bool = false) {
        guard forked else {
            runLoops()
            return
        }
        let runtime = UncheckedSendable(self)
        do {
            let thread = try Threads.start(name: "ordrel-0", blockingSignals: false) { runtime.value.runLoops() }
            Threads.blockAllSignals()
            Threads.join(thread)
        } catch {
            logger.warning("Cannot start the first loop's thread (\(error)); running it on the main thread.")
            runLoops()
        }
    }

    private func runLoops() {
        for worker in workers.dropFirst() {
            do {
                try worker.startThread()
            } catch {
                logger.error("Cannot start thread \(worker.index + 1): \(error); it takes no connections.")
                // Never the least loaded: no connection is handed to a loop that does not run.
                lock.withLock { worker.streamCount = Int.max / 2 }
            }
        }
        workers[0].threadID = Threads.currentID
        do {
            try cli.start { [logger] error in
                logger.warning("The CLI thread keeps its priority (\(error)): a busy stats client competes with traffic.")
            }
            cliRunning = true
        } catch {
            logger.error("Cannot start the CLI thread: \(error); the stats sockets do not answer.")
        }
        loop.run()
        cli.join()
        for worker in workers.dropFirst() { worker.post(.exit) }
        for worker in workers.dropFirst() { worker.join() }
    }

    /// Runs `body` on thread 0 with every other worker paused between two loop iterations: the
    /// control plane (CLI commands, check results, stopping) reads and changes servers, queues,
    /// counters, checks, resolvers and any thread's streams and listeners as if there were one
    /// thread. From the CLI thread, `body` is handed to thread 0 (`onThread0`) and runs there:
    /// the niced CLI thread never holds a lock a worker waits for, so the kernel's preference for
    /// the workers cannot turn against them while a command runs. `lock` is free meanwhile (no
    /// other thread can want it), so the streams `body` drives take it as usual. Every paused
    /// worker is woken on the way out, so watcher changes `body` made on its loop (a stream
    /// killed, a listener paused) take effect at once; `readOnly` (a `body` that changes no
    /// loop's watchers, such as taking the stats page's rows) leaves them asleep, sparing each an
    /// eventfd write, a wake-up and a loop iteration. Never call it while holding `lock` (a
    /// worker waiting for `lock` would never pause), nor from workers 1 and up.
    @discardableResult
    func isolated<T>(readOnly: Bool = false, _ body: () -> T) -> T {
        guard Threads.currentWorker == 0 else { return onThread0 { isolated(readOnly: readOnly, body) } }
        if isolationDepth > 0 { return body() }
        let others = workers.dropFirst()
        for worker in others { worker.loopLock?.lock() }
        isolationDepth += 1
        defer {
            isolationDepth -= 1
            for worker in others.reversed() {
                if !readOnly { worker.wakeUp() }
                worker.loopLock?.unlock()
            }
        }
        return body()
    }

    /// Whether the other loops are parked by `isolated` right now (thread 0).
    var isIsolating: Bool { isolationDepth > 0 }

    /// CLI thread: runs `body` on thread 0, as one message of its mailbox between two of its loop
    /// iterations, and waits for it. While the CLI thread waits, `body` may also use what that
    /// thread owns (its sessions for `show sess`, its sockets for `show fd` and `_getsocks`).
    /// Thread 0 never waits for the CLI thread, and its loop runs until that thread has left
    /// its own (`WorkerMessage.cliExited`), so the wait always ends.
    func onThread0<T>(_ body: () -> T) -> T {
        withoutActuallyEscaping(body) { body in
            var result: T?
            let work = HandedWork { result = body() }
            workers[0].post(.run(work))
            work.completion.wait()
            guard let result else { preconditionFailure("thread 0 ran the work without a result") }
            return result
        }
    }

    /// Soft stop closes listeners and lets open streams finish; hard stop closes everything now.
    /// With `grace`, a soft stop first leaves the listeners accepting for that long, as haproxy
    /// does; `hard-stop-after` counts from the signal. Runs isolated.
    public func stop(_ mode: StopMode) {
        guard mode != .running else { return }
        if mode == .soft && stopMode != .running { return }
        stopMode = mode
        if mode == .soft, let limit = configuration.global.hardStopAfterMs {
            let timer = TimerWatcher(loop: loop) { [unowned(unsafe) self] in self.isolated { self.stop(.hard) } }
            timer.schedule(after: Double(limit) / 1000)
            hardStopTimer = timer
        }
        if mode == .soft, let grace = configuration.global.graceMs, grace > 0 {
            logger.notice("Scheduling a soft-stop in \(grace) ms.")
            inGracePeriod = true
            let timer = TimerWatcher(loop: loop) { [unowned(unsafe) self] in
                self.isolated {
                    self.logger.notice("Grace period expired, proceeding with soft-stop now.")
                    self.inGracePeriod = false
                    self.closeListenersAndDrain(.soft)
                }
            }
            timer.schedule(after: Double(grace) / 1000)
            graceTimer = timer
            return
        }
        inGracePeriod = false
        closeListenersAndDrain(mode)
    }

    /// Closes every listener, then ends the streams now (hard stop, or none left) or waits for them.
    /// Listeners are closed, never shut down: after `_getsocks` the new process owns their backlog.
    /// If they were handed over, the stats sockets stop accepting first (their path belongs to the
    /// new process: a client that finds the frontends closed must not reach this one's CLI),
    /// which the CLI thread does and answers (`statsSocketsClosed`); otherwise they keep
    /// answering while streams drain.
    private func closeListenersAndDrain(_ mode: StopMode) {
        if listenersExported && !statsSocketsReleased {
            drainAfterSocketsClose = mode
            return cli.post(.closeSockets)
        }
        drainAfterSocketsClose = .running
        // Threads that only watch a socket let go of it before the thread that owns it closes it.
        for worker in workers.reversed() {
            worker.listeners.forEach { $0.close() }
            worker.listeners.removeAll()
        }
        if mode == .soft {
            // haproxy's `stop_proxy` line, on stderr and to each proxy's log targets.
            for proxy in proxies {
                let (fe, be) = lock.withLock { (proxy.frontendCounters.connectionsTotal, proxy.backendCounters.total) }
                logger.warning("Proxy \(proxy.name) stopped (cumulated conns: FE: \(fe), BE: \(be)).",
                               metadata: LogMetadata.for(proxy: proxy))
            }
        }
        // Counted connections, including any on their way to another thread's mailbox.
        let open = currentConnections
        if mode == .hard || open == 0 {
            logger.notice("Proxy stopping: \(mode == .hard ? "hard" : "soft") stop, \(open) streams closed.")
            for worker in workers {
                for stream in worker.streams.all { stream.end(.reset(.killed, in: .data)) }
            }
            finishStopping(mode)
            return
        }
        logger.notice("Soft stop: listeners closed, waiting for \(open) streams to finish.")
    }

    /// On thread 0: a soft stop ends once the last stream of any thread has closed.
    func finishSoftStopIfDone() {
        guard isolated({
            stopMode == .soft && !inGracePeriod && drainAfterSocketsClose == .running && currentConnections == 0 && !stopFinished
        }) else { return }
        logger.notice("Soft stop complete: all streams finished.")
        finishStopping()
    }

    // MARK: handing listeners over (`_getsocks`)

    /// Set once `_getsocks` handed this process's listening sockets to another process.
    public private(set) var listenersExported = false

    /// Every listening fd this process has, each once: frontend listeners (thread 0's, which own
    /// their fds) and stats sockets, inherited ones included, so a chain of reloads works.
    func exportableSockets() -> [TransferredSocket] {
        workers[0].listeners.map { TransferredSocket(fd: $0.fd) }
            + statsSockets.filter(\.isListening).map { TransferredSocket(fd: $0.fd) }
    }

    /// `_getsocks` on a CLI connection: sends the listening sockets when the stats socket has
    /// `expose-fd listeners` (else nothing: the session just ends, as haproxy). Blocking with
    /// 1 s timeouts, as haproxy, and not isolated: only thread 0 opens or closes these fds.
    func exportListeners(over connection: FD, allowed: Bool) {
        guard allowed else { return }
        let sockets = isolated { exportableSockets() }
        if let error = ListenerExport.send(sockets, over: connection) {
            logger.warning("_getsocks: transferring \(sockets.count) listening sockets failed: \(error)")
            return
        }
        guard !sockets.isEmpty else { return }
        isolated { listenersExported = true }
        logger.notice("_getsocks: \(sockets.count) listening sockets sent to a new process.")
    }

    /// Set once the last stream has ended (or a hard stop began): no new stats session starts
    /// (thread 0 only).
    private var stopFinished = false
    /// Set once the loops are told to exit.
    private var loopsExiting = false
    /// Bounds how long a soft stop waits for stats sessions already under way.
    private var cliDrainTimer: TimerWatcher?

    /// The streams are done. Stats sessions already accepted still get their whole reply (the
    /// orderly release ordrel promises: a query racing a reload or a soft stop is answered, never
    /// cut): the CLI thread stops accepting, and the loops exit once it has no session left
    /// (`cliSessionsDrained`), after at most `stats timeout`. Connections of the built-in HTTP
    /// services finish the reply under way and close (idle ones at once). A hard stop ends them
    /// all at once.
    private func finishStopping(_ mode: StopMode = .soft) {
        if stopFinished {
            if mode == .hard { exitLoops() }
            return
        }
        stopFinished = true
        hardStopTimer?.cancel()
        graceTimer?.cancel()
        // A socket only this process listens on gives up what the kernel already queued first:
        // closing it would reset those clients. A handed-over one keeps its queue for the new process.
        cli.post(.drain(acceptQueued: !listenersExported))
        stopHealthChecks()
        stopAgentChecks()
        stopResolvers()
        if mode != .hard { Array(httpConnections.values).forEach { $0.stop() } }
        if mode == .hard { return exitLoops() }
        if !httpConnections.isEmpty {
            logger.notice("Stopping once \(httpConnections.count) HTTP connection\(httpConnections.count == 1 ? " has" : "s have") sent its reply.")
        }
        let timer = TimerWatcher(loop: loop) { [unowned(unsafe) self] in self.isolated { self.exitLoops() } }
        timer.schedule(after: Double(configuration.global.statsTimeoutMs) / 1000)
        cliDrainTimer = timer
    }

    /// Thread 0: a built-in service connection ended, or the CLI thread has no session left; the
    /// last of them lets a finished stop exit.
    func sessionEnded() {
        if stopFinished && cliDrained && httpConnections.isEmpty && !loopsExiting { exitLoops() }
    }

    /// Thread 0: the CLI thread closed the stats sockets after a hand-over; the stop goes on.
    func statsSocketsClosed() {
        guard !statsSocketsReleased else { return }
        statsSocketsReleased = true
        isolated { closeListenersAndDrain(drainAfterSocketsClose) }
    }

    /// Thread 0: the CLI thread, draining, has ended its last session.
    func cliSessionsDrained() {
        cliDrained = true
        sessionEnded()
    }

    private func exitLoops() {
        guard !loopsExiting else { return }
        loopsExiting = true
        cliDrainTimer?.cancel()
        // Sessions first: their timers could still fire in the loop's last iteration.
        for connection in Array(httpConnections.values) { connection.finish() }
        // The signal watchers stay, inert (`loopsExiting`), until the runtime is released (the
        // daemon blocks signals first): stopping the last libev watcher of a signal puts its
        // default action back, and a master passes SIGTERM and SIGUSR1 on to former workers on
        // their way out, which then died of them (the master reported 143).
        for worker in workers.dropFirst() { worker.post(.exit) }
        cli.post(.exit)
        // Thread 0 serves the CLI thread's `onThread0` until it has left its loop (`.cliExited`).
        if !cliRunning { loop.stop() }
    }

    // MARK: the CLI thread

    /// Hands `job` to the CLI thread, which renders it and sends it back to its connection;
    /// false when that thread does not run (it could not start, or the process is exiting).
    func renderOffThread0(_ job: HTTPRenderJob) -> Bool {
        guard cliRunning && !loopsExiting else { return false }
        cli.post(.renderHTTPReply(job))
        return true
    }

    /// What thread 0 asks of the CLI thread, run there.
    private func handle(_ message: CLIMessage) {
        switch message {
        case .closeSockets:
            statsSockets.forEach { $0.close() }
            workers[0].post(.statsSocketsClosed)
        case .drain(let acceptQueued):
            if acceptQueued { statsSockets.forEach { $0.acceptQueued() } }
            statsSockets.forEach { $0.close() }
            cliDraining = true
            if !cliConnections.isEmpty {
                logger.notice("Stopping once \(cliConnections.count) stats session\(cliConnections.count == 1 ? " has" : "s have") ended.")
            }
            cliSessionEnded()
        case .statsRowsBuilt(let batches, let rows, let rest):
            batches.arrived(rows, rest: rest)
        case .renderHTTPReply(let job):
            job.run()
            workers[0].post(.httpReplyRendered(job))
        case .exit:
            guard !cliExiting else { return }
            cliExiting = true
            // Sessions first: their timers could still fire in the loop's last iteration. The
            // sockets stay allocated (closed) with the runtime: a session refers to its socket
            // unretained.
            for connection in Array(cliConnections.values) { connection.finish() }
            statsSockets.forEach { $0.close() }
            masterLink?.close()
            masterCarriers.forEach { $0.close() }
            cliLoop.stop()
            workers[0].post(.cliExited)
        }
    }

    /// CLI thread: a stats session ended; the last one of a drain tells thread 0.
    func cliSessionEnded() {
        guard cliDraining, !cliExiting, cliConnections.isEmpty else { return }
        cliDraining = false
        workers[0].post(.cliDrained)
    }

    // MARK: accepting

    /// Whether `frontend` or the process is at its `maxconn`, counting the accepts in flight
    /// (under `lock`).
    func isAtConnectionLimit(_ frontend: Proxy) -> Bool {
        currentConnections + acceptsInFlight >= maxconn
            || (frontend.maxconn > 0 && frontend.frontendCounters.current + frontend.acceptsInFlight >= frontend.maxconn)
    }

    /// Gives back an accept slot that no stream took (nothing accepted, a connection refused or
    /// closed, or one handed to a PROXY handshake, which is not counted before its stream):
    /// listeners paused at a limit may accept again. On `worker`'s thread.
    func releaseAcceptSlot(_ frontend: Proxy, on worker: Worker) {
        let waiting = lock.withLock {
            countAcceptSlot(of: frontend, taken: false)
            return workers.filter(\.hasListenersAtLimit)
        }
        resumeListeners(waiting, from: worker)
    }

    /// One accept slot of `frontend` taken or given back (under `lock`).
    func countAcceptSlot(of frontend: Proxy, taken: Bool) {
        let change = taken ? 1 : -1
        acceptsInFlight += change
        frontend.acceptsInFlight += change
    }

    /// Room was freed outside a stream's end: every worker with listeners paused at a limit
    /// looks again. On `worker`'s thread.
    func resumeListenersAtLimit(from worker: Worker) {
        resumeListeners(lock.withLock { workers.filter(\.hasListenersAtLimit) }, from: worker)
    }

    /// Tells workers whose listeners wait at a limit to look again (this one directly).
    private func resumeListeners(_ waiting: [Worker], from worker: Worker) {
        for paused in waiting {
            if paused === worker { paused.resumeListenersBelowLimits() } else { paused.post(.resumeListeners) }
        }
    }

    private func acceptBatch(on listener: Listener, worker: Worker) {
        var budget = maxAccept < 0 ? Int.max : max(1, maxAccept)
        let proxy = listener.proxy
        while budget > 0 {
            if let wait = rateLimitWait(nowMs: worker.loop.nowMilliseconds) {
                listener.pause(.rateLimited, loop: worker.loop, for: wait)
                return
            }
            if case .socketPair = listener.bind.address {
                do {
                    if worker.pauseIfAtLimit(listener) { return }
                    guard try receiveConnections(on: listener, worker: worker) else { return }
                    budget -= 1
                    continue
                } catch let error as SyscallError where error.isResourceExhaustion {
                    pauseForResources(listener, on: worker, error)
                    return
                } catch {
                    continue
                }
            }
            // The slot is the stream's once it is counted (`openStream`), else given back.
            if worker.pauseIfAtLimit(listener, takingSlot: true) { return }
            do {
                switch try listener.fd.accept() {
                case .wouldBlock:
                    releaseAcceptSlot(proxy, on: worker)
                    return
                case .processed(let (fd, address)):
                    budget -= 1
                    if let services = builtinServices[ObjectIdentifier(proxy)] {
                        openHTTPConnection(client: fd, address: address, frontend: proxy, services: services)
                    } else {
                        var client = AcceptedClient(fd: fd, address: address, listener: listener)
                        client.holdsAcceptSlot = true
                        admit(on: worker, client: client, listener: listener)
                    }
                }
            } catch let error as SyscallError where error.isResourceExhaustion {
                releaseAcceptSlot(proxy, on: worker)
                pauseForResources(listener, on: worker, error)
                return
            } catch {
                // ECONNABORTED and friends concern one connection only: keep accepting.
                releaseAcceptSlot(proxy, on: worker)
                continue
            }
        }
    }

    private func pauseForResources(_ listener: Listener, on worker: Worker, _ error: SyscallError) {
        logger.warning("Proxy \(listener.proxy.name) reached a system limit while accepting (\(error)); pausing the listener for 100 ms.")
        listener.pause(.resources, loop: worker.loop, for: 0.1)
    }

    /// `sockpair@` listeners: one message carries a connection as a descriptor (haproxy's
    /// `recv_fd_uxst`), whose peer is the client. False when nothing more is to be read now; the
    /// peer closing its end (or breaking it) stops the listener for good. Throws only what
    /// `accept` would (running out of descriptors), for the caller's pause.
    private func receiveConnections(on listener: Listener, worker: Worker) throws -> Bool {
        let message: ReceivedMessage
        do {
            guard case .processed(let received) = try listener.fd.receive(maxBytes: 2, maxFDs: 1) else { return false }
            message = received
        } catch let error as SyscallError where !error.isResourceExhaustion {
            // Every thread watching the socket sees it; the one owning it says so.
            if listener.ownsFD {
                logger.warning("Proxy \(listener.proxy.name): \(listener.bind.address) failed (\(error)); no more connections come through it.")
            }
            listener.pause(.disabled, loop: worker.loop)
            return false
        }
        if message.bytes.isEmpty && message.fds.isEmpty {
            if listener.ownsFD {
                logger.warning("Proxy \(listener.proxy.name): \(listener.bind.address) was closed by its peer; no more connections come through it.")
            }
            listener.pause(.disabled, loop: worker.loop)
            return false
        }
        for client in message.fds {
            guard (try? client.setBlocking(false)) != nil,
                  let address = (try? client.peerAddress()) ?? (try? client.localAddress()) else {
                client.close()
                continue
            }
            admit(on: worker, client: AcceptedClient(fd: client, address: address, listener: listener),
                  listener: listener)
        }
        return true
    }

    /// Seconds to wait before accepting again when the process-wide accept rate has reached the
    /// lower `set rate-limit` limit; nil when accepting may go on. The wait is one accept's share
    /// of a second, at most what is left of the current one, then the rate is read again.
    private func rateLimitWait(nowMs: UInt64) -> Double? {
        lock.withLock {
            let limits = [connectionRateLimit, sessionRateLimit].filter { $0 > 0 }
            guard let limit = limits.min(), Int(acceptRate.rate(nowMs: nowMs)) >= limit else { return nil }
            let share = max(1, 1000 / UInt64(limit))
            return Double(min(share, 1000 - nowMs % 1000)) / 1000
        }
    }

    /// A new connection: its `tcp-request connection` rules, then its PROXY header with
    /// `accept-proxy` or a rule's `expect-proxy layer4`, then its stream. As in haproxy 2.6
    /// (checked with 2.6.12), the rules see the real peer, before the header: a connection they
    /// reject goes straight to `openStream`, which counts it.
    private func admit(on worker: Worker, client: AcceptedClient, listener: Listener) {
        let frontend = listener.proxy
        // What the rules track stays with the connection through any PROXY handshake.
        var client = client
        client.stickCounters = stickTablesByName.isEmpty ? nil : StickCounters()
        let nowMs = worker.loop.nowMilliseconds
        switch connectionVerdict(client: client.fd, address: client.address, frontend: frontend,
                                 counters: client.stickCounters, nowMs: nowMs) {
        case .reject:
            openStream(on: worker, client: client, frontend: frontend, refused: .connection)
        case .accept(let expectProxy) where expectProxy || listener.bind.acceptProxy:
            if client.holdsAcceptSlot {
                client.holdsAcceptSlot = false
                releaseAcceptSlot(frontend, on: worker)
            }
            ProxyHandshake(runtime: self, worker: worker, client: client, listener: listener).start()
        case .accept:
            let accepted = sessionRulesAccept(client: client.fd, address: client.address, destination: nil, frontend: frontend,
                                              counters: client.stickCounters, nowMs: nowMs)
            openStream(on: worker, client: client, frontend: frontend, refused: accepted ? nil : .session)
        }
    }

    /// Counts a new connection and decides which thread runs its stream: the accepting one,
    /// unless another holds at least two streams fewer (haproxy's accept queues do the same),
    /// in which case the connection goes to the least loaded one through its mailbox.
    /// `refused`: which rules refused the connection already.
    func openStream(on worker: Worker, client: AcceptedClient, frontend: Proxy, refused: Refusal?) {
        let now = worker.loop.nowMilliseconds
        let wall = wallSeconds
        var client = client
        // What the rules tracked: a refused connection leaves its entries now, an accepted one
        // is a session.
        if refused == nil {
            client.stickCounters?.countSession(nowMs: Int64(now))
        } else {
            client.stickCounters?.release(nowMs: Int64(now))
        }
        let admitted: (backend: Proxy, owner: Worker)? = lock.withLock {
            if client.holdsAcceptSlot { countAcceptSlot(of: frontend, taken: false) }
            frontend.frontendCounters.connectionsTotal += 1
            frontend.frontendCounters.connectionRate.record(nowMs: now)
            acceptRate.record(nowMs: now)
            // A refused connection is counted as accepted by the listener (haproxy's `totalconn`,
            // CumConns), then denied: no session.
            switch refused {
            case .connection:
                cumulativeConnections += 1
                frontend.frontendCounters.deniedConnections += 1
                return nil
            case .session:
                cumulativeConnections += 1
                frontend.frontendCounters.deniedSessions += 1
                return nil
            case nil:
                break
            }
            // A stream inspecting content stays in its frontend until it picks a backend (as
            // haproxy logs `fe/<NOSRV>` for a request rejected there).
            guard let backend = frontend.inspectsContent ? frontend : frontend.targetBackend else {
                frontend.frontendCounters.requestErrors += 1
                return nil
            }
            currentConnections += 1
            cumulativeConnections += 1
            cumulativeRequests += 1
            client.requestNumber = cumulativeRequests - 1
            maxConnectionsSeen = max(maxConnectionsSeen, currentConnections)
            frontend.frontendCounters.opened(nowMs: now, wallSeconds: wall)
            if !frontend.inspectsContent { backend.backendCounters.opened(nowMs: now, wallSeconds: wall) }
            var owner = worker
            for other in workers where other.streamCount + 1 < owner.streamCount { owner = other }
            owner.streamCount += 1
            worker.acceptedCount += 1
            owner.assignedCount += 1
            return (backend, owner)
        }
        if refused == nil, frontend.logFormat == nil, let sinks = frontend.logSinks {
            logConnect(client, frontend: frontend, to: sinks)
        }
        guard let admitted else {
            // As haproxy, a connection rejected at accept is closed with a single RST; one
            // rejected by session rules with a FIN (checked with 2.6.12).
            if refused == .connection { try? client.fd.setLingerZero() }
            if refused == nil { client.stickCounters?.release(nowMs: Int64(now)) }
            client.fd.close()
            // Its slot went uncounted: listeners paused at a limit may accept again.
            if client.holdsAcceptSlot { resumeListenersAtLimit(from: worker) }
            return
        }
        if admitted.owner === worker {
            startStream(on: worker, client: client, frontend: frontend, backend: admitted.backend)
        } else {
            admitted.owner.post(.adopt(client, frontend, admitted.backend))
        }
    }

    /// Which rules refused a connection before it became a stream.
    enum Refusal {
        /// `tcp-request connection reject`, at accept (`dcon`).
        case connection
        /// `tcp-request session reject`, after any PROXY header (`dses`).
        case session
    }

    /// Creates and starts a stream on `worker`'s thread, for a connection already counted.
    func startStream(on worker: Worker, client: AcceptedClient, frontend: Proxy, backend: Proxy) {
        let id = worker.streams.reserve()
        let stream = Stream(id: id, worker: worker, frontend: frontend, backend: backend, accepted: client)
        worker.streams.insert(stream, at: id)
        stream.start()
    }

    /// A stream ended: account, log, free its slot and resume listeners held back by limits, on
    /// this thread and, through their mailboxes, on others.
    func streamClosed(_ stream: Stream, log line: TCPLogLine) {
        let frontend = stream.frontend
        let backend = stream.backend
        let worker = stream.worker
        // As haproxy: a traffic line needs a format (`option tcplog`, `log-format`) and a `log`
        // target on the frontend; `dontlognull` and `dontlog-normal` skip some.
        let options = frontend.config.options
        let sinks = frontend.logFormat == nil ? nil : frontend.logSinks
        let logs = sinks != nil && (line.carriedData || !options.dontlognull) && (line.isError || !options.dontlogNormal)
        var line = line
        let (waiting, softStopDone) = lock.withLock {
            if logs {
                line.processConnections = currentConnections
                line.frontendConnections = frontend.frontendCounters.current
                line.logCounter = frontend.logCount
                frontend.logCount += 1
                // haproxy has released the backend and server side when it logs: the
                // stream itself counts in %ac and %fc only.
                line.backendConnections = stream.backendCounted ? backend.backendCounters.current - 1 : 0
            }
            currentConnections -= 1
            worker.streamCount -= 1
            frontend.frontendCounters.current -= 1
            if stream.backendCounted { backend.backendCounters.current -= 1 }
            let waiting = workers.filter(\.hasListenersAtLimit)
            return (waiting, stopMode == .soft && currentConnections == 0)
        }
        if let sinks, let format = frontend.logFormat, logs {
            logTraffic(line, format: format, frontend: frontend, to: sinks)
        }
        worker.streams.remove(stream.id)
        resumeListeners(waiting, from: worker)
        if softStopDone { workers[0].post(.softStopFinished) }
    }

    /// Listeners of every thread held back by `maxconn` accept again once their limits allow
    /// (after `set maxconn`; runs isolated).
    func resumeListenersBelowLimits() {
        for worker in workers { worker.resumeListenersBelowLimits() }
    }

    // MARK: frontends

    /// `disable frontend` / `enable frontend` (runs isolated): TCP sockets leave and re-enter
    /// the LISTEN state (`Listener.disable`). False, with the reason logged, when a socket refused.
    @discardableResult
    public func setFrontend(_ proxy: Proxy, enabled: Bool) -> Bool {
        proxy.frontendEnabled = enabled
        var succeeded = true
        for worker in workers {
            for listener in worker.listeners where listener.proxy === proxy {
                do {
                    if enabled { try listener.enable() } else { try listener.disable(loop: worker.loop) }
                } catch {
                    succeeded = false
                    logger.warning("Proxy \(proxy.name): cannot \(enabled ? "resume" : "pause") \(listener.bind.address): \(error)")
                }
            }
        }
        return succeeded
    }

    // MARK: clocks

    /// Worker 0's loop time in milliseconds (cached per loop iteration), for the control plane.
    var nowMs: UInt64 { loop.nowMilliseconds }

    public var wallSeconds: UInt64 { UInt64(Runtime.wallMicros() / 1_000_000) }

    func wallClockMicros() -> UInt64 { Runtime.wallMicros() }

    static func wallMicros() -> UInt64 { WallClock.micros() }
}
