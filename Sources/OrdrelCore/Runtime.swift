#if canImport(Glibc)
import Glibc
#endif
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

/// The proxy process on one event loop: proxies, listeners, streams and the stats sockets.
public final class Runtime {
    public let loop: EventLoop
    public let configuration: Configuration
    public let logger: Logger
    let pool: BufferPool
    /// Pipes for splice(), sized in `start()` from the fd budget (at most maxconn/4, haproxy's
    /// default `maxpipes`).
    let pipes: PipePool
    public private(set) var proxies: [Proxy] = []
    private(set) var listeners: [Listener] = []
    let streams = StreamTable<Stream>()
    /// Process-wide concurrent stream limit (`maxconn`).
    public var maxconn: Int
    /// The limit at start, after the fd limit was applied: `set maxconn global` may not exceed it.
    public private(set) var initialMaxconn: Int
    public private(set) var currentConnections = 0
    public private(set) var cumulativeConnections: UInt64 = 0
    public private(set) var maxConnectionsSeen = 0
    public private(set) var stopMode: StopMode = .running
    /// Wall-clock second the process started, for `show info` uptime.
    public let startWallSeconds: UInt64
    private var signalWatchers: [SignalWatcher] = []
    /// Stats sockets and their open CLI connections.
    private(set) var statsSockets: [StatsSocket] = []
    var cliConnections: [ObjectIdentifier: CLIConnection] = [:]
    /// ordrel's version, for `show info` and `show version`.
    public var versionString = "0.1.0"
    private var hardStopTimer: TimerWatcher?
    private let maxAccept: Int
    /// Health checks run (from `start()` until the process stops).
    var healthChecksStarted = false

    /// Builds proxies and servers from `configuration`; nothing is bound yet.
    public init(configuration: Configuration, logger: Logger, loop: EventLoop = .makeDefault()) throws {
        self.loop = loop
        self.configuration = configuration
        self.logger = logger
        self.pool = BufferPool(bufferSize: configuration.global.tuneBufsize)
        self.maxconn = configuration.global.maxconn ?? Runtime.defaultMaxconn()
        self.initialMaxconn = maxconn
        self.pipes = PipePool(limit: 0)
        self.maxAccept = configuration.global.tuneMaxaccept
        self.startWallSeconds = UInt64(Runtime.wallMicros() / 1_000_000)
        try buildProxies()
    }

    /// haproxy derives maxconn from the fd limit when it is not set. Each stream needs two fds,
    /// and splice() pipes (up to maxconn/4, two fds each) another half: 2.5 per stream, plus margin.
    static func defaultMaxconn() -> Int {
        let limit = Files.raiseOpenFileLimit(to: 0)
        return max(100, (limit - 64) * 2 / 5)
    }

    private func buildProxies() throws {
        let wall = wallSeconds
        for config in configuration.proxies {
            let proxy = Proxy(config: config, defaultMaxconn: maxconn, wallSeconds: wall)
            for (index, serverConfig) in config.servers.enumerated() {
                proxy.servers.append(try makeServer(serverConfig, index: index, backend: proxy, wallSeconds: wall))
            }
            proxies.append(proxy)
        }
        buildBalancers()
        for proxy in proxies where proxy.isFrontend {
            let target = proxy.config.useBackends.first ?? proxy.config.defaultBackend
            guard let target else { continue }
            guard let backend = proxies.first(where: { $0.name == target && $0.isBackend }) else {
                throw RuntimeSetupError(location: proxy.config.location,
                                        message: "proxy '\(proxy.name)': unable to find required backend '\(target)'.")
            }
            proxy.targetBackend = backend
        }
    }

    public func proxy(named name: String) -> Proxy? { proxies.first { $0.name == name } }

    // MARK: starting and stopping

