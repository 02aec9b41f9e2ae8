/// One `log` line: where to send, how to frame, which levels, and which messages (sampling).
public struct LogTarget: Sendable, Equatable {
    /// Where the framed lines go.
    public enum Destination: Sendable, Equatable {
        /// A UDP syslog server: an IP literal (host names are resolved when the line is read).
        case udp(host: String, port: UInt16)
        /// A Unix datagram socket such as `/dev/log`.
        case unixDatagram(path: String)
        /// `stdout` / `fd@1`: one write per line, never truncated.
        case standardOutput
        /// `stderr` / `fd@2`.
        case standardError

        /// File descriptor targets are not truncated to `len` (haproxy's `fd@` rule).
        public var isFileDescriptor: Bool {
            switch self {
            case .standardOutput, .standardError: true
            case .udp, .unixDatagram: false
            }
        }
    }

    public var destination: Destination
    public var format: SyslogFormat
    /// `len`: the longest line sent, without its final LF (80...65535, default 1024).
    public var maxLength: Int
    public var sample: LogSample?
    /// Facility code (0...23).
    public var facility: Int
    /// Messages less severe than this are not sent.
    public var maxLevel: SyslogLevel
    /// Messages more severe than this are sent at this level (haproxy's `minlevel`).
    public var minLevel: SyslogLevel

    public init(destination: Destination, format: SyslogFormat = .local, maxLength: Int = 1024,
                sample: LogSample? = nil, facility: Int, maxLevel: SyslogLevel = .debug,
                minLevel: SyslogLevel = .emerg) {
        self.destination = destination
        self.format = format
        self.maxLength = maxLength
        self.sample = sample
        self.facility = facility
        self.maxLevel = maxLevel
        self.minLevel = minLevel
    }

    /// The level a message of `level` is sent at, or nil when the target filters it out.
    public func effectiveLevel(_ level: SyslogLevel) -> SyslogLevel? {
        guard level <= maxLevel else { return nil }
        return max(level, minLevel)
    }
}

/// `format <name>` of a `log` line.
public enum SyslogFormat: String, Sendable, CaseIterable {
    /// RFC 3164 without the host name; the default (`rfc3164` once `log-send-hostname` is set).
    case local
    case rfc3164
    case rfc5424
    /// `<PRI>` and the text.
    case priority
    /// `<level>` and the text (systemd's format).
    case short
    /// `<level>`, an ISO 8601 date, the text.
    case timed
    /// An ISO 8601 date and the text.
    case iso
    /// The text alone.
    case raw
}

/// `sample <ranges>:<size>`: of every `size` consecutive messages, those whose 1-based position
/// falls in one of `ranges` are sent.
public struct LogSample: Sendable, Equatable {
    public var ranges: [ClosedRange<Int>]
    public var size: Int

    public init(ranges: [ClosedRange<Int>], size: Int) {
        self.ranges = ranges
        self.size = size
    }

    /// Parses `1-3,5:10`; the error is haproxy's reason.
    public static func parse(_ text: String) -> Result<LogSample, LogSampleError> {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .failure(LogSampleError("Missing sample size")) }
        guard let size = Int(parts[1]), size > 0 else {
            return .failure(LogSampleError("invalid sample size '\(parts[1])'"))
        }
        var ranges: [ClosedRange<Int>] = []
        for piece in parts[0].split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = piece.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
                  low > 0, high >= low else {
                return .failure(LogSampleError("wrong sample range '\(piece)'"))
            }
            ranges.append(low...high)
        }
        let top = ranges.map(\.upperBound).max() ?? 0
        guard top <= size else {
            return .failure(LogSampleError("sample size \(size) should be greater or equal to \(top) the maximum of the high ranges limits"))
        }
        return .success(LogSample(ranges: ranges, size: size))
    }
}

public struct LogSampleError: Error, Equatable, Sendable {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// The position of the next message in a `LogSample` cycle.
public struct LogSampler: Sendable {
    public let sample: LogSample
    private var position = 0

    public init(_ sample: LogSample) { self.sample = sample }

    /// Counts one message; true when it is to be sent.
    public mutating func admits() -> Bool {
        position = position % sample.size + 1
        return sample.ranges.contains { $0.contains(position) }
    }
}
