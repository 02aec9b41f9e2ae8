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
            current.config.rules.inspectDelayMs = ms
        case "connection", "content":
            guard current.role != .defaults else {
                if current.config.name.isEmpty {
                    alert("tcp-request \(kind) is not allowed in anonymous 'defaults' sections")
                } else {
                    alert("'tcp-request \(kind)' : rules in named 'defaults' sections are not implemented yet; write them in the frontend.")
                }
                return
            }
            guard kind == "content" || current.role.hasFrontend else {
                alert("tcp-request connection is not allowed because backend \(current.config.name) is not a frontend")
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
            default:
                if action.hasPrefix("sc-") {
                    alert("'\(keyword)' : the 'sc-inc-gpc*' and 'sc-set-gpt0' actions are not implemented yet (use the 'sc*_inc_gpc0' fetches in a condition).")
                } else if action == "expect-proxy" {
                    alert("'\(keyword)' : the PROXY protocol is not implemented yet.")
                } else {
                    alert("'tcp-request \(kind)' : ordrel implements the actions 'accept', 'reject' and 'track-sc0' to 'track-sc2' (got '\(action)').")
                }
                return
            }
            guard let condition = optionalCondition(words, from: conditionIndex, keyword) else { return }
            if kind == "connection", let condition, condition.readsContent {
                alert("'\(keyword)' : the condition reads the request's contents, which are not available yet at connection time (use 'tcp-request content').")
                return
            }
            let rule = TCPRequestRule(action: parsed, condition: condition, location: location)
            if kind == "connection" {
                if !current.config.rules.content.isEmpty {
                    warn("a 'tcp-request' rule placed after a 'tcp-request content' rule will still be processed before.")
                }
                current.config.rules.connection.append(rule)
            } else {
                current.config.rules.content.append(rule)
            }
        case "session":
            alert("'tcp-request session' rules are not implemented yet (use 'tcp-request connection' or 'content').")
        default:
            alert("'tcp-request' expects 'connection', 'content', 'session' or 'inspect-delay' (got '\(kind)').")
        }
    }
}
