/// `option tcp-check|httpchk|...-check`, `tcp-check ...` and `http-check ...` lines (haproxy 2.6
/// tcpcheck.c): parsed into draft rules, turned into the proxy's `CheckRuleSet` at the end.

/// What `option ...` chose for a proxy's checks; inherited from `defaults` like the rules.
enum CheckOptionDraft: Equatable {
    case tcpCheck
    /// `option httpchk`, with the request it describes.
    case httpchk(HTTPCheckRequest)
    /// A protocol check whose rules are fixed (pgsql, redis, smtp, mysql, ldap, ssl-hello).
    case preset(CheckRuleSet)
}

/// One `tcp-check` / `http-check` line while parsing.
enum CheckLineDraft: Equatable {
    case rule(CheckRule.Action, comment: String?)
    case comment(String)
    /// `http-check send`: the fields it sets, merged into `option httpchk`'s request.
    case httpSend(HTTPSendFields, comment: String?)
}

/// The parts of an HTTP check request an `http-check send` line sets.
struct HTTPSendFields: Equatable {
    var method: String?
    var uri: String?
    var version: String?
    var headers: [HTTPCheckHeader] = []
    var body: String?
}

/// A header of `http-check send` (tuples are not Equatable).
struct HTTPCheckHeader: Equatable {
    var name: String
    var value: String
}

extension ConfigBuilder {
    static let checkKeywords: [ConfigKeyword] = [
        ConfigKeyword("tcp-check", in: .proxies) { b, words in b.parseTCPCheck(words) },
        ConfigKeyword("http-check", in: .proxies) { b, words in b.parseHTTPCheck(words) },
    ]

    // MARK: options

    /// `option <check option> ...`; true when `name` is one.
    func parseCheckOption(_ words: [String], negated: Bool) -> Bool {
        let name = words[1]
        guard Self.checkOptionNames.contains(name) else { return false }
        let written = "option \(name)"
        if negated {
            alert("negation/default is not supported for option '\(name)'.")
            return true
        }
        if name == "spop-check" || name == "external-check" || name == "lb-agent-chk" {
            alert("'\(written)' is not supported by ordrel: \(name == "spop-check" ? "SPOE agents are" : name == "external-check" ? "external check commands are" : "agent checks by option are") not supported.")
            return true
        }
        guard usable(name, frontend: false) else { return true }
        let args = Array(words.dropFirst(2))
        switch name {
        case "tcp-check":
            guard noExtraArguments(words, 2, written) else { return true }
            current.checkOption = .tcpCheck
        case "httpchk":
            guard noExtraArguments(words, 5, written) else { return true }
            current.checkOption = .httpchk(httpchkRequest(args))
            current.checkOptionLocation = location
        case "redis-check", "ldap-check", "ssl-hello-chk":
            guard noExtraArguments(words, 2, written) else { return true }
            let preset: CheckRuleSet = name == "redis-check" ? CheckPresets.redis
                : name == "ldap-check" ? CheckPresets.ldap : CheckPresets.sslHello
            current.checkOption = .preset(preset)
        case "pgsql-check":
            guard args.count >= 2, args[0] == "user", !args[1].isEmpty else {
                alert("'\(written)' expects 'user <username>' as argument.")
                return true
            }
            guard noExtraArguments(words, 4, written) else { return true }
            current.checkOption = .preset(CheckPresets.pgsql(user: args[1]))
        case "mysql-check":
            parseMySQLCheck(args, written)
        case "smtpchk":
            guard noExtraArguments(words, 4, written) else { return true }
            var command = "HELO localhost"
            if args.count >= 2, args[0] == "HELO" || args[0] == "EHLO", !args[1].isEmpty {
                command = "\(args[0]) \(args[1])"
            }
            current.checkOption = .preset(CheckPresets.smtp(command: command))
        default:
            preconditionFailure("check option '\(name)' has no parser")
        }
        return true
    }

    static let checkOptionNames: Set<String> = [
        "tcp-check", "httpchk", "redis-check", "ldap-check", "ssl-hello-chk", "pgsql-check", "mysql-check",
        "smtpchk", "spop-check", "external-check", "lb-agent-chk",
    ]

