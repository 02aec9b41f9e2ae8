/// `acl`, `tcp-request`, `use_backend` and `use-server`: the keywords of ACL-based decisions.
extension ConfigBuilder {
    func parseACL(_ words: [String]) {
        do {
            try current.acls.parseACLLine(words.dropFirst())
        } catch {
            alert("error detected while parsing ACL '\(words.count > 1 ? words[1] : "")' : \(error.message)")
        }
    }

    /// An optional `if|unless <cond>` from `index` on; `.some(nil)`: no condition; nil: an alert
    /// was raised.
    func optionalCondition(_ words: [String], from index: Int, _ keyword: String) -> ACLCondition?? {
        guard words.count > index else { return .some(nil) }
        guard words[index] == "if" || words[index] == "unless" else {
            alert("'\(keyword)' : expects 'if', 'unless' or nothing after its arguments (got '\(words[index])').")
            return nil
        }
        do {
            return .some(try current.acls.parseCondition(words[index...]))
        } catch {
            alert("'\(keyword)' : error detected while parsing condition : \(error.message)")
            return nil
        }
    }

    func parseUseBackend(_ words: [String]) {
        guard let name = word(words, 1, "'use_backend' expects a backend name.") else { return }
        guard !name.contains("%[") else {
            alert("'use_backend \(name)' : backend names built from samples (log-format '%[...]', e.g. with 'map') are not implemented yet; name the backend and use a condition.")
            return
        }
        guard let condition = optionalCondition(words, from: 2, "use_backend \(name)") else { return }
        current.config.rules.useBackends.append(UseBackendRule(backend: name, condition: condition, location: location))
    }

    func parseUseServer(_ words: [String]) {
        guard let name = word(words, 1, "'use-server' expects a server name.") else { return }
        guard let condition = optionalCondition(words, from: 2, "use-server \(name)") else { return }
        current.config.useServers.append(UseServerRule(server: name, condition: condition, location: location))
    }

    /// `tcp-request inspect-delay <t>`, `tcp-request connection|content <action> [if|unless <cond>]`.
    func parseTCPRequest(_ words: [String]) {
        let kind = words.count > 1 ? words[1] : ""
        switch kind {
        case "inspect-delay":
            guard let ms = duration(words, 2, "tcp-request inspect-delay"),
                  noExtraArguments(words, 3, "tcp-request inspect-delay") else { return }
            // As haproxy: a delay set before (here or in the defaults) stays.
            guard (current.config.rules.inspectDelayMs ?? 0) == 0 else {
                warn("ignoring tcp-request inspect-delay (was already defined) in \(proxyLabel)")
                return
            }
            current.config.rules.inspectDelayMs = ms
        case "connection", "session", "content":
            guard current.role != .defaults else {
                if current.config.name.isEmpty {
                    alert("tcp-request \(kind) is not allowed in anonymous 'defaults' sections")
                } else {
                    alert("'tcp-request \(kind)' : rules in named 'defaults' sections are not implemented yet; write them in the frontend.")
                }
                return
            }
            guard kind == "content" || current.role.hasFrontend else {
                alert("tcp-request \(kind) is not allowed because backend \(current.config.name) is not a frontend")
                return
            }
            let action = words.count > 2 ? words[2] : ""
            let keyword = "tcp-request \(kind) \(action)"
            let parsed: TCPRequestRule.Action
            var conditionIndex = 3
            switch action {
            case "accept": parsed = .accept
            case "reject": parsed = .reject
            case _ where action.hasPrefix("track-sc"):
                guard let (tracking, next) = parseTrackAction(words, kind: kind) else { return }
                parsed = .track(tracking)
                conditionIndex = next
            case "expect-proxy":
                // haproxy's messages (tcp_rules.c).
                guard kind == "connection" else {
                    alert("'expect-proxy layer4' is not allowed in 'tcp-request \(kind)' rules in \(proxyLabel)")
                    return
                }
                guard words.count > 3, words[3] == "layer4" else {
                    alert("'tcp-request connection expect-proxy' only supports 'layer4' in \(proxyLabel) (got '\(words.count > 3 ? words[3] : "")')")
                    return
                }
                parsed = .expectProxy
                conditionIndex = 4
            default:
                if action.hasPrefix("sc-") {
                    alert("'\(keyword)' : the 'sc-inc-gpc*' and 'sc-set-gpt0' actions are not implemented yet (use the 'sc*_inc_gpc0' fetches in a condition).")
                } else {
                    alert("'tcp-request \(kind)' : ordrel implements the actions 'accept', 'reject', 'track-sc0' to 'track-sc2' and (connection rules) 'expect-proxy layer4' (got '\(action)').")
                }
                return
            }
            guard let condition = optionalCondition(words, from: conditionIndex, keyword) else { return }
            if kind != "content", let condition, condition.readsContent {
                alert("'\(keyword)' : the condition reads the request's contents, which are not available yet at \(kind) time (use 'tcp-request content').")
                return
            }
            if let term = condition?.firstTerm(reading: .response) {
                alert("'\(keyword)' : ACL '\(term.name)' reads the response (res.*), which request rules never see (haproxy: it will never match).")
                return
            }
            let rule = TCPRequestRule(action: parsed, condition: condition, location: location)
            // haproxy runs connection, then session, then content rules, whatever their order.
            let rules = current.config.rules
            if kind != "content" && !rules.content.isEmpty {
                warn("a 'tcp-request' rule placed after a 'tcp-request content' rule will still be processed before.")
            } else if kind == "connection" && !rules.session.isEmpty {
                warn("a 'tcp-request' rule placed after a 'tcp-request session' rule will still be processed before.")
            }
            switch kind {
            case "connection": current.config.rules.connection.append(rule)
            case "session": current.config.rules.session.append(rule)
            default: current.config.rules.content.append(rule)
            }
        default:
            alert("'tcp-request' expects 'connection', 'content', 'session' or 'inspect-delay' (got '\(kind)').")
        }
    }

