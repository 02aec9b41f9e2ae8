import OrdrelSystem

extension ConfigBuilder {
    /// A `no <keyword> ...` line without its `no`, and the keyword; nil (after an alert naming
    /// the line) when `no` stands alone. Shared by the sections that accept negations.
    func negatedKeyword(_ words: [String]) -> (words: [String], keyword: String)? {
        let rest = Array(words.dropFirst())
        guard let keyword = rest.first else {
            alert("'no' expects a keyword.")
            return nil
        }
        return (rest, keyword)
    }
}

/// Keywords of the `global` section.
extension ConfigBuilder {
    func parseGlobal(_ words: [String]) {
        let keyword = words[0]
        if keyword == "no" {
            parseGlobalNegation(words)
        } else if let known = KeywordTable.lookup(keyword, in: .global) {
            known.parse(self, words)
        } else if Keywords.ignoredGlobal.contains(keyword)
            || (keyword.hasPrefix("tune.") && !Keywords.implementedTune.contains(keyword)) {
            warn("'\(keyword)' is ignored by ordrel")
        } else if let reason = Keywords.unsupportedGlobal[keyword] {
            alert("'\(keyword)' is not supported by ordrel: \(reason).")
        } else {
            alert("unknown keyword '\(keyword)' in 'global' section")
        }
    }

    /// `no strict-limits`; other negations of ignored keywords warn, the rest are errors.
    private func parseGlobalNegation(_ words: [String]) {
        guard let (words, keyword) = negatedKeyword(words) else { return }
        if keyword == "strict-limits" {
            global.strictLimits = false
            noExtraArguments(words, 1, keyword)
        } else if Keywords.ignoredGlobal.contains(keyword) {
            warn("'no \(keyword)' is ignored by ordrel")
        } else {
            alert("negation is only supported for 'strict-limits' in the 'global' section (got 'no \(keyword)').")
        }
    }

    /// The `global` keywords ordrel implements.
    static let globalKeywords: [ConfigKeyword] = [
        ConfigKeyword("daemon", in: .global) { b, words in
            if b.noExtraArguments(words, 1, words[0]) { b.global.daemon = true }
        },
        ConfigKeyword("strict-limits", in: .global) { b, words in
            if b.noExtraArguments(words, 1, words[0]) { b.global.strictLimits = true }
        },
        ConfigKeyword("noreuseport", in: .global) { b, words in
            if b.noExtraArguments(words, 1, words[0]) { b.global.noReusePort = true }
        },
        ConfigKeyword("maxconn", in: .global) { b, words in
            b.globalInteger(words, in: 0...Int(Int32.max)) { $0.maxconn = $1 == 0 ? nil : $1 }
        },
        ConfigKeyword("maxconnrate", in: .global) { b, words in
            b.globalInteger(words, in: 0...Int(Int32.max)) { $0.maxConnRate = $1 }
        },
        ConfigKeyword("maxsessrate", in: .global) { b, words in
            b.globalInteger(words, in: 0...Int(Int32.max)) { $0.maxSessRate = $1 }
        },
        ConfigKeyword("nbthread", in: .global) { b, words in
            b.globalInteger(words, in: 1...64) { $0.nbthread = $1 }
        },
        ConfigKeyword("nbproc", in: .global) { b, words in b.parseNbproc(words) },
        ConfigKeyword("pidfile", in: .global) { b, words in b.parsePidfile(words) },
        ConfigKeyword("tune.bufsize", in: .global) { b, words in
            b.globalInteger(words, in: 1024...Int(Int32.max)) { $0.tuneBufsize = $1 }
        },
        ConfigKeyword("tune.maxaccept", in: .global) { b, words in
            b.globalInteger(words, in: -1...Int(Int32.max)) { $0.tuneMaxaccept = $1 }
        },
        ConfigKeyword("user", "uid", in: .global) { b, words in
            b.parseOwner(words, numeric: "uid", noun: "user", alreadySet: \.userSet, id: \.uid, name: \.user)
        },
        ConfigKeyword("group", "gid", in: .global) { b, words in
            b.parseOwner(words, numeric: "gid", noun: "group", alreadySet: \.groupSet, id: \.gid, name: \.group)
        },
        ConfigKeyword("chroot", in: .global) { b, words in
            guard let dir = b.word(words, 1, "'chroot' expects a directory as an argument.") else { return }
            if b.noExtraArguments(words, 2, words[0]) { b.global.chroot = dir }
        },
        ConfigKeyword("hard-stop-after", in: .global) { b, words in
            b.globalDuration(words) { $0.hardStopAfterMs = $1 }
        },
        ConfigKeyword("grace", in: .global) { b, words in
            b.globalDuration(words) { $0.graceMs = $1 }
        },
        ConfigKeyword("master-worker", in: .global) { b, words in
            switch words.count {
            case 1:
                b.global.masterWorker = true
            case 2 where words[1] == "no-exit-on-failure":
                b.global.masterWorker = true
                b.global.masterExitsOnWorkerFailure = false
            default:
                b.alert("'master-worker' only supports 'no-exit-on-failure' option.")
            }
        },
        ConfigKeyword("mworker-max-reloads", in: .global) { b, words in
            b.globalInteger(words, in: 0...Int(Int32.max)) { $0.mworkerMaxReloads = $1 }
        },
        ConfigKeyword("stats", in: .global) { b, words in b.parseGlobalStats(words) },
        ConfigKeyword("unix-bind", in: .global) { b, words in b.parseUnixBind(words) },
        ConfigKeyword("ordrel.product-name", in: .global) { b, words in
            let choices = ProductName.allCases.map(\.rawValue)
            guard let value = b.word(words, 1, "'ordrel.product-name' expects \(choices.map { "'\($0)'" }.joined(separator: " or "))."),
                  b.noExtraArguments(words, 2, words[0]) else { return }
            guard let name = ProductName(rawValue: value) else {
                b.alert("'ordrel.product-name' expects \(choices.map { "'\($0)'" }.joined(separator: " or ")) (got '\(value)').")
                return
            }
            b.global.productName = name
        },
        ConfigKeyword("setenv", "presetenv", in: .global) { b, words in b.parseSetenv(words) },
        ConfigKeyword("unsetenv", in: .global) { b, words in
            for name in words.dropFirst() { b.environment[name] = nil }
        },
        ConfigKeyword("resetenv", in: .global) { b, words in
            let keep = Set(words.dropFirst())
            b.environment = b.environment.filter { keep.contains($0.key) }
        },
    ]

