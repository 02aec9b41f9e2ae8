/// haproxy's ACL engine for layer 4 and TCP content, sans-IO: a condition, the connection's
/// facts and the request bytes that arrived go in; pass, fail or "cannot tell yet" comes out.
///
/// Three-valued as haproxy's `acl_exec_cond`: a fetch over request bytes that are not all there
/// yet (`SMP_F_MAY_CHANGE`) makes its ACL a `.miss`, and a rule with a missing answer waits for
/// more bytes until the inspect delay, when `.miss` counts as `.fail`.
public enum ACLResult: Sendable, Equatable {
    case pass
    case fail
    case miss

    /// haproxy's `ACL_TEST_*` AND: fail wins, then miss.
    func and(_ other: ACLResult) -> ACLResult {
        if self == .fail || other == .fail { return .fail }
        if self == .miss || other == .miss { return .miss }
        return .pass
    }

    /// haproxy's OR: pass wins, then miss.
    func or(_ other: ACLResult) -> ACLResult {
        if self == .pass || other == .pass { return .pass }
        if self == .miss || other == .miss { return .miss }
        return .fail
    }

    /// `!`: a miss stays a miss.
    var negated: ACLResult {
        switch self {
        case .pass: return .fail
        case .fail: return .pass
        case .miss: return .miss
        }
    }
}

/// What a fetch reads.
public enum ACLFetch: Sendable, Equatable {
    case src, srcPort, dst, dstPort
    case frontendName, backendName
    /// `nbsrv([<backend>])`: usable servers; nil = the stream's backend.
    case usableServers(String?)
    /// `connslots([<backend>])`: free connection and queue slots (-1 when unlimited).
    case connectionSlots(String?)
    /// `srv_is_up(<backend>/<server>)`.
    case serverIsUp(backend: String, server: String)
    /// `req.len`: request bytes that arrived.
    case requestLength
    /// `req.payload(<offset>,<length>)`; length 0 = to the end of what arrived.
    case payload(offset: Int, length: Int)
    /// `req.payload_lv(<offset1>,<length>[,<offset2>])`: a big-endian length field of `length`
    /// bytes at `offset1`, then that many bytes starting `offset2` bytes (default 0, may be
    /// negative) after the end of the length field, as haproxy's `smp_fetch_payload_lv`.
    case payloadLengthValue(lengthOffset: Int, lengthSize: Int, dataOffset: Int?)
    /// `req.ssl_sni`, `req_ssl_sni`: the server name of a TLS ClientHello.
    case sslSNI
    /// `req.ssl_hello_type`: 1 for a ClientHello, 2 for a ServerHello.
    case sslHelloType
    /// `req.ssl_ver`: the record's (SSLv3+) version as `major << 16 | minor`, e.g. 0x030301.
    case sslVersion
    /// `req.rdp_cookie([<name>])`: the value of the `Cookie: <name>=<value>` line of an RDP
    /// connection request (any name when nil).
    case rdpCookie(String?)
    /// `req.rdp_cookie_cnt([<name>])`: 1 when that cookie is there, else 0.
    case rdpCookieCount(String?)
    /// `TRUE`, `FALSE` (predefined ACLs and the `always_true`/`always_false` fetches).
    case constant(Bool)
    /// `LOCALHOST`: the client connected from 127.0.0.0/8 or ::1.
    case localhost
    /// `wait_end` (`WAIT_END`): true once nothing more will be waited for, a miss before.
    case waitEnd
    /// `res.len`, `res.payload`, `res.payload_lv`, `res.ssl_hello_type` (`rep_ssl_hello_type`):
    /// the request fetches of those names over the server's bytes, for `tcp-response` rules.
    case responseLength
    case responsePayload(offset: Int, length: Int)
    case responsePayloadLengthValue(lengthOffset: Int, lengthSize: Int, dataOffset: Int?)
    case responseHelloType
    /// `sc*_*` and `src_*`: a stick table entry's counter.
    case stickCounter(StickCounterFetch)
    /// `table_cnt([<table>])` (entries in use) or `table_avl([<table>])` (free entries); nil:
    /// the proxy's own table.
    case tableUsage(String?, available: Bool)

