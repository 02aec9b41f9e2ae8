/// Command dispatch: the table of implemented commands, access levels and haproxy 2.6's exact
/// reply texts. Adding a command means one row here (its `help` line comes from haproxy's list
/// in `HelpUsage.swift`), its handler, and the `CLIRuntime` call it needs.
extension CLISession {
    /// An implemented command: its fixed words, the lowest level that sees it in `help`, and its
    /// handler. Level checks happen in handlers, as in haproxy, because some depend on arguments
    /// (`clear counters all`).
    struct Command: Sendable {
        /// How a handler sees a consistent runtime (`CLIRuntime.consistently`).
        enum Isolation: Sendable {
            /// The whole handler runs consistently: it reads or changes shared state.
            case handler
            /// The handler reads no shared state, or takes what it needs through
            /// `consistently` itself, so its formatting runs while the traffic flows.
            case none
        }

        let words: [[UInt8]]
        let level: CLILevel
        let isolation: Isolation
        let handler: @Sendable (CLISession, RequestParser.Request) -> Void

        init(_ words: String, _ level: CLILevel = .user, isolation: Isolation = .handler,
             handler: @escaping @Sendable (CLISession, RequestParser.Request) -> Void) {
            self.words = words.split(separator: " ").map { Array($0.utf8) }
            self.level = level
            self.isolation = isolation
            self.handler = handler
        }
    }

    static let permissionDenied = "Permission denied\n"
    static let notSupported = "This command is not supported by ordrel.\n"

    static let commands: [Command] = [
        Command("help", isolation: .none) { s, r in s.output.append(HelpText.message(args: r.words, isHelp: true, level: s.level)) },
        Command("prompt", isolation: .none) { s, _ in s.togglePrompt() },
        Command("quit", isolation: .none) { s, _ in s.quitRequested = true },
        // Hidden (no usage), any level: whether the socket may export its listeners is the
        // driver's decision (`expose-fd listeners`); either way the session ends without output.
        Command("_getsocks", isolation: .none) { s, _ in
            s.quitRequested = true
            s.listenerTransferPending = true
        },
        Command("operator", .operator, isolation: .none) { s, _ in
            if s.require(.operator) { s.setLevel(.operator) }
        },
        Command("user", isolation: .none) { s, _ in s.setLevel(.user) },
        Command("show cli level", isolation: .none) { s, _ in s.reply(s.level.name + "\n") },
        Command("show version") { s, _ in s.reply(s.runtime.version + "\n") },
        Command("show info", isolation: .none) { s, r in s.showInfo(r) },
        Command("show stat", isolation: .none) { s, r in s.showStat(r) },
        Command("show servers state") { s, r in s.showServersState(r) },
        Command("show resolvers") { s, r in s.showResolvers(r) },
        Command("show servers conn") { s, r in s.showServersConn(r) },
        Command("show schema json", isolation: .none) { s, _ in s.reply(StatsSchema.json) },
        Command("show activity") { s, _ in s.showActivity() },
        Command("show backend") { s, _ in s.showBackend() },
        Command("show fd", .operator) { s, r in s.showFD(r) },
        Command("show pools") { s, _ in s.reply(InternalsRenderer.pools(s.runtime.pools())) },
        Command("show threads") { s, _ in s.showThreads() },
        Command("show sess", .operator) { s, r in s.showSess(r) },
        Command("show errors", .operator) { s, _ in
            guard s.require(.operator) else { return }
            s.reply("Total events captured on [\(s.runtime.currentDateString())] : 0\n")
        },
        Command("show env", .operator) { s, r in s.showEnv(r) },
        Command("set timeout", isolation: .none) { s, r in s.setTimeout(r) },
        Command("shutdown session", .admin) { s, r in s.shutdownSession(r) },
        Command("shutdown sessions server", .admin) { s, r in
            guard s.require(.admin), let (b, v) = s.serverArg(r.arg(3)) else { return }
            s.replyLookup(s.runtime.shutdownSessions(backend: b, server: v))
        },
        Command("disable server", .admin) { s, r in s.setAdmin(r, .maint) },
        Command("enable server", .admin) { s, r in s.setAdmin(r, .ready) },
        Command("set server", .admin) { s, r in s.setServer(r) },
        Command("get weight") { s, r in
            guard let (b, v) = s.serverArg(r.arg(2)) else { return }
            switch s.runtime.serverWeight(backend: b, server: v) {
            case .success(let w): s.reply("\(w.current) (initial \(w.initial))\n")
            case .failure(let e): s.reply(e.reply)
            }
        },
        Command("set weight", .admin) { s, r in
            guard s.require(.admin), let (b, v) = s.serverArg(r.arg(2)) else { return }
            s.setWeight(b, v, r.arg(3))
        },
        Command("set maxconn server", .admin) { s, r in s.setMaxconnServer(r) },
        Command("set maxconn frontend", .admin) { s, r in s.setMaxconnFrontend(r) },
        Command("set maxconn global", .admin) { s, r in s.setMaxconnGlobal(r) },
        Command("set rate-limit", .admin) { s, r in s.setRateLimit(r) },
        Command("disable health", .admin) { s, r in s.setHealthChecks(r, enabled: false) },
        Command("enable health", .admin) { s, r in s.setHealthChecks(r, enabled: true) },
        Command("disable agent", .admin) { s, r in s.setAgentChecks(r, enabled: false) },
        Command("enable agent", .admin) { s, r in s.setAgentChecks(r, enabled: true) },
        Command("disable frontend", .admin) { s, r in s.setFrontend(r, enabled: false) },
        Command("enable frontend", .admin) { s, r in s.setFrontend(r, enabled: true) },
        // ordrel has no maps or ACL files: haproxy's answers for an empty list and for an unknown
        // name, so libraries that call them parse an empty result, not an error text.
        Command("show map") { s, r in
            s.reply(r.arg(2).isEmpty ? "# id (file) description\n" : "Unknown map identifier. Please use #<id> or <file>.\n")
        },
        Command("show acl") { s, r in
            s.reply(r.arg(2).isEmpty ? "# id (file) description\n" : "Unknown ACL identifier. Please use #<id> or <file>.\n")
        },
        Command("show table") { s, r in s.tableCommand(r, .show) },
        // Listed from operator on: below, they change nothing (haproxy's own checks apply).
        Command("clear table", .operator) { s, r in s.tableCommand(r, .clear) },
        Command("set table", .operator) { s, r in s.tableCommand(r, .set) },
        Command("clear counters", .operator) { s, r in
            let all = r.arg(2) == "all"
            guard s.require(all ? .admin : .operator) else { return }
            s.runtime.clearCounters(all: all)
        },
    ]