    /// Binds every listener (all or nothing), raises the fd limit and installs signal handlers.
    public func start() throws {
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
            if configuration.global.strictLimits && configuration.global.maxconn != nil {
                throw RuntimeSetupError(location: nil, message: message + " Use 'no strict-limits' to start anyway.")
            }
            logger.warning("\(message) Lowering maxconn to \((got - fixedFDs) / 2).")
            maxconn = max(1, (got - fixedFDs) / 2)
            initialMaxconn = maxconn
        }
        // Only as many pipes as the fds left over allow (haproxy's default maxpipes is maxconn/4,
        // counted in its socket budget), so they can never push accept() into EMFILE; with no
        // room left, streams simply stay on their buffers.
        pipes.limit = max(0, min(maxconn / 4, (got - maxconn * 2 - fixedFDs) / 2))
        do {
            for proxy in proxies where proxy.isFrontend {
                for bind in proxy.config.binds {
                    let listener = try Listener(bind: bind, proxy: proxy, loop: loop) { [unowned(unsafe) self] in
                        self.acceptBatch(on: $0)
                    }
                    listeners.append(listener)
                }
            }
        } catch {
            for listener in listeners { listener.close() }
            listeners.removeAll()
            throw error
        }
        do {
            for socketConfig in configuration.global.statsSockets {
                statsSockets.append(try StatsSocket(config: socketConfig, runtime: self))
            }
        } catch {
            for listener in listeners { listener.close() }
            listeners.removeAll()
            statsSockets.forEach { $0.close() }
            statsSockets.removeAll()
            throw error
        }
        for listener in listeners {
            if listener.proxy.frontendEnabled { listener.start() } else { listener.pause(.disabled, loop: loop) }
        }
        signalWatchers = [
            SignalWatcher(loop: loop, signal: SIGTERM) { [unowned(unsafe) self] in self.stop(.hard) },
            SignalWatcher(loop: loop, signal: SIGINT) { [unowned(unsafe) self] in self.stop(.hard) },
            SignalWatcher(loop: loop, signal: SIGUSR1) { [unowned(unsafe) self] in self.stop(.soft) },
        ]
        startHealthChecks()
    }

    /// Runs the loop until the process stops.
    public func run() {
        loop.run()
    }

    /// Soft stop closes listeners and lets open streams finish; hard stop closes everything now.
    public func stop(_ mode: StopMode) {
        guard mode != .running else { return }
        if mode == .soft && stopMode != .running { return }
        stopMode = mode
        for listener in listeners { listener.close() }
        listeners.removeAll()
        if mode == .hard || streams.count == 0 {
            logger.notice("Proxy stopping: \(mode == .hard ? "hard" : "soft") stop, \(streams.count) streams closed.")
            for stream in streams.all { stream.terminate(cause: "K", phase: "D", reset: true) }
            finishStopping()
            return
        }
        logger.notice("Soft stop: listeners closed, waiting for \(streams.count) streams to finish.")
        if let limit = configuration.global.hardStopAfterMs {
            let timer = TimerWatcher(loop: loop) { [unowned(unsafe) self] in self.stop(.hard) }
            timer.schedule(after: Double(limit) / 1000)
            hardStopTimer = timer
        }
    }

    private func finishStopping() {
        hardStopTimer?.cancel()
        statsSockets.forEach { $0.close() }
        statsSockets.removeAll()
        stopHealthChecks()
        signalWatchers.removeAll()
        loop.stop()
    }

    // MARK: accepting

    private func acceptBatch(on listener: Listener) {
        var budget = maxAccept < 0 ? Int.max : max(1, maxAccept)
        let proxy = listener.proxy
        while budget > 0 {
            if currentConnections >= maxconn || (proxy.maxconn > 0 && proxy.frontendCounters.current >= proxy.maxconn) {
                listener.pause(.limit, loop: loop)
                return
            }
            do {
                switch try listener.fd.accept() {
                case .wouldBlock:
                    return
                case .processed(let (fd, address)):
                    budget -= 1
                    openStream(client: fd, address: address, frontend: proxy)
                }
            } catch let error as SyscallError where [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(error.errno) {
                logger.warning("Proxy \(proxy.name) reached a system limit while accepting (\(error)); pausing the listener for 100 ms.")
                listener.pause(.resources, loop: loop, for: 0.1)
                return
            } catch {
                // ECONNABORTED and friends concern one connection only: keep accepting.
                continue
            }
        }
    }

    private func openStream(client: FD, address: SocketAddress, frontend: Proxy) {
        let now = nowMs
        frontend.frontendCounters.connectionsTotal += 1
        frontend.frontendCounters.connectionRate.record(nowMs: now)
        guard let backend = frontend.targetBackend else {
            frontend.frontendCounters.requestErrors += 1
            client.close()
            return
        }
        currentConnections += 1
        cumulativeConnections += 1
        maxConnectionsSeen = max(maxConnectionsSeen, currentConnections)
        frontend.frontendCounters.opened(nowMs: now, wallSeconds: wallSeconds)
        backend.backendCounters.opened(nowMs: now, wallSeconds: wallSeconds)
        let id = streams.reserve()
        let stream = Stream(id: id, runtime: self, frontend: frontend, backend: backend, client: client, clientAddress: address)
        streams.insert(stream, at: id)
        stream.start()
    }

    /// A stream ended: account, log, free its slot and resume listeners held back by limits.
    func streamClosed(_ stream: Stream, log line: TCPLogLine) {
        let frontend = stream.frontend
        let backend = stream.backend
        // As haproxy: a traffic line needs `option tcplog` and a `log` target on the frontend
        // (ordrel writes every target's lines to stderr).
        if frontend.config.options.tcplog && !frontend.config.logTargets.isEmpty
            && (line.carriedData || !frontend.config.options.dontlognull) {
            var line = line
            line.processConnections = currentConnections
            line.frontendConnections = frontend.frontendCounters.current
            line.backendConnections = backend.backendCounters.current
            logger.info("\(line.render())")
        }
        currentConnections -= 1
        frontend.frontendCounters.current -= 1
        backend.backendCounters.current -= 1
        streams.remove(stream.id)
        resumeListenersBelowLimits()
        if stopMode == .soft && streams.count == 0 {
            logger.notice("Soft stop complete: all streams finished.")
            finishStopping()
        }
    }

    /// Listeners held back by `maxconn` accept again once their limits allow.
    func resumeListenersBelowLimits() {
        for listener in listeners where listener.pause == .limit {
            let proxy = listener.proxy
            if currentConnections < maxconn && (proxy.maxconn == 0 || proxy.frontendCounters.current < proxy.maxconn) {
                listener.resume()
            }
        }
    }

    // MARK: frontends

    /// `disable frontend` / `enable frontend`.
    public func setFrontend(_ proxy: Proxy, enabled: Bool) {
        proxy.frontendEnabled = enabled
        for listener in listeners where listener.proxy === proxy {
            if enabled { listener.resume() } else { listener.pause(.disabled, loop: loop) }
        }
    }

    // MARK: clocks

    /// Loop time in milliseconds (monotonic, cached per loop iteration).
    var nowMs: UInt64 { loop.nowMilliseconds }

    public var wallSeconds: UInt64 { UInt64(Runtime.wallMicros() / 1_000_000) }

    func wallClockMicros() -> UInt64 { Runtime.wallMicros() }

    static func wallMicros() -> UInt64 {
        var tv = timeval()
        gettimeofday(&tv, nil)
        return UInt64(tv.tv_sec) * 1_000_000 + UInt64(tv.tv_usec)
    }
}
