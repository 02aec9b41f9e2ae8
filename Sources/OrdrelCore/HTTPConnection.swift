import OrdrelCLI
import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// One client connection of a `mode http` section's built-in services, on thread 0 (the stats
/// page and the admin form need the runtime isolated, which only thread 0 may ask for). Drives
/// an `HTTPSession`: speculative reads and writes, a watcher armed after EAGAIN, the session's
/// timeouts, and ordrel's orderly release (whole reply, `shutdown(SHUT_WR)`, drain, `close()`).
final class HTTPConnection {
    let fd: FD
    unowned(unsafe) let runtime: Runtime
    unowned(unsafe) let proxy: Proxy
    private let services: BuiltinServices
    private let session: HTTPSession
    private let client: SocketAddress
    private var watcher: IOWatcher!
    private var timer: TimerWatcher!
    /// The session's timer epoch the deadline was set for.
    private var armedEpoch: UInt64 = .max
    private var deadline: Double?
    private var phase = Phase.active

    /// Where the connection is in its close path.
    private enum Phase {
        case active
        /// The last reply is out and the write side shut down: the client's input is drained
        /// until its EOF (at most `lingerSeconds`) so that close() cannot reset the reply.
        case lingering
        case closed
    }

    static let lingerSeconds = 2.0

    init(fd: FD, client: SocketAddress, proxy: Proxy, services: BuiltinServices, runtime: Runtime) {
        self.fd = fd
        self.client = client
        self.proxy = proxy
        self.services = services
        self.runtime = runtime
        let bufferSize = runtime.configuration.global.tuneBufsize
        // haproxy keeps `maxrewrite` (half the buffer, at most 1024 bytes) free of the request.
        let head = bufferSize - min(bufferSize / 2, 1024)
        session = HTTPSession(parser: HTTPRequestParser(maxHeadBytes: head, maxBodyBytes: bufferSize))
        watcher = IOWatcher(loop: runtime.loop, fd: fd.rawValue) { [unowned(unsafe) self] _ in self.wake { $0.drive() } }
        timer = TimerWatcher(loop: runtime.loop) { [unowned(unsafe) self] in self.wake { $0.timerFired() } }
    }

    /// Keeps the connection alive while a watcher's handler runs (finishing drops the last reference).
    private func wake(_ body: (HTTPConnection) -> Void) {
        withExtendedLifetime(self) { body(self) }
    }

    /// Runs the session until it waits for the socket or its timer.
    func drive() {
        while phase == .active {
            let action = session.nextAction()
            // The action may have started a new wait (a reply done, a request begun).
            armTimer()
            switch action {
            case .read:
                guard readInput() else { return }
            case .write(let bytes):
                guard write(bytes) else { return }
            case .handle(let request):
                session.respond(answer(request))
            case .shutdownWrite:
                _ = try? fd.shutdown(.write)
            case .close:
                // A silent close (idle keep-alive, client gone) has not sent its FIN yet.
                _ = try? fd.shutdown(.write)
                linger()
                return
            }
        }
        if phase == .lingering { linger() }
    }

    /// The request's reply. The stats page's rows are taken and the admin actions applied with
    /// the other threads paused; rendering and writing happen afterwards, holding nothing.
    private func answer(_ request: HTTPRequest) -> HTTPReply {
        runtime.lock.withLock { runtime.cumulativeRequests += 1 }
        // The rules' input (a getsockname for `dst`) only when there are rules.
        let allowed = proxy.config.http.stats.flatMap { $0.adminRules.isEmpty ? nil : $0 }.map {
            $0.allowsAdmin(runtime.aclInput(client: fd, address: client, frontend: proxy, backend: proxy,
                                            payload: UnsafeRawBufferPointer(start: nil, count: 0)),
                           RuntimeACLEnvironment(runtime: runtime, backend: proxy))
        } ?? false
        switch services.route(request, adminAllowed: allowed) {
        case .reply(let reply):
            return reply
        case .prometheusExporter(let scrape):
            // Rows and info are taken isolated inside prometheusMetrics; rendering is not.
            return services.prometheusReply(scrape) { runtime.prometheusMetrics($0) }
        case .statsPage(let page):
            let snapshot = runtime.isolated { runtime.statsSnapshot() }
            return StatsPage.reply(for: page, snapshot: snapshot)
        case .statsAdmin(let form):
            let status = form.apply(to: runtime)
            if status == "DONE" || status == "PART" {
                runtime.logger.notice("stats page \(proxy.name): admin action from \(client) (\(status)).")
            }
            return form.redirect(status: status)
        }
    }

