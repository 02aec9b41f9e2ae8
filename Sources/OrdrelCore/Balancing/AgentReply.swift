/// One line from an agent (`agent-check`), parsed as haproxy 2.6 does (tcpcheck.c
/// `tcpcheck_agent_expect_reply`): words separated by spaces, tabs or commas, in any order, the
/// last of each kind winning; `#` starts a description. Words are a health (`up`, `down`,
/// `stopped`, `fail`), an admin state (`ready`, `drain`, `maint`), a weight (`75%`: a word that
/// starts with a digit and holds a `%`), `maxconn:N`, or anything else (the first is reported).
public struct AgentReply: Sendable, Equatable {
    /// What the agent says about the server's health.
    public enum Health: String, Sendable, Equatable {
        case up, down, stopped, fail
    }

    /// What the agent asks of the server's admin state.
    public enum Admin: String, Sendable, Equatable {
        case ready, drain, maint
    }

    /// The last health word, and the word as written (haproxy quotes it in `last_agt`).
    public var health: (kind: Health, word: String)?
    public var admin: Admin?
    /// The last weight word, as written (`75%`).
    public var weight: String?
    /// The text after the last `maxconn:` (haproxy parses it later, with its own messages).
    public var maxconn: String?
    /// The first word that is none of the above.
    public var firstUnknown: String?
    /// The text after `#`, leading blanks skipped; empty without one.
    public var description = ""

    public init() {}

    public static func == (lhs: AgentReply, rhs: AgentReply) -> Bool {
        lhs.health?.kind == rhs.health?.kind && lhs.health?.word == rhs.health?.word && lhs.admin == rhs.admin
            && lhs.weight == rhs.weight && lhs.maxconn == rhs.maxconn && lhs.firstUnknown == rhs.firstUnknown
            && lhs.description == rhs.description
    }

    /// What the bytes received so far amount to.
    public enum Scan: Sendable, Equatable {
        /// No line end yet and the agent may send more.
        case needMore
        /// The agent closed (or the buffer ended at a NUL byte) before a line end: haproxy keeps
        /// the previous status and says "Ignoring incomplete line from agent".
        case incomplete
        /// A complete line, up to the first CR or LF.
        case line(AgentReply)
    }

    /// Scans `bytes` (everything received so far); `closed` is true once the agent has shut its side.
    public static func scan(_ bytes: [UInt8], closed: Bool) -> Scan {
        guard let end = bytes.firstIndex(where: { $0 == 0 || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }),
              bytes[end] != 0 else {
            // haproxy stops at a NUL as at the end of its buffer: more data may still complete it.
            return closed ? .incomplete : .needMore
        }
        return .line(parse(bytes[..<end]))
    }

    /// Parses one line without its terminator.
    public static func parse(_ line: ArraySlice<UInt8>) -> AgentReply {
        var reply = AgentReply()
        var index = line.startIndex
        func isSeparator(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: ",")
        }
        while index < line.endIndex {
            let byte = line[index]
            if isSeparator(byte) {
                index += 1
                continue
            }
            if byte == UInt8(ascii: "#") {
                index += 1
                while index < line.endIndex && (line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\t")) {
                    index += 1
                }
                break
            }
            var end = index + 1
            while end < line.endIndex && !isSeparator(line[end]) { end += 1 }
            let word = String(decoding: line[index..<end], as: UTF8.self)
            reply.take(word)
            index = end
        }
        // haproxy then skips spaces (and LFs, which cannot occur here) before the description.
        while index < line.endIndex && line[index] == UInt8(ascii: " ") { index += 1 }
        reply.description = String(decoding: line[index...], as: UTF8.self)
        return reply
    }

    private mutating func take(_ word: String) {
        let lower = word.lowercased()
        if let kind = Health(rawValue: lower) {
            health = (kind, word)
        } else if let state = Admin(rawValue: lower) {
            admin = state
        } else if let first = word.utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first), word.contains("%") {
            weight = word
        } else if lower.hasPrefix("maxconn:") {
            maxconn = String(word.dropFirst("maxconn:".count))
        } else if firstUnknown == nil {
            firstUnknown = word
        }
    }
}

