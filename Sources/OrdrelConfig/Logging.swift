import OrdrelLog
import OrdrelSystem

/// `log`, `log-send-hostname`, `log-tag`, `log-format` and `log-format-sd`, with haproxy 2.6's
/// argument order and messages (`parse_logsrv`, `parse_logformat`).
extension ConfigBuilder {
    static let loggingKeywords: [ConfigKeyword] = [
        ConfigKeyword("log", in: .global) { b, words in
            if let target = b.parseLog(words) { b.global.logTargets.append(target) }
        },
        ConfigKeyword("log-send-hostname", in: .global) { b, words in
            b.global.logSendHostname = words.count > 1 ? words[1] : CurrentProcess.hostName
        },
        ConfigKeyword("log-tag", in: .global) { b, words in
            guard let tag = b.word(words, 1, "'log-tag' expects a tag for use in syslog.") else { return }
            b.global.logTag = tag
        },
        ConfigKeyword("log", in: .proxies) { b, words in
            if words.count == 2 && words[1] == "global" {
                b.current.logs.append(.global)
            } else if let target = b.parseLog(words) {
                b.current.logs.append(.target(target))
            }
        },
        ConfigKeyword("log-tag", in: .proxies) { b, words in
            guard let tag = b.word(words, 1, "'log-tag' expects a tag for use in syslog.") else { return }
            b.current.config.logTag = tag
        },
        ConfigKeyword("log-format", "log-format-sd", in: .proxies) { b, words in b.parseLogFormat(words) },
    ]

    /// `log <target> [len <n>] [format <f>] [sample <ranges>:<size>] <facility> [<level> [<minlevel>]]`,
    /// the options in this order only (as haproxy).
    func parseLog(_ words: [String]) -> LogTarget? {
        guard words.count >= 3 else {
            alert("log : expects <address> and <facility>  as arguments")
            return nil
        }
        guard let destination = logDestination(words[1]) else { return nil }
        var index = 2
        var target = LogTarget(destination: destination, facility: 0)
        if words[index] == "len", index + 1 < words.count {
            guard let length = Int(words[index + 1]), (80...65535).contains(length) else {
                alert("log : invalid log length '\(words[index + 1])', must be between 80 and 65535")
                return nil
            }
            target.maxLength = length
            index += 2
        }
        if index + 1 < words.count, words[index] == "format" {
            guard let format = SyslogFormat(rawValue: words[index + 1]) else {
                alert("log : unknown log format '\(words[index + 1])'")
                return nil
            }
            target.format = format
            index += 2
        }
        if index + 1 < words.count, words[index] == "sample" {
            switch LogSample.parse(words[index + 1]) {
            case .success(let sample): target.sample = sample
            case .failure(let error):
                alert("log : \(error.reason)")
                return nil
            }
            index += 2
        }
        guard index < words.count, let facility = SyslogFacility.code(words[index]) else {
            alert("log : unknown log facility '\(index < words.count ? words[index] : "")'")
            return nil
        }
        target.facility = facility
        index += 1
        if index < words.count {
            guard let level = SyslogLevel(name: words[index]) else {
                alert("log : unknown optional log level '\(words[index])'")
                return nil
            }
            target.maxLevel = level
            index += 1
        }
        if index < words.count {
            guard let level = SyslogLevel(name: words[index]) else {
                alert("log : unknown optional minimum log level '\(words[index])'")
                return nil
            }
            target.minLevel = level
            index += 1
        }
        if index < words.count {
            alert("log : cannot handle unexpected argument '\(words[index])'")
            return nil
        }
        return target
    }

    /// `stdout`, `stderr`, `fd@1|2`, `/path`, `unix@path`, `uxdg@path`, `[udp@|udp4@|udp6@|ipv4@|ipv6@]host[:port]`.
    private func logDestination(_ written: String) -> LogTarget.Destination? {
        switch written {
        case "stdout", "fd@1": return .standardOutput
        case "stderr", "fd@2": return .standardError
        default: break
        }
        if written.hasPrefix("/") { return .unixDatagram(path: written) }
        for prefix in ["unix@", "uxdg@"] where written.hasPrefix(prefix) {
            let path = String(written.dropFirst(prefix.count))
            guard !path.isEmpty else { break }
            return .unixDatagram(path: path)
        }
        var text = Substring(written)
        var family = AddressSyntax.Family.any
        for (prefix, forced) in [("udp@", AddressSyntax.Family.any), ("udp4@", .ipv4), ("ipv4@", .ipv4),
                                 ("udp6@", .ipv6), ("ipv6@", .ipv6)] where text.hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
            family = forced
        }
        if let at = text.firstIndex(of: "@"), !text[..<at].contains(":") {
            alert("log : '\(text[...at])' targets are not supported by ordrel (only UDP addresses, Unix datagram sockets, stdout, stderr, fd@1 and fd@2)")
            return nil
        }
        guard let (writtenHost, portText) = AddressSyntax.splitHostPort(text) else {
            alert("log : invalid address: '\(written)'")
            return nil
        }
        // An empty host or `*` is the any address, as haproxy's str2ip2 reads it (`log :514`,
        // or a `${VAR}` that expanded to nothing).
        let host = writtenHost.isEmpty || writtenHost == "*" ? (family == .ipv6 ? "::" : "0.0.0.0") : writtenHost
        var port: UInt16 = 514
        if let portText, !portText.isEmpty, portText != "0" {
            guard let parsed = AddressSyntax.port(portText) else {
                alert("log : invalid port '\(portText)'")
                return nil
            }
            port = parsed
        }
        let literal = family == .ipv6 ? AddressSyntax.isIPv6(host) : family == .ipv4 ? AddressSyntax.isIPv4(host)
            : AddressSyntax.isIPv4(host) || AddressSyntax.isIPv6(host)
        guard literal || (family == .any && AddressSyntax.isValidHost(host, .any) && resolves(String(host))) else {
            alert("log : invalid address: '\(host)' in '\(written)'")
            return nil
        }
        return .udp(host: String(host), port: port)
    }

    /// `log-format <string>` / `log-format-sd <string>`: one word, compiled now so that an
    /// unknown variable is reported with its line.
    private func parseLogFormat(_ words: [String]) {
        let keyword = words[0]
        guard words.count == 2 else {
            alert("\(keyword) expects only one argument, don't forget to escape spaces!")
            return
        }
        guard current.role.hasFrontend else {
            warn("\(current.role.rawValue) '\(current.config.name)' : '\(keyword)' directive is ignored in backends.")
            return
        }
        do {
            let format = try LogFormat(words[1])
            if keyword == "log-format" {
                current.config.logFormat = format
            } else {
                current.config.structuredDataFormat = format.nodes.isEmpty ? nil : format
            }
        } catch {
            alert("failed to parse \(keyword) : \(error.reason).")
        }
    }
}
