/// An address as logs show it: `host` as text (`unix` for a Unix socket), its bytes for the `X`
/// flag (empty for Unix), and the port.
public struct LogEndpoint: Sendable, Equatable {
    public var host: String
    public var hostBytes: [UInt8]
    public var port: Int

    public init(host: String, hostBytes: [UInt8], port: Int) {
        self.host = host
        self.hostBytes = hostBytes
        self.port = port
    }
}

/// Everything a TCP stream's log line can show: the values behind the `%` variables.
public struct LogFields: Sendable {
    public var client: LogEndpoint
    /// The address the client connected to (`%fi:%fp`); nil prints `-`.
    public var frontendAddress: LogEndpoint?
    /// ordrel's end of the server connection (`%bi:%bp`); nil when there was none.
    public var backendSource: LogEndpoint?
    /// The server's address (`%si:%sp`); nil when no server was chosen.
    public var serverAddress: LogEndpoint?
    public var accepted: LogTimestamp
    public var frontend: String
    public var backend: String
    /// nil prints `<NOSRV>`.
    public var server: String?
    /// Milliseconds; -1 when the phase was never reached.
    public var waitMs: Int64 = -1
    public var connectMs: Int64 = -1
    public var totalMs: Int64 = 0
    public var bytesRead: UInt64 = 0
    public var bytesUploaded: UInt64 = 0
    /// The two termination-state characters (`--`, `SC`, `CD` ...).
    public var terminationState: String = "--"
    public var processConnections = 0
    public var frontendConnections = 0
    public var backendConnections = 0
    public var serverConnections = 0
    public var retries = 0
    public var redispatched = false
    public var serverQueue = 0
    public var backendQueue = 0
    public var hostname = ""
    public var pid: Int32 = 0
    /// Lines the frontend logged before this one (`%lc`).
    public var logCounter: UInt64 = 0
    /// The stream's sequence number in the process (`%rt`).
    public var requestCounter: UInt64 = 0

    public init(client: LogEndpoint, accepted: LogTimestamp, frontend: String, backend: String) {
        self.client = client
        self.accepted = accepted
        self.frontend = frontend
        self.backend = backend
    }
}

extension LogFormat {
    /// Appends the line for `fields` to `out`.
    public func render(_ fields: LogFields, into out: inout [UInt8]) {
        for node in nodes {
            switch node {
            case .literal(let bytes): out.append(contentsOf: bytes)
            case .variable(let variable, let flags):
                guard Self.append(variable, flags, fields, to: &out) else { return }
            }
        }
    }

    /// Renders to a new array (tests, the fuzz target).
    public func render(_ fields: LogFields) -> [UInt8] {
        var out: [UInt8] = []
        render(fields, into: &out)
        return out
    }

    /// false ends the line there: haproxy's `lf_ip` has no hexadecimal form for a Unix address
    /// and its line stops at that variable.
    private static func append(_ variable: LogVariable, _ flags: LogFlags, _ f: LogFields, to out: inout [UInt8]) -> Bool {
        func number<T: BinaryInteger>(_ value: T, hexWidth: Int = 8) {
            if flags.hex && value >= 0 { out.appendHex(UInt64(value), width: hexWidth) } else { out.appendDecimal(value) }
        }
        func text(_ value: String) { appendString(value, flags, to: &out) }
        func ip(_ endpoint: LogEndpoint?) -> Bool {
            guard let endpoint else {
                // haproxy's empty text: `""` when quoted, else `-`.
                if flags.quote && !flags.hex { out.append(contentsOf: "\"\"".utf8) } else { out.append(UInt8(ascii: "-")) }
                return true
            }
            guard flags.hex else {
                text(endpoint.host)
                return true
            }
            for byte in endpoint.hostBytes { out.appendHex(UInt64(byte), width: 2) }
            return !endpoint.hostBytes.isEmpty
        }
        func port(_ endpoint: LogEndpoint?) {
            guard let endpoint else { return out.append(UInt8(ascii: "-")) }
            // A Unix socket's "port" (the listener's number) is decimal even with `X`.
            if endpoint.hostBytes.isEmpty { out.appendDecimal(endpoint.port) } else { number(endpoint.port, hexWidth: 4) }
        }
        switch variable {
        case .bytesRead: number(f.bytesRead)
        case .bytesUploaded: number(f.bytesUploaded)
        case .hostname: text(f.hostname)
        case .uniqueID, .sslCipher, .sslVersion: out.append(UInt8(ascii: "-"))
        case .statusCode, .handshakeTime: number(0)
        case .gmtDate: f.accepted.utc.appendLogDate(to: &out, milliseconds: false)
        case .localDate: f.accepted.appendLogDate(to: &out, milliseconds: false)
        case .acceptDate: f.accepted.appendLogDate(to: &out, milliseconds: true)
        case .timestamp: number(f.accepted.epochSeconds)
        case .milliseconds: out.appendDecimal(f.accepted.millisecond, width: 3)
        case .connectTime: number(f.connectMs)
        case .waitTime: number(f.waitMs)
        case .totalTime, .activeTime: number(f.totalMs)
        case .dataTime: number(max(0, f.totalMs - max(0, f.waitMs) - max(0, f.connectMs)))
        case .processConnections: number(f.processConnections)
        case .frontendConnections: number(f.frontendConnections)
        case .backendConnections: number(f.backendConnections)
        case .serverConnections: number(f.serverConnections)
        case .backendQueue: number(f.backendQueue)
        case .serverQueue: number(f.serverQueue)
        case .retries:
            if f.redispatched { out.append(UInt8(ascii: "+")) }
            number(f.retries)
        case .backend: text(f.backend)
        case .frontend, .frontendTransport: text(f.frontend)
        case .server: text(f.server ?? "<NOSRV>")
        case .clientIP: return ip(f.client)
        case .clientPort: port(f.client)
        case .frontendIP: return ip(f.frontendAddress)
        case .frontendPort: port(f.frontendAddress)
        case .backendSourceIP: return ip(f.backendSource)
        case .backendSourcePort: port(f.backendSource)
        case .serverIP: return ip(f.serverAddress)
        case .serverPort: port(f.serverAddress)
        case .logCounter: number(f.logCounter)
        case .requestCounter: number(f.requestCounter)
        case .pid: number(f.pid)
        case .terminationState: text(f.terminationState)
        case .requestHeaders, .requestHeadersCLF, .responseHeaders, .responseHeadersCLF: break
        }
        return true
    }

    /// A string with the `Q` (quotes) and `E` (backslash before `"`, `\`, `]`) flags.
    private static func appendString(_ value: String, _ flags: LogFlags, to out: inout [UInt8]) {
        if flags.quote { out.append(UInt8(ascii: "\"")) }
        for byte in value.utf8 {
            if flags.escape && (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "]")) {
                out.append(UInt8(ascii: "\\"))
            }
            out.append(byte)
        }
        if flags.quote { out.append(UInt8(ascii: "\"")) }
    }
}
