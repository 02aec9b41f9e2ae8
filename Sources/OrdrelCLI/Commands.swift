/// Command dispatch: keyword table, access levels and haproxy 2.6's exact reply texts.
extension CLISession {
    /// An implemented command: its fixed words and handler. Level checks happen in handlers,
    /// as in haproxy, because some depend on arguments (`clear counters all`).
    struct Command: Sendable {
        let words: [String]
        let handler: @Sendable (CLISession, RequestParser.Request) -> Void
    }

    static let permissionDenied = "Permission denied\n"
    static let notSupported = "This command is not supported by ordrel.\n"

    static let commands: [Command] = [
        Command(words: ["help"]) { s, r in s.output.append(HelpText.message(args: r.words, isHelp: true)) },
        Command(words: ["prompt"]) { s, _ in s.togglePrompt() },
        Command(words: ["quit"]) { s, _ in s.quitRequested = true },
        Command(words: ["operator"]) { s, _ in
            if s.require(.operator) { s.setLevel(.operator) }
        },
        Command(words: ["user"]) { s, _ in s.setLevel(.user) },
        Command(words: ["show", "cli", "level"]) { s, _ in s.reply(s.level.name + "\n") },
        Command(words: ["show", "version"]) { s, _ in s.reply(s.runtime.version + "\n") },
        Command(words: ["show", "info"]) { s, r in s.showInfo(r) },
        Command(words: ["show", "stat"]) { s, r in s.showStat(r) },
        Command(words: ["show", "servers", "state"]) { s, r in s.showServersState(r) },
        Command(words: ["show", "backend"]) { s, _ in
            var out: [UInt8] = Array("# name\n".utf8)
            for n in s.runtime.backendNames() { out.append(n); out.append(0x0A) }
            s.output.append(contentsOf: out)
        },
        Command(words: ["show", "sess"]) { s, r in s.showSess(r) },
        Command(words: ["show", "errors"]) { s, _ in
            guard s.require(.operator) else { return }
            s.reply("Total events captured on [\(s.runtime.currentDateString())] : 0\n")
        },
        Command(words: ["show", "env"]) { s, r in s.showEnv(r) },
        Command(words: ["set", "timeout"]) { s, r in s.setTimeout(r) },
        Command(words: ["shutdown", "session"]) { s, r in s.shutdownSession(r) },
        Command(words: ["shutdown", "sessions", "server"]) { s, r in
            guard s.require(.admin), let (b, v) = s.serverArg(r.arg(3)) else { return }
            s.reply(lookupText(s.runtime.shutdownSessions(backend: b, server: v)))
        },
        Command(words: ["disable", "server"]) { s, r in s.setAdmin(r, .maint) },
        Command(words: ["enable", "server"]) { s, r in s.setAdmin(r, .ready) },
        Command(words: ["set", "server"]) { s, r in s.setServer(r) },
        Command(words: ["get", "weight"]) { s, r in
            guard let (b, v) = s.serverArg(r.arg(2)) else { return }
            switch s.runtime.serverWeight(backend: b, server: v) {
            case .weight(let cur, let ini): s.reply("\(cur) (initial \(ini))\n")
            case .noSuchBackend: s.reply("No such backend.\n")
            case .noSuchServer: s.reply("No such server.\n")
            }
        },
        Command(words: ["set", "weight"]) { s, r in
            guard s.require(.admin), let (b, v) = s.serverArg(r.arg(2)) else { return }
            s.setWeight(b, v, r.arg(3))
        },
        Command(words: ["set", "maxconn", "server"]) { s, r in s.setMaxconnServer(r) },
        Command(words: ["set", "maxconn", "frontend"]) { s, r in s.setMaxconnFrontend(r) },
        Command(words: ["set", "maxconn", "global"]) { s, r in s.setMaxconnGlobal(r) },
        Command(words: ["disable", "health"]) { s, r in s.setHealthChecks(r, enabled: false) },
        Command(words: ["enable", "health"]) { s, r in s.setHealthChecks(r, enabled: true) },
        Command(words: ["disable", "frontend"]) { s, r in s.setFrontend(r, enabled: false) },
        Command(words: ["enable", "frontend"]) { s, r in s.setFrontend(r, enabled: true) },
        Command(words: ["clear", "counters"]) { s, r in
            let all = r.arg(2) == "all"
            guard s.require(all ? .admin : .operator) else { return }
            s.runtime.clearCounters(all: all)
        },
    ]

    /// Minimum level of haproxy commands ordrel lists in `help` but does not implement (2.6 matrix).
    static let unimplementedLevels: [String: CLILevel] = [
        "show fd": .operator, "set rate-limit": .admin,
        "disable agent": .admin, "enable agent": .admin, "shutdown frontend": .admin,
    ]