    /// `<keyword> <integer>` within `range`, then `set` on the global config.
    private func globalInteger(_ words: [String], in range: ClosedRange<Int>, _ set: (inout GlobalConfig, Int) -> Void) {
        if let n = integer(words, 1, words[0], in: range), noExtraArguments(words, 2, words[0]) { set(&global, n) }
    }

    /// `<keyword> <time>`, then `set` on the global config.
    private func globalDuration(_ words: [String], _ set: (inout GlobalConfig, UInt64) -> Void) {
        if let ms = duration(words, 1, words[0]), noExtraArguments(words, 2, words[0]) { set(&global, ms) }
    }

    private func parseNbproc(_ words: [String]) {
        guard let n = integer(words, 1, words[0]) else { return }
        if n == 1 {
            warn("'nbproc 1' is ignored by ordrel (nbproc is not supported since HAProxy 2.5)")
        } else {
            alert("nbproc is not supported any more since HAProxy 2.5. Threads will automatically be used on multi-processor machines if available.")
        }
    }

    private func parsePidfile(_ words: [String]) {
        guard let path = word(words, 1, "'pidfile' expects a file name as an argument.") else { return }
        if pidfileSet {
            alert("'pidfile' already specified. Continuing.")
        } else if noExtraArguments(words, 2, words[0]) {
            global.pidfile = path
            pidfileSet = true
        }
    }

    /// `user <name>` / `uid <n>`, `group <name>` / `gid <n>`: one of each pair, given once.
    private func parseOwner(_ words: [String], numeric: String, noun: String,
                            alreadySet: ReferenceWritableKeyPath<ConfigBuilder, Bool>,
                            id: WritableKeyPath<GlobalConfig, Int?>, name: WritableKeyPath<GlobalConfig, String?>) {
        if self[keyPath: alreadySet] {
            alert("\(noun)/\(numeric) already specified. Continuing.")
            return
        }
        if words[0] == numeric {
            guard let n = integer(words, 1, numeric, in: 0...Int(UInt32.max)) else { return }
            global[keyPath: id] = n
        } else {
            guard let value = word(words, 1, "'\(noun)' expects a \(noun) name as an argument.") else { return }
            // Looked up now, as haproxy does, so `-c` refuses a name start-up could not drop to.
            let known = noun == "user" ? Privileges.userIDs(named: value) != nil : Privileges.groupID(named: value) != nil
            guard known else {
                alert("cannot find \(noun) id for '\(value)'")
                return
            }
            global[keyPath: name] = value
        }
        self[keyPath: alreadySet] = true
        noExtraArguments(words, 2, words[0])
    }

    /// `setenv <name> <value>`; `presetenv` only sets a variable not set yet.
    private func parseSetenv(_ words: [String]) {
        guard words.count >= 3 else {
            alert("'\(words[0])' expects a name and a value.")
            return
        }
        if words[0] == "setenv" || environment[words[1]] == nil { environment[words[1]] = words[2] }
        noExtraArguments(words, 3, words[0])
    }

