/// `stick-table`, `stick match|on|store-request`, `force-persist`, `ignore-persist` and the
/// `track-sc<n>` action, worded like haproxy 2.6's `parse_stick_table` and cfgparse-listen.c.
extension ConfigBuilder {
    /// `stick-table type <type> [len <n>] size <n>[kmg] [expire <t>] [nopurge] [store <list>]`.
    func parseStickTable(_ words: [String]) {
        guard current.config.stickTable == nil else {
            alert("'stick-table' : only one stick-table per proxy is permitted (the table is named after the proxy).")
            return
        }
        var keyType: StickKeyType?
        var length: Int?
        var size: Int?
        var expire: UInt64?
        var noPurge = false
        var stored: [StickDataType: UInt64] = [:]
        var index = 1
        func argument(_ option: String) -> String? {
            guard index + 1 < words.count, !words[index + 1].isEmpty else {
                alert("stick-table: missing argument after '\(option)'.")
                return nil
            }
            index += 1
            return words[index]
        }
        while index < words.count {
            let option = words[index]
            switch option {
            case "type":
                guard let name = argument(option) else { return }
                guard let type = StickKeyType(rawValue: name) else {
                    alert(name == "binary"
                        ? "stick-table: type 'binary' is not supported by ordrel (use ip, ipv6, integer or string)."
                        : "stick-table: unknown type '\(name)'.")
                    return
                }
                keyType = type
                if index + 2 < words.count, words[index + 1] == "len" {
                    guard type == .string else {
                        alert("stick-table: 'len' only applies to type 'string'.")
                        return
                    }
                    index += 1
                    guard let text = argument("len"), let n = Int(text), (1...4096).contains(n) else {
                        alert("stick-table: 'len' expects a length between 1 and 4096.")
                        return
                    }
                    length = n
                }
            case "size":
                guard let text = argument(option) else { return }
                guard let n = Self.stickTableSize(text) else {
                    alert("stick-table: unexpected character in argument of 'size' (got '\(text)').")
                    return
                }
                size = n
            case "expire":
                guard argument(option) != nil, let ms = duration(words, index, "stick-table expire") else { return }
                // As haproxy, 0 means no expiry.
                expire = ms == 0 ? nil : ms
            case "nopurge":
                noPurge = true
            case "peers":
                alert("stick-table: 'peers' is not supported by ordrel (no peers synchronisation).")
                return
            case "srvkey":
                guard let kind = argument(option) else { return }
                guard kind == "name" else {
                    alert("stick-table: 'srvkey \(kind)' is not supported by ordrel (servers are stored by name).")
                    return
                }
            case "store":
                guard let list = argument(option) else { return }
                guard parseStore(list, into: &stored) else { return }
            default:
                alert("stick-table: unknown argument '\(option)'.")
                return
            }
            index += 1
        }
        guard let size, size > 0 else {
            alert("stick-table: missing size.")
            return
        }
        guard let keyType else {
            alert("stick-table: missing type.")
            return
        }
        current.config.stickTable = StickTableConfig(
            name: current.config.name, keyType: keyType, keySize: keyType.keySize(stringLength: length ?? 32),
            size: size, expireMs: expire, noPurge: noPurge, stored: stored, location: location)
    }

    /// haproxy's `parse_size_err`: a number with an optional k, m or g (powers of 1024).
    static func stickTableSize(_ text: String) -> Int? {
        var digits = Substring(text)
        var scale = 1
        switch digits.last {
        case "k", "K": scale = 1 << 10
        case "m", "M": scale = 1 << 20
        case "g", "G": scale = 1 << 30
        default: break
        }
        if scale > 1 { digits = digits.dropLast() }
        guard let n = Int(digits), n >= 0, n <= Int(Int32.max) / scale else { return nil }
        return n * scale
    }

