import OrdrelConfig
import OrdrelLog
import OrdrelSystem

/// One `log` line as it runs: its target, where it sends, and its own sampling position (a
/// proxy's `log global` lines are copies with positions of their own, as in haproxy).
final class LogSink {
    let target: LogTarget
    /// The resolved UDP or Unix address; nil for stdout/stderr.
    let address: SocketAddress?
    /// Under `LogOutput.lock`.
    var sampler: LogSampler?

    init(_ target: LogTarget) {
        self.target = target
        switch target.destination {
        case .udp(let host, let port): address = SocketAddress.resolve(host: host, port: port)
        case .unixDatagram(let path): address = SocketAddress(unixPath: path)
        case .standardOutput, .standardError: address = nil
        }
        sampler = target.sample.map(LogSampler.init)
    }
}

/// The log lines of one proxy, or of the process (`global`), and the tag their headers carry.
struct LogSinks {
    let sinks: [LogSink]
    let tag: String
    /// `log-format-sd`, for `rfc5424` lines.
    let structuredData: LogFormat?

    var isEmpty: Bool { sinks.isEmpty }
}

/// Where log lines go: the global `log` lines and each proxy's, framed per target and sent
/// without ever blocking. As haproxy: a line that would block (a full socket or pipe) is dropped
/// and counted in `DroppedLogs`; one that fails otherwise (no socket at that path) is dropped
/// too, and the first such failure of the process is reported on stderr.
/// Safe from every thread: sampling positions and counters are under `lock`; sending is not.
final class LogOutput: @unchecked Sendable {
    let global: LogSinks
    /// By proxy id.
    private let proxies: [Int: LogSinks]
    let hostname: String?
    /// The system's host name (`%H`), read once.
    let systemHostname = CurrentProcess.hostName
    private let lock = Lock()
    private var droppedCount: UInt64 = 0
    /// A send failed other than by would-block, and was reported.
    private var failureReported = false
    /// One non-blocking datagram socket per address family the targets use (after `open()`).
    private var sockets: [SocketAddress.Family: FD] = [:]

    init(configuration: Configuration, programName: String) {
        let tag = configuration.global.logTag ?? programName
        global = LogSinks(sinks: configuration.global.logTargets.map(LogSink.init), tag: tag, structuredData: nil)
        var proxies: [Int: LogSinks] = [:]
        for proxy in configuration.proxies {
            proxies[proxy.id] = LogSinks(sinks: proxy.logTargets.map(LogSink.init), tag: proxy.logTag ?? tag,
                                           structuredData: proxy.structuredDataFormat)
        }
        self.proxies = proxies
        hostname = configuration.global.logSendHostname
    }

    /// The program name haproxy tags lines with by default: the executable's file name.
    static var programName: String {
        String(CommandLine.arguments.first?.split(separator: "/").last ?? "ordrel")
    }

    /// `DroppedLogs`.
    var dropped: UInt64 { lock.withLock { droppedCount } }

    func sinks(ofProxy id: Int) -> LogSinks? { proxies[id] }

    /// Creates the datagram sockets, and makes stdout/stderr non-blocking when a target writes
    /// there and they are not terminals (haproxy's `fd_write_frag_line` does the same).
    func open() throws {
        let all = global.sinks + proxies.values.flatMap(\.sinks)
        for sink in all {
            if let address = sink.address, sockets[address.family] == nil {
                sockets[address.family] = try FD.datagramSocket(for: address.family)
            }
            switch sink.target.destination {
            case .standardOutput where !FD.standardOutput.isTerminal: try FD.standardOutput.setBlocking(false)
            case .standardError where !FD.standardError.isTerminal: try FD.standardError.setBlocking(false)
            default: break
            }
        }
    }

    /// Sends `message` at `level` to every sink of `sinks` whose level and sample admit it.
    /// `fields` renders `log-format-sd` for rfc5424 targets when the proxy has one.
    func send(_ message: [UInt8], level: SyslogLevel, to sinks: LogSinks, fields: LogFields? = nil) {
        guard !sinks.isEmpty else { return }
        let now = WallClock.micros()
        let time = LogTimestamp(micros: now, utcOffset: WallClock.utcOffset(seconds: now / 1_000_000))
        let identity = SyslogIdentity(hostname: hostname, tag: sinks.tag, pid: CurrentProcess.id)
        var frame: [UInt8] = []
        frame.reserveCapacity(message.count + 96)
        var drops: UInt64 = 0
        for (index, sink) in sinks.sinks.enumerated() {
            guard let sentLevel = sink.target.effectiveLevel(level) else { continue }
            // `target.sample` is immutable: the sampler itself is only touched under the lock.
            if sink.target.sample != nil {
                let admitted = lock.withLock { sink.sampler?.admits() ?? true }
                guard admitted else { continue }
            }
            var structuredData: [UInt8]?
            if sink.target.format == .rfc5424, let format = sinks.structuredData, let fields {
                structuredData = format.render(fields)
            }
            frame.removeAll(keepingCapacity: true)
            SyslogFrame.append(message: message, level: sentLevel, target: sink.target, identity: identity,
                               time: time, structuredData: structuredData, to: &frame)
            do {
                if try !deliver(frame, to: sink) { drops += 1 }
            } catch {
                reportOnce(error, logger: index + 1)
            }
        }
        if drops > 0 { lock.withLock { droppedCount += drops } }
    }

    /// One attempt: false when it would block or went out partly (a dropped line).
    private func deliver(_ frame: [UInt8], to sink: LogSink) throws -> Bool {
        let result: IOResult<Int>
        switch sink.target.destination {
        case .standardOutput: result = try FD.standardOutput.writeOnce(frame)
        case .standardError: result = try FD.standardError.writeOnce(frame)
        case .udp, .unixDatagram:
            // Not opened yet (a message before start), or a host name that did not resolve.
            guard let address = sink.address, let socket = sockets[address.family] else { return true }
            result = try socket.send(datagram: frame, to: address)
        }
        if case .processed(let count) = result { return count == frame.count }
        return false
    }

    /// haproxy's alert for the first failed send of the process, naming the logger's position.
    private func reportOnce(_ error: any Error, logger number: Int) {
        guard lock.withLock({ let first = !failureReported; failureReported = true; return first }) else { return }
        let detail = (error as? SyscallError).map { "\($0.reason) (errno=\($0.errno))" } ?? "\(error)"
        CurrentProcess.writeToStandardError("[ALERT]    (\(CurrentProcess.id)) : sendmsg()/writev() failed in logger #\(number): \(detail)\n")
    }
}