    private func parseMySQLCheck(_ args: [String], _ written: String) {
        guard let first = args.first, !first.isEmpty else {
            current.checkOption = .preset(CheckPresets.mysql(user: nil, post41: true))
            return
        }
        guard first == "user" else {
            alert("'\(written)' only supports optional values: 'user' (got '\(first)').")
            return
        }
        guard args.count > 1, !args[1].isEmpty else {
            alert("'\(written)' expects the user name as argument of 'user'.")
            return
        }
        var post41 = true
        if args.count > 2, !args[2].isEmpty {
            switch args[2] {
            case "post-41": post41 = true
            case "pre-41": post41 = false
            default:
                alert("'\(written) user \(args[1])' only supports 'post-41' and 'pre-41' (got '\(args[2])').")
                return
            }
        }
        guard args.count <= 3 || args[3].isEmpty else {
            alert("'\(written)' cannot handle unexpected argument '\(args[3])'.")
            return
        }
        current.checkOption = .preset(CheckPresets.mysql(user: args[1], post41: post41))
    }

    /// `option httpchk [<uri>]`, `[<method> <uri> [<version>]]`; a version may hide headers and a
    /// body after `\r\n` (deprecated in 2.6, still honoured, with haproxy's warning).
    private func httpchkRequest(_ args: [String]) -> HTTPCheckRequest {
        var request = HTTPCheckRequest()
        switch args.count {
        case 0: break
        case 1: request.uri = args[0]
        default:
            request.method = args[0]
            request.uri = args[1]
        }
        guard args.count > 2 else { return request }
        var version = args[2]
        if let end = version.firstRange(of: "\r\n") {
            var rest = String(version[end.upperBound...])
            version = String(version[..<end.lowerBound])
            if let bodyStart = rest.firstRange(of: "\r\n\r\n") {
                request.body = String(rest[bodyStart.upperBound...])
                rest = String(rest[..<bodyStart.lowerBound])
            } else if rest.hasPrefix("\r\n") {
                request.body = String(rest.dropFirst(2))
                rest = ""
            }
            for line in rest.split(separator: "\r\n", omittingEmptySubsequences: true) {
                guard let colon = line.firstIndex(of: ":") else {
                    alert("'option httpchk' : unable to parse the request '\(line)'.")
                    continue
                }
                let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
                request.headers.append((String(line[..<colon]), String(value)))
            }
            warn("'option httpchk' : hiding headers or body at the end of the version string is deprecated. Please, consider to use 'http-check send' directive instead.")
        }
        request.version = version
        return request
    }

    // MARK: tcp-check / http-check lines

    /// haproxy warns and ignores check lines in a section without a backend side.
    private func parseTCPCheck(_ words: [String]) {
        guard usable(words[0], frontend: false) else { return }
        let verb = words.count > 1 ? words[1] : ""
        let line: CheckLineDraft?
        switch verb {
        case "connect": line = parseCheckConnect(words, "tcp-check")
        case "send", "send-lf", "send-binary", "send-binary-lf": line = parseTCPSend(words)
        case "expect": line = parseCheckExpect(words, http: false)
        case "comment": line = parseCheckComment(words, "tcp-check")
        case _ where verb.hasPrefix("set-var") || verb.hasPrefix("unset-var"):
            alert("'tcp-check \(verb)' is not supported by ordrel: check variables are not supported.")
            return
        default:
            alert("'tcp-check' only supports 'comment', 'connect', 'send', 'send-binary', 'expect', 'set-var' and 'unset-var' but got '\(verb)'.")
            return
        }
        guard let line else { return }
        if !current.ownTCPCheckLines {
            current.tcpCheckLines = []
            current.ownTCPCheckLines = true
        }
        if case .rule(.connect, _) = line, !connectMayFollow(current.tcpCheckLines) {
            alert("'tcp-check connect' : first step MUST also be a 'connect', optionally preceded by a 'set-var', an 'unset-var' or a 'comment', when there is a 'connect' step in the tcp-check ruleset.")
            return
        }
        current.tcpCheckLines.append(line)
    }

