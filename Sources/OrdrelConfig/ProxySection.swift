import OrdrelLog

/// Keywords of `defaults`, `frontend`, `backend` and `listen` sections.
extension ConfigBuilder {
    /// "frontend 'fe'" for capability messages.
    private var proxyLabel: String { "\(current.role.rawValue) '\(current.config.name)'" }

    /// Whether the current proxy may use a keyword allowed in `sections`; if not, an alert worded
    /// like haproxy's: structural keywords (bind, server, routing, id) in the wrong section.
    private func allowed(_ keyword: String, in sections: KeywordSections) -> Bool {
        let role = current.role
        if role == .defaults ? sections.contains(.defaults)
            : (role.hasFrontend && sections.contains(.frontend)) || (role.hasBackend && sections.contains(.backend)) {
            return true
        }
        if role == .defaults {
            alert("'\(keyword)' not allowed in 'defaults' section.")
        } else {
            alert("'\(keyword)' not allowed because \(proxyLabel) has no \(sections.contains(.frontend) ? "frontend" : "backend") capability.")
        }
        return false
    }

    /// Tuning keywords on the wrong side: haproxy warns and ignores them; so does ordrel.
    func usable(_ keyword: String, frontend: Bool, hint: String = "") -> Bool {
        if frontend ? current.role.hasFrontend : current.role.hasBackend { return true }
        warn("'\(keyword)' ignored because \(proxyLabel) has no \(frontend ? "frontend" : "backend") capability.\(hint)")
        return false
    }

    func parseProxy(_ words: [String]) {
        let keyword = words[0]
        if keyword == "no" {
            parseProxyNegation(words)
        } else if let known = KeywordTable.lookup(keyword, in: .proxies) {
            if allowed(keyword, in: known.sections) { known.parse(self, words) }
        } else if let reason = Keywords.unsupportedProxy[keyword] {
            alert("'\(keyword)' is not supported by ordrel: \(reason).")
        } else if Keywords.httpOnlyProxy.contains(keyword) || keyword.hasPrefix("http-") {
            alert("'\(keyword)' is HTTP-only; ordrel only implements 'mode tcp'.")
        } else if Keywords.ignoredProxy.contains(keyword) {
            warn("'\(keyword)' is ignored by ordrel")
        } else {
            alert("unknown keyword '\(keyword)' in '\(current.role.rawValue)' section")
        }
    }

    /// `no option ...` and `no log`.
    private func parseProxyNegation(_ words: [String]) {
        guard let (words, keyword) = negatedKeyword(words) else { return }
        switch keyword {
        case "option":
            parseOption(words, negated: true)
        case "log":
            if noExtraArguments(words, 1, "no log") { current.logs = [] }
        default:
            alert("negation is only supported for 'option' and 'log' in proxies (got 'no \(keyword)').")
        }
    }

