import Logging
import OrdrelLog

/// Metadata keys the runtime's messages carry to steer their syslog copy.
enum LogMetadata {
    /// The id of the proxy whose `log` lines receive the message instead of the global ones
    /// (haproxy's `send_log(proxy, ...)`: server state changes go to their backend's targets).
    /// Ids, unlike names, are unique: a frontend and a backend may share a name.
    static let proxy = "proxy"
    /// The syslog level when it is not the one the stderr prefix implies (a server going DOWN
    /// prints `[WARNING]` but is sent at `alert`).
    static let level = "syslog.level"
    /// The syslog text when haproxy words it differently from its stderr line.
    static let text = "syslog.text"
}

/// The runtime's logger: each message goes to the logger it was given (stderr, or a test's
/// capture) and, as haproxy's process messages do, to the global log targets, or to a proxy's
/// when the message names one.
struct SyslogLogHandler: LogHandler {
    let next: Logger
    let output: LogOutput
    var metadata: Logger.Metadata = [:]
    /// At most `info`: syslog receives `info` and above whatever stderr's level is.
    var logLevel: Logger.Level

    init(next: Logger, output: LogOutput) {
        self.next = next
        self.output = output
        logLevel = min(next.logLevel, .info)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        next.log(level: event.level, event.message, metadata: event.metadata, source: event.source,
                 file: event.file, function: event.function, line: event.line)
        guard event.level >= .info else { return }
        let metadata = event.metadata ?? [:]
        let sinks: LogSinks?
        if case .string(let text) = metadata[LogMetadata.proxy], let id = Int(text) {
            sinks = output.sinks(ofProxy: id)
        } else {
            sinks = output.global
        }
        guard let sinks, !sinks.isEmpty else { return }
        var level = Self.syslogLevel(event.level)
        if case .string(let name) = metadata[LogMetadata.level], let named = SyslogLevel(name: name) { level = named }
        var text = event.message.description
        if case .string(let override) = metadata[LogMetadata.text] { text = override }
        output.send(Array(text.utf8), level: level, to: sinks)
    }

    /// The syslog level of a swift-log level.
    static func syslogLevel(_ level: Logger.Level) -> SyslogLevel {
        switch level {
        case .trace, .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .err
        case .critical: .crit
        }
    }
}

extension LogMetadata {
    /// A message for `proxy`'s log lines, at `level` there (default: the stderr level's) and
    /// worded `text` there (default: the same words).
    static func `for`(proxy: Proxy, level: SyslogLevel? = nil, text: String? = nil) -> Logger.Metadata {
        var metadata: Logger.Metadata = [Self.proxy: .string(String(proxy.id))]
        if let level { metadata[Self.level] = .string(level.name) }
        if let text { metadata[Self.text] = .string(text) }
        return metadata
    }
}
