/// The commands that change servers, frontends, sessions and limits.
extension CLISession {
    func setTimeout(_ r: RequestParser.Request) {
        guard r.arg(2) == "cli" else {
            reply("'set timeout' only supports 'cli'.\n")
            return
        }
        let v = r.arg(3)
        if v.isEmpty {
            reply("Expects an integer value.\n")
            return
        }
        guard let secs = CLIArgs.timeSeconds(v), secs >= 1 else {
            reply("Invalid timeout value.\n")
            return
        }
        setIdleTimeout(secs)
    }

    func shutdownSession(_ r: RequestParser.Request) {
        guard require(.admin) else { return }
        let expected = "Session pointer expected (use 'show sess').\n"
        let a = r.arg(2)
        if a.isEmpty {
            reply(expected)
            return
        }
        switch CLIArgs.sessionID(a) {
        case .zero:
            reply(expected)
        case .unmatchable:
            reply("No such session (use 'show sess').\n")
        case .value(let id):
            if runtime.shutdownSession(id: id) == .noSuchSession {
                reply("No such session (use 'show sess').\n")
            }
        }
    }

    func setAdmin(_ r: RequestParser.Request, _ state: ServerAdminState) {
        guard require(.admin), let (b, v) = serverArg(r.arg(2)) else { return }
        replyLookup(runtime.setServerAdminState(backend: b, server: v, state: state))
    }

    /// `enable health` / `disable health <b>/<s>`, with haproxy 2.6's replies.
    func setHealthChecks(_ r: RequestParser.Request, enabled: Bool) {
        guard require(.admin), let (b, v) = serverArg(r.arg(2)) else { return }
        switch runtime.setHealthChecks(backend: b, server: v, enabled: enabled) {
        case .success(.done): break
        case .failure(let e): reply(e.reply)
        case .success(.notConfigured):
            reply("Health check was not configured on this server, cannot \(enabled ? "enable" : "disable").\n")
        }
    }

    /// `enable agent` / `disable agent <b>/<s>`: haproxy 2.6 refuses only to enable an agent
    /// that was never configured; disabling one is always silent.
    func setAgentChecks(_ r: RequestParser.Request, enabled: Bool) {
        guard require(.admin), let (b, v) = serverArg(r.arg(2)) else { return }
        switch runtime.setAgentChecks(backend: b, server: v, enabled: enabled) {
        case .success(.done): break
        case .failure(let e): reply(e.reply)
        case .success(.notConfigured):
            if enabled { reply("Agent was not configured on this server, cannot enable.\n") }
        }
    }

    func setServer(_ r: RequestParser.Request) {
        guard require(.admin), let (b, v) = serverArg(r.arg(2)) else { return }
        if let e = runtime.lookupServer(backend: b, server: v).lookupError {
            reply(e.reply)
            return
        }
        switch r.arg(3) {
        case "state":
            guard let st = ServerAdminState(rawValue: r.arg(4)) else {
                reply("'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n")
                return
            }
            replyLookup(runtime.setServerAdminState(backend: b, server: v, state: st))
        case "weight":
            setWeight(b, v, r.arg(4))
        case "addr":
            setAddr(b, v, r)
        case "health":
            guard let health = ServerHealthRequest(rawValue: r.arg(4)) else {
                reply("'set server <srv> health' expects 'up', 'stopping', or 'down'.\n")
                return
            }
            replyLookup(runtime.setServerHealth(backend: b, server: v, health: health))
        case "agent":
            // haproxy checks that the agent is enabled first, then the word.
            let word = r.arg(4)
            let up: Bool? = word == "up" ? true : word == "down" ? false : nil
            switch runtime.setAgentHealth(backend: b, server: v, up: up) {
            case .success(.done):
                if up == nil { reply("'set server <srv> agent' expects 'up' or 'down'.\n") }
            case .success(.notConfigured): reply("agent checks are not enabled on this server.\n")
            case .failure(let e): reply(e.reply)
            }
        case "agent-addr":
            guard !r.arg(4).isEmpty else {
                reply("set server <b>/<s> agent-addr requires an address and optionally a port.\n")
                return
            }
            setAgentTarget(b, v, address: r.arg(4), port: r.arg(5) == "port" ? r.arg(6) : nil)
        case "agent-port":
            guard !r.arg(4).isEmpty else {
                reply("set server <b>/<s> agent-port requires a port.\n")
                return
            }
            setAgentTarget(b, v, address: nil, port: r.arg(4))
        case "agent-send":
            switch runtime.setAgentSend(backend: b, server: v, text: r.arg(4)) {
            case .success(.done): break
            case .success(.notConfigured): reply("agent checks are not enabled on this server.\n")
            case .failure(let e): reply(e.reply)
            }
        case "fqdn":
            let name = r.arg(4)
            guard !name.isEmpty else {
                reply("set server <b>/<s> fqdn requires a FQDN.\n")
                return
            }
            switch runtime.setServerFQDN(backend: b, server: v, fqdn: name) {
            case .success(.changed(let server, let from, let to)):
                reply("\(server) changed its FQDN from \(from ?? "(null)") to \(to) by 'stats socket command'\n")
            case .success(.noResolution): reply("set server <b>/<s> fqdn failed because no resolution is configured.\n")
            case .success(.srvResolution): reply("set server <b>/<s> fqdn failed because SRV resolution is configured.\n")
            case .success(.invalid): reply("invalid fqdn '\(name)' by 'stats socket command'\n")
            case .failure(let e): reply(e.reply)
            }
        case "check-addr", "check-port", "ssl":
            reply(Self.notSupported)
        default:
            reply("usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | "
                + "check-addr | check-port | fqdn | health | ssl | state | weight\n")
        }
    }

