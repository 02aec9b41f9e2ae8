import OrdrelConfig

/// Where a stream is with its backend's `tcp-response content` rules.
enum ResponseInspection {
    /// No rules, or they accepted: the server's bytes flow to the client.
    case none
    /// The tunnel holds the server's bytes until the rules decide, or until this loop time
    /// (`tcp-response inspect-delay` from the server connection's establishment).
    case holding(until: Double)
    /// `close`: the server is read no more and gets a reset at the end; what was held goes to
    /// the client, then the stream ends.
    case closing
}

/// haproxy's `tcp_inspect_response`: from establishment, the rules run on the server's bytes
/// each time more arrive, and once more, final, when the server closes, the buffer fills or the
/// delay runs out (with no delay, at once on whatever arrived: usually nothing).
extension Stream {
    /// Starts holding the response when the backend has rules (the server just connected).
    func startResponseInspection() {
        let rules = backend.config.responseRules
        guard !rules.content.isEmpty else { return }
        responseInspection = .holding(until: worker.loop.now + Double(rules.inspectDelayMs ?? 0) / 1000)
        tunnel.holdsResponse = true
    }

    /// Runs the rules on what the server sent so far, if the stream holds its response; the
    /// verdict releases the bytes, ends the stream, or starts closing.
    func inspectResponse() {
        guard case .holding(let until) = responseInspection else { return }
        var input = runtime.aclInput(client: client, address: clientAddress, destination: accepted.destination,
                                     frontend: frontend, backend: backend, payload: response.pending)
        input.final = response.state != .open || response.buffered >= worker.pool.bufferSize
            || worker.loop.now + 0.0005 >= until
        let environment = RuntimeACLEnvironment(runtime: runtime, proxy: backend, backend: backend, counters: stickCounters,
                                                nowMs: Int64(worker.loop.nowMilliseconds))
        let decision = backend.config.responseRules.decide(input, environment)
        switch decision {
        case .wait:
            return
        case .accept:
            responseInspection = .none
        case .reject:
            rejectResponse()
            return
        case .close:
            // As haproxy's `ACT_TCP_CLOSE`: the server's side is shut without lingering (it
            // sees a reset), the client gets what arrived, then a FIN.
            try? phase.serverSocket?.setLingerZero()
            tunnel.stopReadingServer()
            responseInspection = .closing
        }
        tunnel.holdsResponse = false
    }

    /// `tcp-response content reject`: what the server sent is dropped, both sides get a FIN
    /// (checked with haproxy 2.6.12), counted in `dresp` of the frontend, the backend and the
    /// server, logged `PD`.
    private func rejectResponse() {
        runtime.lock.withLock {
            frontend.frontendCounters.deniedResponses += 1
            backend.backendCounters.deniedResponses += 1
            server?.counters.deniedResponses += 1
        }
        end(.closed(.proxy, in: .data))
    }
}
