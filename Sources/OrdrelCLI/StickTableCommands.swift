/// `show table`, `clear table` and `set table`, as haproxy 2.6's `cli_parse_table_req`,
/// `table_process_entry_per_key`, `table_prepare_data_request` and `cli_io_handler_table`,
/// with their exact replies. Whole-table dumps and clears follow the socket's level (haproxy
/// reads the listener's), key operations the session's.

/// A stick table for `show table`.
public struct StickTableInfo: Sendable, Equatable {
    public var name: String
    /// `ip`, `ipv6`, `integer`, `string`.
    public var type: String
    public var size: Int
    public var used: Int
    /// Names of the data types it stores.
    public var stored: [String]

    public init(name: String, type: String, size: Int, used: Int, stored: [String]) {
        self.name = name
        self.type = type
        self.size = size
        self.used = used
        self.stored = stored
    }
}

/// `data.<type> <op> <value>`: keeps entries whose value compares so.
public struct StickTableFilter: Sendable, Equatable {
    public enum Operator: String, Sendable, CaseIterable {
        case eq, ne, le, ge, lt, gt
    }

    public var dataType: String
    public var op: Operator
    public var value: Int64

    public init(dataType: String, op: Operator, value: Int64) {
        self.dataType = dataType
        self.op = op
        self.value = value
    }

    /// haproxy's test: an entry is skipped when its value does not compare so.
    public func keeps(_ data: Int64) -> Bool {
        switch op {
        case .eq: return data == value
        case .ne: return data != value
        case .le: return data <= value
        case .ge: return data >= value
        case .lt: return data < value
        case .gt: return data > value
        }
    }
}

/// One stored value of an entry, as `show table` prints it: `name=text` or `name(period)=text`.
public struct StickTableValue: Sendable, Equatable {
    public var name: String
    /// The period of a rate, ms.
    public var period: UInt64?
    public var text: String

    public init(name: String, period: UInt64?, text: String) {
        self.name = name
        self.period = period
        self.text = text
    }
}

/// One entry of `show table <t>`.
public struct StickTableRow: Sendable, Equatable {
    /// Printed where haproxy prints the entry's address.
    public var id: UInt64
    public var key: String
    /// Streams tracking it.
    public var use: Int
    /// Milliseconds before it expires (0 when it never does).
    public var expiresInMs: Int64
    public var values: [StickTableValue]

    public init(id: UInt64, key: String, use: Int, expiresInMs: Int64, values: [StickTableValue]) {
        self.id = id
        self.key = key
        self.use = use
        self.expiresInMs = expiresInMs
        self.values = values
    }

    var line: String {
        var out = "0x\(String(id, radix: 16)): key=\(key) use=\(use) exp=\(expiresInMs)"
        for value in values {
            out += " \(value.name)"
            if let period = value.period { out += "(\(period))" }
            out += "=\(value.text)"
        }
        return out + "\n"
    }
}

/// What an operation on a table's entries gave.
public enum StickTableResult: Sendable, Equatable {
    case rows([StickTableRow])
    /// The key is not one of the table's type ("Invalid key").
    case invalidKey
    /// `clear table <t> key <k>` of an entry a stream tracks.
    case inUse
    /// `set table` on a full table.
    case full
}

extension CLISession {
    enum TableAction {
        case show, clear, set
    }

    /// haproxy's data type names: an unknown one is refused before asking whether it is stored.
    static let stickDataTypes: Set<String> = [
        "server_id", "gpt0", "gpc0", "gpc0_rate", "conn_cnt", "conn_rate", "conn_cur", "sess_cnt", "sess_rate",
        "http_req_cnt", "http_req_rate", "http_err_cnt", "http_err_rate", "bytes_in_cnt", "bytes_in_rate",
        "bytes_out_cnt", "bytes_out_rate", "gpc1", "gpc1_rate", "server_key", "http_fail_cnt", "http_fail_rate",
        "gpt", "gpc", "gpc_rate",
    ]

    func tableCommand(_ r: RequestParser.Request, _ action: TableAction) {
        let name = r.arg(2)
        guard !name.isEmpty else {
            guard action == .show else { return tableArgumentsError(action) }
            reply(runtime.stickTables().map(Self.tableHeader).joined())
            return
        }
        guard let table = runtime.stickTables().first(where: { $0.name == name }) else {
            reply("No such table\n")
            return
        }
        let option = r.arg(3)
        if option == "key" {
            tableKeyCommand(r, action, table)
        } else if option.hasPrefix("data.") {
            guard action != .set else {
                reply("content-based lookup is only supported with the \"show\" and \"clear\" actions\n")
                return
            }
            guard let filters = tableFilters(r, table) else { return }
            tableDump(table, action, filters: filters)
        } else if !option.isEmpty {
            tableArgumentsError(action)
        } else if action != .set {
            tableDump(table, action, filters: [])
        }
    }

