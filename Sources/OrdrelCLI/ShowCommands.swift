/// The `show ...` commands.
extension CLISession {
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
        InfoRenderer.render(runtime.consistently { runtime.info() }, format: format, withDescriptions: desc, into: &output)
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

    /// `show resolvers [<section>]`: each name server's counters.
    func showResolvers(_ r: RequestParser.Request) {
        let name = r.arg(2)
        var sections = runtime.resolvers()
        if !name.isEmpty {
            sections = sections.filter { $0.name == name }
            guard !sections.isEmpty else {
                reply("Can't find that resolvers section\n")
                return
            }
        }
        reply(ResolversRenderer.render(sections))
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

    /// `show servers conn [<backend>]`: connection counts per server. ordrel keeps no idle
    /// server connections (TCP mode), so the idle columns are 0 and the limit -1, as haproxy's
    /// for the same configuration; purge_delay is haproxy's default, 5000 ms.
    func showServersConn(_ r: RequestParser.Request) {
        let be = r.arg(3)
        guard var rows = runtime.serversState(backend: be.isEmpty ? nil : be) else {
            reply("Can't find backend.\n")
            return
        }
        let threads = runtime.threadCount
        var lines = ["# bkname/svname bkid/svid addr port - purge_delay used_cur used_max need_est unsafe_nb safe_nb "
                     + "idle_lim idle_cur idle_per_thr[\(threads)]"]
        let idlePerThread = String(repeating: " 0", count: threads)
        while let s = rows.next() {
            lines.append("\(s.backendName)/\(s.serverName) \(s.backendID)/\(s.serverID) \(s.address) \(s.port) - 5000 "
                         + "\(s.usedConnections) \(s.peakConnections) \(s.peakConnections) 0 0 -1 0\(idlePerThread)")
        }
        stream = ResponseStream(.lines(lines.makeIterator()))
    }

    /// `show activity` in haproxy 2.6's layout: `name: total [ per thread ]`, the asking thread
    /// first (always the first one in ordrel: the CLI runs there).
    func showActivity() {
        let (now, counters) = runtime.activity()
        var text = "thread_id: 1 (1..\(runtime.threadCount))\n"
        let micros = String(now % 1_000_000)
        text += "date_now: \(now / 1_000_000).\(String(repeating: "0", count: 6 - micros.count))\(micros)\n"
        for counter in counters {
            text += "\(counter.name): \(counter.perThread.reduce(0, +)) [ "
                + counter.perThread.map(String.init).joined(separator: " ") + " ]\n"
        }
        reply(text)
    }

    /// `show fd [num]` (operator, as haproxy): a number as C's atoi reads it, so a word shows fd 0.
    func showFD(_ r: RequestParser.Request) {
        guard require(.operator) else { return }
        let only = r.arg(2).isEmpty ? nil : CLIArgs.atoi(r.arg(2))
        let lines = InternalsRenderer.fds(runtime.fileDescriptors(), only: only).split(separator: "\n").map(String.init)
        stream = ResponseStream(.lines(lines.makeIterator()))
    }

    /// `show threads`: the calling thread's current task is this session.
    func showThreads() {
        var threads = runtime.threads()
        if let calling = threads.firstIndex(where: \.isCalling) {
            threads[calling].currentTask = (UInt(bitPattern: ObjectIdentifier(self)), commandsRun)
        }
        reply(InternalsRenderer.threads(threads))
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

    func showBackend() {
        var out: [UInt8] = Array("# name\n".utf8)
        for n in runtime.backendNames() { out.append(n); out.append(0x0A) }
        output.append(contentsOf: out)
    }
}