    private func parseHTTPCheck(_ words: [String]) {
        guard usable(words[0], frontend: false) else { return }
        let verb = words.count > 1 ? words[1] : ""
        let line: CheckLineDraft?
        switch verb {
        case "disable-on-404":
            if noExtraArguments(words, 2, "http-check disable-on-404") { current.config.httpCheckDisableOn404 = true }
            return
        case "connect": line = parseCheckConnect(words, "http-check")
        case "send": line = parseHTTPSend(words)
        case "expect": line = parseCheckExpect(words, http: true)
        case "comment": line = parseCheckComment(words, "http-check")
        case "send-state":
            alert("'http-check send-state' is not supported by ordrel: the X-Haproxy-Server-State header is not implemented.")
            return
        case _ where verb.hasPrefix("set-var") || verb.hasPrefix("unset-var"):
            alert("'http-check \(verb)' is not supported by ordrel: check variables are not supported.")
            return
        default:
            alert("'http-check' only supports 'disable-on-404', 'send-state', 'comment', 'connect', 'send', 'expect', 'set-var' and 'unset-var' but got '\(verb)'.")
            return
        }
        guard let line else { return }
        if !current.ownHTTPCheckLines {
            current.httpCheckLines = []
            current.ownHTTPCheckLines = true
        }
        if case .rule(.connect, _) = line, !connectMayFollow(current.httpCheckLines) {
            alert("'http-check connect' : first step MUST also be a 'connect', optionally preceded by a 'set-var', an 'unset-var' or a 'comment', when there is a 'connect' step in the tcp-check ruleset.")
            return
        }
        current.httpCheckLines.append(line)
    }

    /// A connect may come first, or after another connect's steps once one connect opened the set.
    private func connectMayFollow(_ lines: [CheckLineDraft]) -> Bool {
        for line in lines {
            switch line {
            case .comment: continue
            case .rule(.connect, _): return true
            default: return false
            }
        }
        return true
    }

    private func parseCheckComment(_ words: [String], _ keyword: String) -> CheckLineDraft? {
        guard words.count > 2, !words[2].isEmpty else {
            alert("'\(keyword) comment' expects a string as argument.")
            return nil
        }
        guard noExtraArguments(words, 3, "\(keyword) comment") else { return nil }
        return .comment(words[2])
    }

    private func parseCheckConnect(_ words: [String], _ keyword: String) -> CheckLineDraft? {
        var connect = CheckConnect()
        var comment: String?
        var index = 2
        while index < words.count, !words[index].isEmpty {
            let option = words[index]
            let value = index + 1 < words.count ? words[index + 1] : ""
            switch option {
            case "default":
                index += 1
                continue
            case "port":
                guard let port = Int(value), (1...65535).contains(port) else {
                    alert("'\(keyword) connect' : 'port' expects a valid TCP port (from range 1 to 65535), got '\(value)'; ordrel does not evaluate sample expressions here.")
                    return nil
                }
                connect.port = UInt16(port)
                index += 2
                continue
            case "addr":
                guard isIPLiteral(value) else {
                    alert("'\(keyword) connect' : 'addr' expects <ipv4|ipv6> as argument (got '\(value)').")
                    return nil
                }
                connect.addr = value
                index += 2
                continue
            case "comment":
                guard !value.isEmpty else {
                    alert("'\(keyword) connect' : 'comment' expects a string as argument.")
                    return nil
                }
                comment = value
                index += 2
                continue
            case "send-proxy": connect.sendProxy = true
            case "linger": connect.linger = true
            case "ssl", "sni", "alpn", "proto", "via-socks4", "check-ssl":
                alert("'\(keyword) connect' : '\(option)' is not supported by ordrel (no SSL, ALPN, mux protocol or SOCKS4 for checks).")
                return nil
            default:
                alert("'\(keyword) connect' : expects 'comment', 'port', 'addr', 'send-proxy', 'via-socks4', 'ssl', 'sni', 'alpn', 'proto', 'linger' or 'default' but got '\(option)'.")
                return nil
            }
            index += 1
        }
        return .rule(.connect(connect), comment: comment)
    }

    private func parseTCPSend(_ words: [String]) -> CheckLineDraft? {
        let verb = words[1]
        guard words.count > 2, !words[2].isEmpty else {
            alert("'tcp-check \(verb)' expects a \(verb.contains("binary") ? "binary string" : "string") argument.")
            return nil
        }
        var comment: String?
        if words.count > 3, !words[3].isEmpty {
            guard words[3] == "comment", words.count > 4, !words[4].isEmpty else {
                alert("'tcp-check \(verb)' only supports 'comment' as an option (got '\(words[3])').")
                return nil
            }
            comment = words[4]
            guard noExtraArguments(words, 5, "tcp-check \(verb)") else { return nil }
        }
        var text = words[2]
        if verb.hasSuffix("-lf") {
            guard let plain = plainLogFormat(text, "tcp-check \(verb)") else { return nil }
            text = plain
        }
        if verb.hasPrefix("send-binary") {
            guard let bytes = hexBytes(text) else {
                alert("'tcp-check \(verb)' : invalid binary string '\(text)' (an even number of hex digits is expected).")
                return nil
            }
            return .rule(.send(.bytes(bytes)), comment: comment)
        }
        return .rule(.send(.bytes(Array(text.utf8))), comment: comment)
    }