    /// Which bytes the fetch reads (haproxy's `SMP_USE_L6REQ`, `SMP_USE_L6RES`); nil: none, so it
    /// works in `tcp-request connection` rules.
    public var contentSide: ACLContentSide? {
        switch self {
        case .requestLength, .payload, .payloadLengthValue, .sslSNI, .sslHelloType, .sslVersion,
             .rdpCookie, .rdpCookieCount: return .request
        case .responseLength, .responsePayload, .responsePayloadLengthValue, .responseHelloType: return .response
        case .waitEnd: return .either
        default: return nil
        }
    }

    /// Whether the fetch needs the contents phase (not allowed in `tcp-request connection` rules).
    public var readsContent: Bool { contentSide != nil }
}

/// The direction whose buffered bytes a content fetch reads; `either` (`wait_end`) reads none
/// but only makes sense while some direction is inspected.
public enum ACLContentSide: Sendable, Equatable {
    case request, response, either
}

/// A sample a fetch produced.
public enum ACLSample: Equatable {
    case int(Int64)
    case bool(Bool)
    case ip([UInt8])
    /// Text or binary bytes.
    case bytes(ArraySlice<UInt8>)
}

/// A fetch's outcome: a sample, or none (`mayChange`: more request bytes could give one).
public enum ACLFetchResult: Equatable {
    case sample(ACLSample, mayChange: Bool)
    case none(mayChange: Bool)
}

/// An inclusive integer range (`5`, `5:10`, `:10`, `5:`, or an operator's bound).
public struct ACLIntRange: Sendable, Equatable {
    public var low: Int64
    public var high: Int64

    public init(_ low: Int64, _ high: Int64) {
        self.low = low
        self.high = high
    }

    func contains(_ value: Int64) -> Bool { value >= low && value <= high }
}

/// An IPv4 or IPv6 network: `-m ip` patterns and `resolve-net`.
public struct ACLNetwork: Sendable, Equatable {
    /// 4 or 16 bytes.
    public var address: [UInt8]
    public var prefixLength: Int

    public init(address: [UInt8], prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Whether an address of the same family is inside (haproxy's `in_net_ipv4/6`, which
    /// `resolve-net` uses): the other family never is.
    public func contains(_ candidate: [UInt8]) -> Bool {
        guard candidate.count == address.count else { return false }
        var bits = prefixLength
        for (a, b) in zip(address, candidate) where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xff : ~(0xff >> UInt8(bits))
            if a & mask != b & mask { return false }
            bits -= 8
        }
        return true
    }

    /// Whether an ACL sample matches, across families as haproxy's `pat_match_ip`: an IPv4
    /// client is seen as `::ffff:a.b.c.d` by IPv6 networks, and an IPv6 client whose address
    /// embeds an IPv4 one (`::ffff:a.b.c.d`, `::a.b.c.d`, 6to4 `2002:AABB:CCDD::`) is seen as
    /// that address by IPv4 networks.
    public func matches(_ sample: [UInt8]) -> Bool {
        switch (address.count, sample.count) {
        case (4, 16):
            if sample.prefix(8).allSatisfy({ $0 == 0 }),
               sample[8..<12].allSatisfy({ $0 == 0 }) || sample[8..<12].elementsEqual([0, 0, 0xff, 0xff]) {
                return contains(Array(sample[12..<16]))
            }
            return sample[0] == 0x20 && sample[1] == 0x02 && contains(Array(sample[2..<6]))
        case (16, 4):
            return contains([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] + sample)
        default:
            return contains(sample)
        }
    }
}

/// A compiled `-m reg` pattern; equal when written the same.
public struct ACLRegex: @unchecked Sendable, Equatable {
    public let source: String
    let regex: Regex<AnyRegexOutput>
    let ignoresCase: Bool

