/// The one way a stream ends, and its tcplog line.
extension Stream {
    /// Ends the stream now, once: out of its queue, its abort counted, both sockets closed (reset
    /// as `reason` asks), its slot given back and its log line written.
    func end(_ reason: StreamEnd) {
        guard !phase.isClosed else { return }
        termination = reason.termination(in: phase)
        runtime.lock.withLock {
            if case .queued(let ticket, _) = phase { leaveQueue(ticket) }
            // As haproxy's process_stream: a data-phase timeout is an abort by the side that timed out.
            switch (termination.cause, termination.phase) {
            case (.client, _), (.clientTimeout, .data):
                backend.backendCounters.clientAborts += 1
                server?.counters.clientAborts += 1
            case (.server, .data), (.serverTimeout, .data):
                backend.backendCounters.serverAborts += 1
                server?.counters.serverAborts += 1
            default:
                break
            }
        }
        let serverSocket = phase.serverSocket
        phase = .closed
        clientWatcher.setInterest([])
        serverWatcher.setInterest([])
        timer.cancel()
        // The address the client connected to, when the log line shows it, before the socket closes.
        let frontendAddress = frontend.logsFrontendAddress ? try? client.localAddress() : nil
        let nolinger = frontend.config.options.nolinger || backend.config.options.nolinger
        // Closed after this loop iteration's callbacks, so that no accept() in them reuses the
        // numbers before libev has seen these watchers stop (`EventLoop.closeSoon`).
        let loop = worker.loop
        tunnel.close(client: client, server: serverSocket, reset: reason.resetsPeers(nolinger: nolinger),
                     closing: { loop.closeSoon($0) })
        let totalSeconds = max(0, worker.loop.now - acceptedAt)
        let totalMs = UInt64(totalSeconds * 1000)
        let nowMs = worker.loop.nowMilliseconds
        let (line, dequeued) = runtime.lock.withLock {
            backend.backendCounters.recordSessionTime(seconds: totalSeconds)
            server?.counters.recordSessionTime(seconds: totalSeconds)
            if let waitEndedAt {
                let waitSeconds = max(0, waitEndedAt - acceptedAt)
                backend.backendCounters.recordQueueTime(seconds: waitSeconds)
                server?.counters.recordQueueTime(seconds: waitSeconds)
            }
            var line = logLine(totalMs: totalMs)
            line.frontendAddress = frontendAddress
            let dequeued = server.map { runtime.releaseSlot(on: $0, nowMs: nowMs) } ?? []
            server = nil
            return (line, dequeued)
        }
        runtime.startDequeued(dequeued)
        stickCounters?.release(nowMs: Int64(nowMs))
        runtime.streamClosed(self, log: line)
    }

    /// The haproxy `option tcplog` line for this stream (under `runtime.lock`: it reads the
    /// server's connection count).
    private func logLine(totalMs: UInt64) -> TCPLogLine {
        TCPLogLine(
            client: accepted,
            acceptedWallMicros: acceptedWallMicros,
            frontend: frontend.name,
            backend: backend.name,
            server: (server ?? leftQueueOf)?.name,
            serverAddress: (server ?? leftQueueOf)?.address,
            backendSource: backendSource,
            waitMs: waitEndedAt.map { Int64(max(0, $0 - acceptedAt) * 1000) } ?? -1,
            connectMs: connectDuration.map { Int64($0 * 1000) } ?? -1,
            totalMs: Int64(totalMs),
            bytesRead: response.totalBytes,
            bytesUploaded: request.totalBytes,
            termination: termination,
            retries: backend.config.retries - retriesLeft,
            redispatched: redispatched,
            carriedData: request.totalBytes + response.totalBytes > 0,
            serverConnections: server.map { $0.counters.current - 1 } ?? 0,
            serverQueue: servedAhead.server,
            backendQueue: servedAhead.backend
        )
    }
}