    private func parseHTTPSend(_ words: [String]) -> CheckLineDraft? {
        var fields = HTTPSendFields()
        var comment: String?
        var index = 2
        while index < words.count, !words[index].isEmpty {
            let option = words[index]
            let value = index + 1 < words.count ? words[index + 1] : ""
            guard !value.isEmpty || option == "body" else {
                alert("'http-check send' : '\(option)' expects a value.")
                return nil
            }
            switch option {
            case "meth": fields.method = value
            case "uri": fields.uri = value
            case "ver": fields.version = value
            case "body": fields.body = value
            case "comment": comment = value
            case "uri-lf", "body-lf":
                guard let plain = plainLogFormat(value, "http-check send \(option)") else { return nil }
                if option == "uri-lf" { fields.uri = plain } else { fields.body = plain }
            case "hdr":
                let headerValue = index + 2 < words.count ? words[index + 2] : ""
                guard !headerValue.isEmpty else {
                    alert("'http-check send' : 'hdr' expects <name> and <value> as arguments.")
                    return nil
                }
                guard let plain = plainLogFormat(headerValue, "http-check send hdr") else { return nil }
                if value.lowercased() == "content-length" || value.lowercased() == "transfer-encoding" {
                    alert("'http-check send' : '\(value)' header is forbidden, it is set from the body.")
                    return nil
                }
                fields.headers.append(HTTPCheckHeader(name: value, value: plain))
                index += 3
                continue
            default:
                alert("'http-check send' : expects 'comment', 'meth', 'uri', 'uri-lf', 'ver', 'hdr', 'body' or 'body-lf' but got '\(option)'.")
                return nil
            }
            index += 2
        }
        return .httpSend(fields, comment: comment)
    }

    /// `tcp-check expect` and `http-check expect`: options in any order around `[!] <match> <pattern>`.
    private func parseCheckExpect(_ words: [String], http: Bool) -> CheckLineDraft? {
        let keyword = http ? "http-check expect" : "tcp-check expect"
        var expect: CheckExpect?
        var inverse = false
        var options: [(String, String)] = []
        var comment: String?
        var index = 2
        while index < words.count, !words[index].isEmpty {
            var word = words[index]
            let value = index + 1 < words.count ? words[index + 1] : ""
            switch word {
            case "min-recv", "ok-status", "error-status", "tout-status", "on-success", "on-error", "status-code", "comment":
                guard !value.isEmpty else {
                    alert("'\(keyword)' : '\(word)' expects an argument.")
                    return nil
                }
                if word == "comment" { comment = value } else { options.append((word, value)) }
                index += 2
                continue
            default:
                break
            }
            if word.hasPrefix("!") {
                inverse = true
                word.removeFirst()
                if word.isEmpty {
                    index += 1
                    guard index < words.count, !words[index].isEmpty else { break }
                    word = words[index]
                }
            }
            guard expect == nil else {
                alert("'\(keyword)' : only one pattern expected (got '\(word)').")
                return nil
            }
            let pattern = index + 1 < words.count ? words[index + 1] : ""
            guard !pattern.isEmpty else {
                alert("'\(keyword)' : '\(word)' expects a <pattern> as argument.")
                return nil
            }
            guard let parsed = checkPattern(word, pattern, http: http, keyword: keyword) else { return nil }
            expect = CheckExpect(parsed)
            index += 2
        }
        guard var expect else {
            alert("'\(keyword)' expects at least a matching pattern as arguments.")
            return nil
        }
        expect.inverse = inverse
        for (name, value) in options {
            guard applyExpectOption(name, value, to: &expect, keyword: keyword) else { return nil }
        }
        return .rule(.expect(expect), comment: comment)
    }

