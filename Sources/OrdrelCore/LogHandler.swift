import Logging
import OrdrelSystem

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
        let pid = CurrentProcess.id
        switch event.level {
        case .trace, .debug: prefix = "[DEBUG]    (\(pid)) : "
        case .info: prefix = ""
        case .notice: prefix = "[NOTICE]   (\(pid)) : "
        case .warning: prefix = "[WARNING]  (\(pid)) : "
        case .error, .critical: prefix = "[ALERT]    (\(pid)) : "
        }
        CurrentProcess.writeToStandardError(prefix + event.message.description + "\n")
    }
}
