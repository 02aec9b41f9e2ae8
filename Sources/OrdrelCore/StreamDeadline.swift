/// A stream's timeouts: one deadline per phase, one timer armed for it.
extension Stream {
    /// The one instant at which this stream must be looked at again.
    private var deadline: Double {
        let timeouts = (client: frontend.config.timeouts, server: backend.config.timeouts)
        switch phase {
        case .queued(_, let since):
            return min(since + seconds(queueTimeout), clientActivityAt + seconds(timeouts.client.client))
        case .connecting(_, let startedAt):
            return startedAt + seconds(timeouts.server.connect)
        case .retryDelay(let until, _):
            return until
        case .inspecting(_, let until):
            return min(until, clientActivityAt + seconds(timeouts.client.client))
        case .established:
            let timeouts = min(clientActivityAt + seconds(clientTimeoutInEffect), serverActivityAt + seconds(serverTimeoutInEffect))
            guard case .holding(let until) = responseInspection else { return timeouts }
            return min(until, timeouts)
        case .dispatching, .closed:
            return .infinity
        }
    }

    /// `timeout queue`, which defaults to `timeout connect` as in haproxy.
    private var queueTimeout: UInt64? { backend.config.timeouts.queue ?? backend.config.timeouts.connect }

    private func seconds(_ ms: UInt64?) -> Double { ms.map { Double($0) / 1000 } ?? .infinity }

    /// Arms the timer only when the deadline moved earlier than the armed instant ("be smart about
    /// timeouts"): activity pushes the deadline later without touching libev.
    func armTimer() {
        let due = deadline
        if due == .infinity {
            if timerFiresAt != .infinity { timer.cancel(); timerFiresAt = .infinity }
            return
        }
        if due < timerFiresAt || !timer.isActive {
            timer.schedule(after: due - worker.loop.now)
            timerFiresAt = due
        }
    }

    func timerFired() {
        timerFiresAt = .infinity
        let now = worker.loop.now
        if now + 0.0005 < deadline {
            armTimer()
            return
        }
        switch phase {
        case .queued(let ticket, let since):
            if now + 0.0005 >= since + seconds(queueTimeout) {
                queueExpired(ticket)
            } else {
                end(.closed(.clientTimeout, in: .queue))
            }
        case .connecting:
            connectFailed(timedOut: true)
        case .retryDelay(_, let redispatch):
            retryAfterDelay(redispatch: redispatch)
        case .inspecting(_, let until):
            if now + 0.0005 < until {
                inspectionTimedOut()
            } else {
                inspect(final: true)
                process()
            }
        case .established:
            if case .holding(let until) = responseInspection, now + 0.0005 >= until {
                // `tcp-response inspect-delay` is over: the rules decide on what arrived.
                process()
                return
            }
            let clientSideExpired = now + 0.0005 >= clientActivityAt + seconds(clientTimeoutInEffect)
            end(.closed(clientSideExpired ? .clientTimeout : .serverTimeout, in: .data))
        case .dispatching, .closed:
            break
        }
    }

    /// `timeout queue` expired: the client is closed (`sQ`), counted as a connection error of the
    /// queue it waited in.
    private func queueExpired(_ ticket: QueueTicket) {
        runtime.lock.withLock {
            leaveQueue(ticket)
            leftQueueOf?.counters.connectionErrors += 1
            backend.backendCounters.connectionErrors += 1
        }
        phase = .dispatching  // out of the queue: nothing left for `end` to take out
        end(.closed(.serverTimeout, in: .queue))
    }

    /// Once established: `timeout tunnel` if set, else the client (server) timeout, replaced by
    /// client-fin (server-fin) when set once either direction is half-closed.
    private var clientTimeoutInEffect: UInt64? {
        let timeouts = frontend.config.timeouts
        return backend.config.timeouts.tunnel ?? (isHalfClosed ? timeouts.clientFin ?? timeouts.client : timeouts.client)
    }

    private var serverTimeoutInEffect: UInt64? {
        let timeouts = backend.config.timeouts
        return timeouts.tunnel ?? (isHalfClosed ? timeouts.serverFin ?? timeouts.server : timeouts.server)
    }

    private var isHalfClosed: Bool { request.state != .open || response.state != .open }
}
