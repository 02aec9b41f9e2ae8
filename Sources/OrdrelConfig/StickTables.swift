/// Stick tables as haproxy 2.6 declares and uses them (stick_table.c): the `stick-table` line,
/// `stick on|match|store-request` rules, `track-sc<n>` actions and the `sc_*`/`src_*` fetches.

/// `stick-table type ...`: what a key is made of.
public enum StickKeyType: String, Sendable, Equatable {
    case ip, ipv6, integer, string

    /// Bytes a key takes (`string`: its `len`).
    func keySize(stringLength: Int) -> Int {
        switch self {
        case .ip, .integer: return 4
        case .ipv6: return 16
        case .string: return stringLength
        }
    }
}

/// What an entry stores, numbered as haproxy's `STKTABLE_DT_*`: `show table` prints them in
/// this order.
public enum StickDataType: Int, Sendable, Equatable, Comparable, CaseIterable {
    case serverID = 0, gpt0, gpc0, gpc0Rate, connCount, connRate, connCurrent, sessionCount, sessionRate
    case httpRequestCount, httpRequestRate, httpErrorCount, httpErrorRate
    case bytesInCount, bytesInRate, bytesOutCount, bytesOutRate, gpc1, gpc1Rate, serverKey
    case httpFailCount, httpFailRate

    /// haproxy's name (`store` option, `data.<type>` on the CLI, `show table` column).
    public var name: String {
        switch self {
        case .serverID: return "server_id"
        case .gpt0: return "gpt0"
        case .gpc0: return "gpc0"
        case .gpc0Rate: return "gpc0_rate"
        case .connCount: return "conn_cnt"
        case .connRate: return "conn_rate"
        case .connCurrent: return "conn_cur"
        case .sessionCount: return "sess_cnt"
        case .sessionRate: return "sess_rate"
        case .httpRequestCount: return "http_req_cnt"
        case .httpRequestRate: return "http_req_rate"
        case .httpErrorCount: return "http_err_cnt"
        case .httpErrorRate: return "http_err_rate"
        case .bytesInCount: return "bytes_in_cnt"
        case .bytesInRate: return "bytes_in_rate"
        case .bytesOutCount: return "bytes_out_cnt"
        case .bytesOutRate: return "bytes_out_rate"
        case .gpc1: return "gpc1"
        case .gpc1Rate: return "gpc1_rate"
        case .serverKey: return "server_key"
        case .httpFailCount: return "http_fail_cnt"
        case .httpFailRate: return "http_fail_rate"
        }
    }

    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    /// A rate over a period (haproxy's `freq_ctr`), written `name(<period>)`.
    public var isRate: Bool {
        switch self {
        case .gpc0Rate, .connRate, .sessionRate, .httpRequestRate, .httpErrorRate, .bytesInRate, .bytesOutRate,
             .gpc1Rate, .httpFailRate: return true
        default: return false
        }
    }

    /// Counted from HTTP requests only: a TCP proxy would never change them.
    public var isHTTPOnly: Bool {
        switch self {
        case .httpRequestCount, .httpRequestRate, .httpErrorCount, .httpErrorRate, .httpFailCount, .httpFailRate: return true
        default: return false
        }
    }

    public static func < (lhs: StickDataType, rhs: StickDataType) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One `stick-table` line.
public struct StickTableConfig: Sendable, Equatable {
    /// The proxy that declares it: tables are named after their proxy.
    public var name: String
    public var keyType: StickKeyType
    /// Key bytes (`len` for strings, 32 by default).
    public var keySize: Int
    /// Entries at most.
    public var size: Int
    /// Idle time after which an entry goes, ms; nil: entries only go to make room.
    public var expireMs: UInt64?
    /// `nopurge`: a full table refuses new entries instead of dropping its oldest.
    public var noPurge: Bool
    /// Stored data types, each with its period in ms for rates (0 otherwise).
    public var stored: [StickDataType: UInt64]
    public var location: SourceLocation

    public init(name: String, keyType: StickKeyType, keySize: Int, size: Int, expireMs: UInt64?, noPurge: Bool,
                stored: [StickDataType: UInt64], location: SourceLocation) {
        self.name = name
        self.keyType = keyType
        self.keySize = keySize
        self.size = size
        self.expireMs = expireMs
        self.noPurge = noPurge
        self.stored = stored
        self.location = location
    }
}

/// `stick match|on|store-request <fetch> [table <t>] [if|unless <cond>]` in a backend.
public struct StickRule: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// `stick match`: look the key up for a server.
        case match
        /// `stick on`: look up, then store the server the stream got.
        case on
        /// `stick store-request`: store only.
        case storeRequest = "store-request"

        public var matches: Bool { self != .storeRequest }
        public var stores: Bool { self != .match }
    }

    public var kind: Kind
    public var fetch: ACLFetch
    /// nil: the backend's own table.
    public var table: String?
    public var condition: ACLCondition?
    public var location: SourceLocation

    public init(kind: Kind, fetch: ACLFetch, table: String?, condition: ACLCondition?, location: SourceLocation) {
        self.kind = kind
        self.fetch = fetch
        self.table = table
        self.condition = condition
        self.location = location
    }
}

/// `force-persist|ignore-persist if|unless <cond>`: the first whose condition holds decides.
public struct PersistRule: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// Use the stuck server even when it is down.
        case force = "force-persist"
        /// Do not look the stream up in the stick tables.
        case ignore = "ignore-persist"
    }

    public var kind: Kind
    public var condition: ACLCondition
    public var location: SourceLocation

    public init(kind: Kind, condition: ACLCondition, location: SourceLocation) {
        self.kind = kind
        self.condition = condition
        self.location = location
    }
}