    /// `store <type>[(<period>)],...`.
    private func parseStore(_ list: String, into stored: inout [StickDataType: UInt64]) -> Bool {
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            var name = Substring(item)
            var period: String?
            if let open = item.firstIndex(of: "(") {
                guard item.hasSuffix(")") else {
                    alert("stick-table: missing closing parenthesis after store option '\(item)'.")
                    return false
                }
                name = item[..<open]
                period = String(item[item.index(after: open)..<item.index(before: item.endIndex)])
            }
            guard let type = StickDataType(name: String(name)) else {
                alert("stick-table: unknown store option '\(name)'.")
                return false
            }
            guard !type.isHTTPOnly else {
                alert("stick-table: store option '\(name)' counts HTTP requests; ordrel only implements 'mode tcp'.")
                return false
            }
            if type.isRate {
                guard let period else {
                    alert("stick-table: missing argument to store option '\(name)'.")
                    return false
                }
                guard let ms = DurationParser.milliseconds(period), ms > 0, ms <= DurationParser.maximumTimerMs else {
                    alert("stick-table: error when processing store option '\(item)' (a period such as 10s is expected).")
                    return false
                }
                stored[type] = ms
            } else {
                guard period == nil else {
                    alert("stick-table: unexpected argument to store option '\(name)'.")
                    return false
                }
                stored[type] = 0
            }
        }
        return true
    }

    /// `stick match|on|store-request <fetch> [table <t>] [if|unless <cond>]`.
    func parseStickRule(_ words: [String]) {
        let kindWord = words.count > 1 ? words[1] : ""
        guard let kind = StickRule.Kind(rawValue: kindWord) else {
            if kindWord == "store-response" {
                alert("'stick store-response' : response-side fetches are not supported by ordrel (use 'stick on' or 'stick store-request').")
            } else {
                alert("'stick' expects 'match', 'on', 'store-request' or 'store-response' (got '\(kindWord)').")
            }
            return
        }
        let keyword = "stick \(kindWord)"
        guard let expression = word(words, 2, "'\(keyword)' : missing fetch method.") else { return }
        let fetch: ACLFetch
        do {
            fetch = try ACLParser.parseSampleFetch(expression)
        } catch {
            alert("'\(keyword)' : \(error.message)")
            return
        }
        guard let (table, next) = tableArgument(words, from: 3, keyword) else { return }
        guard let condition = optionalCondition(words, from: next, keyword) else { return }
        current.config.stickRules.append(StickRule(kind: kind, fetch: fetch, table: table, condition: condition, location: location))
    }

    /// `force-persist|ignore-persist if|unless <cond>`.
    func parsePersistRule(_ words: [String]) {
        let keyword = words[0]
        guard words.count > 1, words[1] == "if" || words[1] == "unless" else {
            alert("'\(keyword)' requires either 'if' or 'unless' followed by a condition.")
            return
        }
        guard let parsed = optionalCondition(words, from: 1, keyword), let condition = parsed else { return }
        current.config.persistRules.append(PersistRule(kind: PersistRule.Kind(rawValue: keyword)!, condition: condition, location: location))
    }

    /// `track-sc<n> <fetch> [table <t>]` from `words[2]` on; the index after it, or nil (alerted).
    func parseTrackAction(_ words: [String], kind: String) -> (StickTracking, Int)? {
        let action = words[2]
        let keyword = "tcp-request \(kind) \(action)"
        guard action.count == 9, let counter = Int(String(action.suffix(1))), (0...2).contains(counter) else {
            alert("'\(keyword)' : ordrel has stick counters track-sc0 to track-sc2.")
            return nil
        }
        guard let expression = word(words, 3, "'\(keyword)' : missing fetch method.") else { return nil }
        let fetch: ACLFetch
        do {
            fetch = try ACLParser.parseSampleFetch(expression)
        } catch {
            alert("'\(keyword)' : \(error.message)")
            return nil
        }
        if kind != "content" && fetch.readsContent {
            alert("'\(keyword)' : fetch method '\(expression)' reads the request's contents, which are not available yet at \(kind) time (use 'tcp-request content').")
            return nil
        }
        guard let (table, next) = tableArgument(words, from: 4, keyword) else { return nil }
        return (StickTracking(counter: counter, fetch: fetch, table: table), next)
    }

    /// An optional `table <name>` at `index`: the name and the index after it.
    private func tableArgument(_ words: [String], from index: Int, _ keyword: String) -> (String?, Int)? {
        guard index < words.count, words[index] == "table" else { return (nil, index) }
        guard let name = word(words, index + 1, "'\(keyword)' : missing table name after 'table'.") else { return nil }
        return (name, index + 2)
    }
}

