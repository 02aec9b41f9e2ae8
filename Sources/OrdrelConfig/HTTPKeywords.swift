import OrdrelSystem

/// Keywords of `mode http` sections that ordrel implements: the built-in services (`stats ...`,
/// `monitor-uri`, `http-request use-service`) and what shapes their replies (`errorfile`).
extension ConfigBuilder {
    /// haproxy's `stats` sub-keywords, each parsed like haproxy's `stats_parse_*`.
    func parseStats(_ words: [String]) {
        let sub = words.count > 1 ? words[1] : ""
        var stats = current.config.http.stats ?? StatsPageConfig()
        func value(_ what: String) -> String? {
            guard words.count > 2, !words[2].isEmpty else {
                alert("'stats \(sub)' needs \(what).")
                return nil
            }
            return words[2]
        }
        switch sub {
        case "enable":
            guard noExtraArguments(words, 2, "stats enable") else { return }
        case "uri":
            guard let uri = value("an URI prefix"), noExtraArguments(words, 3, "stats uri") else { return }
            stats.page.uriPrefix = uri
        case "realm":
            guard let realm = value("a realm name"), noExtraArguments(words, 3, "stats realm") else { return }
            stats.page.realm = realm
        case "auth":
            guard let credential = value("a user:password account"), noExtraArguments(words, 3, "stats auth") else { return }
            guard credential.contains(":") else {
                alert("'stats auth' expects a user:password account.")
                return
            }
            stats.page.credentials.append(credential)
        case "refresh":
            guard words.count > 2 else {
                alert("'stats refresh' needs a delay in seconds.")
                return
            }
            // A bare number is in seconds here (haproxy's TIME_UNIT_S), unlike other timeouts.
            if let seconds = UInt64(words[2]) {
                guard noExtraArguments(words, 3, "stats refresh") else { return }
                stats.page.refreshSeconds = seconds
            } else {
                guard let ms = duration(words, 2, "stats refresh"), noExtraArguments(words, 3, "stats refresh") else { return }
                stats.page.refreshSeconds = ms / 1000
            }
        case "hide-version":
            guard noExtraArguments(words, 2, "stats hide-version") else { return }
            stats.page.hideVersion = true
        case "show-legends":
            guard noExtraArguments(words, 2, "stats show-legends") else { return }
            stats.page.showLegends = true
        case "show-node":
            guard noExtraArguments(words, 3, "stats show-node") else { return }
            stats.page.showNode = words.count > 2 ? words[2] : ""
        case "show-desc":
            stats.page.showDescription = words.dropFirst(2).joined(separator: " ")
        case "scope":
            guard let scope = value("a proxy name") , noExtraArguments(words, 3, "stats scope") else { return }
            stats.page.scopes.append(scope)
        case "admin":
            guard current.role != .defaults else {
                alert("'stats admin' not allowed in 'defaults' section.")
                return
            }
            guard words.count > 2, words[2] == "if" || words[2] == "unless" else {
                alert("'stats admin' requires either 'if' or 'unless' followed by a condition.")
                return
            }
            do {
                stats.adminRules.append(try current.acls.parseCondition(words[2...]))
            } catch {
                alert("'stats admin' : error detected while parsing condition : \(error.message)")
                return
            }
        case "socket", "timeout", "maxconn", "bind-process":
            alert("'stats \(sub)' is a 'global' section keyword.")
            return
        case "http-request":
            alert("'stats http-request' is not supported by ordrel: ACLs and conditions are not supported.")
            return
        default:
            alert("'stats' expects 'admin', 'auth', 'enable', 'hide-version', 'realm', 'refresh', 'scope', 'show-desc', 'show-legends', 'show-node' or 'uri' (got '\(sub)').")
            return
        }
        current.config.http.stats = stats
    }

    func parseMonitorURI(_ words: [String]) {
        guard words.count > 1, !words[1].isEmpty else {
            alert("'monitor-uri' expects an URI.")
            return
        }
        if noExtraArguments(words, 2, "monitor-uri") { current.config.http.monitorURI = words[1] }
    }

    /// `http-request use-service prometheus-exporter [if|unless { path|path_beg <p>... }]`; other
    /// `http-request` actions would change how HTTP is proxied, which ordrel does not do.
    func parseHTTPRequest(_ words: [String]) {
        guard words.count > 2, words[1] == "use-service" else {
            alert("'http-request \(words.count > 1 ? words[1] : "")' is not supported by ordrel: only 'http-request use-service prometheus-exporter' is (ordrel serves built-in services in 'mode http', it does not proxy HTTP).")
            return
        }
        guard let service = ServiceRule.Service(rawValue: words[2]) else {
            alert("'http-request use-service' : unknown service '\(words[2])' (ordrel has 'prometheus-exporter').")
            return
        }
        var rule = ServiceRule(service: service, condition: .always, negated: false)
        if words.count > 3 {
            guard words[3] == "if" || words[3] == "unless" else {
                alert("'http-request use-service \(words[2])' : expects 'if' or 'unless' after the service (got '\(words[3])').")
                return
            }
            let cond = Array(words.dropFirst(4))
            guard cond.count >= 4, cond[0] == "{", cond.last == "}", cond[1] == "path" || cond[1] == "path_beg" else {
                alert("'http-request use-service \(words[2])' : ordrel only evaluates '{ path <path>... }' and '{ path_beg <prefix>... }' conditions (got '\(cond.joined(separator: " "))').")
                return
            }
            let paths = Array(cond[2..<(cond.count - 1)])
            rule.condition = cond[1] == "path" ? .path(paths) : .pathPrefix(paths)
            rule.negated = words[3] == "unless"
        }
        current.config.http.serviceRules.append(rule)
    }

