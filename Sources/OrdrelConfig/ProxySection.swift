/// Keywords of `defaults`, `frontend`, `backend` and `listen` sections.
extension ConfigBuilder {
    /// "frontend 'fe'" for capability messages.
    private var proxyLabel: String { "\(current.role.rawValue) '\(current.config.name)'" }

    /// Structural keywords (bind, server, routing) in a section that cannot use them: an alert,
    /// worded like haproxy's.
    private func requireCapability(_ keyword: String, frontend: Bool) -> Bool {
        let role = current.role
        if frontend ? role.hasFrontend : role.hasBackend, role != .defaults { return true }
        if role == .defaults {
            alert("'\(keyword)' not allowed in 'defaults' section.")
        } else {
            alert("'\(keyword)' not allowed because \(proxyLabel) has no \(frontend ? "frontend" : "backend") capability.")
        }
        return false
    }

    /// Tuning keywords on the wrong side: haproxy warns and ignores them; so does ordrel.
    private func usable(_ keyword: String, frontend: Bool, hint: String = "") -> Bool {
        if frontend ? current.role.hasFrontend : current.role.hasBackend { return true }
        warn("'\(keyword)' ignored because \(proxyLabel) has no \(frontend ? "frontend" : "backend") capability.\(hint)")
        return false
    }

    func parseProxy(_ words: [String]) {
        if words[0] == "no" {
            guard let (words, keyword) = negatedKeyword(words) else { return }
            switch keyword {
            case "option":
                parseOption(words, negated: true)
            case "log":
                if noExtraArguments(words, 1, "no log") { current.logs = [] }
            default:
                alert("negation is only supported for 'option' and 'log' in proxies (got 'no \(keyword)').")
            }
            return
        }
        let keyword = words[0]
        switch keyword {
        case "mode":
            switch words.count > 1 ? words[1] : "" {
            case "tcp":
                if noExtraArguments(words, 2, keyword) { current.config.mode = .tcp }
            case "http":
                alert("'mode http' : ordrel only implements 'mode tcp'.")
            case "":
                alert("'mode' expects one of 'tcp', 'http' or 'log'.")
            case let other:
                alert("unknown proxy mode '\(other)'.")
            }
        case "bind":
            if requireCapability(keyword, frontend: true) { parseBind(words) }
        case "default_backend":
            guard current.role.hasFrontend else {
                _ = requireCapability(keyword, frontend: true)
                return
            }
            guard let name = word(words, 1, "'default_backend' expects a backend name.") else { return }
            if noExtraArguments(words, 2, keyword) {
                current.config.defaultBackend = name
                current.defaultBackendLocation = location
            }
        case "use_backend":
            guard requireCapability(keyword, frontend: true),
                  let name = word(words, 1, "'use_backend' expects a backend name.") else { return }
            if words.count > 2, words[2] == "if" || words[2] == "unless" {
                alert("'use_backend \(name) \(words[2]) ...' : conditions are not supported by ordrel; only unconditional 'use_backend <name>' rules are.")
            } else if noExtraArguments(words, 2, keyword) {
                current.config.useBackends.append(name)
                current.useBackendLocations.append(location)
            }
        case "balance":
            parseBalance(words)
        case "server":
            if requireCapability(keyword, frontend: false) { parseServer(words) }
        case "default-server":
            guard current.role.hasBackend else {
                _ = requireCapability(keyword, frontend: false)
                return
            }
            parseDefaultServer(words)
        case "maxconn":
            guard let n = integer(words, 1, keyword, in: 0...Int(Int32.max)), noExtraArguments(words, 2, keyword),
                  usable(keyword, frontend: true, hint: " Maybe you want 'fullconn' instead ?") else { return }
            current.config.maxconn = n == 0 ? nil : n
        case "fullconn":
            guard let n = integer(words, 1, keyword, in: 0...Int(Int32.max)), noExtraArguments(words, 2, keyword),
                  usable(keyword, frontend: false, hint: " Maybe you want 'maxconn' instead ?") else { return }
            current.config.fullconn = n == 0 ? nil : n
        case "retries":
            guard let n = integer(words, 1, keyword, in: 0...Int(Int32.max)), noExtraArguments(words, 2, keyword),
                  usable(keyword, frontend: false) else { return }
            current.config.retries = n
        case "timeout":
            parseTimeout(words)
        case "contimeout", "clitimeout", "srvtimeout":
            let modern = ["contimeout": "connect", "clitimeout": "client", "srvtimeout": "server"][keyword]!
            alert("the '\(keyword)' directive is not supported anymore since HAProxy 2.1. Use 'timeout \(modern)'.")
        case "option":
            parseOption(words, negated: false)
        case "log":
            if words.count == 2 && words[1] == "global" {
                current.logs.append(.global)
            } else if let target = parseLog(words) {
                current.logs.append(.target(target))
            }
        case "id":
            guard current.role != .defaults else {
                alert("'id' not allowed in 'defaults' section.")
                return
            }
            guard let n = integer(words, 1, keyword), noExtraArguments(words, 2, keyword) else { return }
            guard n > 0 else {
                alert("custom id has to be > 0.")
                return
            }
            current.config.id = n
            current.config.forcedID = true
        case "disabled", "enabled":
            if noExtraArguments(words, 1, keyword) { current.config.disabled = keyword == "disabled" }
        case "description":
            guard current.role != .defaults else {
                alert("'description' not allowed in 'defaults' section.")
                return
            }
            guard words.count > 1 else {
                alert("'description' expects a string argument.")
                return
            }
            current.config.description = words.dropFirst().joined(separator: " ")
        case "stats":
            alert("'stats \(words.count > 1 ? words[1] : "")' : the HTTP statistics page is not supported by ordrel; use a 'stats socket' in the 'global' section.")
        case "hash-type":
            // map-based is haproxy's default, which is what `balance source` implements.
            if words.count == 2 && words[1] == "map-based" { return }
            alert("'hash-type' : ordrel only supports 'map-based' hashing.")
        default:
            if let reason = Keywords.unsupportedProxy[keyword] {
                alert("'\(keyword)' is not supported by ordrel: \(reason).")
            } else if Keywords.httpOnlyProxy.contains(keyword) || keyword.hasPrefix("http-") {
                alert("'\(keyword)' is HTTP-only; ordrel only implements 'mode tcp'.")
            } else if Keywords.ignoredProxy.contains(keyword) {
                warn("'\(keyword)' is ignored by ordrel")
            } else {
                alert("unknown keyword '\(keyword)' in '\(current.role.rawValue)' section")
            }
        }
    }