    /// haproxy prints `srv_update_agent_addr_port`'s refusal as a message of its own line.
    func setAgentTarget(_ b: String, _ v: String, address: String?, port: String?) {
        switch runtime.setAgentTarget(backend: b, server: v, address: address, port: port) {
        case .success(nil): break
        case .success(let refusal?): replyWithoutLF(refusal)
        case .failure(let e): reply(e.reply)
        }
    }

    func setWeight(_ b: String, _ v: String, _ w: String) {
        if let e = runtime.lookupServer(backend: b, server: v).lookupError {
            reply(e.reply)
            return
        }
        switch CLIArgs.weight(w) {
        case .failure(let e):
            if e.text.hasSuffix("\n") { reply(e.text) } else { replyWithoutLF(e.text) }
        case .success(let req):
            switch runtime.setServerWeight(backend: b, server: v, weight: req) {
            case .success(.done): break
            case .failure(let e): reply(e.reply)
            case .success(.staticAlgorithm):
                reply("Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n")
            }
        }
    }

    func setAddr(_ b: String, _ v: String, _ r: RequestParser.Request) {
        let addr = r.arg(4)
        if addr.isEmpty {
            reply("set server <b>/<s> addr requires an address and optionally a port.\n")
            return
        }
        var port: PortRequest?
        if r.arg(5) == "port" { port = CLIArgs.port(r.arg(6)) }
        switch runtime.setServerAddress(backend: b, server: v, address: addr, port: port) {
        case .success(let outcome): reply(outcome.reply(address: addr))
        case .failure(let e): reply(e.reply)
        }
    }

    func setMaxconnServer(_ r: RequestParser.Request) {
        guard require(.admin), let (b, v) = serverArg(r.arg(3)) else { return }
        if let e = runtime.lookupServer(backend: b, server: v).lookupError {
            reply(e.reply)
            return
        }
        let a = r.arg(4)
        if a.isEmpty {
            reply("Require <maxconn>.\n")
            return
        }
        switch CLIArgs.strtol(a) {
        case .none:
            replyWithoutLF("maxconn string empty or preceded by garbage")
        case .some((_, false)):
            replyWithoutLF("Trailing garbage in maxconn string")
        case .some((let n, true)):
            replyLookup(runtime.setServerMaxconn(backend: b, server: v, maxconn: UInt32(truncatingIfNeeded: n)))
        }
    }

    func setMaxconnFrontend(_ r: RequestParser.Request) {
        guard require(.admin) else { return }
        let fe = r.arg(3)
        if fe.isEmpty {
            reply("A frontend name is expected.\n")
            return
        }
        guard runtime.frontendExists(fe) else {
            reply("No such frontend.\n")
            return
        }
        if r.arg(4).isEmpty {
            reply("Integer value expected.\n")
            return
        }
        let n = CLIArgs.atoi(r.arg(4))
        if n < 0 {
            reply("Value out of range.\n")
            return
        }
        if runtime.setFrontendMaxconn(frontend: fe, maxconn: n) == .noSuchFrontend {
            reply("No such frontend.\n")
        }
    }

    func setMaxconnGlobal(_ r: RequestParser.Request) {
        guard require(.admin) else { return }
        let a = r.arg(3)
        if a.isEmpty {
            reply("Expects an integer value.\n")
            return
        }
        let n = CLIArgs.atoi(a)
        if n < 0 || runtime.setGlobalMaxconn(n) == .outOfRange {
            reply("Value out of range.\n")
        }
    }

    /// `set rate-limit connections|sessions global <n>` with haproxy 2.6's replies; ordrel has
    /// no SSL and no compression, so its usage lists only the two limits it applies.
    func setRateLimit(_ r: RequestParser.Request) {
        guard require(.admin) else { return }
        let kind: RateLimitKind
        switch (r.arg(2), r.arg(3)) {
        case ("connections", "global"): kind = .connections
        case ("sessions", "global"): kind = .sessions
        default:
            reply("'set rate-limit' only supports :\n"
                  + "   - 'connections global' to set the per-process maximum connection rate\n"
                  + "   - 'sessions global' to set the per-process maximum session rate\n")
            return
        }
        let a = r.arg(4)
        if a.isEmpty {
            reply("Expects an integer value.\n")
            return
        }
        let n = CLIArgs.atoi(a)
        guard n >= 0 else {
            reply("Value out of range.\n")
            return
        }
        runtime.setRateLimit(kind, perSecond: n)
    }

    func setFrontend(_ r: RequestParser.Request, enabled: Bool) {
        guard require(.admin) else { return }
        let fe = r.arg(2)
        if fe.isEmpty {
            reply("A frontend name is expected.\n")
            return
        }
        switch runtime.setFrontendEnabled(frontend: fe, enabled: enabled) {
        case .done: break
        case .noSuchFrontend: reply("No such frontend.\n")
        case .alreadyInState: reply(enabled ? "All sockets are already enabled.\n" : "All sockets are already disabled.\n")
        case .failed:
            reply(enabled ? "Failed to resume frontend, check logs for precise cause (port conflict?).\n"
                          : "Failed to pause frontend, check logs for precise cause.\n")
        }
    }
}
