/// One row of `show stat`, reduced to what `ordrelctl top` shows. Cells are kept as the CSV has
/// them (empty when the row kind has no such counter) and read as numbers for sorting.
public struct StatRow: Equatable, Sendable {
    /// What the row counts (`type` column: 0 frontend, 1 backend, 2 server, 3 listener).
    public enum Kind: Equatable, Sendable {
        case frontend
        case backend
        case server
        case listener
    }

    /// Which row this is across refreshes: proxy and service name (`pxname`, `svname`).
    public struct ID: Hashable, Sendable {
        public let proxy: String
        public let service: String

        public init(proxy: String, service: String) {
            self.proxy = proxy
            self.service = service
        }
    }

    public let id: ID
    public let kind: Kind
    /// The `status` cell: `UP`, `DOWN 1/2`, `MAINT`, `DRAIN`, `no check`, `OPEN` ...
    public let status: String
    public let queueCurrent: String
    public let sessionsCurrent: String
    public let sessionsMax: String
    public let sessionsLimit: String
    public let rate: String
    public let bytesIn: String
    public let bytesOut: String
    public let weight: String
    /// `check_status` (`L4OK`, `L4CON`, ...) and `check_duration` in ms.
    public let checkStatus: String
    public let checkDuration: String
    /// `last_chk`: the last check's words (`Connection refused`).
    public let lastCheck: String
    /// `lastchg`: seconds since the last state change.
    public let lastChange: String

    public init(id: ID, kind: Kind, status: String, queueCurrent: String = "", sessionsCurrent: String = "",
                sessionsMax: String = "", sessionsLimit: String = "", rate: String = "", bytesIn: String = "",
                bytesOut: String = "", weight: String = "", checkStatus: String = "", checkDuration: String = "",
                lastCheck: String = "", lastChange: String = "") {
        self.id = id
        self.kind = kind
        self.status = status
        self.queueCurrent = queueCurrent
        self.sessionsCurrent = sessionsCurrent
        self.sessionsMax = sessionsMax
        self.sessionsLimit = sessionsLimit
        self.rate = rate
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.weight = weight
        self.checkStatus = checkStatus
        self.checkDuration = checkDuration
        self.lastCheck = lastCheck
        self.lastChange = lastChange
    }
}

/// `show stat` CSV to rows, by column name so the column order does not matter.
public enum StatCSV {
    /// What is wrong with a reply that is no `show stat` CSV.
    public struct Malformed: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The rows of a `show stat` reply, in the daemon's order. A reply without the `# ` header
    /// (an error message, a permission refusal) throws with its first line; a row with too few
    /// cells or an unknown `type` throws naming its line number.
    public static func parse(_ text: String) throws -> [StatRow] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let header = lines.first, header.hasPrefix("# ") else {
            let first = lines.first.map(String.init) ?? "an empty reply"
            throw Malformed(description: "show stat: no CSV header, got: \(first)")
        }
        let names = cells(header.dropFirst(2))
        var column: [String: Int] = [:]
        for (index, name) in names.enumerated() where column[name] == nil { column[name] = index }
        for required in ["pxname", "svname", "type", "status"] where column[required] == nil {
            throw Malformed(description: "show stat: the header has no \(required) column")
        }
        var rows: [StatRow] = []
        for (offset, line) in lines.dropFirst().enumerated() {
            let values = cells(line)
            func cell(_ name: String) -> String {
                guard let index = column[name], index < values.count else { return "" }
                return values[index]
            }
            guard values.count >= names.count - 1 else {
                throw Malformed(description: "show stat: line \(offset + 2) has \(values.count) cells, the header \(names.count)")
            }
            let kind: StatRow.Kind
            switch cell("type") {
            case "0": kind = .frontend
            case "1": kind = .backend
            case "2": kind = .server
            case "3": kind = .listener
            case let other: throw Malformed(description: "show stat: line \(offset + 2) has type '\(other)'")
            }
            rows.append(StatRow(
                id: StatRow.ID(proxy: cell("pxname"), service: cell("svname")), kind: kind, status: cell("status"),
                queueCurrent: cell("qcur"), sessionsCurrent: cell("scur"), sessionsMax: cell("smax"),
                sessionsLimit: cell("slim"), rate: cell("rate"), bytesIn: cell("bin"), bytesOut: cell("bout"),
                weight: cell("weight"), checkStatus: cell("check_status"), checkDuration: cell("check_duration"),
                lastCheck: cell("last_chk"), lastChange: cell("lastchg")))
        }
        return rows
    }

    /// A CSV line's cells. `show stat` quotes nothing; a trailing comma ends the last cell.
    static func cells(_ line: Substring) -> [String] {
        var values = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if values.last == "" { values.removeLast() }
        return values
    }
}

/// `show info` reduced to the header line of `ordrelctl top`.
public struct InfoSummary: Equatable, Sendable {
    public let fields: [String: String]

    /// `Name: value` lines; anything else is skipped.
    public init(parsing text: String) {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            fields[String(line[..<colon])] = String(value)
        }
        self.fields = fields
    }

    /// `HAProxy 2.6.12  pid 42  up 0d 0h01m05s  conns 3/2000  rate 5/s  threads 2`: the fields
    /// present, in that order.
    public var line: String {
        var parts: [String] = []
        let product = [fields["Name"], fields["Version"]].compactMap { $0 }.joined(separator: " ")
        if !product.isEmpty { parts.append(product) }
        if let pid = fields["Pid"] { parts.append("pid \(pid)") }
        if let uptime = fields["Uptime"] { parts.append("up \(uptime)") }
        if let current = fields["CurrConns"] { parts.append("conns \(current)/\(fields["Maxconn"] ?? "-")") }
        if let rate = fields["SessRate"] { parts.append("rate \(rate)/s") }
        if let threads = fields["Nbthread"] { parts.append("threads \(threads)") }
        return parts.joined(separator: "  ")
    }
}
