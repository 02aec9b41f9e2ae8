/// `server` and `default-server` lines.
extension ConfigBuilder {
    /// `server <name> <addr>:<port> [options]`: starts from the proxy's `default-server` values.
    func parseServer(_ words: [String]) {
        guard words.count >= 3, !words[1].isEmpty, !words[2].isEmpty else {
            alert("'server' expects <name> and <addr>[:<port>] as arguments.")
            return
        }
        _ = addServer(named: words[1], address: words[2], options: words, from: 3, template: false)
    }

    /// `server-template <prefix> <num | first-last> <fqdn>[:<port>] [options]`: servers
    /// `<prefix><n>` for each n of the range, all on one name (A/AAAA records, one address each)
    /// or on one SRV label (`_service._proto.name`, whose records give host, port and weight).
    func parseServerTemplate(_ words: [String]) {
        guard words.count >= 4, !words[1].isEmpty, !words[3].isEmpty else {
            alert("'server-template' expects <prefix> <nb | range> <addr>[:<port>] as arguments.")
            return
        }
        guard let range = Self.templateRange(words[2]) else {
            alert("Wrong server-template number or range arg '\(words[2])'.")
            return
        }
        // The servers share their options: a refused first one says it once for all.
        for n in range {
            guard addServer(named: words[1] + String(n), address: words[3], options: words, from: 4, template: true) else { return }
        }
    }

