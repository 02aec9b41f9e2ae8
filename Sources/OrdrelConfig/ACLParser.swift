import OrdrelSystem

/// Parses `acl` lines and `if|unless` conditions as haproxy 2.6 (acl.c, pattern.c). Sans-IO but
/// for `-f <file>`, whose patterns are read through `readFile`.
public struct ACLParser {
    /// A parse error, worded for `parsing [file:line] : <message>`.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// The proxy's `acl` lines so far, by name (lines of one name: any of them may pass).
    public var named: [String: [ACLExpression]] = [:]
    /// Reads a pattern file's bytes (nil when unreadable).
    var readFile: (String) -> [UInt8]?

    public init(readFile: @escaping (String) -> [UInt8]? = ACLParser.readPatternFile) {
        self.readFile = readFile
    }

    /// A pattern file through OrdrelSystem, at most 16 MiB.
    public static func readPatternFile(_ path: String) -> [UInt8]? {
        (try? Files.contents(of: path, maxBytes: 16 << 20)) ?? nil
    }

    /// The predefined ACLs of haproxy 2.6 that apply to TCP (`acl.c` `default_acl_list`).
    static let predefined: [String: ACLExpression] = [
        "TRUE": ACLExpression(fetch: .constant(true), match: .boolean),
        "FALSE": ACLExpression(fetch: .constant(false), match: .boolean),
        "LOCALHOST": ACLExpression(fetch: .localhost, match: .boolean),
        "REQ_CONTENT": ACLExpression(fetch: .requestLength, match: .int([ACLIntRange(1, Int64.max)])),
        "WAIT_END": ACLExpression(fetch: .waitEnd, match: .boolean),
        "RDP_COOKIE": ACLExpression(fetch: .rdpCookieCount(nil), match: .int([ACLIntRange(1, Int64.max)])),
    ]