    init?(_ source: String, ignoresCase: Bool) {
        guard let regex = try? Regex(source) else { return nil }
        self.source = source
        self.regex = ignoresCase ? regex.ignoresCase() : regex
        self.ignoresCase = ignoresCase
    }

    public static func == (lhs: ACLRegex, rhs: ACLRegex) -> Bool {
        lhs.source == rhs.source && lhs.ignoresCase == rhs.ignoresCase
    }

    func matches(_ text: String) -> Bool { (try? regex.firstMatch(in: text)) != nil }
}

/// How an ACL compares its sample with its patterns (haproxy's `-m` methods).
public enum ACLMatch: Sendable, Equatable {
    /// No pattern: a boolean or a non-zero integer passes (`srv_is_up(b/s)`, `TRUE`).
    case boolean
    /// `-m found`: the fetch produced a sample.
    case found
    case int([ACLIntRange])
    /// `-m len`: the sample's length is in a range.
    case length([ACLIntRange])
    case ip([ACLNetwork])
    /// `-m str|beg|end|sub|dom`; patterns lowercased when `ignoreCase`.
    case string(StringMatch, [[UInt8]], ignoreCase: Bool)
    case regex([ACLRegex])
    /// `-m bin`: hex-written byte patterns, matched exactly.
    case binary([[UInt8]])

    public enum StringMatch: String, Sendable, Equatable {
        case str, beg, end, sub, dom
    }
}

/// One `acl` line (or an anonymous `{ ... }` ACL): a fetch and how to match it.
public struct ACLExpression: Sendable, Equatable {
    public var fetch: ACLFetch
    public var match: ACLMatch

    public init(fetch: ACLFetch, match: ACLMatch) {
        self.fetch = fetch
        self.match = match
    }
}

/// A named ACL (every `acl` line of that name, any of which may pass) or an anonymous one,
/// possibly negated with `!`.
public struct ACLTerm: Sendable, Equatable {
    public var negated: Bool
    public var name: String
    public var expressions: [ACLExpression]

    public init(negated: Bool, name: String, expressions: [ACLExpression]) {
        self.negated = negated
        self.name = name
        self.expressions = expressions
    }
}

/// `if|unless <term> [<term>...] [|| <term>...]`: an OR of ANDs of terms.
public struct ACLCondition: Sendable, Equatable {
    public var negated: Bool
    public var alternatives: [[ACLTerm]]

    public init(negated: Bool, alternatives: [[ACLTerm]]) {
        self.negated = negated
        self.alternatives = alternatives
    }

    /// Whether any term reads request bytes.
    public var readsContent: Bool {
        alternatives.contains { $0.contains { $0.expressions.contains { $0.fetch.readsContent } } }
    }

    /// The first term with a fetch of `side`'s bytes: in a rule of the other direction it could
    /// never match (haproxy warns "will never match"; ordrel refuses it).
    public func firstTerm(reading side: ACLContentSide) -> ACLTerm? {
        alternatives.lazy.flatMap { $0 }.first { $0.expressions.contains { $0.fetch.contentSide == side } }
    }
}

/// What the runtime knows about backends and servers, for `nbsrv`, `connslots`, `srv_is_up`.
public protocol ACLEnvironment {
    /// Usable servers of a backend (nil = the stream's backend); nil when unknown.
    func usableServers(backend: String?) -> Int?
    /// Free connection and queue slots of a backend (-1 when unlimited); nil when unknown.
    func connectionSlots(backend: String?) -> Int?
    /// Whether a server is up; nil when unknown.
    func serverIsUp(backend: String, server: String) -> Bool?
    /// `track-sc<n>`: the stream's counter `n` tracks the entry of `key`, unless it tracks one
    /// already (haproxy keeps the first).
    func track(_ tracking: StickTracking, key: ACLSample)
    /// A `sc*_*`/`src_*` fetch for a client at `source`; nil: no sample (an untracked counter,
    /// a data type the table does not store).
    func stickCounter(_ fetch: StickCounterFetch, source: [UInt8]) -> Int64?
    /// `table_cnt`/`table_avl`; nil when the table is unknown.
    func tableUsage(_ table: String?, available: Bool) -> Int64?
}

/// The facts about one connection an ACL sees. `payload` is what arrived so far in the direction
/// the rules inspect (the client's bytes for `tcp-request`, the server's for `tcp-response`, as
/// haproxy's fetches read the channel of the rule's direction); `final` says no more will be
/// waited for (inspect delay over, buffer full, or that side's EOF).
public struct ACLInput {
    /// 4 or 16 bytes; empty for a Unix socket.
    public var sourceAddress: [UInt8]
    public var sourcePort: Int
    public var destinationAddress: [UInt8]
    public var destinationPort: Int
    public var frontendName: String
    public var backendName: String
    public var payload: UnsafeRawBufferPointer
    public var final: Bool

