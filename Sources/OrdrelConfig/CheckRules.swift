/// Health-check rule sets as haproxy 2.6 builds them (tcpcheck.c): every check, from a plain
/// connect to `option httpchk` or `option pgsql-check`, is a list of connect / send / expect rules
/// that the check engine runs in order.

/// A check status a rule may name (`ok-status`, `error-status`, `tout-status`): haproxy's
/// HCHK_STATUS_* codes, spelled as `show stat` prints them.
public enum CheckStatusName: String, Sendable, Equatable, CaseIterable {
    case L4OK, L4TOUT, L4CON, L6OK, L6TOUT, L6RSP, L7OK, L7OKC, L7RSP, L7STS, L7TOUT
}

/// Which protocol a rule set speaks (haproxy's TCPCHK_RULES_*_CHK): it decides how messages are
/// worded and whether responses are parsed as HTTP.
public enum CheckProtocol: String, Sendable, Equatable {
    /// `option tcp-check` rules written by the operator.
    case tcp = "tcp-check"
    case http = "httpchk"
    case pgsql = "pgsql-check"
    case redis = "redis-check"
    case smtp = "smtpchk"
    case mysql = "mysql-check"
    case ldap = "ldap-check"
    case ssl3 = "ssl-hello-chk"
}

/// What a proxy's servers run when they have `check`.
public struct CheckRuleSet: Sendable, Equatable {
    public var proto: CheckProtocol
    /// Rules in order, comments already folded into the rules after them; the first one is a
    /// connect (implicit when the configuration starts with a send or expect).
    public var rules: [CheckRule]

    public init(proto: CheckProtocol, rules: [CheckRule]) {
        self.proto = proto
        self.rules = rules
    }
}

/// One rule. `index` is haproxy's: position among the lines that built the set (comments
/// included), so that "at step N" names the same line; the implicit connect is step 0.
public struct CheckRule: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case connect(CheckConnect)
        case send(CheckSend)
        case expect(CheckExpect)
    }

    public var action: Action
    public var index: Int
    /// `comment` text of this rule, or of the `comment` line before it.
    public var comment: String?

    public init(_ action: Action, index: Int, comment: String? = nil) {
        self.action = action
        self.index = index
        self.comment = comment
    }

    /// haproxy's step number in messages: the implicit first connect is 0, others index + 1.
    public var step: Int {
        if case .connect(let connect) = action, connect.implicit { return 0 }
        return index + 1
    }
}

/// `tcp-check connect [default] [port N] [addr A] [send-proxy] [linger] [comment C]`.
public struct CheckConnect: Sendable, Equatable {
    /// Overrides the server's check port.
    public var port: UInt16?
    /// Overrides the server's check address (an IP literal).
    public var addr: String?
    /// Sends the connection's PROXY protocol v1 line first, as haproxy's checks do.
    public var sendProxy = false
    /// Closes gracefully (FIN) instead of with a reset.
    public var linger = false
    /// Inserted because the rules did not start with a connect (TCPCHK_OPT_IMPLICIT).
    public var implicit = false

    public init(port: UInt16? = nil, addr: String? = nil, sendProxy: Bool = false, linger: Bool = false,
                implicit: Bool = false) {
        self.port = port
        self.addr = addr
        self.sendProxy = sendProxy
        self.linger = linger
        self.implicit = implicit
    }
}

/// What a send rule writes.
public enum CheckSend: Sendable, Equatable {
    /// Fixed bytes (`send`, `send-binary`, and the `-lf` forms without variables).
    case bytes([UInt8])
    /// `option ssl-hello-chk`'s SSLv3 CLIENT HELLO, whose random field starts with the time.
    case sslv3ClientHello
    /// An HTTP/1 request (`option httpchk`, `http-check send`).
    case http(HTTPCheckRequest)
}

/// The request of an HTTP check, serialized as haproxy's H1 mux writes it.
public struct HTTPCheckRequest: Sendable, Equatable {
    public var method = "OPTIONS"
    public var uri = "/"
    public var version = "HTTP/1.0"
    /// Headers in order, names as written (sent lower-cased).
    public var headers: [(name: String, value: String)] = []
    public var body = ""

    public init() {}

