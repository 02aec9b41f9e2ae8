/// A syslog severity (RFC 5424 numbering: `emerg` is 0, `debug` 7). A smaller value is more severe.
public enum SyslogLevel: Int, CaseIterable, Sendable, Comparable {
    case emerg, alert, crit, err, warning, notice, info, debug

    /// The name the configuration uses (`log ... local0 notice err`).
    public var name: String {
        switch self {
        case .emerg: "emerg"
        case .alert: "alert"
        case .crit: "crit"
        case .err: "err"
        case .warning: "warning"
        case .notice: "notice"
        case .info: "info"
        case .debug: "debug"
        }
    }

    public init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    /// Ordered by severity value: `.emerg < .debug`.
    public static func < (lhs: SyslogLevel, rhs: SyslogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The 24 syslog facilities, in code order (`kern` is 0, `local7` 23), as haproxy names them.
public enum SyslogFacility {
    public static let names = [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2",
        "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4",
        "local5", "local6", "local7",
    ]

    /// The facility code of `name`, nil for an unknown name.
    public static func code(_ name: String) -> Int? { names.firstIndex(of: name) }
}
