/// Privilege of a CLI session, ordered as haproxy's ACCESS_LVL_* (user < operator < admin).
public enum CLILevel: Int, Comparable, Sendable, CaseIterable {
    /// Read-only statistics (`show stat`, `show info`, ...).
    case user = 1
    /// Adds `show sess`, `show env`, `clear counters`, ...
    case `operator` = 2
    /// Everything, including state changes on servers, frontends and sessions.
    case admin = 3

    public static func < (a: CLILevel, b: CLILevel) -> Bool { a.rawValue < b.rawValue }

    /// The word haproxy prints for `show cli level`.
    public var name: String {
        switch self {
        case .user: return "user"
        case .operator: return "operator"
        case .admin: return "admin"
        }
    }
}
