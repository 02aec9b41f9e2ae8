#if canImport(Glibc)
import Glibc
#endif
import Logging

/// Writes log records to stderr as haproxy does: traffic lines (`info`) as they are, process
/// messages prefixed `[NOTICE]   (pid) : `, `[WARNING]  (pid) : ` or `[ALERT]    (pid) : `.
public struct HaproxyStyleLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]

    public init(label: String, level: Logger.Level = .info) {
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let prefix: String
        switch event.level {
        case .trace, .debug: prefix = "[DEBUG]    (\(getpid())) : "
        case .info: prefix = ""
        case .notice: prefix = "[NOTICE]   (\(getpid())) : "
        case .warning: prefix = "[WARNING]  (\(getpid())) : "
        case .error, .critical: prefix = "[ALERT]    (\(getpid())) : "
        }
        let line = prefix + event.message.description + "\n"
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { raw in
            _ = write(STDERR_FILENO, raw.baseAddress, raw.count)
        }
    }
}