    /// Minimum level of haproxy commands ordrel does not implement but checks the level of first
    /// (2.6 matrix); the others answer `notSupported` at any level.
    static let unimplementedLevels: [[UInt8]: CLILevel] = [
        Array("shutdown frontend".utf8): .admin,
    ]

    /// Runs one parsed request, appending its reply (without the terminator) to the output.
    func execute(_ req: RequestParser.Request) {
        var best: Command?
        for c in Self.commands where (best?.words.count ?? 0) < c.words.count && Self.starts(req.words, with: c.words) {
            best = c
        }
        if let best {
            switch best.isolation {
            case .handler: runtime.consistently { best.handler(self, req) }
            case .none: best.handler(self, req)
            }
            return
        }
        if let kw = HelpText.haproxyKeywords.first(where: { Self.starts(req.words, with: $0) }) {
            let need = Self.unimplementedLevels[Array(kw.joined(separator: [0x20]))] ?? .user
            reply(level < need ? Self.permissionDenied : Self.notSupported)
            return
        }
        output.append(HelpText.message(args: req.words, isHelp: false, level: level))
    }

    /// True when the request's first words are `words`.
    static func starts(_ request: [[UInt8]], with words: [[UInt8]]) -> Bool {
        guard words.count <= request.count else { return false }
        for i in words.indices where request[i] != words[i] { return false }
        return true
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

    /// Replies haproxy's lookup error, if any, of a server action with nothing else to say.
    func replyLookup(_ result: ServerResult<Void>) {
        if let error = result.lookupError { reply(error.reply) }
    }
}