    /// The statuses haproxy 2.6 accepts in `errorfile` (`http_err_codes`).
    static let errorfileStatuses: Set<Int> = [200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504]

    /// `errorfile <status> <file>`: read now, as haproxy does, so a missing file is a start-up error.
    func parseErrorfile(_ words: [String]) {
        guard words.count == 3, let status = Int(words[1]) else {
            alert("'errorfile' expects <status_code> and <file> as arguments.")
            return
        }
        guard Self.errorfileStatuses.contains(status) else {
            alert("'errorfile' : status code \(status) not handled.")
            return
        }
        let bytes: [UInt8]?
        do {
            bytes = try Files.contents(of: words[2], maxBytes: global.tuneBufsize)
        } catch {
            alert("'errorfile' : error opening file <\(words[2])> : \(error.reason).")
            return
        }
        guard let bytes else {
            alert("'errorfile' : file <\(words[2])> is larger than the buffer size (\(global.tuneBufsize) bytes).")
            return
        }
        guard bytes.starts(with: Array("HTTP/".utf8)) else {
            alert("'errorfile' : file <\(words[2])> is not a valid HTTP response: it must start with a status line.")
            return
        }
        current.config.http.errorFiles[status] = bytes
    }

    /// What a `tcp` proxy does with HTTP settings it inherited or declared, worded like haproxy's
    /// warnings; what a `mode http` proxy must not do (forward to servers).
    func checkHTTPMode(_ proxy: inout ProxyConfig, _ draft: ProxyDraft) {
        switch proxy.mode {
        case .http:
            if let rule = proxy.rules.content.first {
                diagnostics.append(ConfigDiagnostic(.alert, rule.location,
                    "\(draft.role.typeName) '\(proxy.name)' : 'tcp-request content' rules in a 'mode http' section are not implemented yet (ordrel's built-in services read the request themselves); 'tcp-request connection' rules are."))
            }
            if let bind = proxy.binds.first(where: \.acceptProxy) {
                diagnostics.append(ConfigDiagnostic(.alert, bind.location,
                    "\(draft.role.typeName) '\(proxy.name)' : 'accept-proxy' on a 'mode http' section's 'bind' is not implemented yet (ordrel's built-in services read no PROXY header)."))
            }
            if let rule = proxy.rules.connection.first(where: { $0.action == .expectProxy }) {
                diagnostics.append(ConfigDiagnostic(.alert, rule.location,
                    "\(draft.role.typeName) '\(proxy.name)' : 'tcp-request connection expect-proxy' in a 'mode http' section is not implemented yet (ordrel's built-in services read no PROXY header)."))
            }
            if let rule = proxy.responseRules.content.first {
                diagnostics.append(ConfigDiagnostic(.alert, rule.location,
                    "\(draft.role.typeName) '\(proxy.name)' : 'tcp-response content' rules in a 'mode http' section are not implemented (ordrel's built-in services answer themselves)."))
            }
            let forwards = proxy.kind == .backend || !proxy.servers.isEmpty || !proxy.rules.useBackends.isEmpty
                || (proxy.kind == .frontend && proxy.defaultBackend != nil)
            guard forwards else { return }
            let label = "\(draft.role.typeName) '\(proxy.name)'"
            let origin = draft.modeLocation.map { " (set at \($0))" } ?? ""
            diagnostics.append(ConfigDiagnostic(.alert, proxy.location,
                "\(label) : 'mode http'\(origin) would proxy HTTP to servers, which ordrel does not do: in 'mode http' it only serves haproxy's built-in services (stats page, prometheus-exporter, monitor-uri). Use 'mode tcp' to forward connections."))
        case .tcp:
            if proxy.http.monitorURI != nil {
                diagnostics.append(ConfigDiagnostic(.warning, nil, "monitor-uri will be ignored for proxy '\(proxy.name)' (needs 'mode http')."))
            }
            if proxy.http.stats != nil {
                diagnostics.append(ConfigDiagnostic(.warning, nil, "'stats' statement ignored for proxy '\(proxy.name)' as it requires HTTP mode."))
            }
            if !proxy.http.serviceRules.isEmpty {
                diagnostics.append(ConfigDiagnostic(.warning, nil, "'http-request' rules ignored for proxy '\(proxy.name)' as they require HTTP mode."))
            }
            if let location = draft.httplogLocation, proxy.isFrontend {
                diagnostics.append(ConfigDiagnostic(.warning, location,
                    "'option httplog' not usable with proxy '\(proxy.name)' (needs 'mode http'). Falling back to 'option tcplog'."))
                proxy.options.tcplog = true
            }
            if draft.forwardfor {
                diagnostics.append(ConfigDiagnostic(.warning, nil, "'option forwardfor' ignored for proxy '\(proxy.name)' as it requires HTTP mode."))
            }
            proxy.http = HTTPServiceConfig()
        }
    }
}