    /// `stats socket|timeout|maxconn|bind-process` in `global`.
    func parseGlobalStats(_ words: [String]) {
        let sub = words.count > 1 ? words[1] : ""
        switch sub {
        case "socket":
            parseStatsSocket(words)
        case "timeout":
            guard let ms = duration(words, 2, "stats timeout") else { return }
            if ms == 0 {
                alert("'stats timeout' expects a positive value")
            } else if noExtraArguments(words, 3, "stats timeout") {
                global.statsTimeoutMs = ms
            }
        case "maxconn":
            guard words.count > 2, let n = Int(words[2]), n > 0 else {
                alert("'stats maxconn' expects a positive value")
                return
            }
            if noExtraArguments(words, 3, "stats maxconn") { global.statsMaxconn = n }
        case "bind-process":
            warn("'stats bind-process' is ignored by ordrel")
        default:
            alert("'stats' only supports 'socket', 'maxconn', 'bind-process' and 'timeout' (got '\(sub)')")
        }
    }

    /// `stats socket <path> [mode <octal>] [uid|user] [gid|group] [level ...] [expose-fd listeners]`.
    private func parseStatsSocket(_ words: [String]) {
        let prefix = "'stats socket' : "
        guard words.count > 2, !words[2].isEmpty else {
            alert("'stats socket' in global section expects an address or a path to a UNIX socket")
            return
        }
        var path = words[2]
        var inherited: Int32?
        if path.hasPrefix("sockpair@") {
            alert(prefix + "ordrel does not take 'sockpair@' for a stats socket (got '\(path)').")
            return
        } else if path.hasPrefix("fd@") {
            guard case .inherited(let fd)? = inheritedSocket(path[...])?.first else { return }
            inherited = fd
        } else if path.hasPrefix("unix@") {
            path.removeFirst("unix@".count)
        } else if !path.hasPrefix("/") && !path.hasPrefix(".") {
            alert(prefix + "ordrel only supports UNIX socket paths (got '\(path)').")
            return
        }
        guard inherited != nil || fitsUnixListener(path[...], as: words[2][...], keyword: "stats socket") else { return }
        var socket = StatsSocketConfig(path: path, location: location)
        socket.inheritedFD = inherited
        var index = 3
        var ok = true
        while index < words.count {
            let option = words[index]
            let value = index + 1 < words.count ? words[index + 1] : ""
            switch option {
            case "mode":
                if let mode = octalMode(words, index + 1, prefix) { socket.mode = mode } else { ok = false }
            case "uid", "gid":
                if let n = Int(value), n >= 0 {
                    if option == "uid" { socket.uid = n } else { socket.gid = n }
                } else {
                    alert(prefix + "'\(option)' expects an integer argument (got '\(value)').")
                    ok = false
                }
            case "user", "group":
                if value.isEmpty {
                    alert(prefix + "'\(option)' : missing value")
                    ok = false
                } else if let id = ownerID(option, value, quoted: true, prefix: prefix) {
                    if option == "user" { socket.uid = id } else { socket.gid = id }
                } else {
                    ok = false
                }
            case "level":
                switch value {
                case "user": socket.level = .user
                case "operator": socket.level = .operator
                case "admin": socket.level = .admin
                default:
                    alert(prefix + "'level' only supports 'user', 'operator', and 'admin' (got '\(value)')")
                    ok = false
                }
            case "expose-fd":
                if value == "listeners" {
                    socket.exposeFDListeners = true
                } else {
                    alert(prefix + "'expose-fd' only supports 'listeners' (got '\(value)')")
                    ok = false
                }
            case "name", "backlog", "maxconn", "process", "thread", "severity-output", "id", "nice":
                warn(prefix + "'\(option)' is ignored by ordrel")
            default:
                alert(prefix + "unknown keyword '\(option)'.")
                ok = false
                index = words.count
                continue
            }
            index += 2
        }
        if ok { global.statsSockets.append(socket) }
    }
}

extension ConfigBuilder {
    /// `unix-bind [prefix <p>] [mode <m>] [uid <n>] [gid <n>] [user <name>] [group <name>]`:
    /// defaults for the Unix `bind` sockets declared after it (haproxy 2.6 semantics).
    func parseUnixBind(_ words: [String]) {
        var settings = global.unixBind
        var index = 1
        while index < words.count {
            let option = words[index]
            let value = index + 1 < words.count ? words[index + 1] : ""
            switch option {
            case "prefix":
                settings.prefix = value
            case "mode":
                guard let mode = octalMode(words, index + 1, "'unix-bind' : ") else { return }
                settings.mode = mode
            case "uid", "gid":
                guard let n = Int(value), n >= 0 else {
                    alert("'unix-bind' : '\(option)' expects a non-negative integer (got '\(value)').")
                    return
                }
                if option == "uid" { settings.uid = n } else { settings.gid = n }
            case "user", "group":
                let id = option == "user" ? Privileges.userIDs(named: value).map { Int($0.uid) }
                                          : Privileges.groupID(named: value).map { Int($0) }
                guard let id else {
                    alert("'unix-bind' : '\(value)' unknown \(option).")
                    return
                }
                if option == "user" { settings.uid = id } else { settings.gid = id }
            default:
                alert("'unix-bind' only supports the 'prefix', 'mode', 'uid', 'gid', 'user' and 'group' options.")
                return
            }
            index += 2
        }
        global.unixBind = settings
    }
}
