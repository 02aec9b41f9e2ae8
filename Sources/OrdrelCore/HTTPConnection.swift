import OrdrelCLI
import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// One client connection of a `mode http` section's built-in services, on thread 0 (the stats
/// page's rows and the admin form need thread 0; the page and scrapes are rendered on the CLI
/// thread). Runs an `HTTPSession` on a `SessionDriver`; answers its requests and sets its
/// timeouts (`timeout http-request`, `http-keep-alive`, `client`), each starting again when the
/// session begins a new wait.
final class HTTPConnection: SessionDriverHost {
    unowned(unsafe) let runtime: Runtime
    unowned(unsafe) let proxy: Proxy
    private let services: BuiltinServices
    let session: HTTPSession
    private let client: SocketAddress
    private var driver: SessionDriver<HTTPConnection>!
    /// The session's timer epoch the timeout was started for.
    private var armedEpoch: UInt64 = .max
    /// Where the stats page and scrapes are rendered, kept across the requests of the connection
    /// (with the render job while it runs).
    private var buffers = HTTPReplyBuffers()
    /// What the request under way waits for, off the socket.
    private var work = PendingWork.none

    init(fd: FD, client: SocketAddress, proxy: Proxy, services: BuiltinServices, runtime: Runtime) {
        self.client = client
        self.proxy = proxy
        self.services = services
        self.runtime = runtime
        let bufferSize = runtime.configuration.global.tuneBufsize
        // haproxy keeps `maxrewrite` (half the buffer, at most 1024 bytes) free of the request.
        let head = bufferSize - min(bufferSize / 2, 1024)
        session = HTTPSession(parser: HTTPRequestParser(maxHeadBytes: head, maxBodyBytes: bufferSize))
        // In turns, as the stats sessions: a large reply goes out in parts between the streams'
        // events.
        driver = SessionDriver(fd: fd, host: self, loop: runtime.loop, readBuffer: runtime.httpReadBuffer,
                               turns: runtime.httpTurns)
    }

    var fd: FD { driver.fd }

    func drive() { driver.drive() }

    /// A soft stop: idle, the connection closes now; otherwise after the reply under way.
    func stop() {
        session.stop()
        driver.drive()
    }

    /// Closes now (also when the process stops).
    func finish() { driver.finish() }

    // MARK: SessionDriverHost

    func nextStep() -> SessionStep<HTTPRequest> {
        let action = session.nextAction()
        if let status = session.takeRejection() { runtime.countRejectedHTTPRequest(proxy, status: status) }
        // The action may have started a new wait (a reply done, a request begun).
        if session.timerEpoch != armedEpoch {
            armedEpoch = session.timerEpoch
            driver.restartTimeout()
        }
        switch action {
        case .read: return .read
        case .write(let bytes): return .write(bytes)
        case .handle(let request): return .extra(request)
        case .shutdownWrite: return .shutdownWrite
        case .close: return .close
        }
    }

    func perform(_ request: HTTPRequest) -> Bool {
        switch work {
        case .none:
            switch answer(request) {
            case .now(let reply):
                respond(reply)
                return true
            case .collect(let collection, let rendering):
                work = .collecting(collection, rendering)
                return perform(request)
            }
        case .collecting(var collection, let rendering):
            work = .none
            guard collection.advance() else {
                work = .collecting(collection, rendering)
                runtime.httpTurns.wait(driver)
                return false
            }
            return renderReply(rendering(collection.rows), rows: collection.rows.count)
        case .rendering:
            // Driven again (a soft stop) while the reply is rendered: it still waits.
            return false
        }
    }

    /// Renders a reply of `rows` stats rows here when small, else on the CLI thread (false: the
    /// session waits for it).
    private func renderReply(_ body: @escaping @Sendable (inout HTTPReplyBuffers) -> HTTPReply, rows: Int) -> Bool {
        if rows > Self.rowsRenderedHere {
            // The job takes the buffers along: this side keeps none while it runs.
            let job = HTTPRenderJob(connection: self, buffers: buffers, render: body)
            if runtime.renderOffThread0(job) {
                buffers = HTTPReplyBuffers()
                work = .rendering
                return false
            }
        }
        respond(body(&buffers))
        return true
    }

    /// Thread 0: the reply `perform` handed off is rendered; the connection sends it, unless it
    /// was closed meanwhile (its timeout, a hard stop), when the session ignores it.
    func rendered(_ job: HTTPRenderJob) {
        work = .none
        buffers = job.buffers
        guard let reply = job.reply else { preconditionFailure("an HTTP reply came back unrendered") }
        respond(reply)
        withExtendedLifetime(self) { driver.drive() }
    }

    private func respond(_ reply: HTTPReply) {
        runtime.lock.withLock { proxy.frontendCounters.http.response(status: reply.status) }
        session.respond(reply)
    }

    /// Seconds of the session's current timer: haproxy's fallbacks (`http-keep-alive`, then
    /// `http-request`, then `timeout client`); nil = never.
    var timeout: Double? {
        let timeouts = proxy.config.timeouts
        let ms: UInt64?
        switch session.timer {
        case .request: ms = timeouts.httpRequest ?? timeouts.client
        case .keepAlive: ms = timeouts.httpKeepAlive ?? timeouts.httpRequest ?? timeouts.client
        case .send: ms = timeouts.client
        }
        return ms.map { Double($0) / 1000 }
    }