    private static func tableHeader(_ table: StickTableInfo) -> String {
        "# table: \(table.name), type: \(table.type), size:\(table.size), used:\(table.used)\n"
    }

    private func tableArgumentsError(_ action: TableAction) {
        switch action {
        case .show: reply("Optional argument only supports \"data.<store_data_type>\" <operator> <value> and key <key>\n")
        case .clear: reply("Required arguments: <table> \"data.<store_data_type>\" <operator> <value> or <table> key <key>\n")
        case .set: reply("Required arguments: <table> key <key> [data.<store_data_type> <value>]*\n")
        }
    }

    /// Up to four `data.<type> <op> <value>` filters.
    private func tableFilters(_ r: RequestParser.Request, _ table: StickTableInfo) -> [StickTableFilter]? {
        var filters: [StickTableFilter] = []
        var i = 0
        while i < 4 {
            if i > 0 && r.arg(3 + 3 * i).isEmpty { break }
            let type = String(r.arg(3 + 3 * i).dropFirst(5))
            let number = i + 1
            guard Self.stickDataTypes.contains(type) else {
                reply("Filter entry #\(number): Unknown data type\n")
                return nil
            }
            guard table.stored.contains(type) else {
                reply("Filter entry #\(number): Data type not stored in this table\n")
                return nil
            }
            guard let op = StickTableFilter.Operator(rawValue: r.arg(4 + 3 * i)) else {
                reply("Filter entry #\(number): Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"\n")
                return nil
            }
            guard let value = Int64(r.arg(5 + 3 * i)) else {
                reply("Filter entry #\(number): Require a valid integer value to compare against\n")
                return nil
            }
            filters.append(StickTableFilter(dataType: type, op: op, value: value))
            i += 1
        }
        if !r.arg(3 + 3 * i).isEmpty {
            reply("Detected extra data in filter, \(3 + 3 * i + 1)th word of input, after '\(r.arg(2 + 3 * i))'\n")
            return nil
        }
        return filters
    }

    /// The whole table: shown (contents only at operator level and above) or cleared.
    private func tableDump(_ table: StickTableInfo, _ action: TableAction, filters: [StickTableFilter]) {
        let allowed = socketLevel >= .operator
        if action == .show {
            reply(Self.tableHeader(table))
            guard allowed else {
                reply("# contents not dumped due to insufficient privileges\n")
                return
            }
        }
        guard allowed, case .rows(let rows) = runtime.stickTableEntries(table.name, key: nil, filters: filters,
                                                                          remove: action == .clear) else { return }
        reply(rows.map(\.line).joined())
    }

    /// `<action> table <t> key <k> [data.<type> <value>]*`.
    private func tableKeyCommand(_ r: RequestParser.Request, _ action: TableAction, _ table: StickTableInfo) {
        let key = r.arg(4)
        guard !key.isEmpty else {
            reply("Key value expected\n")
            return
        }
        guard runtime.stickTableKeyIsValid(table.name, key: key) else {
            reply("Invalid key\n")
            return
        }
        guard require(.operator) else { return }
        switch action {
        case .show:
            guard case .rows(let rows) = runtime.stickTableEntries(table.name, key: key, filters: [], remove: false),
                  let row = rows.first else { return }
            // The header again: the entry was read after it, so `used` may count it.
            let info = runtime.stickTables().first { $0.name == table.name } ?? table
            reply(Self.tableHeader(info) + row.line)
        case .clear:
            if runtime.stickTableEntries(table.name, key: key, filters: [], remove: true) == .inUse {
                reply("Entry currently in use, cannot remove\n")
            }
        case .set:
            // As haproxy, the values before a bad one are stored.
            var values: [(String, Int64)] = []
            var error: String?
            var index = 5
            while !r.arg(index).isEmpty {
                let word = r.arg(index)
                let type = String(word.dropFirst(5))
                if !word.hasPrefix("data.") {
                    error = "\"data.<type>\" followed by a value expected\n"
                } else if !Self.stickDataTypes.contains(type) {
                    error = "Unknown data type\n"
                } else if !table.stored.contains(type) {
                    error = "Data type not stored in this table\n"
                } else if let value = Int64(r.arg(index + 1)) {
                    values.append((type, value))
                } else {
                    error = "Require a valid integer value to store\n"
                }
                if error != nil { break }
                index += 2
            }
            if runtime.setStickTableEntry(table.name, key: key, values: values) == .full {
                reply("Unable to allocate a new entry\n")
            } else if let error {
                reply(error)
            }
        }
    }
}