    private func parseBalance(_ words: [String]) {
        guard words.count > 1, !words[1].isEmpty else {
            alert("'balance' expects an algorithm.")
            return
        }
        guard let algorithm = BalanceAlgorithm(rawValue: words[1]) else {
            alert("'balance' : ordrel only supports 'roundrobin', 'static-rr', 'leastconn', 'first' and 'source' (got '\(words[1])').")
            return
        }
        guard noExtraArguments(words, 2, "balance \(words[1])"), usable("balance", frontend: false) else { return }
        current.config.balance = algorithm
    }

    private func parseTimeout(_ words: [String]) {
        let name = words.count > 1 ? words[1] : ""
        let keyword = "timeout \(name)"
        let frontendSide: Bool
        switch name {
        case "client", "client-fin": frontendSide = true
        case "server", "server-fin", "connect", "queue", "check", "tunnel": frontendSide = false
        case _ where Keywords.httpTimeouts.contains(name):
            if duration(words, 2, keyword) != nil, noExtraArguments(words, 3, keyword) {
                warn("'\(keyword)' is ignored by ordrel (HTTP only)")
            }
            return
        default:
            alert("'timeout' supports 'client', 'server', 'connect', 'check', 'queue', 'http-keep-alive', 'http-request', 'tunnel', 'tarpit', 'client-fin' and 'server-fin' (got '\(name)')")
            return
        }
        guard words.count > 2, !words[2].isEmpty else {
            alert("'\(keyword)' expects an integer value (in milliseconds)")
            return
        }
        guard let ms = duration(words, 2, keyword), noExtraArguments(words, 3, keyword) else { return }
        if !(frontendSide ? current.role.hasFrontend : current.role.hasBackend) {
            warn("'\(keyword)' will be ignored because \(proxyLabel) has no \(frontendSide ? "frontend" : "backend") capability")
            return
        }
        let value: UInt64? = ms == 0 ? nil : ms
        switch name {
        case "client": current.config.timeouts.client = value
        case "client-fin": current.config.timeouts.clientFin = value
        case "server": current.config.timeouts.server = value
        case "server-fin": current.config.timeouts.serverFin = value
        case "connect": current.config.timeouts.connect = value
        case "queue": current.config.timeouts.queue = value
        case "check": current.config.timeouts.check = value
        default: current.config.timeouts.tunnel = value
        }
    }

    private func parseOption(_ words: [String], negated: Bool) {
        guard words.count > 1, !words[1].isEmpty else {
            alert("'option' expects an option name.")
            return
        }
        let name = words[1]
        let written = negated ? "no option \(name)" : "option \(name)"
        if Keywords.tcpOptions.contains(name) {
            if negated && Keywords.nonNegatableOptions.contains(name) {
                alert("negation/default is not supported for option '\(name)'.")
                return
            }
            var enable = !negated
            if name == "redispatch" && !negated && words.count > 2 {
                guard let interval = integer(words, 2, written) else { return }
                enable = interval != 0
                noExtraArguments(words, 3, written)
            } else if !noExtraArguments(words, 2, written) {
                return
            }
            setOption(name, enable)
        } else if Keywords.httpOptions.contains(name) {
            alert("'\(written)' is HTTP-only; ordrel only implements 'mode tcp'.")
        } else if Keywords.checkOptions.contains(name) {
            alert("'\(written)' is not supported by ordrel: only plain TCP connect health checks are supported.")
        } else if Keywords.ignoredOptions.contains(name) {
            warn("'\(written)' is ignored by ordrel")
        } else {
            alert("unknown option '\(name)'.")
        }
    }

    /// Applies a TCP option, warning like haproxy when the proxy has no use for it.
    private func setOption(_ name: String, _ enable: Bool) {
        switch name {
        case "redispatch", "allbackups", "abortonclose", "srvtcpka":
            guard usable(name, frontend: false) else { return }
        case "clitcpka":
            guard usable(name, frontend: true) else { return }
        case "tcplog":
            guard current.role.hasFrontend else {
                warn("\(proxyLabel) : 'option tcplog' directive is ignored in backends.")
                return
            }
        default:
            break
        }
        switch name {
        case "redispatch": current.config.options.redispatch = enable
        case "nolinger": current.config.options.nolinger = enable
        case "tcpka": current.config.options.tcpka = enable
        case "clitcpka": current.config.options.clitcpka = enable
        case "srvtcpka": current.config.options.srvtcpka = enable
        case "tcplog": current.config.options.tcplog = enable
        case "dontlognull": current.config.options.dontlognull = enable
        case "allbackups": current.config.options.allbackups = enable
        default: current.config.options.abortonclose = enable
        }
    }
}
