import OrdrelCLI
import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// One client connection of a `mode http` section's built-in services, on thread 0 (the stats
/// page and the admin form need the runtime isolated, which only thread 0 may ask for). Runs an
/// `HTTPSession` on a `SessionDriver`; answers its requests and sets its timeouts (`timeout
/// http-request`, `http-keep-alive`, `client`), each starting again when the session begins a
/// new wait.
final class HTTPConnection: SessionDriverHost {
    unowned(unsafe) let runtime: Runtime
    unowned(unsafe) let proxy: Proxy
    private let services: BuiltinServices
    let session: HTTPSession
    private let client: SocketAddress
    private var driver: SessionDriver<HTTPConnection>!
    /// The session's timer epoch the timeout was started for.
    private var armedEpoch: UInt64 = .max
    /// Where the stats page and scrapes are rendered, kept across the requests of the connection.
    private var buffers = HTTPReplyBuffers()

    init(fd: FD, client: SocketAddress, proxy: Proxy, services: BuiltinServices, runtime: Runtime) {
        self.client = client
        self.proxy = proxy
        self.services = services
        self.runtime = runtime
        let bufferSize = runtime.configuration.global.tuneBufsize
        // haproxy keeps `maxrewrite` (half the buffer, at most 1024 bytes) free of the request.
        let head = bufferSize - min(bufferSize / 2, 1024)
        session = HTTPSession(parser: HTTPRequestParser(maxHeadBytes: head, maxBodyBytes: bufferSize))
        // No step bound: a request is answered whole, as before any other work.
        driver = SessionDriver(fd: fd, host: self, loop: runtime.loop, readBuffer: runtime.httpReadBuffer,
                               turns: nil)
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
        let reply = answer(request)
        runtime.lock.withLock { proxy.frontendCounters.http.response(status: reply.status) }
        session.respond(reply)
        return true
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

    /// The request's reply. The stats page's rows are taken and the admin actions applied with
    /// the other threads paused; rendering and writing happen afterwards, holding nothing. The
    /// request and its interception are counted first, so a scrape or page shows itself in
    /// `req_tot` and `intercepted` but not yet in `hrsp_*`, as in haproxy.
    private func answer(_ request: HTTPRequest) -> HTTPReply {
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
            return reply
        case .prometheusExporter(let scrape):
            // Rows and info are taken isolated inside prometheusMetrics; rendering is not.
            return services.prometheusReply(scrape, buffers: &buffers) { runtime.prometheusMetrics($0, into: &$1) }
        case .statsPage(let page):
            let snapshot = runtime.isolated(readOnly: true) { runtime.statsSnapshot() }
            return StatsPage.reply(for: page, snapshot: snapshot, buffers: &buffers)
        case .statsAdmin(let form):
            let status = form.apply(to: runtime)
            if status == "DONE" || status == "PART" {
                runtime.logger.notice("stats page \(proxy.name): admin action from \(client) (\(status)).")
            }
            return form.redirect(status: status)
        }
    }
}
