import OrdrelEventLoop
import OrdrelSystem

/// Getting a stream to a server: choosing one, waiting in a queue, connecting, retrying.
extension Stream {
    // MARK: choosing a server

    /// Asks the backend's balancer for a server: connect now, wait in a queue, or close the client
    /// at once when no server is usable (`SC`, `<NOSRV>`). `previous` is the server a redispatch
    /// leaves (its slot already given back).
    func dispatch(avoiding previous: Server? = nil) {
        let now = worker.loop.now
        // `use-server`, then `stick` rules when none chose (and neither again for a redispatch).
        let forced = previous == nil && (!backend.config.useServers.isEmpty || !backend.config.stickRules.isEmpty)
            && persistenceForced()
        var direct = previous == nil && !backend.config.useServers.isEmpty ? serverOfRules(forced: forced) : nil
        var persistence = forced ? Runtime.DirectPersistence.forced : .useServer
        if previous == nil && !backend.config.stickRules.isEmpty {
            let stick = stickDecision()
            stickStores = stick.stores
            if direct == nil, let server = stick.server {
                direct = server
                if !forced { persistence = .stick }
            }
        }
        let decision: ServerChoice = runtime.lock.withLock {
            let decision = runtime.chooseServer(for: clientAddress, in: backend, avoiding: previous, direct: direct,
                                                persistence: persistence)
            // As haproxy counts a retry: a redispatch when it changed server, else a retry.
            if let previous {
                if case .connect(let chosen) = decision, chosen === previous {
                    previous.counters.retries += 1
                    backend.backendCounters.retries += 1
                } else {
                    redispatched = true
                    previous.counters.redispatches += 1
                    backend.backendCounters.redispatches += 1
                }
            }
            switch decision {
            case .connect(let chosen):
                if chosen !== direct {
                    chosen.counters.loadBalanced += 1
                    backend.backendCounters.loadBalanced += 1
                }
                server = chosen
                runtime.takeSlot(on: chosen, nowMs: worker.loop.nowMilliseconds)
            case .queue(let place):
                phase = .queued(runtime.enqueue(self, at: place), since: now)
            case .noServer:
                backend.backendCounters.connectionErrors += 1
            }
            return decision
        }
        switch decision {
        case .connect(let chosen):
            waitEndedAt = waitEndedAt ?? now
            connect(to: chosen)
        case .queue:
            armTimer()
        case .noServer:
            end(.closed(.server, in: .connect))
        }
    }

    // MARK: queueing

    /// A queue gave this stream a slot (already counted for it): it connects, or gives the slot
    /// back when it has ended meanwhile.
    func leftQueue(_ service: DequeuedStream) {
        guard case .queued = phase else {
            let nowMs = worker.loop.nowMilliseconds
            runtime.startDequeued(runtime.lock.withLock { runtime.releaseSlot(on: service.server, nowMs: nowMs) })
            return
        }
        servedAhead = service.servedAhead
        server = service.server
        phase = .dispatching
        waitEndedAt = worker.loop.now
        connect(to: service.server)
    }

    /// Takes the stream out of its queue unserved (under `runtime.lock`), keeping what its log
    /// line reports.
    func leaveQueue(_ ticket: QueueTicket) {
        waitEndedAt = worker.loop.now
        guard let exit = runtime.leaveQueue(ticket, of: backend) else {
            // Already taken out for service: the `.dequeued` message will give the slot back.
            leftQueueOf = ticket.place.server
            return
        }
        servedAhead = exit.servedAhead
        leftQueueOf = exit.place.server
    }

    // MARK: connecting

    /// Opens a socket to `chosen`, whose slot the stream holds, and starts connecting.
    func connect(to chosen: Server) {
        do {
            let fd = try FD.streamSocket(for: chosen.address.family)
            phase = .connecting(fd, startedAt: worker.loop.now)
            serverWatcher.rebind(fd: fd.rawValue)
            try? fd.setNoDelay()
            // `source`: the server's, else the backend's; SO_REUSEADDR as haproxy, so that a
            // fixed source port can be reused by the next connection (to another destination).
            if let source = chosen.config.source ?? backend.config.source {
                try fd.setReuseAddress()
                try fd.bind(to: source)
            }
            if backend.config.options.tcpka || backend.config.options.srvtcpka { try? fd.setKeepAlive() }
            let attempt = Result { try fd.connect(to: target(of: chosen)) }
            // The address the kernel gave this attempt, when the log line shows it (%bi, %bp):
            // known once connect() was called, even if it failed.
            if frontend.logsBackendSource { backendSource = try? fd.localAddress() }
            if try attempt.get() {
                connected(fd)
            } else {
                // Read too, so that a failure (EPOLLERR/HUP, which libev reports as both events)
                // is told apart from a plain success (write alone): see `serverReady`.
                serverWatcher.setInterest([.read, .write])
                armTimer()
            }
        } catch {
            connectFailed(timedOut: false)
        }
    }

    /// The server's address; a server without a port takes the port the client connected to
    /// (the one its PROXY header named, with `accept-proxy`), as haproxy does.
    private func target(of chosen: Server) -> SocketAddress {
        var target = chosen.address
        if target.port == 0, let destination = accepted.destination ?? (try? client.localAddress()) {
            target.port = destination.port
        }
        return target
    }

