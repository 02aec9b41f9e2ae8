import OrdrelSystem

/// `resolvers <name>` sections, read as haproxy 2.6's `cfg_parse_resolvers` reads them.
extension ConfigBuilder {
    /// `resolvers <name>`: starts a section; a second one with the same name is refused.
    func startResolvers(_ words: [String]) {
        guard words.count > 1, !words[1].isEmpty else {
            alert("missing name for resolvers section.")
            section = .skipped
            return
        }
        let name = words[1]
        if let bad = name.first(where: { !($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) {
            alert("character '\(bad)' is not permitted in 'resolvers' name '\(name)'.")
        }
        if let other = resolvers.first(where: { $0.name == name }) {
            alert("resolvers '\(name)' has the same name as another resolvers (declared at \(other.location)).")
        }
        currentResolvers = ResolversConfig(name: name, location: location)
        section = .resolvers
        sectionName = name
    }

    /// One line of a `resolvers` section; unknown keywords are refused with file:line.
    func parseResolversLine(_ words: [String]) {
        switch words[0] {
        case "nameserver":
            parseNameserver(words)
        case "parse-resolv-conf":
            guard noExtraArguments(words, 1, words[0]) else { return }
            guard let text = resolvConf() else {
                alert("failed to open file '/etc/resolv.conf'.")
                return
            }
            for address in ResolvConf.nameservers(in: text)
            where !currentResolvers.nameservers.contains(where: { $0.name == address.host }) {
                currentResolvers.nameservers.append(NameserverConfig(name: address.host, address: address, location: location))
            }
        case "resolve_retries":
            guard let value = word(words, 1, "'resolve_retries' expects <nb> as argument.") else { return }
            guard let n = Int(value), n >= 1 else {
                alert("'resolve_retries' expects a positive integer as argument (got '\(value)').")
                return
            }
            if noExtraArguments(words, 2, words[0]) { currentResolvers.resolveRetries = n }
        case "timeout":
            guard words.count > 1, words[1] == "resolve" || words[1] == "retry" else {
                alert("'timeout' expects 'retry' or 'resolve' and <time> as arguments got '\(words.count > 1 ? words[1] : "")'.")
                return
            }
            guard let ms = resolversTime(words, 2, "timeout \(words[1])"), noExtraArguments(words, 3, words[0]) else { return }
            if words[1] == "resolve" { currentResolvers.resolveIntervalMs = ms } else { currentResolvers.retryTimeoutMs = ms }
        case "hold":
            let events: [String: WritableKeyPath<ResolverHoldTimes, UInt64>] = [
                "valid": \.valid, "nx": \.nx, "refused": \.refused, "timeout": \.timeout, "other": \.other, "obsolete": \.obsolete,
            ]
            guard words.count > 1, let path = events[words[1]] else {
                alert("'hold' unknown <event>: '\(words.count > 1 ? words[1] : "")', expects either 'nx', 'timeout', 'valid', 'obsolete' or 'other'.")
                return
            }
            guard let ms = resolversTime(words, 2, "hold \(words[1])"), noExtraArguments(words, 3, words[0]) else { return }
            currentResolvers.hold[keyPath: path] = ms
        case "accepted_payload_size":
            guard let value = word(words, 1, "'accepted_payload_size' expects <nb> as argument.") else { return }
            guard let n = Int(value), (12...65535).contains(n) else {
                alert("'accepted_payload_size' must be between 12 and 65535 inclusive (was \(value)).")
                return
            }
            if noExtraArguments(words, 2, words[0]) { currentResolvers.acceptedPayloadSize = n }
        default:
            alert("unknown keyword '\(words[0])' in 'resolvers' section")
        }
    }

    /// haproxy 2.6's implicit `resolvers default` (its `parse-resolv-conf`), added after the
    /// files unless a section has that name; nothing, silently, when resolv.conf lists no
    /// name server. Servers may name it; `show resolvers` lists it.
    func addDefaultResolvers() {
        guard !resolvers.contains(where: { $0.name == "default" }), let text = resolvConf() else { return }
        var section = ResolversConfig(name: "default", location: SourceLocation(file: "/etc/resolv.conf", line: 0))
        section.nameservers = ResolvConf.nameservers(in: text).map {
            NameserverConfig(name: $0.host, address: $0, location: section.location)
        }
        if !section.nameservers.isEmpty { resolvers.append(section) }
    }

    /// `nameserver <id> <ip>:<port>`: UDP only (`tcp@` and other prefixes are refused).
    private func parseNameserver(_ words: [String]) {
        guard words.count > 2, !words[1].isEmpty, !words[2].isEmpty else {
            alert("'nameserver' expects <name> and <addr>[:<port>] as arguments.")
            return
        }
        let name = words[1]
        if let other = currentResolvers.nameservers.first(where: { $0.name == name }) {
            alert("nameserver '\(name)' has same name as another nameserver (declared at \(other.location)).")
            return
        }
        let (family, rest, other) = AddressSyntax.family(of: Substring(words[2]))
        if let other {
            alert("'nameserver \(name)' : ordrel only asks name servers over UDP (got '\(other)').")
            return
        }
        guard let (host, portText) = AddressSyntax.splitHostPort(rest), let portText else {
            alert("'nameserver \(name)' : missing port specification in '\(words[2])'")
            return
        }
        guard AddressSyntax.isValidHost(host, family), let port = AddressSyntax.port(portText),
              let address = SocketAddress(ip: String(host), port: port) else {
            alert("'nameserver \(name)' : invalid address: '\(words[2])' (expects <ip>:<port>)")
            return
        }
        guard noExtraArguments(words, 3, "nameserver") else { return }
        currentResolvers.nameservers.append(NameserverConfig(name: name, address: address, location: location))
    }

    /// A time argument of a `resolvers` keyword, in ms; nil after an alert.
    private func resolversTime(_ words: [String], _ index: Int, _ keyword: String) -> UInt64? {
        let value = index < words.count ? words[index] : ""
        switch DurationParser.parse(value) {
        case .success(let ms) where ms > 0 && ms <= DurationParser.maximumTimerMs:
            return ms
        case .success(0):
            alert("'\(keyword)' expects a time greater than 0.")
        case .success, .failure(.overflow):
            alert("timer overflow in argument '\(value)' to '\(keyword)' (maximum value is 2147483647 ms or ~24.8 days)")
        case .failure(.empty):
            alert("'\(keyword)' expects <time> as argument.")
        case .failure(.unexpectedCharacter(let c)), .failure(.trailingCharacter(let c)):
            alert("unexpected character '\(c)' in argument to <\(keyword)>.")
        }
        return nil
    }
}

/// The `nameserver` lines of a resolv.conf, as `parse-resolv-conf` takes them (port 53).
public enum ResolvConf {
    public static func nameservers(in text: String) -> [SocketAddress] {
        text.split(whereSeparator: { $0 == "\n" }).compactMap { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, words[0] == "nameserver" else { return nil }
            return SocketAddress(ip: String(words[1]), port: 53)
        }
    }
}