/// Once every proxy is read: the tables that rules and fetches name must exist, and a table used
/// by `stick` rules stores the server (`server_id` and `server_key`, as haproxy adds them).
extension ConfigBuilder {
    func checkStickTables(_ proxies: inout [ProxyConfig]) {
        var tables: [String: Int] = [:]
        for (index, proxy) in proxies.enumerated() where proxy.stickTable != nil {
            if let other = tables[proxy.name] {
                diagnostics.append(ConfigDiagnostic(.alert, proxy.stickTable!.location,
                    "stick-table name '\(proxy.name)' conflicts with the table of \(proxies[other].kind.rawValue) '\(proxy.name)'."))
            }
            tables[proxy.name] = index
        }
        for proxy in proxies {
            func require(_ name: String?, at location: SourceLocation, for what: String) {
                let table = name ?? proxy.name
                guard tables[table] == nil || (name == nil && proxy.stickTable == nil) else { return }
                diagnostics.append(ConfigDiagnostic(.alert, location, name == nil
                    ? "\(proxy.kind == .listen ? "proxy" : proxy.kind.rawValue) '\(proxy.name)' : \(what) needs a stick-table in this section or a 'table' argument."
                    : "\(proxy.kind == .listen ? "proxy" : proxy.kind.rawValue) '\(proxy.name)' : unable to find stick-table '\(table)' for \(what)."))
            }
            func requireFetches(_ condition: ACLCondition?, at location: SourceLocation) {
                for fetch in condition?.stickFetches ?? [] {
                    switch fetch {
                    case .stickCounter(let counter) where counter.table != nil || counter.entry == .source:
                        require(counter.table, at: location, for: "the sample fetch '\(counter.name)'")
                    case .tableUsage(let table, let available):
                        require(table, at: location, for: available ? "'table_avl'" : "'table_cnt'")
                    default:
                        break
                    }
                }
            }
            for rule in (proxy.rules.connection + proxy.rules.session + proxy.rules.content).sorted(by: { $0.location.line < $1.location.line }) {
                if case .track(let tracking) = rule.action {
                    require(tracking.table, at: rule.location, for: "'track-sc\(tracking.counter)'")
                }
                requireFetches(rule.condition, at: rule.location)
            }
            for rule in proxy.rules.useBackends { requireFetches(rule.condition, at: rule.location) }
            for rule in proxy.useServers { requireFetches(rule.condition, at: rule.location) }
            for rule in proxy.persistRules { requireFetches(rule.condition, at: rule.location) }
            for rule in proxy.responseRules.content { requireFetches(rule.condition, at: rule.location) }
            for rule in proxy.stickRules {
                require(rule.table, at: rule.location, for: "'stick \(rule.kind.rawValue)'")
                requireFetches(rule.condition, at: rule.location)
                if let index = tables[rule.table ?? proxy.name] {
                    proxies[index].stickTable!.stored[.serverID] = 0
                    proxies[index].stickTable!.stored[.serverKey] = 0
                }
            }
        }
    }
}

extension ACLCondition {
    /// The stick table fetches its terms use.
    var stickFetches: [ACLFetch] {
        alternatives.flatMap { $0.flatMap { $0.expressions.map(\.fetch) } }.filter {
            switch $0 {
            case .stickCounter, .tableUsage: return true
            default: return false
            }
        }
    }
}