    /// Reads once into the session; false when the caller must wait for readability.
    private func readInput() -> Bool {
        guard session.wantsInput else {
            watcher.setInterest([])
            return false
        }
        let buffer = runtime.httpReadBuffer
        do {
            switch try fd.read(into: buffer) {
            case .wouldBlock:
                watcher.setInterest(.read)
                return false
            case .processed(0):
                session.receiveEOF()
            case .processed(let count):
                proxy.frontendBytes.addIn(UInt64(count), thread: 0)
                session.receive(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
        } catch {
            session.receiveEOF()
        }
        return true
    }

    /// Writes once; false when the socket is full (the watcher waits) or the client is gone.
    private func write(_ bytes: ArraySlice<UInt8>) -> Bool {
        let result: IOResult<Int>
        do {
            result = try bytes.withUnsafeBytes { try fd.write($0) }
        } catch {
            finish()
            return false
        }
        guard case .processed(let count) = result else {
            watcher.setInterest(.write)
            return false
        }
        proxy.frontendBytes.addOut(UInt64(count), thread: 0)
        session.didWrite(count)
        // Progress while sending restarts `timeout client`.
        if session.timer == .send {
            deadline = timeout(.send).map { runtime.loop.now + $0 }
            scheduleDeadline()
        }
        guard count == bytes.count else {
            watcher.setInterest(.write)
            return false
        }
        return true
    }

    /// Seconds of each timer: haproxy's fallbacks (`http-keep-alive`, then `http-request`, then
    /// `timeout client`); nil = never.
    private func timeout(_ kind: HTTPTimer) -> Double? {
        let timeouts = proxy.config.timeouts
        let ms: UInt64?
        switch kind {
        case .request: ms = timeouts.httpRequest ?? timeouts.client
        case .keepAlive: ms = timeouts.httpKeepAlive ?? timeouts.httpRequest ?? timeouts.client
        case .send: ms = timeouts.client
        }
        return ms.map { Double($0) / 1000 }
    }

    /// Starts the session's timer again when it asks for it (a new wait).
    private func armTimer() {
        guard session.timerEpoch != armedEpoch else { return }
        armedEpoch = session.timerEpoch
        deadline = timeout(session.timer).map { runtime.loop.now + $0 }
        scheduleDeadline()
    }

    private func scheduleDeadline() {
        if let deadline { timer.schedule(after: max(0, deadline - runtime.loop.now)) } else { timer.cancel() }
    }

    private func timerFired() {
        switch phase {
        case .closed:
            return
        case .lingering:
            finish()
        case .active:
            guard let deadline else { return }
            if runtime.loop.now + 0.0005 < deadline { return scheduleDeadline() }
            session.timedOut()
            drive()
        }
    }

    /// After the last reply and the FIN: discard what the client still sends until its EOF.
    private func linger() {
        if phase != .lingering {
            phase = .lingering
            timer.schedule(after: Self.lingerSeconds)
        }
        let buffer = runtime.httpReadBuffer
        while true {
            switch try? fd.read(into: buffer) {
            case .wouldBlock?:
                watcher.setInterest(.read)
                return
            case .processed(let count)? where count > 0:
                continue
            default:
                return finish()
            }
        }
    }

    /// A soft stop: idle, the connection closes now; otherwise after the reply under way.
    func stop() {
        session.stop()
        if phase == .active { wake { $0.drive() } }
    }

    /// Closes now (also when the process stops).
    func finish() {
        guard phase != .closed else { return }
        phase = .closed
        watcher.setInterest([])
        timer.cancel()
        fd.close()
        runtime.httpConnectionClosed(self)
    }
}