    /// `acl <name> <criterion> [flags] [operator] <value>...` (the words after `acl`).
    public mutating func parseACLLine(_ words: ArraySlice<String>) throws(Failure) {
        guard let name = words.first else { throw Failure("'acl' expects an ACL name.") }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.:".contains($0) }) else {
            throw Failure("'acl' : invalid character in ACL name '\(name)'.")
        }
        guard Self.predefined[name] == nil else {
            throw Failure("'acl' : ACL name '\(name)' is reserved for a predefined ACL.")
        }
        guard words.count > 1 else { throw Failure("'acl \(name)' : missing ACL criterion.") }
        let expression = try parseExpression(words.dropFirst())
        named[name, default: []].append(expression)
    }

    /// `if|unless <cond>` (the words from `if`/`unless` on).
    public func parseCondition(_ words: ArraySlice<String>) throws(Failure) -> ACLCondition {
        guard let keyword = words.first, keyword == "if" || keyword == "unless" else {
            throw Failure("expects 'if' or 'unless' followed by a condition.")
        }
        var alternatives: [[ACLTerm]] = [[]]
        var negated = false
        var rest = words.dropFirst()
        while var word = rest.first {
            rest = rest.dropFirst()
            // As haproxy: leading `!`s negate, attached or alone.
            while word.first == "!" {
                negated.toggle()
                word.removeFirst()
            }
            switch word {
            case "":
                continue
            case "||", "or":
                guard !negated, !(alternatives.last?.isEmpty ?? true) else {
                    throw Failure("missing ACL before '\(word)' in condition.")
                }
                alternatives.append([])
                continue
            case "{":
                guard let close = rest.firstIndex(of: "}") else {
                    throw Failure("missing closing '}' in condition.")
                }
                let inner = rest[rest.startIndex..<close]
                guard !inner.isEmpty else { throw Failure("'{ }' : empty anonymous ACL in condition.") }
                let expression = try parseExpression(inner)
                let text = inner.joined(separator: " ")
                alternatives[alternatives.count - 1].append(ACLTerm(negated: negated, name: "{ \(text) }", expressions: [expression]))
                rest = rest[(close + 1)...]
            case "}":
                throw Failure("unexpected '}' in condition.")
            default:
                let expressions: [ACLExpression]
                if let declared = named[word] {
                    expressions = declared
                } else if let builtin = Self.predefined[word] {
                    expressions = [builtin]
                } else {
                    throw Failure("no such ACL : '\(word)'.")
                }
                alternatives[alternatives.count - 1].append(ACLTerm(negated: negated, name: word, expressions: expressions))
            }
            negated = false
        }
        guard !negated, let last = alternatives.last, !last.isEmpty else {
            throw Failure("'\(keyword)' : missing or incomplete condition.")
        }
        return ACLCondition(negated: keyword == "unless", alternatives: alternatives)
    }

    // MARK: one ACL

    /// What a fetch yields, which decides its default match (haproxy's sample types).
    private enum SampleType {
        case ip, int, string, binary, boolean
    }

    /// `<criterion> [flags] [operator] <value>...`.
    func parseExpression(_ words: ArraySlice<String>) throws(Failure) -> ACLExpression {
        guard let criterion = words.first else { throw Failure("missing ACL criterion.") }
        let (fetch, type) = try Self.parseFetch(criterion)
        var rest = words.dropFirst()
        var ignoreCase = false
        var method: String?
        var values: [String] = []
        // Flags, until a word that is not one (or `--`).
        while let word = rest.first, word.hasPrefix("-"), word.count > 1 {
            rest = rest.dropFirst()
            switch word {
            case "-i": ignoreCase = true
            case "-n": break // no DNS resolution: ordrel never resolves patterns anyway
            case "--": break
            case "-m":
                guard let name = rest.first else { throw Failure("'-m' expects a match method.") }
                method = name
                rest = rest.dropFirst()
            case "-f":
                guard let path = rest.first else { throw Failure("'-f' expects a file name.") }
                rest = rest.dropFirst()
                guard let bytes = readFile(path) else { throw Failure("failed to open pattern file <\(path)>.") }
                values += Self.patternLines(bytes)
            case "-M", "-u":
                throw Failure("ACL flag '\(word)' is not supported by ordrel.")
            default:
                throw Failure("'\(criterion)' : unknown ACL flag '\(word)'.")
            }
            if word == "--" { break }
        }
        values += rest
        // haproxy derives a default match from the fetch's output type, and binary has none:
        // only the legacy ACL keywords `payload` and `payload_lv` default to `-m bin`.
        let name = criterion.prefix { $0 != "(" }
        if method == nil, ["req.payload", "req.payload_lv", "res.payload", "res.payload_lv"].contains(name) {
            throw Failure("matching method must be specified first (using '-m') when using a sample fetch of this type ('\(name)').")
        }
        let match = try Self.parseMatch(method: method, type: type, fetch: fetch, values: values, ignoreCase: ignoreCase)
        return ACLExpression(fetch: fetch, match: match)
    }

    /// A pattern file's lines: surrounding blanks removed, empty lines and `#` comments skipped.
    static func patternLines(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: 0x0a, omittingEmptySubsequences: true).compactMap { line in
            var line = line[...]
            while let first = line.first, first == 0x20 || first == 0x09 { line = line.dropFirst() }
            while let last = line.last, last == 0x20 || last == 0x09 || last == 0x0d { line = line.dropLast() }
            guard let first = line.first, first != 0x23 else { return nil }
            return String(decoding: line, as: UTF8.self)
        }
    }

    /// A sample expression that is a single fetch (track-sc and stick keys); converters
    /// (`src,ipmask(24)`) are refused.
    public static func parseSampleFetch(_ expression: String) throws(Failure) -> ACLFetch {
        var depth = 0
        for character in expression {
            if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
            if character == "," && depth == 0 {
                throw Failure("'\(expression)' : sample converters are not supported by ordrel.")
            }
        }
        return try parseFetch(expression).0
    }

    /// The fetch of a criterion such as `src`, `nbsrv(be)` or `req.payload(0,5)`.
    private static func parseFetch(_ criterion: String) throws(Failure) -> (ACLFetch, SampleType) {
        var name = criterion
        var arguments: [String] = []
        var hasArguments = false
        if let open = criterion.firstIndex(of: "(") {
            guard criterion.hasSuffix(")") else { throw Failure("missing closing ')' after arguments to fetch method '\(criterion)'.") }
            name = String(criterion[..<open])
            let inner = criterion[criterion.index(after: open)..<criterion.index(before: criterion.endIndex)]
            arguments = inner.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            hasArguments = !inner.isEmpty
        }
        func noArguments() throws(Failure) {
            guard !hasArguments else { throw Failure("fetch method '\(name)' : no argument supported, but got '\(arguments.joined(separator: ","))'.") }
        }
        // Offsets and lengths stay within a buffer's reach (and far from overflowing when added).
        func integer(_ index: Int, _ what: String) throws(Failure) -> Int {
            guard index < arguments.count, let n = Int(arguments[index]), (0...Int(Int32.max)).contains(n) else {
                throw Failure("fetch method '\(name)' : expects \(what) as argument \(index + 1).")
            }
            return n
        }
        // `<offset1>,<length>[,<offset2>]` of `req.payload_lv` and `res.payload_lv`.
        func lengthValueArguments() throws(Failure) -> (Int, Int, Int?) {
            guard arguments.count == 2 || arguments.count == 3 else {
                throw Failure("fetch method '\(name)' expects <offset1>,<length>[,<offset2>].")
            }
            let size = try integer(1, "a length")
            guard (1...4).contains(size) else { throw Failure("fetch method '\(name)' : the length field must be 1 to 4 bytes.") }
            var dataOffset: Int?
            if arguments.count == 3 {
                guard let n = Int(arguments[2]), (Int(Int32.min)...Int(Int32.max)).contains(n) else {
                    throw Failure("fetch method '\(name)' : expects an integer offset as argument 3.")
                }
                dataOffset = n
            }
            return (try integer(0, "an offset"), size, dataOffset)
        }
        switch name {
        case "src": try noArguments(); return (.src, .ip)
        case "dst": try noArguments(); return (.dst, .ip)
        case "src_port": try noArguments(); return (.srcPort, .int)
        case "dst_port": try noArguments(); return (.dstPort, .int)
        case "fe_name": try noArguments(); return (.frontendName, .string)
        case "be_name": try noArguments(); return (.backendName, .string)
        case "nbsrv": return (.usableServers(hasArguments ? arguments.joined(separator: ",") : nil), .int)
        case "connslots": return (.connectionSlots(hasArguments ? arguments.joined(separator: ",") : nil), .int)
        case "srv_is_up":
            let parts = arguments.joined(separator: ",").split(separator: "/", omittingEmptySubsequences: false)
            guard hasArguments, parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw Failure("fetch method 'srv_is_up' : expects <backend>/<server> as argument.")
            }
            return (.serverIsUp(backend: String(parts[0]), server: String(parts[1])), .boolean)
        case "req.len", "req_len": try noArguments(); return (.requestLength, .int)
        case "req.payload", "payload":
            guard arguments.count == 2 else { throw Failure("fetch method '\(name)' expects <offset>,<length>.") }
            return (.payload(offset: try integer(0, "an offset"), length: try integer(1, "a length")), .binary)
        case "req.payload_lv", "payload_lv":
            let (lengthOffset, size, dataOffset) = try lengthValueArguments()
            return (.payloadLengthValue(lengthOffset: lengthOffset, lengthSize: size, dataOffset: dataOffset), .binary)
        case "req.ssl_sni", "req_ssl_sni": try noArguments(); return (.sslSNI, .string)
        case "req.ssl_hello_type", "req_ssl_hello_type": try noArguments(); return (.sslHelloType, .int)
        case "req.ssl_ver", "req_ssl_ver": try noArguments(); return (.sslVersion, .int)
        case "req.rdp_cookie", "rdp_cookie":
            return (.rdpCookie(hasArguments ? arguments.joined(separator: ",") : nil), .string)
        case "req.rdp_cookie_cnt", "rdp_cookie_cnt":
            return (.rdpCookieCount(hasArguments ? arguments.joined(separator: ",") : nil), .int)
        case "res.len": try noArguments(); return (.responseLength, .int)
        case "res.payload":
            guard arguments.count == 2 else { throw Failure("fetch method '\(name)' expects <offset>,<length>.") }
            return (.responsePayload(offset: try integer(0, "an offset"), length: try integer(1, "a length")), .binary)
        case "res.payload_lv":
            let (lengthOffset, size, dataOffset) = try lengthValueArguments()
            return (.responsePayloadLengthValue(lengthOffset: lengthOffset, lengthSize: size, dataOffset: dataOffset), .binary)
        case "res.ssl_hello_type", "rep_ssl_hello_type": try noArguments(); return (.responseHelloType, .int)
        case "always_true": try noArguments(); return (.constant(true), .boolean)
        case "always_false": try noArguments(); return (.constant(false), .boolean)
        case "wait_end": try noArguments(); return (.waitEnd, .boolean)
        case "table_cnt", "table_avl":
            guard arguments.count <= 1 else { throw Failure("fetch method '\(name)' expects at most a table name.") }
            return (.tableUsage(hasArguments ? arguments[0] : nil, available: name == "table_avl"), .int)
        default:
            if let fetch = try StickFetchParser.parse(name: name, arguments: hasArguments ? arguments : []) {
                return (.stickCounter(fetch), fetch.operation == .tracked ? .boolean : .int)
            }
            throw Failure("unknown fetch method '\(name)' in ACL expression '\(criterion)'.")
        }
    }

    private static let operators: [String: @Sendable (Int64) -> ACLIntRange] = [
        // `gt` the largest (`lt` the smallest) integer is an empty range, never a wrapped one.
        "eq": { ACLIntRange($0, $0) }, "ge": { ACLIntRange($0, Int64.max) },
        "gt": { $0 == Int64.max ? ACLIntRange(1, 0) : ACLIntRange($0 + 1, Int64.max) },
        "le": { ACLIntRange(Int64.min, $0) },
        "lt": { $0 == Int64.min ? ACLIntRange(1, 0) : ACLIntRange(Int64.min, $0 - 1) },
    ]

    private static func parseMatch(method: String?, type: SampleType, fetch: ACLFetch, values: [String],
                                   ignoreCase: Bool) throws(Failure) -> ACLMatch {
        let method = method ?? {
            switch type {
            case .ip: return "ip"
            case .int: return "int"
            case .string: return "str"
            case .binary: return "bin"
            case .boolean: return "bool"
            }
        }()
        switch method {
        case "found":
            guard values.isEmpty else { throw Failure("'-m found' doesn't accept patterns (got '\(values[0])').") }
            return .found
        case "bool":
            guard values.isEmpty else { throw Failure("boolean ACL '\(fetch)' doesn't accept patterns (got '\(values[0])').") }
            return .boolean
        case "int":
            guard type == .int || type == .boolean else { throw Failure("'-m int' cannot match this fetch's samples.") }
            return .int(try integerRanges(values, dotted: fetch == .sslVersion))
        case "len":
            guard type == .string || type == .binary else { throw Failure("'-m len' needs a string or binary fetch.") }
            return .length(try integerRanges(values, dotted: false))
        case "ip":
            guard type == .ip else { throw Failure("'-m ip' needs an address fetch.") }
            var networks: [ACLNetwork] = []
            for value in values {
                guard let network = network(value) else { throw Failure("'\(value)' is not a valid IPv4 or IPv6 address.") }
                networks.append(network)
            }
            return .ip(networks)
        case "str", "beg", "end", "sub", "dom":
            guard type == .string || type == .binary else { throw Failure("'-m \(method)' needs a string fetch.") }
            let patterns = values.map { ignoreCase ? Array($0.lowercased().utf8) : Array($0.utf8) }
            return .string(ACLMatch.StringMatch(rawValue: method)!, patterns, ignoreCase: ignoreCase)
        case "reg":
            guard type == .string || type == .binary else { throw Failure("'-m reg' needs a string fetch.") }
            var patterns: [ACLRegex] = []
            for value in values {
                guard let regex = ACLRegex(value, ignoresCase: ignoreCase) else { throw Failure("invalid regex '\(value)'.") }
                patterns.append(regex)
            }
            return .regex(patterns)
        case "bin":
            guard type == .string || type == .binary else { throw Failure("'-m bin' needs a string or binary fetch.") }
            var patterns: [[UInt8]] = []
            for value in values {
                guard let bytes = hex(value) else { throw Failure("'\(value)' is not a valid hexadecimal binary string.") }
                patterns.append(bytes)
            }
            return .binary(patterns)
        default:
            throw Failure("unknown matching method '\(method)' (ordrel knows found, bool, int, len, ip, str, beg, end, sub, dom, reg, bin).")
        }
    }

    /// Integer patterns: `N`, `N:M`, `:M`, `N:`, or an operator (`eq ge gt le lt`) before values.
    private static func integerRanges(_ values: [String], dotted: Bool) throws(Failure) -> [ACLIntRange] {
        var ranges: [ACLIntRange] = []
        var op: ((Int64) -> ACLIntRange)?
        for value in values {
            if let found = operators[value] {
                op = found
                continue
            }
            func number(_ text: Substring) throws(Failure) -> Int64 {
                if dotted, let dot = text.firstIndex(of: ".") {
                    guard let major = Int64(text[..<dot]), let minor = Int64(text[text.index(after: dot)...]),
                          (0...255).contains(major), (0...255).contains(minor) else {
                        throw Failure("'\(value)' is not a valid version.")
                    }
                    return major << 16 | minor
                }
                guard let n = Int64(text) else { throw Failure("'\(value)' is not a number.") }
                return n
            }
            if let op {
                ranges.append(op(try number(value[...])))
            } else if let colon = value.firstIndex(of: ":") {
                let low = value[..<colon], high = value[value.index(after: colon)...]
                ranges.append(ACLIntRange(low.isEmpty ? Int64.min : try number(low), high.isEmpty ? Int64.max : try number(high)))
            } else {
                let n = try number(value[...])
                ranges.append(ACLIntRange(n, n))
            }
        }
        return ranges
    }

    /// `a.b.c.d[/n|/m.m.m.m]` or `<ipv6>[/n]`.
    static func network(_ text: String) -> ACLNetwork? {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = SocketAddress(ip: String(parts[0]), port: 0)?.addressBytes else { return nil }
        let bits = address.count * 8
        guard parts.count == 2 else { return ACLNetwork(address: address, prefixLength: bits) }
        if let n = Int(parts[1]), (0...bits).contains(n) { return ACLNetwork(address: address, prefixLength: n) }
        if address.count == 4, let mask = IPv4Network.parseAddress(parts[1]), (~mask) & ((~mask) &+ 1) == 0 {
            return ACLNetwork(address: address, prefixLength: mask.nonzeroBitCount)
        }
        return nil
    }

    /// Hex digits, two per byte.
    private static func hex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: return digit - 0x30
        case 0x41...0x46: return digit - 0x41 + 10
        case 0x61...0x66: return digit - 0x61 + 10
        default: return nil
        }
    }
}