    /// The proxy keywords ordrel implements, with the sections that may use them.
    static let proxyKeywords: [ConfigKeyword] = [
        ConfigKeyword("mode", in: .proxies) { b, words in b.parseMode(words) },
        ConfigKeyword("bind", in: .frontend) { b, words in b.parseBind(words) },
        ConfigKeyword("default_backend", in: [.defaults, .frontend]) { b, words in
            guard let name = b.word(words, 1, "'default_backend' expects a backend name.") else { return }
            if b.noExtraArguments(words, 2, words[0]) {
                b.current.config.defaultBackend = name
                b.current.defaultBackendLocation = b.location
            }
        },
        ConfigKeyword("use_backend", in: .frontend) { b, words in b.parseUseBackend(words) },
        ConfigKeyword("use-server", in: .backend) { b, words in b.parseUseServer(words) },
        ConfigKeyword("acl", in: [.frontend, .backend]) { b, words in b.parseACL(words) },
        ConfigKeyword("stick-table", in: [.frontend, .backend]) { b, words in b.parseStickTable(words) },
        ConfigKeyword("stick", in: .backend) { b, words in b.parseStickRule(words) },
        ConfigKeyword("force-persist", "ignore-persist", in: .backend) { b, words in b.parsePersistRule(words) },
        ConfigKeyword("tcp-request", in: .proxies) { b, words in b.parseTCPRequest(words) },
        ConfigKeyword("tcp-response", in: .proxies) { b, words in b.parseTCPResponse(words) },
        ConfigKeyword("balance", in: .proxies) { b, words in b.parseBalance(words) },
        ConfigKeyword("server", in: .backend) { b, words in b.parseServer(words) },
        ConfigKeyword("server-template", in: .backend) { b, words in b.parseServerTemplate(words) },
        ConfigKeyword("source", in: [.defaults, .backend]) { b, words in b.parseSource(words) },
        ConfigKeyword("default-server", in: [.defaults, .backend]) { b, words in b.parseDefaultServer(words) },
        ConfigKeyword("maxconn", in: .proxies) { b, words in
            b.proxyCount(words, frontend: true, hint: " Maybe you want 'fullconn' instead ?") {
                $0.maxconn = $1 == 0 ? nil : $1
            }
        },
        ConfigKeyword("fullconn", in: .proxies) { b, words in
            b.proxyCount(words, frontend: false, hint: " Maybe you want 'maxconn' instead ?") {
                $0.fullconn = $1 == 0 ? nil : $1
            }
        },
        ConfigKeyword("retries", in: .proxies) { b, words in
            b.proxyCount(words, frontend: false) { $0.retries = $1 }
        },
        ConfigKeyword("timeout", in: .proxies) { b, words in b.parseTimeout(words) },
        ConfigKeyword("contimeout", "clitimeout", "srvtimeout", in: .proxies) { b, words in
            let modern = ["contimeout": "connect", "clitimeout": "client", "srvtimeout": "server"][words[0]]!
            b.alert("the '\(words[0])' directive is not supported anymore since HAProxy 2.1. Use 'timeout \(modern)'.")
        },
        ConfigKeyword("option", in: .proxies) { b, words in b.parseOption(words, negated: false) },
        ConfigKeyword("id", in: [.frontend, .backend]) { b, words in b.parseID(words) },
        ConfigKeyword("disabled", "enabled", in: .proxies) { b, words in
            if b.noExtraArguments(words, 1, words[0]) { b.current.config.disabled = words[0] == "disabled" }
        },
        ConfigKeyword("description", in: [.frontend, .backend]) { b, words in
            guard words.count > 1 else {
                b.alert("'description' expects a string argument.")
                return
            }
            b.current.config.description = words.dropFirst().joined(separator: " ")
        },
        ConfigKeyword("stats", in: .proxies) { b, words in b.parseStats(words) },
        ConfigKeyword("monitor-uri", in: [.defaults, .frontend]) { b, words in b.parseMonitorURI(words) },
        ConfigKeyword("http-request", in: [.defaults, .frontend, .backend]) { b, words in b.parseHTTPRequest(words) },
        ConfigKeyword("errorfile", in: .proxies) { b, words in b.parseErrorfile(words) },
        // Connection reuse towards HTTP servers: ordrel has none, and a tcp proxy has no use for it.
        ConfigKeyword("http-reuse", in: [.defaults, .backend]) { b, words in
            let modes: Set<String> = ["never", "safe", "aggressive", "always"]
            guard words.count == 2, modes.contains(words[1]) else {
                b.alert("'http-reuse' only supports 'never', 'safe', 'aggressive', 'always'.")
                return
            }
        },
        ConfigKeyword("hash-type", in: .proxies) { b, words in
            // map-based is haproxy's default, which is what `balance source` implements.
            if words.count == 2 && words[1] == "map-based" { return }
            b.alert("'hash-type' : ordrel only supports 'map-based' hashing.")
        },
    ]

    /// `maxconn`, `fullconn`, `retries`: a count for one side of the proxy (0 ... 2^31-1).
    private func proxyCount(_ words: [String], frontend: Bool, hint: String = "",
                            _ set: (inout ProxyConfig, Int) -> Void) {
        let keyword = words[0]
        guard let n = integer(words, 1, keyword, in: 0...Int(Int32.max)), noExtraArguments(words, 2, keyword),
              usable(keyword, frontend: frontend, hint: hint) else { return }
        set(&current.config, n)
    }