    /// Runs one parsed request, appending its reply (without the terminator) to the output.
    func execute(_ req: RequestParser.Request) {
        let words = req.words.map { String(decoding: $0, as: UTF8.self) }
        var best: Command?
        for c in Self.commands where c.words.count <= words.count && (best?.words.count ?? 0) < c.words.count {
            if Array(words[0..<c.words.count]) == c.words { best = c }
        }
        if let best {
            best.handler(self, req)
            return
        }
        for kw in HelpText.keywords where kw.usage != nil && !kw.words.isEmpty && kw.words.count <= req.words.count {
            if Array(req.words[0..<kw.words.count]) == kw.words {
                let key = kw.words.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
                if let need = Self.unimplementedLevels[key], level < need {
                    reply(Self.permissionDenied)
                } else {
                    reply(Self.notSupported)
                }
                return
            }
        }
        output.append(HelpText.message(args: req.words, isHelp: false))
    }

    // MARK: helpers

    func reply(_ s: String) { output.append(s) }

    /// A message haproxy 2.6 prints without its LF: only the terminator follows.
    func replyWithoutLF(_ s: String) {
        output.append(s)
        output.append(0x0A)
        suppressTerminator = true
    }

    /// Checks the session level, replying `Permission denied` when too low.
    func require(_ l: CLILevel) -> Bool {
        if level >= l { return true }
        reply(Self.permissionDenied)
        return false
    }

    /// Splits `<backend>/<server>`, replying haproxy's error when malformed.
    func serverArg(_ a: String) -> (String, String)? {
        guard let slash = a.firstIndex(of: "/"), a.index(after: slash) < a.endIndex else {
            reply("Require 'backend/server'.\n")
            return nil
        }
        return (String(a[..<slash]), String(a[a.index(after: slash)...]))
    }

    static func lookupText(_ r: ServerLookup) -> String {
        switch r {
        case .ok: return ""
        case .noSuchBackend: return "No such backend.\n"
        case .noSuchServer: return "No such server.\n"
        }
    }

    // MARK: show

    func showInfo(_ r: RequestParser.Request) {
        var format = StatsFormat.plain
        var desc = false
        for i in 2..<max(2, r.words.count) {
            switch r.arg(i) {
            case "typed": format = .typed
            case "json": format = .json
            case "desc": desc = true
            default: break
            }
        }
        InfoRenderer.render(runtime.info(), format: format, withDescriptions: desc, into: &output)
    }

    func showStat(_ r: RequestParser.Request) {
        var base = 2
        if r.arg(2) == "domain" {
            switch r.arg(3) {
            case "proxy": base = 4
            default:
                reply("Invalid statistics domain.\n")
                return
            }
        }
        var filter = StatsFilter()
        if !r.arg(base).isEmpty && !r.arg(base + 1).isEmpty && !r.arg(base + 2).isEmpty {
            let px = r.arg(base)
            let iid: Int64
            if let id = runtime.proxyID(named: px) {
                iid = Int64(truncatingIfNeeded: id)
            } else {
                iid = Int64(CLIArgs.atoi(px))
            }
            if iid == 0 {
                reply("No such proxy.\n")
                return
            }
            filter.iid = iid == -1 ? nil : UInt64(truncatingIfNeeded: iid)
            filter.typeMask = CLIArgs.atoi(r.arg(base + 1))
            let sid = CLIArgs.atoi(r.arg(base + 2))
            filter.sid = sid == -1 ? nil : UInt64(truncatingIfNeeded: Int64(sid))
        }
        var format = StatsFormat.plain
        var desc = false
        for i in base..<max(base, r.words.count) {
            switch r.arg(i) {
            case "typed": format = .typed
            case "json": format = .json
            case "desc": desc = true
            case "up": filter.onlyUp = true
            case "no-maint": filter.noMaint = true
            default: break
            }
        }
        let renderer = StatsRenderer(format: format, withDescriptions: desc, showLegends: level >= .operator)
        renderer.appendPrologue(into: &output)
        stream = ResponseStream(.stats(runtime.statsRows(), renderer, filter))
    }

    func showServersState(_ r: RequestParser.Request) {
        let be = r.arg(3)
        guard let rows = runtime.serversState(backend: be.isEmpty ? nil : be) else {
            reply("Can't find backend.\n")
            return
        }
        output.append(contentsOf: ServersStateRenderer.header)
        stream = ResponseStream(.serversState(rows))
    }

    func showSess(_ r: RequestParser.Request) {
        guard require(.operator) else { return }
        let a = r.arg(2)
        if a.isEmpty || a == "all" {
            if a == "all" {
                var it = runtime.sessions()
                while let s = it.next() { SessionRenderer.appendDetail(s, into: &output) }
                return
            }
            stream = ResponseStream(.sessions(runtime.sessions()))
            return
        }
        switch CLIArgs.sessionID(a) {
        case .zero:
            stream = ResponseStream(.sessions(runtime.sessions()))
        case .unmatchable:
            reply("Session not found.\n")
        case .value(let id):
            if let s = runtime.session(id: id) {
                SessionRenderer.appendDetail(s, into: &output)
            } else {
                reply("Session not found.\n")
            }
        }
    }

