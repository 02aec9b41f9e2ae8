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
        if words[0] == "no" {
            guard let (words, keyword) = negatedKeyword(words) else { return }
            if keyword == "strict-limits" {
                global.strictLimits = false
                noExtraArguments(words, 1, keyword)
            } else if Keywords.ignoredGlobal.contains(keyword) {
                warn("'no \(keyword)' is ignored by ordrel")
            } else {
                alert("negation is only supported for 'strict-limits' in the 'global' section (got 'no \(keyword)').")
            }
            return
        }
        let keyword = words[0]
        switch keyword {
        case "daemon":
            if noExtraArguments(words, 1, keyword) { global.daemon = true }
        case "strict-limits":
            if noExtraArguments(words, 1, keyword) { global.strictLimits = true }
        case "maxconn":
            if let n = integer(words, 1, keyword, in: 0...Int(Int32.max)), noExtraArguments(words, 2, keyword) {
                global.maxconn = n == 0 ? nil : n
            }
        case "nbthread":
            if let n = integer(words, 1, keyword, in: 1...64), noExtraArguments(words, 2, keyword) {
                global.nbthread = n
            }
        case "nbproc":
            guard let n = integer(words, 1, keyword) else { return }
            if n == 1 {
                warn("'nbproc 1' is ignored by ordrel (nbproc is not supported since HAProxy 2.5)")
            } else {
                alert("nbproc is not supported any more since HAProxy 2.5. Threads will automatically be used on multi-processor machines if available.")
            }
        case "pidfile":
            guard let path = word(words, 1, "'pidfile' expects a file name as an argument.") else { return }
            if pidfileSet {
                alert("'pidfile' already specified. Continuing.")
            } else if noExtraArguments(words, 2, keyword) {
                global.pidfile = path
                pidfileSet = true
            }
        case "log":
            if let target = parseLog(words) { global.logTargets.append(target) }
        case "tune.bufsize":
            if let n = integer(words, 1, keyword, in: 1024...Int(Int32.max)), noExtraArguments(words, 2, keyword) {
                global.tuneBufsize = n
            }
        case "tune.maxaccept":
            if let n = integer(words, 1, keyword, in: -1...Int(Int32.max)), noExtraArguments(words, 2, keyword) {
                global.tuneMaxaccept = n
            }
        case "user", "uid":
            if userSet {
                alert("user/uid already specified. Continuing.")
                return
            }
            if keyword == "uid" {
                guard let n = integer(words, 1, keyword, in: 0...Int(UInt32.max)) else { return }
                global.uid = n
            } else {
                guard let name = word(words, 1, "'user' expects a user name as an argument.") else { return }
                global.user = name
            }
            userSet = true
            noExtraArguments(words, 2, keyword)
        case "group", "gid":
            if groupSet {
                alert("group/gid already specified. Continuing.")
                return
            }
            if keyword == "gid" {
                guard let n = integer(words, 1, keyword, in: 0...Int(UInt32.max)) else { return }
                global.gid = n
            } else {
                guard let name = word(words, 1, "'group' expects a group name as an argument.") else { return }
                global.group = name
            }
            groupSet = true
            noExtraArguments(words, 2, keyword)
        case "chroot":
            guard let dir = word(words, 1, "'chroot' expects a directory as an argument.") else { return }
            if noExtraArguments(words, 2, keyword) { global.chroot = dir }
        case "hard-stop-after":
            if let ms = duration(words, 1, keyword), noExtraArguments(words, 2, keyword) { global.hardStopAfterMs = ms }
        case "grace":
            if let ms = duration(words, 1, keyword), noExtraArguments(words, 2, keyword) { global.graceMs = ms }
        case "stats":
            parseGlobalStats(words)
        case "setenv", "presetenv":
            guard words.count >= 3 else {
                alert("'\(keyword)' expects a name and a value.")
                return
            }
            if keyword == "setenv" || environment[words[1]] == nil { environment[words[1]] = words[2] }
            noExtraArguments(words, 3, keyword)
        case "unsetenv":
            for name in words.dropFirst() { environment[name] = nil }
        case "resetenv":
            let keep = Set(words.dropFirst())
            environment = environment.filter { keep.contains($0.key) }
        default:
            if Keywords.ignoredGlobal.contains(keyword)
                || (keyword.hasPrefix("tune.") && !Keywords.implementedTune.contains(keyword)) {
                warn("'\(keyword)' is ignored by ordrel")
            } else if let reason = Keywords.unsupportedGlobal[keyword] {
                alert("'\(keyword)' is not supported by ordrel: \(reason).")
            } else {
                alert("unknown keyword '\(keyword)' in 'global' section")
            }
        }
    }

    /// `log <target> [len <n>] [format <f>] [sample <r>:<s>] <facility> [<level> [<minlevel>]]`
    /// (also valid in proxies). Returns the target as written.
    func parseLog(_ words: [String]) -> String? {
        guard words.count >= 3 else {
            alert("log : expects <address> and <facility> as arguments")
            return nil
        }
        var index = 2
        while index + 1 < words.count, ["len", "format", "sample"].contains(words[index]) { index += 2 }
        guard index < words.count, Keywords.facilities.contains(words[index]) else {
            alert("log : unknown facility '\(index < words.count ? words[index] : "")'")
            return nil
        }
        return words[1]
    }

    /// `stats socket|timeout|maxconn|bind-process` in `global`.
    private func parseGlobalStats(_ words: [String]) {
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
        if path.hasPrefix("unix@") {
            path.removeFirst("unix@".count)
        } else if !path.hasPrefix("/") && !path.hasPrefix(".") {
            alert(prefix + "ordrel only supports UNIX socket paths (got '\(path)').")
            return
        }
        var socket = StatsSocketConfig(path: path, location: location)
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
                } else if option == "user" {
                    socket.user = value
                } else {
                    socket.group = value
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