    /// The server socket is ready: the connect finished (or failed), or there is traffic.
    /// A connect that reports writable alone succeeded (as haproxy trusts EPOLLOUT without
    /// error), so `SO_ERROR` is read only when input came with it: an error, or a server
    /// that spoke first.
    func serverReady(_ events: IOEvents) {
        guard case .connecting(let fd, _) = phase else {
            tunnel.noteReady(.server, events)
            process()
            return
        }
        if events == .write { return connected(fd, readable: false) }
        let error = (try? fd.pendingError()) ?? Errno.connectionRefused
        if error == 0 { connected(fd) } else { connectFailed(timedOut: false) }
    }

    /// `readable`: a read may find bytes already (false when the connect's event said none came).
    private func connected(_ fd: FD, readable: Bool = true) {
        guard sendProxyHeader(on: fd) else {
            connectFailed(timedOut: false)
            return
        }
        let now = worker.loop.now
        if case .connecting(_, let startedAt) = phase { connectDuration = max(0, now - startedAt) }
        phase = .established(fd)
        tunnel.serverConnected(readable: readable)
        if !stickStores.isEmpty, let server {
            storeStickiness(stickStores, server: server)
            stickStores = []
        }
        startResponseInspection()
        serverActivityAt = now
        if let server, let connectDuration {
            runtime.lock.withLock {
                server.counters.recordConnectTime(seconds: connectDuration)
                backend.backendCounters.recordConnectTime(seconds: connectDuration)
            }
        }
        process()
    }

    /// `send-proxy`/`send-proxy-v2`: writes the PROXY header before any payload, naming the
    /// client (or the one its own PROXY header named) and the address it connected to. A fresh
    /// socket's send buffer takes it whole; like haproxy, a partial write is a failed connect.
    private func sendProxyHeader(on fd: FD) -> Bool {
        guard let config = server?.config, let version = config.sendProxy else { return true }
        let destination = accepted.destination ?? (try? client.localAddress())
        let header = ProxyHeaderEncoder.header(version, source: clientAddress, destination: destination,
                                               crc32c: config.proxyV2CRC32C, uniqueID: config.proxyV2UniqueID)
        guard case .processed(let written)? = try? header.withUnsafeBytes({ try fd.write($0) }) else { return false }
        return written == header.count
    }

    /// A connect attempt failed (refused, unreachable, or `timeout connect`): retry, redispatch, or
    /// give up, as haproxy 2.6 decides (stream_choose_redispatch, back_handle_st_cer): with `option
    /// redispatch` the retry goes to another server when the server is down, on the last retry, or
    /// whenever more than one active server is usable and the algorithm is not a hash; the
    /// turn-around delay (min(1 s, `timeout connect`)) follows a refused or failed connect, not a
    /// timed-out one, and only before a retry on the same server or with one active server left.
    func connectFailed(timedOut: Bool) {
        if let fd = phase.serverSocket {
            serverWatcher.rebind(fd: -1)
            fd.close()
            phase = .dispatching
        }
        let retrying = retriesLeft > 0
        if retrying { retriesLeft -= 1 }
        let (redispatch, activeServers) = runtime.lock.withLock { () -> (Bool, Int) in
            server?.counters.connectionErrors += 1
            backend.backendCounters.connectionErrors += 1
            let active = backend.balancer?.usableActiveCount ?? 0
            guard retrying, backend.config.options.redispatch, let server else { return (false, active) }
            let spread = active > 1 && backend.config.balance != .source
            let redispatch = server.operationalStateCode == 0 || retriesLeft == 0 || spread
            if !redispatch {
                server.counters.retries += 1
                backend.backendCounters.retries += 1
            }
            return (redispatch, active)
        }
        guard retrying else {
            end(.closed(timedOut ? .serverTimeout : .server, in: .connect))
            return
        }
        if !timedOut && (!redispatch || activeServers <= 1) {
            let delay = min(Double(backend.config.timeouts.connect ?? 1000), 1000) / 1000
            phase = .retryDelay(until: worker.loop.now + delay, redispatch: redispatch)
            armTimer()
        } else {
            retryNow(redispatch: redispatch)
        }
    }

    /// The turn-around delay is over: retry as decided when the connect failed.
    func retryAfterDelay(redispatch: Bool) {
        phase = .dispatching
        retryNow(redispatch: redispatch)
    }

    /// Connects again: to another server for a redispatch, else to the same one whatever its
    /// state meanwhile (haproxy's assigned server; a failure there decides again).
    private func retryNow(redispatch: Bool) {
        guard let previous = server else {
            dispatch()
            return
        }
        if redispatch {
            releaseServer()
            dispatch(avoiding: previous)
        } else {
            connect(to: previous)
        }
    }

    /// Gives the server slot back; queued streams given a slot in turn start once the lock is
    /// released.
    func releaseServer() {
        guard let old = server else { return }
        server = nil
        let nowMs = worker.loop.nowMilliseconds
        runtime.startDequeued(runtime.lock.withLock { runtime.releaseSlot(on: old, nowMs: nowMs) })
    }
}
