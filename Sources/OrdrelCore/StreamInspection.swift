import OrdrelConfig

/// `tcp-request content` rules and `use_backend` conditions: the stream reads the client's first
/// bytes into its request buffer (forwarded unchanged afterwards), decides, then dispatches.
extension Stream {
    /// What the rules say about the bytes so far.
    private enum InspectionOutcome {
        /// A content rule cannot tell yet: read more.
        case wait
        /// `tcp-request content reject`.
        case reject
        /// Accepted; the backend `use_backend`/`default_backend` picked (nil: none).
        case forward(Proxy?)
    }

    /// Evaluates the content rules on what arrived. A rule that cannot tell yet waits for more
    /// bytes unless `final` or the inspect delay has run out (haproxy's `tcp_inspect_request`);
    /// then `use_backend` picks the backend, its conditions evaluated as final as haproxy's
    /// switching rules are.
    private func outcome(final: Bool, until: Double) -> InspectionOutcome {
        let rules = frontend.config.rules
        let environment = RuntimeACLEnvironment(runtime: runtime, backend: nil)
        var input = runtime.aclInput(client: client, address: clientAddress, frontend: frontend,
                                     backend: frontend.targetBackend ?? frontend, payload: request.pending)
        input.final = final || worker.loop.now + 0.0005 >= until
        for rule in rules.content {
            let result = rule.condition?.evaluate(input, environment) ?? .pass
            if result == .miss { return .wait }
            guard result == .pass else { continue }
            if rule.action == .reject { return .reject }
            break
        }
        input.final = true
        for (rule, backend) in zip(rules.useBackends, frontend.ruleBackends)
        where rule.condition?.evaluate(input, environment) ?? .pass == .pass {
            return .forward(backend.proxy)
        }
        return .forward(frontend.targetBackend)
    }

    /// Decides if the rules can, then dispatches to the chosen backend or ends the stream.
    func inspect(final: Bool) {
        guard case .inspecting(let until) = phase else { return }
        switch outcome(final: final, until: until) {
        case .wait:
            return
        case .reject:
            rejectRequest()
        case .forward(nil):
            // Nothing matched and there is no default_backend: as haproxy, the frontend is the
            // backend, without servers (`fe/<NOSRV>`, `SC`).
            end(.closed(.server, in: .connect))
        case .forward(let target?):
            enter(target)
            phase = .dispatching
            dispatch()
        }
    }

    /// `timeout client` expired while inspecting. As haproxy, the client's silence ends the
    /// inspection: the rules decide on what arrived, and a stream they accept still enters its
    /// backend, then ends `cR`, counted in the frontend's `ereq`.
    func inspectionTimedOut() {
        guard case .inspecting(let until) = phase else { return }
        switch outcome(final: true, until: until) {
        case .reject:
            rejectRequest()
            return
        case .forward(let target):
            if let target { enter(target) }
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
    /// down (haproxy's `process_server_rules` goes on past a down one); nil: balance as usual.
    func serverOfRules() -> Server? {
        let environment = RuntimeACLEnvironment(runtime: runtime, backend: backend)
        let input = runtime.aclInput(client: client, address: clientAddress, frontend: frontend, backend: backend,
                                     payload: request.pending)
        for rule in backend.config.useServers where rule.condition?.evaluate(input, environment) ?? .pass == .pass {
            guard let server = backend.server(named: rule.server) else { continue }
            if runtime.lock.withLock({ server.adminState == .ready && server.isUp }) { return server }
        }
        return nil
    }

    /// `tcp-request content reject`: counted in the frontend's `dreq`, logged `PR--`.
    private func rejectRequest() {
        runtime.lock.withLock { frontend.frontendCounters.deniedRequests += 1 }
        end(.closed(.proxy, in: .request))
    }
}