    public init(sourceAddress: [UInt8], sourcePort: Int, destinationAddress: [UInt8], destinationPort: Int,
                frontendName: String, backendName: String, payload: UnsafeRawBufferPointer, final: Bool) {
        self.sourceAddress = sourceAddress
        self.sourcePort = sourcePort
        self.destinationAddress = destinationAddress
        self.destinationPort = destinationPort
        self.frontendName = frontendName
        self.backendName = backendName
        self.payload = payload
        self.final = final
    }
}

extension ACLCondition {
    /// The condition's result (with `unless` applied). A `.miss` is only returned when not
    /// `final`: at the end it counts as a failure, as haproxy's `acl_pass`.
    public func evaluate(_ input: ACLInput, _ environment: some ACLEnvironment) -> ACLResult {
        var result = ACLResult.fail
        for terms in alternatives {
            var all = ACLResult.pass
            for term in terms {
                var termResult = ACLResult.fail
                for expression in term.expressions {
                    termResult = termResult.or(expression.evaluate(input, environment))
                    if termResult == .pass { break }
                }
                all = all.and(term.negated ? termResult.negated : termResult)
                if all == .fail { break }
            }
            result = result.or(all)
            if result == .pass { break }
        }
        if result == .miss && input.final { result = .fail }
        return negated ? result.negated : result
    }
}

extension ACLExpression {
    /// One ACL: pass when the sample matches a pattern; miss when it does not (or is absent) but
    /// more request bytes could change that.
    func evaluate(_ input: ACLInput, _ environment: some ACLEnvironment) -> ACLResult {
        switch fetch.sample(input, environment) {
        case .none(let mayChange):
            return mayChange && !input.final ? .miss : .fail
        case .sample(let sample, let mayChange):
            if match.matches(sample) { return .pass }
            return mayChange && !input.final ? .miss : .fail
        }
    }
}

extension ACLFetch {
    public func sample(_ input: ACLInput, _ environment: some ACLEnvironment) -> ACLFetchResult {
        let payload = input.payload
        switch self {
        case .src:
            return input.sourceAddress.isEmpty ? .none(mayChange: false) : .sample(.ip(input.sourceAddress), mayChange: false)
        case .dst:
            return input.destinationAddress.isEmpty ? .none(mayChange: false) : .sample(.ip(input.destinationAddress), mayChange: false)
        case .srcPort:
            return .sample(.int(Int64(input.sourcePort)), mayChange: false)
        case .dstPort:
            return .sample(.int(Int64(input.destinationPort)), mayChange: false)
        case .frontendName:
            return .sample(.bytes(ArraySlice(input.frontendName.utf8)), mayChange: false)
        case .backendName:
            return .sample(.bytes(ArraySlice(input.backendName.utf8)), mayChange: false)
        case .usableServers(let backend):
            guard let n = environment.usableServers(backend: backend) else { return .none(mayChange: false) }
            return .sample(.int(Int64(n)), mayChange: false)
        case .connectionSlots(let backend):
            guard let n = environment.connectionSlots(backend: backend) else { return .none(mayChange: false) }
            return .sample(.int(Int64(n)), mayChange: false)
        case .serverIsUp(let backend, let server):
            guard let up = environment.serverIsUp(backend: backend, server: server) else { return .none(mayChange: false) }
            return .sample(.bool(up), mayChange: false)
        case .requestLength, .responseLength:
            return .sample(.int(Int64(payload.count)), mayChange: !input.final)
        case .payload(let offset, let length), .responsePayload(let offset, let length):
            if length == 0 {
                guard offset <= payload.count else { return .none(mayChange: true) }
                return .sample(.bytes(ArraySlice(payload[offset...])), mayChange: true)
            }
            guard offset + length <= payload.count else { return .none(mayChange: true) }
            return .sample(.bytes(ArraySlice(payload[offset..<(offset + length)])), mayChange: false)
        case .payloadLengthValue(let lengthOffset, let lengthSize, let dataOffset),
             .responsePayloadLengthValue(let lengthOffset, let lengthSize, let dataOffset):
            guard lengthOffset + lengthSize <= payload.count else { return .none(mayChange: true) }
            var length = 0
            for byte in payload[lengthOffset..<(lengthOffset + lengthSize)] {
                guard length <= Int(Int32.max) >> 8 else { return .none(mayChange: false) }
                length = length << 8 | Int(byte)
            }
            let start = lengthOffset + lengthSize + (dataOffset ?? 0)
            guard start >= 0 else { return .none(mayChange: false) }
            guard start + length <= payload.count else { return .none(mayChange: true) }
            return .sample(.bytes(ArraySlice(payload[start..<(start + length)])), mayChange: false)
        case .sslSNI:
            switch ClientHello.parse(payload) {
            case .incomplete: return .none(mayChange: true)
            case .notHandshake: return .none(mayChange: false)
            case .hello(let hello):
                guard let name = hello.serverName else { return .none(mayChange: false) }
                return .sample(.bytes(name[...]), mayChange: false)
            }
        case .sslHelloType, .responseHelloType:
            switch ClientHello.handshakeType(payload) {
            case .incomplete: return .none(mayChange: true)
            case .notHandshake: return .none(mayChange: false)
            case .hello(let type): return .sample(.int(Int64(type)), mayChange: false)
            }
        case .sslVersion:
            switch ClientHello.recordVersion(payload) {
            case .incomplete: return .none(mayChange: true)
            case .notHandshake: return .none(mayChange: false)
            case .hello(let version): return .sample(.int(Int64(version)), mayChange: false)
            }
        case .rdpCookie(let name):
            switch RDPCookie.value(payload, name: name) {
            case .incomplete: return .none(mayChange: true)
            case .notHandshake: return .none(mayChange: false)
            case .hello(let range): return .sample(.bytes(ArraySlice(payload[range])), mayChange: false)
            }
        case .rdpCookieCount(let name):
            switch RDPCookie.value(payload, name: name) {
            case .incomplete: return .none(mayChange: true)
            case .notHandshake: return .sample(.int(0), mayChange: false)
            case .hello: return .sample(.int(1), mayChange: false)
            }
        case .constant(let value):
            return .sample(.bool(value), mayChange: false)
        case .waitEnd:
            return input.final ? .sample(.bool(true), mayChange: false) : .none(mayChange: true)
        case .stickCounter(let fetch):
            guard let value = environment.stickCounter(fetch, source: input.sourceAddress) else { return .none(mayChange: false) }
            return .sample(fetch.operation == .tracked ? .bool(value != 0) : .int(value), mayChange: false)
        case .tableUsage(let table, let available):
            guard let value = environment.tableUsage(table, available: available) else { return .none(mayChange: false) }
            return .sample(.int(value), mayChange: false)
        case .localhost:
            let a = input.sourceAddress
            let loopback = (a.count == 4 && a[0] == 127) || a == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
                || (a.count == 16 && a[0..<12].elementsEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]) && a[12] == 127)
            return .sample(.bool(loopback), mayChange: false)
        }
    }
}