    /// `<num>` (1...num) or `<first>-<last>`, first 1 or more and not above last.
    static func templateRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        guard let first = Int(parts[0]), first >= 1 else { return nil }
        guard parts.count == 2 else { return 1...first }
        guard let last = Int(parts[1]), last >= first else { return nil }
        return first...last
    }

    /// One server from `server` or `server-template`: `default-server` values, then the
    /// address, then the options from `words[start...]`. Returns whether it was added.
    private func addServer(named name: String, address: String, options words: [String], from start: Int, template: Bool) -> Bool {
        let prefix = "'server \(current.config.name)/\(name)' : "
        var server = current.defaultServer
        server.name = name
        server.location = location
        server.id = 0
        server.forcedID = false
        var ok: Bool
        if address.hasPrefix("_") {
            ok = template && srvLabel(address, prefix: prefix, into: &server)
            if !template { alert(prefix + "SRV records ('\(address)') are only read by 'server-template' in ordrel.") }
        } else {
            ok = serverAddress(address, prefix: prefix, into: &server)
        }
        ok = serverOptions(words, from: start, prefix: prefix, into: &server, isDefault: false) && ok

        if server.agentCheck && server.agentPort == nil {
            alert(prefix + "server \(name) does not have agent port. Agent check has been disabled.")
            ok = false
        }
        if let previous = current.config.servers.first(where: { $0.name == name }) {
            alert("\(current.role.rawValue) '\(current.config.name)', another server named '\(name)' was already defined at line \(previous.location.line), please use distinct names.")
            ok = false
        }
        if server.forcedID, let previous = current.config.servers.first(where: { $0.forcedID && $0.id == server.id }) {
            alert(prefix + "'id' : custom id \(server.id) already used at \(previous.location) ('server \(previous.name)').")
            ok = false
        }
        if ok { current.config.servers.append(server) }
        return ok
    }

    /// `default-server [options]`: values for the servers declared after it in this section
    /// (or, in `defaults`, in the proxies that inherit it).
    func parseDefaultServer(_ words: [String]) {
        var server = current.defaultServer
        if serverOptions(words, from: 1, prefix: "", into: &server, isDefault: true) {
            current.defaultServer = server
        }
    }

    /// A SRV label (`_service._proto.name`, an optional `:port` ignored as haproxy ignores it
    /// once the records give theirs): no host and no port until the records come.
    private func srvLabel(_ text: String, prefix: String, into server: inout ServerConfig) -> Bool {
        let label = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard label.split(separator: ".").count >= 3,
              label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }) else {
            alert(prefix + "invalid SRV label '\(text)' (expects _service._proto.name).")
            return false
        }
        server.srvRecord = String(label)
        server.host = ""
        server.port = 0
        return true
    }

    /// `host[:port]`, `[v6]:port`, `ipv4@`/`ipv6@` prefixes: a TCP address (no Unix or abstract
    /// sockets to servers, no port offsets). Without a port (0), streams connect to the port the
    /// client connected to, as haproxy does.
    private func serverAddress(_ text: String, prefix: String, into server: inout ServerConfig) -> Bool {
        let (family, rest, other) = AddressSyntax.family(of: Substring(text))
        if other != nil || text.hasPrefix("/") {
            alert(prefix + "ordrel only supports TCP servers (got '\(text)').")
            return false
        }
        guard let (host, portText) = AddressSyntax.splitHostPort(rest), !host.isEmpty,
              AddressSyntax.isValidHost(host, family) else {
            alert(prefix + "invalid address: '\(text)'")
            return false
        }
        guard let portText, !portText.isEmpty else {
            server.host = String(host)
            server.port = 0
            return true
        }
        if portText.hasPrefix("+") || portText.hasPrefix("-") {
            alert(prefix + "port offsets are not supported by ordrel (got '\(portText)').")
            return false
        }
        guard let port = AddressSyntax.port(portText) else {
            alert(prefix + "invalid port '\(portText)'")
            return false
        }
        server.host = String(host)
        server.port = port
        return true
    }

    /// Applies server options; reports every bad option. `prefix` is empty for default-server.
    private func serverOptions(_ words: [String], from start: Int, prefix: String,
                               into server: inout ServerConfig, isDefault: Bool) -> Bool {
        var ok = true
        var index = start
        func fail(_ message: String) {
            alert(prefix + message)
            ok = false
        }
        func number(_ option: String, _ range: ClosedRange<Int>) -> Int? {
            let value = index + 1 < words.count ? words[index + 1] : ""
            guard let n = Int(value) else {
                fail("'\(option)' expects an integer argument.")
                return nil
            }
            guard range.contains(n) else {
                fail("'\(option)' value must be between \(range.lowerBound) and \(range.upperBound) (was \(n))")
                return nil
            }
            return n
        }
        func time(_ option: String) -> UInt64? {
            let value = index + 1 < words.count ? words[index + 1] : ""
            switch DurationParser.parse(value) {
            case .success(0):
                fail("invalid value 0 for argument '\(option)' of server \(server.name).")
            case .success(let ms) where ms <= DurationParser.maximumTimerMs:
                return ms
            case .success, .failure(.overflow):
                fail("timer overflow in argument '\(value)' to '\(option)' (maximum value is 2147483647 ms or ~24.8 days)")
            case .failure(.empty):
                fail("'\(option)' expects a time value.")
            case .failure(.unexpectedCharacter(let c)), .failure(.trailingCharacter(let c)):
                fail("unexpected character '\(c)' in '\(option)' argument of server \(server.name).")
            }
            return nil
        }

        while index < words.count {
            let option = words[index]
            var consumed = 2
            switch option {
            case "weight":
                let value = index + 1 < words.count ? words[index + 1] : ""
                if let n = Int(value), (0...256).contains(n) {
                    server.weight = n
                } else if let n = Int(value) {
                    fail("weight of server \(server.name) is not within 0 and 256 (\(n)).")
                } else {
                    fail("'weight' expects an integer argument.")
                }
            case "maxconn": if let n = number(option, 0...Int(Int32.max)) { server.maxconn = n }
            case "maxqueue": if let n = number(option, 0...Int(Int32.max)) { server.maxqueue = n }
            case "rise", "fall":
                let value = index + 1 < words.count ? words[index + 1] : ""
                if let n = Int(value), n > 0 {
                    if option == "rise" { server.rise = n } else { server.fall = n }
                } else if Int(value) != nil {
                    fail("'\(option)' has to be > 0.")
                } else {
                    fail("'\(option)' expects an integer argument.")
                }
            case "inter": if let ms = time(option) { server.interMs = ms }
            case "fastinter": if let ms = time(option) { server.fastinterMs = ms }
            case "downinter": if let ms = time(option) { server.downinterMs = ms }
            case "port":
                let value = index + 1 < words.count ? words[index + 1] : ""
                if let port = AddressSyntax.port(Substring(value)) {
                    server.checkPort = port
                } else {
                    fail("invalid port '\(value)' for 'port' (expects 1..65535).")
                }
            case "addr":
                let value = index + 1 < words.count ? Substring(words[index + 1]) : ""
                if AddressSyntax.isIPv4(value) || AddressSyntax.isIPv6(value) {
                    server.checkAddr = String(value)
                } else {
                    fail("'addr' expects <ipv4|ipv6> as argument.")
                }
            case "id":
                if isDefault {
                    fail("'id' is not allowed in 'default-server'.")
                } else if let n = number(option, 1...Int(Int32.max)) {
                    server.id = n
                    server.forcedID = true
                }
            case "on-marked-down":
                let value = index + 1 < words.count ? words[index + 1] : ""
                if value == "shutdown-sessions" {
                    server.shutdownSessionsOnMarkedDown = true
                } else {
                    fail("'on-marked-down' expects 'shutdown-sessions' but got '\(value)'.")
                }
            case "on-marked-up":
                let value = index + 1 < words.count ? words[index + 1] : ""
                if value == "shutdown-backup-sessions" {
                    server.shutdownBackupSessionsOnMarkedUp = true
                } else {
                    fail("'on-marked-up' expects 'shutdown-backup-sessions' but got '\(value)'.")
                }
            case "backup", "no-backup":
                server.backup = option == "backup"
                consumed = 1
            case "disabled", "enabled":
                server.disabled = option == "disabled"
                consumed = 1
            case "check", "no-check":
                server.check = option == "check"
                consumed = 1
            case "agent-check", "no-agent-check":
                server.agentCheck = option == "agent-check"
                consumed = 1
            case "agent-port":
                let value = index + 1 < words.count ? words[index + 1] : ""
                if let port = AddressSyntax.port(Substring(value)) {
                    server.agentPort = port
                } else {
                    fail("'agent-port' expects a port number as argument (1..65535, got '\(value)').")
                }
            case "agent-addr":
                let value = index + 1 < words.count ? Substring(words[index + 1]) : ""
                if value.isEmpty {
                    fail("'agent-addr' expects an address as argument.")
                } else if AddressSyntax.isIPv4(value) || AddressSyntax.isIPv6(value) {
                    server.agentAddr = String(value)
                } else {
                    fail("parsing agent-addr failed. Check if '\(value)' is correct address (ordrel takes an IP address here).")
                }
            case "agent-inter": if let ms = time(option) { server.agentInterMs = ms }
            case "agent-send":
                let value = index + 1 < words.count ? words[index + 1] : ""
                if value.isEmpty {
                    fail("'agent-send' expects a string as argument.")
                } else {
                    server.agentSend = value
                }
            case "send-proxy", "send-proxy-v2", "no-send-proxy", "no-send-proxy-v2":
                let version: ProxyProtocolVersion = option.hasSuffix("-v2") ? .v2 : .v1
                if option.hasPrefix("no-") {
                    if server.sendProxy == version { server.sendProxy = nil }
                } else if server.sendProxy != .v2 {
                    // haproxy sets one flag per version and writes v2 when both are set.
                    server.sendProxy = version
                }
                consumed = 1
            case "check-send-proxy", "no-check-send-proxy":
                server.checkSendProxy = option == "check-send-proxy"
                consumed = 1
            case "proxy-v2-options":
                let value = index + 1 < words.count ? words[index + 1] : ""
                for name in value.split(separator: ",", omittingEmptySubsequences: false) {
                    switch name {
                    case "crc32c": server.proxyV2CRC32C = true
                    case "unique-id": server.proxyV2UniqueID = true
                    case "ssl", "cert-cn", "ssl-cipher", "cert-sig", "cert-key":
                        fail("'proxy-v2-options' : '\(name)' needs TLS, which ordrel does not do.")
                    case "authority":
                        // haproxy 2.6.12 writes it from the client's TLS SNI only: it forwards no
                        // AUTHORITY TLV received in a PROXY header (checked by capture).
                        fail("'proxy-v2-options' : 'authority' needs TLS (haproxy sends the client's SNI), which ordrel does not do.")
                    default:
                        fail("'proxy-v2-options' : '\(name)' : unknown option (expects 'ssl', 'cert-cn', 'ssl-cipher', 'cert-sig', 'cert-key', 'authority', 'crc32c' or 'unique-id').")
                    }
                }
            case "source":
                let value = index + 1 < words.count ? words[index + 1] : ""
                switch Self.sourceAddress(value) {
                case .success(let address): server.source = address
                case .failure(let message): fail("'source' : \(message.text)")
                }
            case "resolvers":
                let value = index + 1 < words.count ? words[index + 1] : ""
                server.resolution.resolvers = value
            case "resolve-prefer":
                let value = index + 1 < words.count ? words[index + 1] : ""
                if value == "ipv4" || value == "ipv6" {
                    server.resolution.preferIPv4 = value == "ipv4"
                } else {
                    fail("'resolve-prefer' expects either ipv4 or ipv6 as argument.")
                }
            case "resolve-net":
                let value = index + 1 < words.count ? words[index + 1] : ""
                var networks: [ACLNetwork] = []
                for text in value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard text.contains("/"), let network = ACLParser.network(String(text)) else {
                        fail("'resolve-net' invalid network '\(text)'.")
                        networks = []
                        break
                    }
                    networks.append(network)
                }
                if !networks.isEmpty { server.resolution.networks = networks }
            case "resolve-opts":
                let value = index + 1 < words.count ? words[index + 1] : ""
                for option in value.split(separator: ",", omittingEmptySubsequences: false) {
                    switch option {
                    case "allow-dup-ip": server.resolution.allowDuplicateIP = true
                    case "prevent-dup-ip": server.resolution.allowDuplicateIP = false
                    case "ignore-weight": server.resolution.ignoreWeight = true
                    default:
                        fail("'resolve-opts' : unknown resolve-opts option '\(option)', supported methods are 'allow-dup-ip', 'ignore-weight', and 'prevent-dup-ip'.")
                    }
                }
            case "init-addr":
                let value = index + 1 < words.count ? words[index + 1] : ""
                switch InitAddrMethod.parseList(value) {
                case .success(let methods): server.initAddr = methods
                case .failure(let message): fail("'init-addr' : \(message.text)")
                }
            default:
                if Keywords.unsupportedServerOptions.contains(option) {
                    fail("'\(option)' is not supported by ordrel.")
                } else if isDefault && index == start && (option.contains(":") || option.contains("@")) {
                    fail("unknown keyword '\(option)'. Hint: no address was expected for this server.")
                } else {
                    fail("unknown keyword '\(option)'.")
                }
                return false
            }
            index += consumed
        }
        return ok
    }
}