    /// "backend 'be'" (a `listen` is a "proxy"), as haproxy's `proxy_type_str` in its messages.
    private var proxyLabel: String { "\(current.role.typeName) '\(current.config.name)'" }

    /// `tcp-response inspect-delay <t>`, `tcp-response content accept|reject|close [if|unless <cond>]`:
    /// backends and `listen` only, as haproxy (which also allows them in named `defaults`).
    func parseTCPResponse(_ words: [String]) {
        guard words.count > 1, !words[1].isEmpty else {
            alert("missing argument for 'tcp-response' in \(proxyLabel)")
            return
        }
        let kind = words[1]
        guard kind == "inspect-delay" || kind == "content" else {
            alert("'tcp-response' expects 'inspect-delay' or 'content' in \(proxyLabel) (got '\(kind)')")
            return
        }
        let anonymousDefaults = current.role == .defaults && current.config.name.isEmpty
        guard current.role.hasBackend, !anonymousDefaults else {
            alert("tcp-response \(kind) is only allowed in 'backend' sections or 'defaults' section with a name")
            return
        }
        if kind == "inspect-delay" {
            guard let ms = duration(words, 2, "tcp-response inspect-delay"),
                  noExtraArguments(words, 3, "tcp-response inspect-delay") else { return }
            // As haproxy: a delay set before (here or in the defaults) stays.
            guard (current.config.responseRules.inspectDelayMs ?? 0) == 0 else {
                warn("ignoring tcp-response inspect-delay (was already defined) in \(proxyLabel)")
                return
            }
            current.config.responseRules.inspectDelayMs = ms
            return
        }
        guard current.role != .defaults else {
            alert("'tcp-response content' : rules in named 'defaults' sections are not implemented yet; write them in the backend.")
            return
        }
        let action = words.count > 2 ? words[2] : ""
        let keyword = "tcp-response content \(action)"
        guard let parsed = TCPResponseRule.Action(rawValue: action) else {
            if action.hasPrefix("sc-") {
                alert("'\(keyword)' : the 'sc-inc-gpc*' and 'sc-set-gpt0' actions are not implemented yet (use the 'sc*_inc_gpc0' fetches in a condition).")
            } else {
                alert("'tcp-response content' : ordrel implements the actions 'accept', 'close' and 'reject' (got '\(action)').")
            }
            return
        }
        guard let condition = optionalCondition(words, from: 3, keyword) else { return }
        if let term = condition?.firstTerm(reading: .request) {
            alert("'\(keyword)' : ACL '\(term.name)' reads the request (req.*, payload), which response rules never see (haproxy: it will never match).")
            return
        }
        current.config.responseRules.content.append(TCPResponseRule(action: parsed, condition: condition, location: location))
    }
}