extension ACLMatch {
    func matches(_ sample: ACLSample) -> Bool {
        switch self {
        case .found:
            return true
        case .boolean:
            switch sample {
            case .bool(let b): return b
            case .int(let n): return n != 0
            case .ip, .bytes: return true
            }
        case .int(let ranges):
            guard let value = sample.integer else { return false }
            return ranges.contains { $0.contains(value) }
        case .length(let ranges):
            guard case .bytes(let bytes) = sample else { return false }
            return ranges.contains { $0.contains(Int64(bytes.count)) }
        case .ip(let networks):
            guard case .ip(let address) = sample else { return false }
            return networks.contains { $0.matches(address) }
        case .string(let kind, let patterns, let ignoreCase):
            guard let bytes = sample.text else { return false }
            return patterns.contains { Self.matches(kind, bytes, $0, ignoreCase: ignoreCase) }
        case .regex(let patterns):
            guard let bytes = sample.text else { return false }
            let text = String(decoding: bytes, as: UTF8.self)
            return patterns.contains { $0.matches(text) }
        case .binary(let patterns):
            guard case .bytes(let bytes) = sample else { return false }
            return patterns.contains { $0.elementsEqual(bytes) }
        }
    }

    private static func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }

    private static func equal(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>, _ ignoreCase: Bool) -> Bool {
        ignoreCase ? a.elementsEqual(b) { lower($0) == lower($1) } : a.elementsEqual(b)
    }

    static func matches(_ kind: StringMatch, _ value: ArraySlice<UInt8>, _ pattern: [UInt8], ignoreCase: Bool) -> Bool {
        let p = pattern[...]
        switch kind {
        case .str:
            return equal(value, p, ignoreCase)
        case .beg:
            return value.count >= p.count && equal(value.prefix(p.count), p, ignoreCase)
        case .end:
            return value.count >= p.count && equal(value.suffix(p.count), p, ignoreCase)
        case .sub:
            return firstOccurrence(of: p, in: value, ignoreCase, delimited: false)
        case .dom:
            return firstOccurrence(of: p, in: value, ignoreCase, delimited: true)
        }
    }

    /// Whether `pattern` occurs in `value`; `delimited`: only between `/ ? . :` or the ends
    /// (haproxy's `match_word`).
    private static func firstOccurrence(of pattern: ArraySlice<UInt8>, in value: ArraySlice<UInt8>,
                                        _ ignoreCase: Bool, delimited: Bool) -> Bool {
        // haproxy ignores delimiters around the pattern itself.
        var pattern = pattern
        if delimited {
            while let first = pattern.first, isDelimiter(first) { pattern = pattern.dropFirst() }
            while let last = pattern.last, isDelimiter(last) { pattern = pattern.dropLast() }
        }
        guard pattern.count <= value.count else { return false }
        var start = value.startIndex
        while start + pattern.count <= value.endIndex {
            if equal(value[start..<(start + pattern.count)], pattern, ignoreCase) {
                let end = start + pattern.count
                if !delimited { return true }
                let before = start == value.startIndex || isDelimiter(value[start - 1])
                let after = end == value.endIndex || isDelimiter(value[end])
                if before && after { return true }
            }
            start += 1
        }
        return false
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool { byte == 0x2f || byte == 0x3f || byte == 0x2e || byte == 0x3a }
}

extension ACLSample {
    var integer: Int64? {
        switch self {
        case .int(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .ip, .bytes: return nil
        }
    }

    var text: ArraySlice<UInt8>? {
        if case .bytes(let bytes) = self { return bytes }
        return nil
    }
}