    private func checkPattern(_ match: String, _ pattern: String, http: Bool, keyword: String) -> CheckPattern? {
        switch (match, http) {
        case ("string", false): return .string(Array(pattern.utf8))
        case ("binary", false):
            guard let bytes = hexBytes(pattern) else {
                alert("'\(keyword) binary' : invalid binary string '\(pattern)' (an even number of hex digits is expected).")
                return nil
            }
            return .binary(bytes)
        case ("rstring", false): return validRegex(pattern, keyword) ? .regex(pattern) : nil
        case ("rbinary", false): return validRegex(pattern, keyword) ? .binaryRegex(pattern) : nil
        case ("string-lf", false):
            return plainLogFormat(pattern, "\(keyword) string-lf").map { .string(Array($0.utf8)) }
        case ("binary-lf", false):
            guard let plain = plainLogFormat(pattern, "\(keyword) binary-lf") else { return nil }
            guard let bytes = hexBytes(plain) else {
                alert("'\(keyword) binary-lf' : invalid binary string '\(plain)'.")
                return nil
            }
            return .binary(bytes)
        case ("status", true):
            var ranges: [ClosedRange<Int>] = []
            for part in pattern.split(separator: ",") {
                let bounds = part.split(separator: "-", maxSplits: 1).map { Int($0) }
                guard let low = bounds.first ?? nil, let high = bounds.last ?? nil, low <= high else {
                    alert("'\(keyword) status' : invalid status codes '\(pattern)' (expects codes or ranges such as 200,300-399).")
                    return nil
                }
                ranges.append(low...high)
            }
            return .http(.status(ranges))
        case ("rstatus", true): return validRegex(pattern, keyword) ? .http(.statusRegex(pattern)) : nil
        case ("string", true): return .http(.body(Array(pattern.utf8)))
        case ("rstring", true): return validRegex(pattern, keyword) ? .http(.bodyRegex(pattern)) : nil
        case ("string-lf", true):
            return plainLogFormat(pattern, "\(keyword) string-lf").map { .http(.body(Array($0.utf8))) }
        case ("hdr", true), ("fhdr", true):
            alert("'\(keyword) \(match)' is not supported by ordrel: header matching is not implemented.")
            return nil
        case ("custom", _):
            alert("'\(keyword) custom' is reserved to haproxy's built-in checks.")
            return nil
        default:
            let supported = http ? "'status', 'rstatus', 'hdr', 'fhdr', 'string', or 'rstring'"
                : "'string', 'rstring', 'string-lf', 'binary', 'rbinary', 'binary-lf'"
            alert("'\(keyword)' only supports \(supported) (got '\(match)').")
            return nil
        }
    }

    private func applyExpectOption(_ name: String, _ value: String, to expect: inout CheckExpect, keyword: String) -> Bool {
        switch name {
        case "min-recv":
            guard let n = Int(value), n >= -1 else {
                alert("'\(keyword)' : 'min-recv' expects -1 or an integer from 0 to INT_MAX (got '\(value)').")
                return false
            }
            expect.minRecv = n
        case "ok-status", "error-status", "tout-status":
            let allowed: [CheckStatusName] = name == "ok-status" ? [.L7OK, .L7OKC, .L6OK, .L4OK]
                : name == "error-status" ? [.L7RSP, .L7STS, .L6RSP, .L4CON] : [.L7TOUT, .L6TOUT, .L4TOUT]
            guard let status = CheckStatusName(rawValue: value), allowed.contains(status) else {
                alert("'\(keyword)' : '\(name)' only supports \(allowed.map { "'\($0.rawValue)'" }.joined(separator: ", ")) (got '\(value)').")
                return false
            }
            if name == "ok-status" { expect.okStatus = status }
            else if name == "error-status" { expect.errorStatus = status }
            else { expect.timeoutStatus = status }
        case "on-success", "on-error":
            guard let text = plainLogFormat(value, "\(keyword) \(name)") else { return false }
            if name == "on-success" { expect.onSuccess = .text(text) } else { expect.onError = .text(text) }
        default:
            alert("'\(keyword)' : 'status-code' is not supported by ordrel: sample expressions are not implemented.")
            return false
        }
        return true
    }

    /// A log-format string without variables: `%%` is a percent sign; anything else after `%`
    /// is a variable ordrel does not evaluate, refused here rather than sent wrong.
    private func plainLogFormat(_ text: String, _ keyword: String) -> String? {
        var out = ""
        var iterator = text.makeIterator()
        while let char = iterator.next() {
            guard char == "%" else {
                out.append(char)
                continue
            }
            guard iterator.next() == "%" else {
                alert("'\(keyword)' : log-format variables ('%...') are not supported by ordrel, only plain text (got '\(text)').")
                return nil
            }
            out.append("%")
        }
        return out
    }

