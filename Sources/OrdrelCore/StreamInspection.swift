import OrdrelConfig

/// `tcp-request content` rules (the frontend's, then the backend's) and `use_backend` conditions:
/// the stream reads the client's first bytes into its request buffer (forwarded unchanged
/// afterwards), decides, then dispatches.
extension Stream {
    /// What the rules say about the bytes so far (nil target: no backend at all).
    private enum InspectionOutcome {
        case wait
        case reject
        case forward(Proxy?)
    }

    /// The rules' decision on what arrived; `final` or a spent inspect delay stops waiting.
    private func outcome(_ stage: InspectionStage, final: Bool, until: Double) -> InspectionOutcome {
        let owner = stage == .frontend ? frontend : backend
        var input = runtime.aclInput(client: client, address: clientAddress, destination: accepted.destination, frontend: frontend,
                                     backend: owner, payload: request.pending)
        input.final = final || worker.loop.now + 0.0005 >= until
        let environment = RuntimeACLEnvironment(runtime: runtime, proxy: owner, backend: stage == .frontend ? nil : backend,
                                                counters: stickCounters, nowMs: Int64(worker.loop.nowMilliseconds))
        switch owner.config.rules.decideContent(input, environment) {
        case .wait: return .wait
        case .reject: return .reject
        case .forward(let index):
            guard stage == .frontend else { return .forward(backend) }
            return .forward(index.map { frontend.ruleBackends[$0].proxy } ?? frontend.targetBackend)
        }
    }

    /// Decides if the rules can, then dispatches to the chosen backend, inspects again with its
    /// own rules, or ends the stream.
    func inspect(final: Bool) {
        guard case .inspecting(let stage, let until) = phase else { return }
        switch outcome(stage, final: final, until: until) {
        case .wait:
            return
        case .reject:
            rejectRequest()
        case .forward(nil):
            // Nothing matched and there is no default_backend: as haproxy, the frontend is the
            // backend, without servers (`fe/<NOSRV>`, `SC`).
            end(.closed(.server, in: .connect))
        case .forward(let target?):
            if stage == .frontend {
                enter(target)
                if target !== frontend && target.inspectsAsBackend {
                    // The backend's delay runs from now, as haproxy arms it when its analyser starts.
                    let delay = Double(target.config.rules.inspectDelayMs ?? 0) / 1000
                    phase = .inspecting(.backend, until: worker.loop.now + delay)
                    inspect(final: final)
                    return
                }
            }
            phase = .dispatching
            dispatch()
        }
    }

    /// `timeout client` expired while inspecting. As haproxy, the client's silence ends the
    /// inspection: the rules decide on what arrived, and a stream they accept still enters its
    /// backend (whose own rules may still reject it), then ends `cR`, counted in the frontend's
    /// `ereq`.
    func inspectionTimedOut() {
        guard case .inspecting(let stage, let until) = phase else { return }
        switch outcome(stage, final: true, until: until) {
        case .reject:
            rejectRequest()
            return
        case .forward(let target):
            if stage == .frontend, let target {
                enter(target)
                if target !== frontend && target.inspectsAsBackend,
                   case .reject = outcome(.backend, final: true, until: worker.loop.now) {
                    rejectRequest()
                    return
                }
            }
        case .wait:
            break
        }
        runtime.lock.withLock { frontend.frontendCounters.requestErrors += 1 }
        end(.closed(.clientTimeout, in: .request))
    }

    /// The stream belongs to `target` from now on: counted there, with its retries.
    private func enter(_ target: Proxy) {
        let now = worker.loop.nowMilliseconds
        let wall = runtime.wallSeconds
        runtime.lock.withLock { target.backendCounters.opened(nowMs: now, wallSeconds: wall) }
        backend = target
        backendCounted = true
        retriesLeft = target.config.retries
    }

    /// The server of the first `use-server` rule whose condition holds and whose server is not
    /// down (haproxy's `process_server_rules` goes on past a down one, unless `forced` by
    /// `force-persist` or `option persist`); nil: balance as usual.
    func serverOfRules(forced: Bool) -> Server? {
        let input = runtime.aclInput(client: client, address: clientAddress, destination: accepted.destination, frontend: frontend, backend: backend,
                                     payload: request.pending)
        let environment = RuntimeACLEnvironment(runtime: runtime, proxy: backend, backend: backend, counters: stickCounters,
                                                nowMs: Int64(worker.loop.nowMilliseconds))
        for name in backend.config.useServers.matchingServers(input, environment) {
            guard let server = backend.server(named: name) else { continue }
            if forced || runtime.lock.withLock({ server.adminState == .ready && server.isUp }) { return server }
        }
        return nil
    }

    /// `tcp-request content reject`: counted in the frontend's `dreq`, logged `PR--`; the client
    /// gets a FIN (haproxy 2.6.12 resets only connections refused at accept).
    private func rejectRequest() {
        runtime.lock.withLock { frontend.frontendCounters.deniedRequests += 1 }
        end(.closed(.proxy, in: .request))
    }
}