/// `track-sc<n> <fetch> [table <t>]`: the stream's counter `n` follows the fetch's entry.
public struct StickTracking: Sendable, Equatable {
    /// 0, 1 or 2.
    public var counter: Int
    public var fetch: ACLFetch
    /// nil: the table of the proxy holding the rule.
    public var table: String?

    public init(counter: Int, fetch: ACLFetch, table: String?) {
        self.counter = counter
        self.fetch = fetch
        self.table = table
    }
}

/// A `sc*_*` or `src_*` fetch: which entry, and what it reads (or changes) there.
public struct StickCounterFetch: Sendable, Equatable {
    public enum Entry: Sendable, Equatable {
        /// The entry tracked by counter `n` (`sc<n>_*`, `sc_*(<n>)`).
        case tracked(Int)
        /// The client address's entry (`src_*`), looked up without tracking it.
        case source
    }

    /// What the fetch does with the entry.
    public enum Operation: String, Sendable, Equatable, CaseIterable {
        case connCurrent = "conn_cur", connCount = "conn_cnt", connRate = "conn_rate"
        case sessionCount = "sess_cnt", sessionRate = "sess_rate"
        case bytesInRate = "bytes_in_rate", bytesOutRate = "bytes_out_rate"
        case kbytesIn = "kbytes_in", kbytesOut = "kbytes_out"
        case getGPC0 = "get_gpc0", incGPC0 = "inc_gpc0", clearGPC0 = "clr_gpc0", gpc0Rate = "gpc0_rate"
        case getGPC1 = "get_gpc1", incGPC1 = "inc_gpc1", clearGPC1 = "clr_gpc1", gpc1Rate = "gpc1_rate"
        case getGPT0 = "get_gpt0"
        /// `sc_tracked`: whether the counter is tracked (a boolean).
        case tracked
        /// `sc_trackers`, `src_trackers`: streams tracking the entry now.
        case trackers

        /// The data type the operation reads; nil for `tracked`/`trackers`.
        public var dataType: StickDataType? {
            switch self {
            case .connCurrent: return .connCurrent
            case .connCount: return .connCount
            case .connRate: return .connRate
            case .sessionCount: return .sessionCount
            case .sessionRate: return .sessionRate
            case .bytesInRate: return .bytesInRate
            case .bytesOutRate: return .bytesOutRate
            case .kbytesIn: return .bytesInCount
            case .kbytesOut: return .bytesOutCount
            case .getGPC0, .incGPC0, .clearGPC0: return .gpc0
            case .gpc0Rate: return .gpc0Rate
            case .getGPC1, .incGPC1, .clearGPC1: return .gpc1
            case .gpc1Rate: return .gpc1Rate
            case .getGPT0: return .gpt0
            case .tracked, .trackers: return nil
            }
        }
    }

    public var entry: Entry
    public var operation: Operation
    /// nil: the tracked counter's table (`sc*`), or the proxy's own table (`src_*`).
    public var table: String?

    /// The fetch's name as written without arguments (`sc0_conn_rate`, `src_conn_rate`).
    public var name: String {
        switch entry {
        case .tracked(let n): return "sc\(n)_\(operation.rawValue)"
        case .source: return "src_\(operation.rawValue)"
        }
    }

    public init(entry: Entry, operation: Operation, table: String?) {
        self.entry = entry
        self.operation = operation
        self.table = table
    }
}

/// The names of the stick counter fetches (haproxy 2.6's `sc_*`, `sc<n>_*`, `src_*`).
enum StickFetchParser {
    /// nil when `name` is not a stick counter fetch; throws for one ordrel cannot serve.
    static func parse(name: String, arguments: [String]) throws(ACLParser.Failure) -> StickCounterFetch? {
        let entry: StickCounterFetch.Entry
        let suffix: Substring
        var arguments = arguments[...]
        if name.hasPrefix("src_") {
            entry = .source
            suffix = name.dropFirst(4)
        } else if name.hasPrefix("sc_") {
            guard let first = arguments.first, let n = Int(first), (0...2).contains(n) else {
                throw ACLParser.Failure("fetch method '\(name)' expects a stick counter number (0 to 2) as its first argument.")
            }
            entry = .tracked(n)
            suffix = name.dropFirst(3)
            arguments = arguments.dropFirst()
        } else if name.count > 4, name.hasPrefix("sc"), let n = Int(String(name.dropFirst(2).prefix(1))),
                  name.dropFirst(3).first == "_" {
            guard (0...2).contains(n) else { throw ACLParser.Failure("fetch method '\(name)' : ordrel has stick counters 0 to 2.") }
            entry = .tracked(n)
            suffix = name.dropFirst(4)
        } else {
            return nil
        }
        guard arguments.count <= 1 else { throw ACLParser.Failure("fetch method '\(name)' expects at most a table name.") }
        let table = arguments.first.flatMap { $0.isEmpty ? nil : $0 }
        if let operation = StickCounterFetch.Operation(rawValue: String(suffix)) {
            if operation == .tracked, entry == .source {
                throw ACLParser.Failure("unknown fetch method '\(name)'.")
            }
            return StickCounterFetch(entry: entry, operation: operation, table: table)
        }
        if suffix.hasPrefix("http_") {
            throw ACLParser.Failure("fetch method '\(name)' counts HTTP requests; ordrel only implements 'mode tcp'.")
        }
        if suffix == "updt_conn_cnt" || suffix.hasPrefix("get_gpt") || suffix.hasPrefix("get_gpc") || suffix.hasPrefix("inc_gpc")
            || suffix.hasPrefix("clr_gpc") || suffix.hasPrefix("gpc_") {
            throw ACLParser.Failure("fetch method '\(name)' is not supported by ordrel (it implements gpc0, gpc1 and gpt0).")
        }
        return nil
    }
}