    private func parseMode(_ words: [String]) {
        switch words.count > 1 ? words[1] : "" {
        case "tcp":
            if noExtraArguments(words, 2, words[0]) { current.config.mode = .tcp }
        case "http":
            if noExtraArguments(words, 2, words[0]) {
                current.config.mode = .http
                current.modeLocation = location
            }
        case "":
            alert("'mode' expects one of 'tcp', 'http' or 'log'.")
        case let other:
            alert("unknown proxy mode '\(other)'.")
        }
    }


    private func parseID(_ words: [String]) {
        guard let n = integer(words, 1, words[0]), noExtraArguments(words, 2, words[0]) else { return }
        guard n > 0 else {
            alert("custom id has to be > 0.")
            return
        }
        current.config.id = n
        current.config.forcedID = true
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
        guard let (frontendSide, field) = Self.timeoutFields[name] else {
            if let field = Self.httpTimeoutFields[name] {
                guard let ms = duration(words, 2, keyword), noExtraArguments(words, 3, keyword) else { return }
                if usable(keyword, frontend: true) { current.config.timeouts[keyPath: field] = ms == 0 ? nil : ms }
                return
            }
            if Keywords.httpTimeouts.contains(name) {
                if duration(words, 2, keyword) != nil, noExtraArguments(words, 3, keyword) {
                    warn("'\(keyword)' is ignored by ordrel (HTTP only)")
                }
                return
            }
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
        current.config.timeouts[keyPath: field] = ms == 0 ? nil : ms
    }

    /// The HTTP timeouts of the built-in services (frontend side).
    private static let httpTimeoutFields: [String: WritableKeyPath<Timeouts, UInt64?> & Sendable] = [
        "http-request": \.httpRequest, "http-keep-alive": \.httpKeepAlive,
    ]

    /// The timeouts ordrel implements: whether they belong to the frontend side, and their field.
    private static let timeoutFields: [String: (frontendSide: Bool, field: WritableKeyPath<Timeouts, UInt64?> & Sendable)] = [
        "client": (true, \.client), "client-fin": (true, \.clientFin),
        "server": (false, \.server), "server-fin": (false, \.serverFin), "connect": (false, \.connect),
        "queue": (false, \.queue), "check": (false, \.check), "tunnel": (false, \.tunnel),
    ]

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
            // Nothing for the built-in services or a tcp proxy to do (their arguments neither);
            // the two that would change what a tcp proxy logs or sends are reported once the
            // proxy's mode is known.
            if name == "httplog" { current.httplogLocation = negated ? nil : location }
            if name == "forwardfor" { current.forwardfor = !negated }
        } else if parseCheckOption(words, negated: negated) {
            return
        } else if Keywords.ignoredOptions.contains(name) {
            warn("'\(written)' is ignored by ordrel")
        } else {
            alert("unknown option '\(name)'.")
        }
    }

    /// Applies a TCP option, warning like haproxy when the proxy has no use for it.
    private func setOption(_ name: String, _ enable: Bool) {
        switch name {
        case "redispatch", "allbackups", "abortonclose", "srvtcpka", "log-health-checks", "persist":
            guard usable(name, frontend: false) else { return }
        case "clitcpka":
            guard usable(name, frontend: true) else { return }
        case "tcplog":
            guard current.role.hasFrontend else {
                warn("\(proxyLabel) : 'option tcplog' directive is ignored in backends.")
                return
            }
            // Like `log-format`, the last of the two wins.
            current.config.logFormat = LogFormat.tcplog
        case "dontlog-normal", "log-separate-errors":
            guard usable(name, frontend: true) else { return }
        default:
            break
        }
        guard let field = Self.optionFields[name] else { preconditionFailure("option '\(name)' has no field") }
        current.config.options[keyPath: field] = enable
    }

    /// The field of each TCP option (`Keywords.tcpOptions`).
    private static let optionFields: [String: WritableKeyPath<ProxyOptions, Bool> & Sendable] = [
        "redispatch": \.redispatch, "nolinger": \.nolinger, "tcpka": \.tcpka, "clitcpka": \.clitcpka,
        "srvtcpka": \.srvtcpka, "tcplog": \.tcplog, "dontlognull": \.dontlognull, "allbackups": \.allbackups,
        "abortonclose": \.abortonclose, "dontlog-normal": \.dontlogNormal,
        "log-separate-errors": \.logSeparateErrors, "log-health-checks": \.logHealthChecks, "persist": \.persist,
    ]
}
