import OrdrelCLI

/// The admin commands of the stats socket: each resolves its `<backend>/<server>` through
/// `withServer` and applies the change with the control API (`Control.swift`).
extension Runtime {
    public func lookupServer(backend: String, server: String) -> ServerResult<Void> {
        withServer(backend, server) { _ in }
    }

    public func shutdownSessions(backend: String, server: String) -> ServerResult<Void> {
        withServer(backend, server) { shutdownSessions(of: $0) }
    }

    public func setServerAdminState(backend: String, server: String, state: ServerAdminState) -> ServerResult<Void> {
        withServer(backend, server) { setServerState($0, state) }
    }

    public func setServerHealth(backend: String, server: String, health: ServerHealthRequest) -> ServerResult<Void> {
        withServer(backend, server) { setServerHealth($0, health) }
    }

    public func setHealthChecks(backend: String, server: String, enabled: Bool) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { setHealthChecks($0, enabled: enabled) == .checksNotConfigured ? .notConfigured : .done }
    }

    public func setAgentChecks(backend: String, server: String, enabled: Bool) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { setAgentChecks($0, enabled: enabled) }
    }

    public func setAgentHealth(backend: String, server: String, up: Bool?) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { server in
            guard server.agent?.isEnabled == true else { return .notConfigured }
            if let up { setAgentHealth(server, up: up) }
            return .done
        }
    }

    public func setAgentTarget(backend: String, server: String, address: String?, port: String?) -> ServerResult<String?> {
        withServer(backend, server) { setAgentTarget($0, address: address, port: port) }
    }

    public func setAgentSend(backend: String, server: String, text: String) -> ServerResult<HealthChecksOutcome> {
        withServer(backend, server) { setAgentSend($0, text) ? .done : .notConfigured }
    }

    public func serverWeight(backend: String, server: String) -> ServerResult<ServerWeight> {
        withServer(backend, server) { ServerWeight(current: UInt32($0.weight), initial: UInt32($0.initialWeight)) }
    }

    public func setServerWeight(backend: String, server: String, weight: WeightRequest) -> ServerResult<SetWeightOutcome> {
        // The CLI validated the range; the only refusal left is static-rr's 0%-or-100% rule.
        withServer(backend, server) { setServerWeight($0, weight) == .staticAlgorithmWeight ? .staticAlgorithm : .done }
    }

    public func setServerAddress(backend: String, server: String, address: String, port: PortRequest?)
        -> ServerResult<SetAddressOutcome> {
        withServer(backend, server) { setServerAddress($0, address: address, port: port) }
    }

    public func setServerMaxconn(backend: String, server: String, maxconn: UInt32) -> ServerResult<Void> {
        withServer(backend, server) { setServerMaxconn($0, Int(maxconn)) }
    }

    public func frontendExists(_ name: String) -> Bool {
        findProxy(name, where: { $0.isFrontend }) != nil
    }

    public func setFrontendMaxconn(frontend: String, maxconn: Int32) -> FrontendResult {
        guard let proxy = findProxy(frontend, where: { $0.isFrontend }) else { return .noSuchFrontend }
        proxy.maxconn = Int(maxconn)
        resumeListenersBelowLimits()
        return .done
    }

    public func setGlobalMaxconn(_ value: Int32) -> GlobalMaxconnResult {
        let hardLimit = initialMaxconn
        guard value >= 0, Int(value) <= hardLimit else { return .outOfRange }
        maxconn = value == 0 ? hardLimit : Int(value)
        resumeListenersBelowLimits()
        return .done
    }

    public func setRateLimit(_ kind: RateLimitKind, perSecond: Int32) {
        lock.withLock {
            switch kind {
            case .connections: connectionRateLimit = Int(perSecond)
            case .sessions: sessionRateLimit = Int(perSecond)
            }
        }
    }

    public func setFrontendEnabled(frontend: String, enabled: Bool) -> FrontendResult {
        guard let proxy = findProxy(frontend, where: { $0.isFrontend }) else { return .noSuchFrontend }
        if proxy.frontendEnabled == enabled { return .alreadyInState }
        return setFrontend(proxy, enabled: enabled) ? .done : .failed
    }

    public func clearCounters(all: Bool) {
        // `clear counters` also restarts `show activity`, as in haproxy.
        lock.withLock {
            for worker in workers {
                worker.acceptedCount = 0
                worker.assignedCount = 0
                worker.streamCalls = 0
                worker.loopsAtClear = worker.loop.iterations
            }
        }
        for proxy in proxies {
            proxy.frontendCounters.clear(all: all)
            proxy.backendCounters.clear(all: all)
            for server in proxy.servers {
                server.counters.clear(all: all)
                if all {
                    server.bytes.reset()
                    server.health?.clearCounters()
                }
            }
            if all {
                proxy.downTransitions = 0
                clearedBytesOut += proxy.frontendBytes.totalOut + proxy.frontendBytes.totalIn
                proxy.frontendBytes.reset()
                proxy.backendBytes.reset()
            }
        }
    }
}

