/// A compiled `log-format` string (haproxy 2.6's `parse_logformat`, for the variables a TCP proxy
/// has): literal bytes and `%` variables with their flags, rendered by `render(_:into:)`.
public struct LogFormat: Sendable, Equatable {
    public enum Node: Sendable, Equatable {
        case literal([UInt8])
        case variable(LogVariable, LogFlags)
    }

    public let nodes: [Node]

    /// Every variable the format shows, so that callers gather only what it needs.
    public var variables: Set<LogVariable> {
        Set(nodes.compactMap { if case .variable(let variable, _) = $0 { variable } else { nil } })
    }

    /// `option tcplog`'s format.
    public static let tcplogText = "%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq"
    public static let tcplog = try! LogFormat(tcplogText)

    /// Compiles `text` (one configuration word, spaces already unescaped). Runs of spaces are
    /// merged into one, `%%` is a `%`, `%{+Q,-X}var` sets flags, `%{...}o` sets them for every
    /// later variable.
    public init(_ text: String) throws(LogFormatError) {
        var nodes: [Node] = []
        var literal: [UInt8] = []
        var defaults = LogFlags()
        let bytes = Array(text.utf8)
        var index = 0
        func flushLiteral() {
            if !literal.isEmpty { nodes.append(.literal(literal)) }
            literal = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 {
                if literal.last != 0x20 { literal.append(0x20) }
                index += 1
                continue
            }
            guard byte == UInt8(ascii: "%") else {
                literal.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { throw LogFormatError("truncated line after '%'") }
            if bytes[index] == UInt8(ascii: "%") {
                literal.append(byte)
                index += 1
                continue
            }
            var flags = defaults
            if bytes[index] == UInt8(ascii: "{") {
                guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) else {
                    throw LogFormatError("truncated line after '\(String(decoding: bytes[(index + 1)...], as: UTF8.self))'")
                }
                flags.apply(String(decoding: bytes[(index + 1)..<close], as: UTF8.self))
                index = close + 1
                guard index < bytes.count else { throw LogFormatError("truncated line after '}'") }
            }
            if bytes[index] == UInt8(ascii: "[") {
                throw LogFormatError("sample expressions ('%[...]') are not supported by ordrel")
            }
            let nameStart = index
            while index < bytes.count, Self.isLetter(bytes[index]) { index += 1 }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            if name == "o" {
                defaults = flags
                continue
            }
            guard let variable = LogVariable(rawValue: name) else {
                if LogVariable.httpOnly.contains(name) {
                    throw LogFormatError("format variable '\(name)' is reserved for HTTP mode")
                }
                throw LogFormatError("no such format variable '\(name)'. If you wanted to emit the '%' character verbatim, you need to use '%%'")
            }
            flushLiteral()
            nodes.append(.variable(variable, flags))
        }
        flushLiteral()
        self.nodes = nodes
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}

/// Why a `log-format` string does not compile, in haproxy's words.
public struct LogFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// `Q` (quote strings), `X` (hexadecimal numbers and addresses), `E` (escape `"`, `\` and `]`).
public struct LogFlags: Sendable, Equatable {
    public var quote = false
    public var hex = false
    public var escape = false

    public init(quote: Bool = false, hex: Bool = false, escape: Bool = false) {
        self.quote = quote
        self.hex = hex
        self.escape = escape
    }

    /// Applies `+Q,-X,...`; unknown letters are ignored, as haproxy does.
    mutating func apply(_ list: String) {
        for item in list.split(separator: ",") {
            guard item.count == 2, let sign = item.first, sign == "+" || sign == "-" else { continue }
            let on = sign == "+"
            switch item.last {
            case "Q": quote = on
            case "X": hex = on
            case "E": escape = on
            default: break
            }
        }
    }
}

/// The `%` variables that mean something for a TCP stream (haproxy 2.6, section 8.2.6).
public enum LogVariable: String, Sendable, CaseIterable {
    case bytesRead = "B"
    case hostname = "H"
    case uniqueID = "ID"
    case statusCode = "ST"
    case gmtDate = "T"
    case connectTime = "Tc"
    case dataTime = "Td"
    case localDate = "Tl"
    case handshakeTime = "Th"
    case timestamp = "Ts"
    case totalTime = "Tt"
    case activeTime = "Tu"
    case waitTime = "Tw"
    case bytesUploaded = "U"
    case processConnections = "ac"
    case backend = "b"
    case backendConnections = "bc"
    case backendSourceIP = "bi"
    case backendSourcePort = "bp"
    case backendQueue = "bq"
    case clientIP = "ci"
    case clientPort = "cp"
    case frontend = "f"
    case frontendConnections = "fc"
    case frontendIP = "fi"
    case frontendPort = "fp"
    case frontendTransport = "ft"
    case logCounter = "lc"
    case requestHeaders = "hr"
    case requestHeadersCLF = "hrl"
    case responseHeaders = "hs"
    case responseHeadersCLF = "hsl"
    case milliseconds = "ms"
    case pid
    case retries = "rc"
    case requestCounter = "rt"
    case server = "s"
    case serverConnections = "sc"
    case serverIP = "si"
    case serverPort = "sp"
    case serverQueue = "sq"
    case sslCipher = "sslc"
    case sslVersion = "sslv"
    case acceptDate = "t"
    case terminationState = "ts"

    /// Variables haproxy reserves for `mode http`.
    static let httpOnly: Set<String> = [
        "CC", "CS", "HM", "HP", "HPO", "HQ", "HU", "HV", "Ta", "Ti", "Tq", "TR", "Tr", "r", "tr", "trg", "trl", "tsc",
    ]
}