    private func validRegex(_ pattern: String, _ keyword: String) -> Bool {
        do {
            _ = try Regex(pattern)
            return true
        } catch {
            alert("'\(keyword)' : invalid regex '\(pattern)': \(error).")
            return false
        }
    }

    private func isIPLiteral(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4 { return parts.allSatisfy { UInt8($0) != nil } }
        return text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}

/// Decodes a hex string ("0A1b") into bytes; nil when odd-length or not hex.
public func hexBytes(_ text: String) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(digits.count / 2)
    var index = 0
    while index < digits.count {
        guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
        bytes.append(high << 4 | low)
        index += 2
    }
    return bytes
}

private func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
    default: return nil
    }
}

extension ConfigBuilder {
    /// The rule set a proxy's servers run (`check_proxy_tcpcheck`): the option's preset, or the
    /// section's lines with comments folded in, `option httpchk`'s request merged into the first
    /// `http-check send`, an implicit first connect and, for HTTP, an implicit final expect.
    func resolvedHealthCheck(_ draft: ProxyDraft) -> CheckRuleSet? {
        guard draft.role.hasBackend, let option = draft.checkOption else { return nil }
        switch option {
        case .preset(let set):
            return set
        case .tcpCheck:
            let rules = Self.foldComments(draft.tcpCheckLines.enumerated().map { ($0.offset, $0.element) })
            return CheckRuleSet(proto: .tcp, rules: CheckPresets.withImplicitConnect(rules))
        case .httpchk(let request):
            var lines = draft.httpCheckLines.enumerated().map { ($0.offset, $0.element) }
            let first = lines.firstIndex { line in
                if case .comment = line.1 { return false }
                if case .rule(.connect, _) = line.1 { return false }
                return true
            }
            if let first, case .httpSend(let fields, let comment) = lines[first].1 {
                lines[first].1 = .rule(.send(.http(Self.merged(request, fields))), comment: comment)
            } else {
                let afterConnect = lines.firstIndex { if case .rule(.connect, _) = $0.1 { return true } else { return false } }
                    .map { $0 + 1 } ?? 0
                lines.insert((afterConnect, .rule(.send(.http(request)), comment: nil)), at: afterConnect)
            }
            var rules = Self.foldComments(lines.map { index, line in
                guard case .httpSend(let fields, let comment) = line else { return (index, line) }
                return (index, .rule(.send(.http(Self.merged(HTTPCheckRequest(), fields))), comment: comment))
            })
            if case .send = rules.last?.action {
                rules.append(CheckRule(.expect(CheckExpect(.httpStatus([200...399]))), index: rules.last!.index + 1))
            }
            return CheckRuleSet(proto: .http, rules: CheckPresets.withImplicitConnect(rules))
        }
    }

    /// `http-check send` fields over a base request; its headers replace the base's.
    private static func merged(_ base: HTTPCheckRequest, _ fields: HTTPSendFields) -> HTTPCheckRequest {
        var request = base
        if let method = fields.method { request.method = method }
        if let uri = fields.uri { request.uri = uri }
        if let version = fields.version { request.version = version }
        if let body = fields.body { request.body = body }
        request.headers = fields.headers.map { ($0.name, $0.value) }
        return request
    }

    /// haproxy's comment rule: a `comment` line names the rules after it, up to a connect or
    /// the next change of kind (send to expect ...).
    private static func foldComments(_ lines: [(Int, CheckLineDraft)]) -> [CheckRule] {
        var rules: [CheckRule] = []
        var pending: String?
        var previousKind = ""
        for (index, line) in lines {
            switch line {
            case .comment(let text):
                pending = text
                previousKind = "comment"
            case .rule(let action, let own):
                let kind: String
                switch action {
                case .connect: kind = "connect"
                case .send: kind = "send"
                case .expect: kind = "expect"
                }
                if kind != previousKind && previousKind != "comment" { pending = nil }
                previousKind = kind
                rules.append(CheckRule(action, index: index, comment: own ?? pending))
                if kind == "connect" { pending = nil }
            case .httpSend:
                preconditionFailure("http-check send is merged before comments are folded")
            }
        }
        return rules
    }
}
