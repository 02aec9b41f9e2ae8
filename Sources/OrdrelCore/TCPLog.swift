import OrdrelLog
import OrdrelSystem

/// A connection just accepted, with what its log lines need to know of its origin.
struct AcceptedClient {
    let fd: FD
    /// The peer, or the source a PROXY header names.
    var address: SocketAddress
    /// The address the client connected to, when a PROXY header named it; nil = the socket's
    /// own (getsockname).
    var destination: SocketAddress?
    /// The listener's number in its frontend (haproxy's `luid`, from 1 in `bind` order): the
    /// "port" logs show for a Unix-socket client.
    let listenerID: Int
    /// The stream's sequence number in the process (`%rt`), set when it is counted.
    var requestNumber: UInt64 = 0
    /// What its `track-sc` rules track, from the connection rules on; nil without stick tables.
    var stickCounters: StickCounters?
    /// Holds the accept slot its listener took (`Runtime.acceptsInFlight`) until it is counted.
    var holdsAcceptSlot = false

    init(fd: FD, address: SocketAddress, listener: Listener) {
        self.fd = fd
        self.address = address
        listenerID = address.family == .unix
            ? (listener.proxy.config.binds.firstIndex(of: listener.bind) ?? 0) + 1 : 0
    }
}

/// How a stream ended, for its traffic log line (`option tcplog` or `log-format`).
struct TCPLogLine {
    var client: AcceptedClient
    var acceptedWallMicros: UInt64
    var frontend: String
    var backend: String
    /// nil prints `<NOSRV>`.
    var server: String?
    var serverAddress: SocketAddress?
    /// ordrel's end of the server connection, when the format shows it (`%bi`, `%bp`).
    var backendSource: SocketAddress?
    /// The address the client connected to, when the format shows it (`%fi`, `%fp`).
    var frontendAddress: SocketAddress?
    var waitMs: Int64
    /// -1 when the server was never connected.
    var connectMs: Int64
    var totalMs: Int64
    /// Bytes sent to the client (`%B`) and received from it (`%U`).
    var bytesRead: UInt64
    var bytesUploaded: UInt64
    var termination: Termination
    var retries: Int
    var redispatched: Bool
    /// false lets `option dontlognull` skip the line.
    var carriedData: Bool
    /// Connections to the server at log time, this stream's no longer counted (as haproxy).
    var serverConnections = 0
    /// Connection counts at log time: process and frontend (this stream included), backend
    /// (this stream excluded).
    var processConnections = 0
    var frontendConnections = 0
    var backendConnections = 0
    var serverQueue = 0
    var backendQueue = 0
    /// Lines the frontend logged before this one.
    var logCounter: UInt64 = 0

    /// Not a normal stream for `dontlog-normal` / `log-separate-errors`: an error, a retry or
    /// a redispatch.
    var isError: Bool { termination != .normal || retries > 0 || redispatched }

    /// The values behind the `%` variables.
    func fields(utcOffset: Int, hostname: String, pid: Int32) -> LogFields {
        var f = LogFields(client: Self.endpoint(client.address, unixPort: client.listenerID),
                          accepted: LogTimestamp(micros: acceptedWallMicros, utcOffset: utcOffset),
                          frontend: frontend, backend: backend)
        f.frontendAddress = frontendAddress.map { Self.endpoint($0, unixPort: client.listenerID) }
        f.backendSource = backendSource.map { Self.endpoint($0, unixPort: 0) }
        f.serverAddress = serverAddress.map { Self.endpoint($0, unixPort: 0) }
        f.server = server
        f.waitMs = waitMs
        f.connectMs = connectMs
        f.totalMs = totalMs
        f.bytesRead = bytesRead
        f.bytesUploaded = bytesUploaded
        f.terminationState = "\(termination.cause.rawValue)\(termination.phase.rawValue)"
        f.processConnections = processConnections
        f.frontendConnections = frontendConnections
        f.backendConnections = backendConnections
        f.serverConnections = serverConnections
        f.retries = retries
        f.redispatched = redispatched
        f.serverQueue = serverQueue
        f.backendQueue = backendQueue
        f.hostname = hostname
        f.pid = pid
        f.logCounter = logCounter
        f.requestCounter = client.requestNumber
        return f
    }

    /// An address as logs show it: a Unix socket is `unix`, its "port" the listener's number.
    static func endpoint(_ address: SocketAddress, unixPort: Int) -> LogEndpoint {
        if address.family == .unix { return LogEndpoint(host: "unix", hostBytes: [], port: unixPort) }
        return LogEndpoint(host: address.host, hostBytes: address.addressBytes, port: Int(address.port))
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `21/Nov/2026:13:38:00.344` in local time.
    /// Milliseconds as in logs; `microseconds` for `show sess <id>`, as haproxy prints it there.
    static func date(micros: UInt64, microseconds: Bool = false) -> String {
        let parts = WallClock.localTime(seconds: micros / 1_000_000)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let fraction = microseconds ? pad(Int(micros % 1_000_000), 6) : pad(Int(micros / 1000 % 1000), 3)
        return "\(pad(parts.day, 2))/\(months[parts.month - 1])/\(parts.year):"
            + "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(fraction)"
    }
}

extension Runtime {
    /// A stream's traffic line, at `info` (`err` with `log-separate-errors` for an error), to the
    /// frontend's log targets.
    func logTraffic(_ line: TCPLogLine, format: LogFormat, frontend: Proxy, to sinks: LogSinks) {
        let fields = line.fields(utcOffset: WallClock.utcOffset(seconds: line.acceptedWallMicros / 1_000_000),
                                 hostname: logHostname, pid: CurrentProcess.id)
        var message: [UInt8] = []
        message.reserveCapacity(160)
        format.render(fields, into: &message)
        let level: SyslogLevel = frontend.config.options.logSeparateErrors && line.isError ? .err : .info
        logOutput.send(message, level: level, to: sinks, fields: fields)
    }

    /// haproxy's line for a frontend with log targets but no log format, sent at accept:
    /// `Connect from <client> to <local address> (<frontend>/TCP)`, or for a Unix socket
    /// `Connect to unix:<listener number> (<frontend>/TCP)`.
    func logConnect(_ client: AcceptedClient, frontend: Proxy, to sinks: LogSinks) {
        let text: String
        if client.address.family == .unix {
            text = "Connect to unix:\(client.listenerID) (\(frontend.name)/TCP)"
        } else {
            let from = TCPLogLine.endpoint(client.address, unixPort: 0)
            let to = (client.destination ?? (try? client.fd.localAddress())).map { "\($0.host):\($0.port)" } ?? "-"
            text = "Connect from \(from.host):\(from.port) to \(to) (\(frontend.name)/TCP)"
        }
        logOutput.send(Array(text.utf8), level: .info, to: sinks)
    }

    /// `%H`: the system's host name, read once.
    var logHostname: String { logOutput.systemHostname }
}