    var sessionHasWorkLeft: Bool { session.hasWorkLeft }

    /// Progress while sending restarts `timeout client` (the driver counts it as activity).
    func wrote(_ count: Int) {
        proxy.frontendBytes.addOut(UInt64(count), thread: 0)
    }

    /// Input does not restart the request timeout: it bounds the whole request.
    func received(_ count: Int) {
        proxy.frontendBytes.addIn(UInt64(count), thread: 0)
    }

    /// A request not (fully) received gets its 408; an idle connection closes.
    func timedOut() -> Bool {
        session.timedOut()
        driver.drive()
        return true
    }

    func finished() {
        runtime.httpConnectionClosed(self)
    }

    /// A reply's rendering from the rows it shows.
    private typealias Rendering = ([StatsRow]) -> @Sendable (inout HTTPReplyBuffers) -> HTTPReply

    /// A request's reply: at once, or rendered from the rows of a collection.
    private enum Answer {
        case now(HTTPReply)
        case collect(StatsRowCollection, Rendering)
    }

    /// What a request under way waits for.
    private enum PendingWork {
        case none
        /// Its rows, built a batch per turn; then the reply is rendered from them.
        case collecting(StatsRowCollection, Rendering)
        /// Its reply, rendered on the CLI thread.
        case rendering
    }

    /// Most rows a page or scrape may have to be rendered on thread 0: `show stat`'s batch, which
    /// its streams barely notice. A larger one goes to the CLI thread; a smaller one would spend
    /// more on the hand-over (two wake-ups) than on rendering.
    static let rowsRenderedHere = StatsRowBatches.batchSize

    /// The request's reply. The stats page's and the exporter's rows are built here as `show
    /// stat`'s, a batch per turn, the admin actions applied with the other threads paused; a
    /// large page or scrape is rendered on the CLI thread, at its low priority, so that thread
    /// 0's streams do not wait while thousands of servers are written out. The request and its
    /// interception are counted first, so a scrape or page shows itself in `req_tot` and
    /// `intercepted` but not yet in `hrsp_*`, as in haproxy.
    private func answer(_ request: HTTPRequest) -> Answer {
        // The rules' input (a getsockname for `dst`) only when there are rules.
        let allowed = proxy.config.http.stats.flatMap { $0.adminRules.isEmpty ? nil : $0 }.map {
            $0.allowsAdmin(runtime.aclInput(client: fd, address: client, frontend: proxy, backend: proxy,
                                            payload: UnsafeRawBufferPointer(start: nil, count: 0)),
                           RuntimeACLEnvironment(runtime: runtime, proxy: proxy, backend: proxy, counters: nil,
                                                 nowMs: Int64(runtime.nowMs)))
        } ?? false
        let route = services.route(request, adminAllowed: allowed)
        let now = runtime.nowMs
        runtime.lock.withLock {
            runtime.cumulativeRequests += 1
            proxy.frontendCounters.http.request(nowMs: now)
            if case .unserved = route {} else { proxy.frontendCounters.http.intercepted += 1 }
        }
        switch route {
        case .reply(let reply), .unserved(let reply):
            return .now(reply)
        case .prometheusExporter(let scrape):
            // A HEAD or a query promex rejects is answered without rows.
            guard scrape.method != "HEAD", let query = PrometheusQuery(requestTarget: scrape.target) else {
                return .now(services.prometheusReply(scrape, buffers: &buffers) { _, _ in })
            }
            let services = services
            return .collect(StatsRowCollection(runtime: runtime, latency: true)) { [runtime] rows in
                let snapshot = runtime.prometheusSnapshot(query, rows: rows)
                return { services.prometheusReply(scrape, buffers: &$0) { snapshot.render($0, into: &$1) } }
            }
        case .statsPage(let page):
            return .collect(StatsRowCollection(runtime: runtime, latency: false)) { [runtime] rows in
                let snapshot = runtime.statsSnapshot(rows: rows)
                return { StatsPage.reply(for: page, snapshot: snapshot, buffers: &$0) }
            }
        case .statsAdmin(let form):
            let status = form.apply(to: runtime)
            if status == "DONE" || status == "PART" {
                runtime.logger.notice("stats page \(proxy.name): admin action from \(client) (\(status)).")
            }
            return .now(form.redirect(status: status))
        }
    }
}

/// A built-in service's reply rendered on the CLI thread for a connection of thread 0: the
/// rendering (what thread 0 took from the runtime is in it), the connection's buffers while it
/// runs, then the reply.
final class HTTPRenderJob {
    let connection: HTTPConnection
    private let render: (inout HTTPReplyBuffers) -> HTTPReply
    private(set) var buffers: HTTPReplyBuffers
    private(set) var reply: HTTPReply?

    init(connection: HTTPConnection, buffers: HTTPReplyBuffers, render: @escaping (inout HTTPReplyBuffers) -> HTTPReply) {
        self.connection = connection
        self.buffers = buffers
        self.render = render
    }

    func run() { reply = render(&buffers) }
}