    func showEnv(_ r: RequestParser.Request) {
        guard require(.operator) else { return }
        let env = runtime.environment()
        let name = r.arg(2)
        if name.isEmpty {
            stream = ResponseStream(.lines(env.makeIterator()))
            return
        }
        let prefix = name + "="
        if let e = env.first(where: { $0.hasPrefix(prefix) }) {
            reply(e + "\n")
        } else {
            reply("Variable not found\n")
        }
    }

    // MARK: actions

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
        reply(Self.lookupText(runtime.setServerAdminState(backend: b, server: v, state: state)))
    }

    /// `enable health` / `disable health <b>/<s>`, with haproxy 2.6's replies.
    func setHealthChecks(_ r: RequestParser.Request, enabled: Bool) {
        guard require(.admin), let (b, v) = serverArg(r.arg(2)) else { return }
        switch runtime.setHealthChecks(backend: b, server: v, enabled: enabled) {
        case .done: break
        case .noSuchBackend: reply(Self.lookupText(.noSuchBackend))
        case .noSuchServer: reply(Self.lookupText(.noSuchServer))
        case .notConfigured:
            reply("Health check was not configured on this server, cannot \(enabled ? "enable" : "disable").\n")
        }
    }

    func setServer(_ r: RequestParser.Request) {
        guard require(.admin), let (b, v) = serverArg(r.arg(2)) else { return }
        let lookup = runtime.lookupServer(backend: b, server: v)
        guard lookup == .ok else {
            reply(Self.lookupText(lookup))
            return
        }
        switch r.arg(3) {
        case "state":
            let st: ServerAdminState
            switch r.arg(4) {
            case "ready": st = .ready
            case "drain": st = .drain
            case "maint": st = .maint
            default:
                reply("'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n")
                return
            }
            reply(Self.lookupText(runtime.setServerAdminState(backend: b, server: v, state: st)))
        case "weight":
            setWeight(b, v, r.arg(4))
        case "addr":
            setAddr(b, v, r)
        case "health":
            let health: ServerHealthRequest
            switch r.arg(4) {
            case "up": health = .up
            case "stopping": health = .stopping
            case "down": health = .down
            default:
                reply("'set server <srv> health' expects 'up', 'stopping', or 'down'.\n")
                return
            }
            reply(Self.lookupText(runtime.setServerHealth(backend: b, server: v, health: health)))
        case "agent", "agent-addr", "agent-port", "agent-send", "check-addr", "check-port", "fqdn", "ssl":
            reply(Self.notSupported)
        default:
            reply("usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | "
                + "check-addr | check-port | fqdn | health | ssl | state | weight\n")
        }
    }

    func setWeight(_ b: String, _ v: String, _ w: String) {
        let lookup = runtime.lookupServer(backend: b, server: v)
        guard lookup == .ok else {
            reply(Self.lookupText(lookup))
            return
        }
        switch CLIArgs.weight(w) {
        case .failure(let e):
            if e.text.hasSuffix("\n") { reply(e.text) } else { replyWithoutLF(e.text) }
        case .success(let req):
            switch runtime.setServerWeight(backend: b, server: v, weight: req) {
            case .done: break
            case .noSuchBackend: reply("No such backend.\n")
            case .noSuchServer: reply("No such server.\n")
            case .staticAlgorithm:
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
        let by = " by 'stats socket command'\n"
        switch runtime.setServerAddress(backend: b, server: v, address: addr, port: port) {
        case .noSuchBackend: reply("No such backend.\n")
        case .noSuchServer: reply("No such server.\n")
        case .invalidAddress: reply("Invalid addr '\(addr)'" + by)
        case .updated(let change, let portOutcome):
            var msg = change.map { "IP changed from '\($0.from)' to '\($0.to)'" } ?? "no need to change the addr"
            if let portOutcome {
                msg += ", "
                switch portOutcome {
                case .changed(let from, let to): msg += "port changed from '\(from)' to '\(to)'"
                case .unchanged: msg += "no need to change the port"
                case .invalid(let p): msg += "problem converting port '\(p)' to an int"
                case .incompatibleWithCheckPort:
                    msg += "can't change <port> to port map because it is incompatible with current health check "
                        + "port configuration (use 'port' statement from the 'server' directive."
                }
            }
            reply(msg + by)
        }
    }

    func setMaxconnServer(_ r: RequestParser.Request) {
        guard require(.admin), let (b, v) = serverArg(r.arg(3)) else { return }
        let lookup = runtime.lookupServer(backend: b, server: v)
        guard lookup == .ok else {
            reply(Self.lookupText(lookup))
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
            reply(Self.lookupText(runtime.setServerMaxconn(backend: b, server: v,
                                                           maxconn: UInt32(truncatingIfNeeded: n))))
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
        }
    }
}
