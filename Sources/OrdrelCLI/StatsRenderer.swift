/// Output format shared by `show stat` and `show info`.
public enum StatsFormat: Sendable {
    /// CSV (stat) / `Name: value` lines (info).
    case plain
    /// `typed` lines with tags and types.
    case typed
    /// `json` array.
    case json
}

/// Renders `show stat` rows one at a time so a dump can be streamed.
struct StatsRenderer {
    let format: StatsFormat
    /// `desc` option: typed lines carry the column description.
    let withDescriptions: Bool
    /// Below operator level haproxy hides `addr` and `algo` (STAT_SHLGNDS).
    let showLegends: Bool
    /// A CSV row is written here, then appended to the reply at once: a row is some hundred
    /// cells, and each `Array.append` checked the array's uniqueness in the runtime.
    private let csvLine = LineBuffer()

    /// The memory of `csvLine`, kept from row to row (and shared by copies of the renderer,
    /// which render on one thread, one row at a time).
    private final class LineBuffer {
        var writer = ByteWriter(capacity: 2048)
    }

    init(format: StatsFormat, withDescriptions: Bool, showLegends: Bool) {
        self.format = format
        self.withDescriptions = withDescriptions
        self.showLegends = showLegends
    }

    private static let columns = StatsColumns.all
    private static let addrIndex = StatsColumns.csvIndex["addr"] ?? -1
    private static let algoIndex = StatsColumns.csvIndex["algo"] ?? -1
    private static let typedLetters: [UInt8] = [UInt8(ascii: "F"), UInt8(ascii: "B"), UInt8(ascii: "S")]
    private static let jsonObjTypes: [[UInt8]] = [
        Array("{\"objType\":\"Frontend\",\"proxyId\":".utf8),
        Array("{\"objType\":\"Backend\",\"proxyId\":".utf8),
        Array("{\"objType\":\"Server\",\"proxyId\":".utf8),
    ]

    /// Written before the first row.
    func appendPrologue(into out: inout [UInt8]) {
        switch format {
        case .plain: out.append(contentsOf: StatsColumns.csvHeader)
        case .typed: break
        case .json: out.append(UInt8(ascii: "["))
        }
    }

    /// Written after the last row (before the CLI's empty-line terminator).
    func appendEpilogue(into out: inout [UInt8]) {
        if format == .json { out.append(contentsOf: [UInt8(ascii: "]"), 0x0A]) }
    }

    @inline(__always)
    private func cell(_ i: Int, _ col: StatsColumn, _ row: StatsRow) -> StatCell {
        if !showLegends && (i == Self.addrIndex || i == Self.algoIndex) { return .empty }
        switch col.source {
        case .field(let f): return row.cell(f)
        case .constant(let v): return .u(v)
        case .never, .separator: return .empty
        }
    }

    /// Appends one row; `isFirst` only matters for JSON separators.
    func appendRow(_ row: StatsRow, isFirst: Bool, into out: inout [UInt8]) {
        switch format {
        case .plain: appendCSV(row, into: &out)
        case .typed: appendTyped(row, into: &out)
        case .json: appendJSON(row, isFirst: isFirst, into: &out)
        }
    }

    /// What one CSV cell prints for one object kind: a plain value type, so the row loop does no
    /// reference counting (copying a `StatsColumn` per cell cost more than formatting it).
    private enum CSVCell {
        /// The `-` marker column.
        case separator
        /// Always empty for this kind.
        case empty
        /// A fixed number haproxy prints in TCP mode.
        case constant(UInt64)
        /// A `StatsRow` field.
        case field(StatField)
    }

    /// `csvPlans[kind][column]`, computed once from the column table.
    private static let csvPlans: [[CSVCell]] = (0..<3).map { kind in
        columns.map { col -> CSVCell in
            if case .separator = col.source { return .separator }
            guard col.specs[kind] != nil else { return .empty }
            switch col.source {
            case .field(let field): return .field(field)
            case .constant(let value): return .constant(value)
            case .never, .separator: return .empty
            }
        }
    }

    private func appendCSV(_ row: StatsRow, into out: inout [UInt8]) {
        let plan = Self.csvPlans[Int(row.kind.rawValue)]
        let comma = UInt8(ascii: ",")
        var line = csvLine.writer
        line.removeAll()
        defer {
            line.withBytes { out.append(contentsOf: $0) }
            csvLine.writer = line
        }
        for cell in plan {
            switch cell {
            case .separator:
                line.append(UInt8(ascii: "-"))
            case .empty:
                break
            case .constant(let value):
                line.appendDecimal(value)
            case .field(let field):
                if !showLegends && (field == .addr || field == .algo) { break }
                switch row.cell(field) {
                case .empty: break
                case .u(let v): line.appendDecimal(v)
                case .s(let v): line.appendDecimal(v)
                case .str(let s): line.appendCSV(s)
                }
            }
            line.append(comma)
        }
        line.append(0x0A)
    }

    private func appendTyped(_ row: StatsRow, into out: inout [UInt8]) {
        let k = Int(row.kind.rawValue)
        let cols = Self.columns
        for i in 0..<cols.count {
            let col = cols[i]
            guard let spec = col.specs[k] else { continue }
            let c = cell(i, col, row)
            if case .empty = c { continue }
            out.append(Self.typedLetters[k])
            out.append(UInt8(ascii: "."))
            out.appendDecimal(row.iid)
            out.append(UInt8(ascii: "."))
            out.appendDecimal(row.sid)
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: spec.typedSuffix)
            switch c {
            case .empty: break
            case .u(let v): out.appendDecimal(v)
            case .s(let v): out.appendDecimal(v)
            case .str(let s): out.appendCSV(s)
            }
            if withDescriptions {
                out.append(":\"")
                out.append(col.desc)
                out.append(UInt8(ascii: "\""))
            }
            out.append(0x0A)
        }
    }

    private func appendJSON(_ row: StatsRow, isFirst: Bool, into out: inout [UInt8]) {
        let k = Int(row.kind.rawValue)
        let cols = Self.columns
        if !isFirst { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "["))
        var firstField = true
        for i in 0..<cols.count {
            let col = cols[i]
            guard let spec = col.specs[k] else { continue }
            let c = cell(i, col, row)
            if case .empty = c { continue }
            if !firstField { out.append(UInt8(ascii: ",")) }
            firstField = false
            out.append(contentsOf: Self.jsonObjTypes[k])
            out.appendDecimal(row.iid)
            out.append(",\"id\":")
            out.appendDecimal(row.sid)
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: spec.jsonMiddle)
            switch c {
            case .empty: break
            case .u(let v): out.appendDecimal(v)
            case .s(let v): out.appendDecimal(v)
            case .str(let s): out.appendJSONString(s)
            }
            out.append("}}")
        }
        out.append(UInt8(ascii: "]"))
    }
}
