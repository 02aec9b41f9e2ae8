/// The table's columns: title, width and how a row's cell reads.
public enum Column: CaseIterable, Sendable {
    case proxy
    case server
    case status
    case queue
    case sessions
    case maxSessions
    case limit
    case rate
    case bytesIn
    case bytesOut
    case weight
    case check
    case lastChange
    case lastCheck

    public var title: String {
        switch self {
        case .proxy: return "PROXY"
        case .server: return "SERVER"
        case .status: return "STATUS"
        case .queue: return "QCUR"
        case .sessions: return "CUR"
        case .maxSessions: return "MAX"
        case .limit: return "LIM"
        case .rate: return "RATE"
        case .bytesIn: return "IN"
        case .bytesOut: return "OUT"
        case .weight: return "WGHT"
        case .check: return "CHECK"
        case .lastChange: return "CHANGE"
        case .lastCheck: return "LAST CHECK"
        }
    }

    /// Fixed width; nil for the name columns (sized to the names) and the last one (the rest).
    var width: Int? {
        switch self {
        case .proxy, .server, .lastCheck: return nil
        case .status: return 10
        case .queue, .weight: return 4
        case .sessions, .maxSessions, .limit, .rate: return 6
        case .bytesIn, .bytesOut, .lastChange: return 7
        case .check: return 11
        }
    }

    var rightAligned: Bool {
        switch self {
        case .proxy, .server, .status, .check, .lastCheck: return false
        default: return true
        }
    }

    /// The text of `row`'s cell, numbers made to fit the column.
    func cell(_ row: StatRow) -> String {
        switch self {
        case .proxy: return row.id.proxy
        case .server: return row.id.service
        case .status: return row.status
        case .queue: return Units.count(row.queueCurrent, width: 4)
        case .sessions: return Units.count(row.sessionsCurrent, width: 6)
        case .maxSessions: return Units.count(row.sessionsMax, width: 6)
        case .limit: return Units.count(row.sessionsLimit, width: 6)
        case .rate: return Units.count(row.rate, width: 6)
        case .bytesIn: return Units.bytes(row.bytesIn)
        case .bytesOut: return Units.bytes(row.bytesOut)
        case .weight: return row.weight
        case .check:
            guard !row.checkStatus.isEmpty else { return "" }
            return row.checkDuration.isEmpty ? row.checkStatus : "\(row.checkStatus) \(row.checkDuration)ms"
        case .lastChange: return Units.duration(row.lastChange)
        case .lastCheck: return row.lastCheck
        }
    }
}

/// What the rows can be sorted by; `<` and `>` cycle through them in this order.
public enum SortKey: CaseIterable, Sendable {
    /// The daemon's order (configuration order).
    case config
    case name
    case status
    case queue
    case sessions
    case maxSessions
    case rate
    case bytesIn
    case bytesOut
    case weight
    case check
    case lastChange

    /// The column whose title is marked; none for configuration order.
    public var column: Column? {
        switch self {
        case .config: return nil
        case .name: return .server
        case .status: return .status
        case .queue: return .queue
        case .sessions: return .sessions
        case .maxSessions: return .maxSessions
        case .rate: return .rate
        case .bytesIn: return .bytesIn
        case .bytesOut: return .bytesOut
        case .weight: return .weight
        case .check: return .check
        case .lastChange: return .lastChange
        }
    }

    /// Words for the sort line.
    public var label: String { column?.title ?? "config order" }

    /// Counters sort biggest first, names and states smallest (most severe) first.
    var descendingByDefault: Bool {
        switch self {
        case .config, .name, .status, .check: return false
        default: return true
        }
    }

    /// Whether `a` comes before `b`, ascending; ties are left to the caller.
    func ascending(_ a: StatRow, _ b: StatRow) -> Bool? {
        func compare<T: Comparable>(_ x: T, _ y: T) -> Bool? { x == y ? nil : x < y }
        switch self {
        case .config: return nil
        case .name: return compare(a.id.proxy, b.id.proxy) ?? compare(a.id.service, b.id.service)
        case .status: return compare(Self.severity(a.status), Self.severity(b.status)) ?? compare(a.status, b.status)
        case .queue: return compare(Self.number(a.queueCurrent), Self.number(b.queueCurrent))
        case .sessions: return compare(Self.number(a.sessionsCurrent), Self.number(b.sessionsCurrent))
        case .maxSessions: return compare(Self.number(a.sessionsMax), Self.number(b.sessionsMax))
        case .rate: return compare(Self.number(a.rate), Self.number(b.rate))
        case .bytesIn: return compare(Self.number(a.bytesIn), Self.number(b.bytesIn))
        case .bytesOut: return compare(Self.number(a.bytesOut), Self.number(b.bytesOut))
        case .weight: return compare(Self.number(a.weight), Self.number(b.weight))
        case .check: return compare(a.checkStatus, b.checkStatus)
        case .lastChange: return compare(Self.number(a.lastChange), Self.number(b.lastChange))
        }
    }

    /// An empty cell (no such counter) sorts below zero.
    static func number(_ cell: String) -> Int { Int(cell) ?? -1 }

    /// DOWN, MAINT, DRAIN, NOLB first: what an operator looks for.
    static func severity(_ status: String) -> Int {
        for (rank, prefix) in ["DOWN", "MAINT", "DRAIN", "NOLB"].enumerated() where status.hasPrefix(prefix) { return rank }
        return 4
    }
}

/// Numbers made short enough for their column.
enum Units {
    /// The count as is when it fits `width`, else in k/M/G (1000s) with one decimal.
    static func count(_ cell: String, width: Int) -> String {
        guard cell.count > width, let value = Int(cell) else { return cell }
        return scaled(Double(value), base: 1000, units: ["k", "M", "G", "T", "P"])
    }

    /// Bytes in B, then K/M/G/T (1024s) with one decimal: `512`, `1.5K`, `20.0M`.
    static func bytes(_ cell: String) -> String {
        guard let value = Int(cell), value >= 1024 else { return cell }
        return scaled(Double(value), base: 1024, units: ["K", "M", "G", "T", "P", "E"])
    }

    private static func scaled(_ value: Double, base: Double, units: [String]) -> String {
        var value = value / base
        var unit = 0
        while value >= base * 0.9995 && unit < units.count - 1 {
            value /= base
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        let text = tenths >= 1000 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
        return text + units[unit]
    }

    /// Seconds as `45s`, `12m03s`, `3h12m`, `5d02h`; a non-number is kept as is.
    static func duration(_ cell: String) -> String {
        guard let seconds = Int(cell), seconds >= 0 else { return cell }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m\(two(seconds % 60))s" }
        if seconds < 86400 { return "\(seconds / 3600)h\(two(seconds % 3600 / 60))m" }
        return "\(seconds / 86400)d\(two(seconds % 86400 / 3600))h"
    }
}