/// What an agent's reply does to its server, computed without touching it (the runtime applies
/// it in haproxy's order: admin state, weight, maxconn, then health).
public struct AgentVerdict: Sendable, Equatable {
    public var admin: AgentReply.Admin?
    /// The new weight, when the weight word was acceptable.
    public var weight: Int?
    /// The new maxconn, when the `maxconn:` word was acceptable.
    public var maxconn: Int?
    /// `L7OK` for up, `L7STS` for down/stopped/fail, `CHECKED` without a health word.
    public var status: CheckResult
    /// The agent's health after the reply: its maximum for up, 0 for down, unchanged otherwise.
    public var health: AgentReply.Health?
    /// `last_agt`: "via agent : up", "agent reports an error : x", "agent warns : y" or empty.
    public var description: String

    /// haproxy's verdict for `reply` on a server of initial weight `initialWeight` in a backend
    /// whose algorithm does (`dynamicWeights`) or does not accept any weight at runtime.
    public init(_ reply: AgentReply, initialWeight: Int, dynamicWeights: Bool) {
        admin = reply.admin
        var warning: String?
        if let text = reply.weight {
            switch AgentVerdict.weight(text, initialWeight: initialWeight, dynamicWeights: dynamicWeights) {
            case .success(let value): weight = value
            case .failure(let message): warning = message.text
            }
        }
        if let text = reply.maxconn {
            switch AgentVerdict.maxconn(text) {
            case .success(let value): maxconn = value
            case .failure(let message): warning = warning ?? message.text
            }
        }
        health = reply.health?.kind
        let error = reply.firstUnknown
        if let (kind, word) = reply.health {
            status = kind == .up ? .layer7OK : .layer7WrongStatus
            var message = reply.description
            if message.isEmpty || kind == .up {
                if let error { message = error } else if let warning { message = warning }
            }
            description = "via agent : \(word)" + (message.isEmpty ? "" : " (\(message))")
        } else if let error {
            status = .checked
            description = "agent reports an error : \(error)"
        } else if let warning {
            status = .checked
            description = "agent warns : \(warning)"
        } else {
            status = .checked
            description = ""
        }
        description = AgentVerdict.truncated(description)
    }

    /// A refusal, worded as haproxy's.
    public struct Refusal: Error, Sendable, Equatable {
        public var text: String
    }

    /// server.c `server_parse_weight_change_request`: `N%` is relative to the initial weight
    /// (capped at 256), a bare number absolute (0...256); static algorithms take 0 or the initial weight.
    public static func weight(_ text: String, initialWeight: Int, dynamicWeights: Bool) -> Result<Int, Refusal> {
        guard !text.isEmpty else { return .failure(Refusal(text: "Require <weight> or <weight%>.\n")) }
        guard let (value, rest) = strtol(text) else {
            return .failure(Refusal(text: "Empty weight string empty or preceded by garbage"))
        }
        var weight = value
        if rest == "%" {
            guard weight >= 0 else { return .failure(Refusal(text: "Relative weight must be positive.\n")) }
            weight = min(256, initialWeight * min(weight, 25_600) / 100)
        } else if weight < 0 || weight > 256 {
            return .failure(Refusal(text: "Absolute weight can only be between 0 and 256 inclusive.\n"))
        } else if !rest.isEmpty {
            return .failure(Refusal(text: "Trailing garbage in weight string"))
        }
        if weight != 0 && weight != initialWeight && !dynamicWeights {
            return .failure(Refusal(text: "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n"))
        }
        return .success(weight)
    }

    /// server.c `server_parse_maxconn_change_request`.
    public static func maxconn(_ text: String) -> Result<Int, Refusal> {
        guard !text.isEmpty else { return .failure(Refusal(text: "Require <maxconn>.\n")) }
        guard let (value, rest) = strtol(text) else {
            return .failure(Refusal(text: "maxconn string empty or preceded by garbage"))
        }
        guard rest.isEmpty else { return .failure(Refusal(text: "Trailing garbage in maxconn string")) }
        return .success(value)
    }

    /// C's `strtol(text, &end, 10)` on a word (no blanks): an optional sign and digits, saturating;
    /// nil when no digit was read.
    static func strtol(_ text: String) -> (Int, Substring)? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return nil }
        var value = 0
        for digit in digits.utf8 {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (plus, overflow2) = times.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            if overflow1 || overflow2 {
                value = Int.max
                break
            }
            value = plus
        }
        return (negative ? -value : value, rest.dropFirst(digits.count))
    }

    /// haproxy keeps a check description in HCHK_DESC_LEN (128) bytes, NUL included.
    static func truncated(_ text: String) -> String {
        let bytes = Array(text.utf8)
        return bytes.count <= 127 ? text : String(decoding: bytes[..<127], as: UTF8.self)
    }
}