extension InitAddrMethod {
    /// A refusal of an `init-addr` list, in haproxy's words.
    struct ListError: Error {
        var text: String
    }

    /// `init-addr <method>[,<method>...]` as server.c `srv_parse_init_addr` reads it: `last`,
    /// `libc`, `none` or one IP literal, each at most once.
    static func parseList(_ text: String) -> Result<[InitAddrMethod], ListError> {
        guard !text.isEmpty else { return .failure(ListError(text: "expects <method>[,<method>...] as argument.")) }
        var methods: [InitAddrMethod] = []
        // As haproxy cuts the list, a trailing comma ends it; an empty element between two is
        // refused (haproxy reads it as the IP address 0.0.0.0, surely not what was meant).
        var words = text.split(separator: ",", omittingEmptySubsequences: false)
        if words.last?.isEmpty == true { words.removeLast() }
        for word in words {
            if word.isEmpty {
                return .failure(ListError(text: "empty method in '\(text)' (haproxy would take it for the address 0.0.0.0)."))
            }
            let method: InitAddrMethod
            switch word {
            case "last": method = .last
            case "libc": method = .libc
            case "none": method = .none
            default:
                guard AddressSyntax.isIPv4(word) || AddressSyntax.isIPv6(word) else {
                    return .failure(ListError(text: "unknown init-addr method '\(word)', supported methods are 'libc', 'last', 'none'."))
                }
                if methods.contains(where: { if case .ip = $0 { return true } else { return false } }) {
                    return .failure(ListError(text: "initial address already specified, cannot add '\(word)'."))
                }
                method = .ip(String(word))
            }
            if methods.contains(method) {
                return .failure(ListError(text: "too many init-addr methods when trying to add '\(word)'"))
            }
            methods.append(method)
        }
        return .success(methods)
    }
}
