import OrdrelSystem

/// One `option tcplog` line, haproxy's format:
/// `%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq`.
struct TCPLogLine {
    var clientAddress: SocketAddress
    var acceptedWallMicros: UInt64
    var frontend: String
    var backend: String
    /// nil prints `<NOSRV>`.
    var server: String?
    var waitMs: Int64
    /// -1 when the server was never connected.
    var connectMs: Int64
    var totalMs: Int64
    /// Bytes sent to the client (`%B`).
    var bytesRead: UInt64
    var termination: Termination
    var retries: Int
    var redispatched: Bool
    /// false lets `option dontlognull` skip the line.
    var carriedData: Bool
    /// Connections to the server at log time (this stream included).
    var serverConnections = 0
    /// Connection counts at log time: process, frontend, backend.
    var processConnections = 0
    var frontendConnections = 0
    var backendConnections = 0
    var serverQueue = 0
    var backendQueue = 0

    func render() -> String {
        let client: String
        switch clientAddress.family {
        case .unix: client = "unix:\(frontend)"
        default: client = "\(clientAddress.host):\(clientAddress.port)"
        }
        let retryField = redispatched ? "+\(retries)" : "\(retries)"
        return "\(client) [\(Self.date(micros: acceptedWallMicros))] \(frontend) \(backend)/\(server ?? "<NOSRV>") "
            + "\(waitMs)/\(connectMs)/\(totalMs) \(bytesRead) \(termination.cause.rawValue)\(termination.phase.rawValue) "
            + "\(processConnections)/\(frontendConnections)/\(backendConnections)/\(serverConnections)/\(retryField) "
            + "\(serverQueue)/\(backendQueue)"
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
