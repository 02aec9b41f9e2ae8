import OrdrelConfig

/// How a check ended: haproxy's status, its layer-7 code and the `last_chk` text.
public struct CheckVerdict: Sendable, Equatable {
    public var result: CheckResult
    /// HTTP status, SMTP reply, MySQL error or LDAP result code; shown when `result.carriesCode`.
    public var code: Int
    /// haproxy's check `desc`: at most 127 bytes, cut at the first NUL (HCHK_DESC_LEN).
    public var info: String
    /// haproxy's MySQL and LDAP checks set their status twice on success: first with the
    /// server's answer ("8.0.19", "Success"), then with `info`. Each counts for the health and
    /// for `option log-health-checks`; nil for every other check.
    public var interimInfo: String?

    public init(_ result: CheckResult, code: Int = 0, info: String = "", interimInfo: String? = nil) {
        self.result = result
        self.code = code
        self.info = Self.description(info)
        self.interimInfo = interimInfo.map(Self.description)
    }

    private static func description(_ text: String) -> String {
        var bytes = Array(text.utf8.prefix { $0 != 0 })
        if bytes.count > 127 { bytes = Array(bytes.prefix(127)) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What the check runner must do next, in order.
enum CheckStep: Equatable {
    /// Close any check connection and open one here; report with `connected()` or `connectFailed`.
    case connect(CheckConnect)
    /// Write these bytes on the check connection.
    case send([UInt8])
    /// Wait for bytes or the end of the stream; report with `received(_:closed:error:)`.
    case receive
    /// The check is over.
    case finish(CheckVerdict)
}

/// A rule set with its regular expressions compiled once per server.
final class CompiledCheckRules {
    let rules: [CheckRule]
    /// nil for haproxy's plain connect check (no check option): its messages carry no step.
    let proto: CheckProtocol?
    let disableOn404: Bool
    /// Compiled patterns of `rstring`/`rbinary`/`rstatus` rules, by rule position.
    fileprivate let regexes: [Int: Regex<AnyRegexOutput>]

    /// `set` nil is the plain connect check. Patterns were validated when the configuration was read.
    init(_ set: CheckRuleSet?, disableOn404: Bool) {
        rules = set?.rules ?? [CheckRule(.connect(CheckConnect(implicit: true)), index: 0)]
        proto = set?.proto
        self.disableOn404 = disableOn404
        var regexes: [Int: Regex<AnyRegexOutput>] = [:]
        for (position, rule) in rules.enumerated() {
            guard case .expect(let expect) = rule.action, let pattern = expect.pattern.regex else { continue }
            regexes[position] = (try? Regex(pattern))?.matchingSemantics(.unicodeScalar)
        }
        self.regexes = regexes
    }
}

/// One run of a check rule set, sans-IO (haproxy 2.6 `tcpcheck_main`): events in, steps out.
/// Rules run in order; a chain of expects is re-evaluated from its first rule each time more
/// bytes arrive, as haproxy does; the last rule evaluated decides the success message.
struct CheckProgram {
    private let compiled: CompiledCheckRules
    /// The server is DOWN: `disable-on-404` only turns a 404 into L7OKC on a server that is not.
    private let serverIsDown: Bool
    /// haproxy's `tune.bufsize`: a full buffer ends the wait for more bytes.
    private let bufferSize: Int
    /// Seconds since the epoch, for the SSLv3 hello's time field.
    private let unixTime: UInt32
    /// Position of the rule being evaluated (haproxy's `current_step`).
    private var position = 0
    /// A connect was asked for and has not completed.
    private(set) var isConnecting = false
    private var buffer: [UInt8] = []
    private var closed = false
    /// Why the stream ended, when the socket reported an error (strerror text).
    private var closeError: String?
    /// The request of the last HTTP send was a HEAD: its answer has no body.
    private var lastRequestBodyless = false
    private var code = 0

    init(_ compiled: CompiledCheckRules, serverIsDown: Bool, bufferSize: Int, unixTime: UInt32) {
        self.compiled = compiled
        self.serverIsDown = serverIsDown
        self.bufferSize = bufferSize
        self.unixTime = unixTime
    }

    private var rules: [CheckRule] { compiled.rules }

    /// Starts the run: the first step is always a connect.
    mutating func start() -> [CheckStep] { run() }

    /// The pending connect succeeded.
    mutating func connected() -> [CheckStep] {
        guard isConnecting else { return [] }
        isConnecting = false
        buffer = []
        closed = false
        position += 1
        return run()
    }

    /// Bytes arrived (possibly none) and/or the server closed its side.
    /// Bytes arrived (possibly none) and/or the server closed its side, cleanly or with `error`.
    mutating func received(_ bytes: [UInt8], closed: Bool, error: String? = nil) -> [CheckStep] {
        buffer += bytes.prefix(max(0, bufferSize - buffer.count))
        self.closed = self.closed || closed
        closeError = closeError ?? error
        return run()
    }

    /// The pending connect failed with `reason` (strerror text).
    func connectFailed(reason: String) -> CheckVerdict {
        CheckVerdict(.layer4ConnectionProblem, info: reason + stepSuffix)
    }

    /// The connection failed after it was established (reset before any byte arrived).
    func socketError(reason: String) -> CheckVerdict {
        CheckVerdict(.socketError, info: reason + stepSuffix)
    }

    /// The check ran out of time: L4TOUT while connecting, else the expect's `tout-status` or L7TOUT.
    func timedOut() -> CheckVerdict {
        if isConnecting { return CheckVerdict(.layer4Timeout, info: stepSuffix) }
        var status = CheckResult.layer7Timeout
        if position < rules.count, case .expect(let expect) = rules[position].action, let timeout = expect.timeoutStatus {
            status = CheckResult(timeout)
        }
        return CheckVerdict(status, info: stepSuffix)
    }

    /// Nothing has arrived since the last connect or send (a reset now is a socket error).
    var hasNoResponse: Bool { buffer.isEmpty }

    // MARK: evaluation

    private enum Outcome {
        case next
        case wait
        case stop(CheckVerdict)
    }

    private mutating func run() -> [CheckStep] {
        var steps: [CheckStep] = []
        while position < rules.count {
            switch rules[position].action {
            case .connect(let connect):
                isConnecting = true
                steps.append(.connect(connect))
                return steps
            case .send(let send):
                buffer = []
                closed = false
                steps.append(.send(bytes(of: send)))
                position += 1
            case .expect:
                let head = chainHead(position)
                switch evaluateChain(from: head) {
                case .next:
                    break
                case .wait:
                    position = head
                    steps.append(.receive)
                    return steps
                case .stop(let verdict):
                    steps.append(.finish(verdict))
                    return steps
                }
            }
        }
        steps.append(.finish(successVerdict()))
        return steps
    }

    /// The first expect of the run of expects that `index` belongs to.
    private func chainHead(_ index: Int) -> Int {
        var head = index
        while head > 0, case .expect = rules[head - 1].action { head -= 1 }
        return head
    }

    /// Evaluates the expects from `head` on over the bytes so far; leaves `position` after them.
    private mutating func evaluateChain(from head: Int) -> Outcome {
        position = head
        while position < rules.count, case .expect(let expect) = rules[position].action {
            if buffer.isEmpty {
                guard closed else { return .wait }
                // haproxy's H1 mux turns a reset before any answer into a connection error.
                if case .http = expect.pattern, let closeError { return .stop(socketError(reason: closeError)) }
                let rule = rules[position]
                var info = "TCPCHK got an empty response at step \(rule.step)"
                if let comment = rule.comment { info += " comment: '\(comment)'" }
                return .stop(CheckVerdict(expect.errorStatus.map(CheckResult.init) ?? .layer7Response, info: info))
            }
            code = 0
            let outcome: Outcome
            switch expect.pattern {
            case .stream(let pattern): outcome = evaluate(expect, pattern)
            case .http(let pattern): outcome = evaluateHTTP(expect, pattern)
            }
            guard case .next = outcome else { return outcome }
            position += 1
        }
        return .next
    }

    /// haproxy's `tcpcheck_eval_expect`.
    private mutating func evaluate(_ expect: CheckExpect, _ pattern: StreamPattern) -> Outcome {
        let lastRead = closed || buffer.count >= bufferSize
        if !lastRead {
            switch pattern {
            case .string(let data), .binary(let data):
                if buffer.count < data.count { return .wait }
            default:
                break
            }
            if expect.minRecv > 0 && buffer.count < expect.minRecv { return .wait }
        }
        let match: Bool
        switch pattern {
        case .string(let data), .binary(let data):
            match = Self.contains(buffer, data)
        case .regex:
            match = regexMatches(Self.latin1(buffer))
        case .binaryRegex:
            match = regexMatches(Self.hexDump(buffer))
        case .mysqlHandshake:
            return mysqlPacket(at: 0, lastRead: lastRead)
        case .mysqlOK:
            let first = buffer.count >= 3 ? Int(buffer[0]) | Int(buffer[1]) << 8 | Int(buffer[2]) << 16 : 0
            return mysqlPacket(at: 4 + first, lastRead: lastRead)
        case .ldapBindResponse:
            return ldapBindResponse(lastRead: lastRead)
        }
        if !match && !lastRead && expect.minRecv == -1 { return .wait }
        if match != expect.inverse { return .next }
        return .stop(failure(expect, status: expect.errorStatus.map(CheckResult.init) ?? .layer7Response, matched: match))
    }

    /// haproxy's `tcpcheck_eval_expect_http`.
    private mutating func evaluateHTTP(_ expect: CheckExpect, _ pattern: HTTPPattern) -> Outcome {
        var lastRead = closed || buffer.count >= bufferSize
        let response: CheckHTTPResponse
        switch CheckHTTPResponse.parse(buffer, closed: closed, bodyless: lastRequestBodyless) {
        case .incomplete:
            if let closeError { return .stop(socketError(reason: closeError)) }
            guard lastRead else { return .wait }
            return .stop(failure(expect, status: .layer7Response, matched: false))
        case .invalid:
            return .stop(failure(expect, status: .layer7Response, matched: false))
        case .response(let parsed):
            response = parsed
        }
        // A message cut short by a reset is a connection error to haproxy's H1 mux; cut short
        // by a clean close, it is judged as it is.
        if let closeError, !response.complete { return .stop(socketError(reason: closeError)) }
        lastRead = lastRead || response.complete
        code = response.status
        if compiled.disableOn404 && !serverIsDown && code == 404 { return .next }
        let configured = expect.errorStatus.map(CheckResult.init)
        var match = false
        var status: CheckResult
        var desc = ""
        switch pattern {
        case .status(let ranges):
            match = ranges.contains { $0.contains(response.status) }
            status = configured ?? .layer7WrongStatus
            if expect.onError == nil { desc = response.reason }
        case .statusRegex:
            match = regexMatches(String(response.status))
            status = configured ?? .layer7WrongStatus
            if expect.onError == nil { desc = response.reason }
        case .body, .bodyRegex:
            status = configured ?? .layer7Response
            if response.body.isEmpty {
                guard lastRead else { return .wait }
                return .stop(failure(expect, status: status,
                                     desc: expect.onError == nil ? "HTTP content check could not find a response body" : "",
                                     matched: false))
            }
            var needed = expect.minRecv
            if case .body(let data) = pattern { needed = max(needed, data.count) }
            if !lastRead && response.body.count < needed { return .wait }
            if case .body(let data) = pattern {
                match = Self.contains(response.body, data)
            } else {
                match = regexMatches(Self.latin1(response.body))
            }
            if !match && !lastRead && expect.minRecv == -1 { return .wait }
            if expect.onError == nil {
                desc = expect.inverse ? "HTTP check matched unwanted content" : "HTTP content check did not match"
            }
        }
        if match != expect.inverse { return .next }
        return .stop(failure(expect, status: status, desc: desc, matched: false))
    }

    /// haproxy's `tcpcheck_mysql_expect_packet`: the packet at `offset` is complete and not an
    /// error; the last rule reports the server version from the handshake.
    private func mysqlPacket(at offset: Int, lastRead: Bool) -> Outcome {
        let expect = currentExpect
        guard buffer.count >= offset + 4 else {
            return lastRead ? .stop(failure(expect, status: .layer7Response, matched: false)) : .wait
        }
        let length = Int(buffer[offset]) | Int(buffer[offset + 1]) << 8 | Int(buffer[offset + 2]) << 16
        guard buffer.count >= offset + length + 4 else {
            return lastRead ? .stop(failure(expect, status: .layer7Response, matched: false)) : .wait
        }
        if buffer.count > offset + 4, buffer[offset + 4] == 0xFF {
            let error = buffer.count > offset + 6 ? Int(buffer[offset + 5]) | Int(buffer[offset + 6]) << 8 : 0
            let message = buffer.count > offset + 7 ? Self.latin1(Array(buffer[(offset + 7)...])) : ""
            var verdict = failure(expect, status: .layer7WrongStatus, desc: message, matched: false)
            verdict.code = error
            return .stop(verdict)
        }
        guard position == rules.count - 1 else { return .next }
        let version = buffer.count > 5 ? Self.latin1(Array(buffer[5...])) : ""
        return .stop(CheckVerdict(expect.okStatus.map(CheckResult.init) ?? .layer7OK, interimInfo: version))
    }

    /// haproxy's `tcpcheck_ldap_expect_bindrsp`: a BER LDAPMessage with messageID 1 holding a
    /// bindResponse whose resultCode is 0.
    private func ldapBindResponse(lastRead: Bool) -> Outcome {
        let expect = currentExpect
        let tooShort: Outcome = lastRead ? .stop(failure(expect, status: .layer7Response, matched: false)) : .wait
        let notLDAP = Outcome.stop(failure(expect, status: .layer7Response, desc: "Not LDAPv3 protocol", matched: false))
        guard buffer.count >= 2 else { return tooShort }
        var index = 1
        var length = Int(buffer[index])
        var extra = 0
        if buffer[index] & 0x80 != 0 {
            extra = Int(buffer[index] & 0x7F)
            guard buffer.count >= 2 + extra else { return tooShort }
            guard extra == 2 || extra == 4 else { return notLDAP }
            length = buffer[(index + 1)...(index + extra)].reduce(0) { $0 << 8 | Int($1) }
        }
        index += 1 + extra
        guard buffer.count >= 2 + extra + length, buffer.count >= index + 4 else { return tooShort }
        guard Array(buffer[index..<(index + 4)]) == [0x02, 0x01, 0x01, 0x61] else { return notLDAP }
        index += 4
        guard index < buffer.count else { return tooShort }
        index += 1 + (buffer[index] & 0x80 != 0 ? Int(buffer[index] & 0x7F) : 0)
        guard index + 3 <= buffer.count else { return tooShort }
        guard buffer[index] == 0x0A, buffer[index + 1] == 0x01 else { return notLDAP }
        let result = Int(buffer[index + 2])
        if result != 0 {
            var verdict = failure(expect, status: .layer7WrongStatus,
                                  desc: "See RFC: http://tools.ietf.org/html/rfc4511#section-4.1.9", matched: false)
            verdict.code = result
            return .stop(verdict)
        }
        return .stop(CheckVerdict(expect.okStatus.map(CheckResult.init) ?? .layer7OK, interimInfo: "Success"))
    }

    private var currentExpect: CheckExpect {
        guard case .expect(let expect) = rules[position].action else { preconditionFailure("not an expect rule") }
        return expect
    }

    // MARK: verdicts and messages

    /// haproxy's `tcpcheck_expect_onerror_message`.
    private func failure(_ expect: CheckExpect, status: CheckResult, desc: String = "", matched: Bool) -> CheckVerdict {
        let rule = rules[position]
        var info = ""
        if !desc.isEmpty {
            info = desc
        } else if let message = expect.onError {
            info = render(message)
        } else if compiled.proto == .tcp {
            info = (matched ? "TCPCHK matched unwanted content" : "TCPCHK did not match content") + patternSuffix(expect.pattern, step: rule.step)
        }
        if let comment = rule.comment { info += " comment: \(comment)" }
        return CheckVerdict(status, code: expect.statusCode.map(codeValue) ?? code, info: info)
    }

    private func patternSuffix(_ pattern: CheckPattern, step: Int) -> String {
        switch pattern {
        case .stream(.string(let data)), .http(.body(let data)): return " '\(Self.latin1(data))' at step \(step)"
        case .stream(.binary): return " (binary) at step \(step)"
        case .stream(.regex), .http(.statusRegex), .http(.bodyRegex): return " (regex) at step \(step)"
        case .stream(.binaryRegex): return " (binary regex) at step \(step)"
        case .http(.status): return "(status codes) at step \(step)"
        case .stream(.mysqlHandshake), .stream(.mysqlOK), .stream(.ldapBindResponse): return " (custom function) at step \(step)"
        }
    }

    /// The end of the rules: the last rule evaluated decides (end of `tcpcheck_main`).
    private func successVerdict() -> CheckVerdict {
        let rule = rules[rules.count - 1]
        switch rule.action {
        case .connect(let connect):
            return CheckVerdict(.layer4OK, info: connect.implicit ? "" : "(tcp-check)")
        case .send:
            return CheckVerdict(.layer7OK, info: "(tcp-check)")
        case .expect(let expect):
            if compiled.disableOn404 && !serverIsDown && code == 404 {
                return CheckVerdict(.layer7OKConditional, code: code)
            }
            var info = ""
            if let message = expect.onSuccess {
                info = render(message)
            } else if compiled.proto == .tcp {
                info = "(tcp-check)"
            }
            return CheckVerdict(expect.okStatus.map(CheckResult.init) ?? .layer7OK,
                                code: expect.statusCode.map(codeValue) ?? code, info: info)
        }
    }

    /// haproxy's `chk_report_conn_err` context for `option tcp-check` rule sets.
    private var stepSuffix: String {
        guard compiled.proto == .tcp, position < rules.count else { return "" }
        let rule = rules[position]
        guard rule.step != 0 else { return " at initial connection step of tcp-check" }
        var text = " at step \(rule.step) of tcp-check"
        switch rule.action {
        case .connect(let connect):
            text += connect.port.map { " (connect port \($0))" } ?? " (connect)"
        case .send:
            text += " (send)"
        case .expect(let expect):
            switch expect.pattern {
            case .stream(.string(let data)): text += " (expect string '\(Self.latin1(data))')"
            case .stream(.binary(let data)): text += " (expect binary '\(Self.latin1(data))')"
            case .stream(.regex): text += " (expect regex)"
            case .stream(.binaryRegex): text += " (expect binary regex)"
            case .http(.status): text += " (expect HTTP status codes)"
            case .http(.statusRegex): text += " (expect HTTP status regex)"
            case .http(.body(let data)): text += " (expect HTTP body content '\(Self.latin1(data))')"
            case .http(.bodyRegex): text += " (expect HTTP body regex)"
            case .stream(.mysqlHandshake), .stream(.mysqlOK), .stream(.ldapBindResponse): text += " (expect custom function)"
            }
        }
        if let comment = rule.comment { text += " comment: '\(comment)'" }
        return text
    }

    private func render(_ message: CheckMessage) -> String {
        switch message {
        case .text(let text):
            return text
        case .payload(let offset, let trimSpaces, let cutAtLineEnd):
            guard buffer.count >= offset else { return "" }
            var bytes = buffer[offset...]
            if trimSpaces { bytes = bytes.drop { $0 == UInt8(ascii: " ") } }
            if cutAtLineEnd { bytes = bytes.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") } }
            return Self.latin1(Array(bytes))
        }
    }

    private func codeValue(_ source: CheckCodeSource) -> Int {
        switch source {
        case .payload(let offset, let length):
            guard buffer.count >= offset + length else { return code }
            return Int(String(decoding: buffer[offset..<(offset + length)], as: UTF8.self)) ?? code
        }
    }

    private mutating func bytes(of send: CheckSend) -> [UInt8] {
        switch send {
        case .bytes(let bytes):
            lastRequestBodyless = false
            return bytes
        case .http(let request):
            lastRequestBodyless = request.method == "HEAD"
            return request.wireBytes
        case .sslv3ClientHello:
            lastRequestBodyless = false
            return Self.sslv3ClientHello(unixTime: unixTime)
        }
    }

    private func regexMatches(_ text: String) -> Bool {
        guard let regex = compiled.regexes[position] else { return false }
        return (try? regex.firstMatch(in: text)) != nil
    }

    // MARK: byte helpers

    /// `option ssl-hello-chk`'s record (tcpcheck.c `sslv3_client_hello`), time at offset 11.
    static func sslv3ClientHello(unixTime: UInt32) -> [UInt8] {
        var hello: [UInt8] = [0x16, 0x03, 0x00, 0x00, 0x79, 0x01, 0x00, 0x00, 0x75, 0x03, 0x00]
        hello += [UInt8(unixTime >> 24), UInt8(unixTime >> 16 & 0xFF), UInt8(unixTime >> 8 & 0xFF), UInt8(unixTime & 0xFF)]
        hello += Array("HAPROXYSSLCHK\nHAPROXYSSLCHK\n".utf8)
        hello += [0x00, 0x00, 0x4E]
        for cipher in Array(0x01...0x1B) + Array(0x2F...0x3A) { hello += [0x00, UInt8(cipher)] }
        hello += [0x01, 0x00]
        return hello
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// Bytes as one Unicode scalar each, so a regex sees every byte (haproxy matches raw bytes).
    static func latin1(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(scalars)
    }

    /// haproxy's `dump_binary`: upper-case hex.
    static func hexDump(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes { out += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
