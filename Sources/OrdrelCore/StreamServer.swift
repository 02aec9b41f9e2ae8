import OrdrelSystem

/// Getting a stream to a server: choosing one, waiting in a queue, connecting, retrying.
extension Stream {
    // MARK: choosing a server

    /// Asks the backend's balancer for a server: connect now, wait in a queue, or close the client
    /// at once when no server is usable (`SC`, `<NOSRV>`). `previous` is the server a redispatch
    /// leaves (its slot already given back).
    func dispatch(avoiding previous: Server? = nil) {
        let now = worker.loop.now
        let decision: ServerChoice = runtime.lock.withLock {
            let decision = runtime.chooseServer(for: clientAddress, in: backend, avoiding: previous)
            if let previous {
                if case .connect(let chosen) = decision, chosen === previous {} else {
                    redispatched = true
                    previous.counters.redispatches += 1
                    backend.backendCounters.redispatches += 1
                }
            }
            switch decision {
            case .connect(let chosen):
                chosen.counters.loadBalanced += 1
                backend.backendCounters.loadBalanced += 1
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
            if backend.config.options.tcpka || backend.config.options.srvtcpka { try? fd.setKeepAlive() }
            if try fd.connect(to: chosen.address) {
                connected(fd)
            } else {
                serverWatcher.setInterest(.write)
                armTimer()
            }
        } catch {
            connectFailed(timedOut: false)
        }
    }

    /// The server socket is ready: the connect finished (or failed), or there is traffic.
    func serverReady() {
        guard case .connecting(let fd, _) = phase else {
            process()
            return
        }
        let error = (try? fd.pendingError()) ?? Errno.connectionRefused
        if error == 0 { connected(fd) } else { connectFailed(timedOut: false) }
    }

    private func connected(_ fd: FD) {
        let now = worker.loop.now
        if case .connecting(_, let startedAt) = phase { connectDuration = max(0, now - startedAt) }
        phase = .established(fd)
        tunnel.serverConnected()
        serverActivityAt = now
        if let server, let connectDuration {
            let ms = UInt64(connectDuration * 1000)
            runtime.lock.withLock {
                server.counters.connectTime.add(ms)
                backend.backendCounters.connectTime.add(ms)
            }
        }
        process()
    }

    /// A connect attempt failed (refused, unreachable, or `timeout connect`): retry, redispatch, or give up.
    func connectFailed(timedOut: Bool) {
        if let fd = phase.serverSocket {
            serverWatcher.rebind(fd: -1)
            fd.close()
            phase = .dispatching
        }
        let retrying = retriesLeft > 0
        runtime.lock.withLock {
            server?.counters.connectionErrors += 1
            backend.backendCounters.connectionErrors += 1
            if retrying {
                server?.counters.retries += 1
                backend.backendCounters.retries += 1
            }
        }
        guard retrying else {
            end(.closed(timedOut ? .serverTimeout : .server, in: .connect))
            return
        }
        retriesLeft -= 1
        // `option redispatch`: the last retry goes to another server, without the turn-around delay.
        if backend.config.options.redispatch && retriesLeft == 0, let previous = server {
            releaseServer()
            dispatch(avoiding: previous)
            return
        }
        phase = .retryDelay(until: worker.loop.now + min(Double(backend.config.timeouts.connect ?? 1000), 1000) / 1000)
        armTimer()
    }

    /// A retry after the turn-around delay: the same server while it is still usable, else
    /// another one with `option redispatch`, else the client is closed.
    func retryAfterDelay() {
        phase = .dispatching
        guard let previous = server else {
            dispatch()
            return
        }
        if previous.isUsable {
            connect(to: previous)
        } else if backend.config.options.redispatch {
            releaseServer()
            dispatch(avoiding: previous)
        } else {
            end(.closed(.server, in: .connect))
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