    public static func == (lhs: HTTPCheckRequest, rhs: HTTPCheckRequest) -> Bool {
        lhs.method == rhs.method && lhs.uri == rhs.uri && lhs.version == rhs.version && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// The bytes on the wire (captured from haproxy 2.6.12): request line; headers lower-cased;
    /// `content-length` only with a body; `connection: close` for HTTP/1.1 and later unless a
    /// `connection` header was given.
    public var wireBytes: [UInt8] {
        var text = "\(method) \(uri) \(version)\r\n"
        var hasConnection = false
        for (name, value) in headers {
            text += "\(name.lowercased()): \(value)\r\n"
            if name.lowercased() == "connection" { hasConnection = true }
        }
        if !body.isEmpty { text += "content-length: \(body.utf8.count)\r\n" }
        if !hasConnection && isHTTP11OrLater { text += "connection: close\r\n" }
        text += "\r\n" + body
        return Array(text.utf8)
    }

    /// haproxy's HTX_SL_F_VER_11 test on the version string.
    private var isHTTP11OrLater: Bool {
        let bytes = Array(version.utf8)
        if bytes.count == 6 { return bytes[5] == UInt8(ascii: "2") }
        guard bytes.count == 8 else { return false }
        return bytes[5] > UInt8(ascii: "1") || (bytes[5] == UInt8(ascii: "1") && bytes[7] >= UInt8(ascii: "1"))
    }
}

/// `expect [!] <match> <pattern>` and its options.
public struct CheckExpect: Sendable, Equatable {
    public var pattern: CheckPattern
    /// `!`: the rule passes when the pattern does not match.
    public var inverse = false
    /// `min-recv`: bytes to wait for before matching; -1 = wait until a match or the end.
    public var minRecv = -1
    public var okStatus: CheckStatusName?
    public var errorStatus: CheckStatusName?
    public var timeoutStatus: CheckStatusName?
    public var onSuccess: CheckMessage?
    public var onError: CheckMessage?
    /// `status-code`: where the check code comes from.
    public var statusCode: CheckCodeSource?

    public init(_ pattern: CheckPattern) { self.pattern = pattern }
}

/// What an expect rule matches: the bytes of the answer (`tcp-check`, protocol checks) or the
/// parsed HTTP response (`http-check`); a rule set holds one kind, as haproxy's do.
public enum CheckPattern: Sendable, Equatable {
    case stream(StreamPattern)
    case http(HTTPPattern)

    public static func string(_ bytes: [UInt8]) -> CheckPattern { .stream(.string(bytes)) }
    public static func binary(_ bytes: [UInt8]) -> CheckPattern { .stream(.binary(bytes)) }
    public static func regex(_ pattern: String) -> CheckPattern { .stream(.regex(pattern)) }
    public static func binaryRegex(_ pattern: String) -> CheckPattern { .stream(.binaryRegex(pattern)) }
    public static func httpStatus(_ ranges: [ClosedRange<Int>]) -> CheckPattern { .http(.status(ranges)) }

    /// The regular expression to compile, if the pattern is one.
    public var regex: String? {
        switch self {
        case .stream(.regex(let pattern)), .stream(.binaryRegex(let pattern)), .http(.statusRegex(let pattern)),
             .http(.bodyRegex(let pattern)):
            return pattern
        default:
            return nil
        }
    }
}

/// Matches over the bytes received since the last send.
public enum StreamPattern: Sendable, Equatable {
    /// `string`: the bytes appear in the response.
    case string([UInt8])
    /// `binary`: hex-decoded bytes appear in the response.
    case binary([UInt8])
    /// `rstring`: an extended regex over the response.
    case regex(String)
    /// `rbinary`: a regex over the response dumped as upper-case hex.
    case binaryRegex(String)
    /// mysql-check: the server's initial handshake packet is not an error.
    case mysqlHandshake
    /// mysql-check with a user: the packet after the handshake is not an error.
    case mysqlOK
    /// ldap-check: a bindResponse whose resultCode is 0.
    case ldapBindResponse
}

/// Matches over an HTTP/1 response.
public enum HTTPPattern: Sendable, Equatable {
    /// `status`: one of these code ranges.
    case status([ClosedRange<Int>])
    /// `rstatus`: a regex over the status code.
    case statusRegex(String)
    /// `string`: the bytes appear in the body.
    case body([UInt8])
    /// `rstring`: a regex over the body.
    case bodyRegex(String)
}

/// An `on-success` / `on-error` message. haproxy takes log-format strings; ordrel implements
/// plain text and the sample expressions its protocol rule sets use.
public enum CheckMessage: Sendable, Equatable {
    case text(String)
    /// `%[res.payload(offset,0)]`, with `ltrim(' ')` and `cut_crlf` when asked.
    case payload(offset: Int, trimSpaces: Bool, cutAtLineEnd: Bool)
}

/// `status-code` expressions ordrel implements.
public enum CheckCodeSource: Sendable, Equatable {
    /// `res.payload(offset,length)` read as a decimal number.
    case payload(offset: Int, length: Int)
}
