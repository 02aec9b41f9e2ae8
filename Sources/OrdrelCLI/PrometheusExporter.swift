/// Prometheus metric type, as `# TYPE` prints it.
enum PrometheusMetricType: String, Sendable {
    case gauge, counter
}

/// One `haproxy_process_*` metric: a `show info` field under promex's name.
struct PrometheusProcessMetric: Sendable {
    /// The `show info` field it prints (nil: one haproxy 2.6 leaves out of `show info`, such as
    /// `ZlibMemUsage`); absent or text values print `NaN`.
    let field: InfoKey?
    let name: String
    let type: PrometheusMetricType
    let help: String
}

/// Which objects print a proxy metric (promex's FRONT/BACK/SRV flags).
struct PrometheusKinds: OptionSet, Sendable {
    let rawValue: UInt8
    static let fe = PrometheusKinds(rawValue: 1 << 0)
    static let be = PrometheusKinds(rawValue: 1 << 1)
    static let srv = PrometheusKinds(rawValue: 1 << 2)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(_ kind: StatsObjectKind) {
        switch kind {
        case .frontend: self = .fe
        case .backend: self = .be
        case .server: self = .srv
        }
    }
}

/// How a proxy metric turns a `show stat` row into sample lines (promex's special cases).
enum PrometheusRendering: Sendable {
    /// The cell as `show stat` prints it for this object; an empty cell or text is `NaN`.
    case value
    /// `value`, printed for `mode http` proxies only.
    case http
    /// One `http_responses_total{code=...}` line for `mode http` proxies; the six codes share
    /// one `# HELP`/`# TYPE`, printed with `1xx`.
    case httpCode(String)
    /// One line per state label, 1 for the object's state (frontend, backend or server states).
    case status
    /// Server with checks running: one line per check status, 1 for the last one.
    case checkStatus
    /// Server with checks running: the layer 5-7 code (0 for TCP checks).
    case checkCode
    /// Server whose check has completed once: its last duration in seconds.
    case checkDuration
    /// A time column in milliseconds, printed in seconds.
    case milliseconds
    /// Backend with servers: how many of them are in each server state.
    case serverStates
    /// Backend with servers: how many of them ended their last check in each check status
    /// (servers in maintenance included).
    case checkStates
}

/// One `haproxy_{frontend,backend,server}_*` metric, read from a `show stat` column.
struct PrometheusMetric: Sendable {
    let column: String
    let name: String
    let type: PrometheusMetricType
    let kinds: PrometheusKinds
    let rendering: PrometheusRendering
    let help: String
    /// Where the column's value comes from, and for which kinds `show stat` fills it.
    let source: StatSource
    let filled: [Bool]

    init(column: String, name: String, type: PrometheusMetricType, kinds: PrometheusKinds,
         rendering: PrometheusRendering, help: String) {
        self.column = column
        self.name = name
        self.type = type
        self.kinds = kinds
        self.rendering = rendering
        self.help = help
        let stat = StatsColumns.csvIndex[column].map { StatsColumns.all[$0] }
        precondition(stat != nil, "promex metric \(name) reads unknown show stat column \(column)")
        source = stat?.source ?? .never
        filled = stat?.specs.map { $0 != nil } ?? [false, false, false]
    }
}

/// The Prometheus text exposition (version 0.0.4) of haproxy 2.6's exporter, built from the
/// same `show info` values and `show stat` rows as the CLI, plus ordrel's latency histograms.
/// Sans-IO: values in, bytes out; the HTTP side sends them with haproxy's headers
/// (`contentType`, `Cache-Control: no-cache`).
public enum PrometheusExporter {
    /// The `Content-Type` haproxy's exporter answers with.
    public static let contentType = "text/plain; version=0.0.4"

    /// Renders every metric `query` selects. `rows` are `show stat`'s, in its order (per proxy:
    /// FRONTEND, servers, BACKEND); `info` is `show info`'s.
    /// `tables` are `show table`'s, in its order.
    public static func render(info: InfoValues, rows: [StatsRow], query: PrometheusQuery,
                              tables: [StickTableInfo] = []) -> [UInt8] {
        var out = ByteWriter()
        render(info: info, rows: rows, query: query, tables: tables, into: &out)
        return out.withBytes { Array($0) }
    }

    /// `render` appended to `out`: a connection's writer keeps its memory from one scrape to
    /// the next instead of growing a new buffer to the same size.
    public static func render(info: InfoValues, rows: [StatsRow], query: PrometheusQuery,
                              tables: [StickTableInfo] = [], into out: inout ByteWriter) {
        rows.withUnsafeBufferPointer { rows in
            let labels = PrometheusWriter.labels(of: rows)
            labels.bytes.withUnsafeBufferPointer { labelBytes in
                // The writer takes `out` (its memory) and hands it back, grown if need be.
                var writer = PrometheusWriter(out: out, rows: rows, labels: labels.ranges, labelBytes: labelBytes)
                writer.render(info: info, query: query)
                if query.scopes.contains(.sticktable) { writer.stickTables(tables) }
                out = writer.out
            }
        }
    }
}

/// promex's server states (promex_srv_status), from the `show stat` status, whose first word
/// haproxy derives from the same admin and operational state.
enum ServerStateLabel: Int, CaseIterable {
    case down, up, maint, drain, nolb

    static let names = ["DOWN", "UP", "MAINT", "DRAIN", "NOLB"]

    /// From the status's first word, compared as bytes (no substring is built).
    init(status: String) {
        let word = status.utf8.prefix { $0 != UInt8(ascii: " ") }
        if word.elementsEqual("MAINT".utf8) {
            self = .maint
        } else if word.elementsEqual("DRAIN".utf8) {
            self = .drain
        } else if word.elementsEqual("NOLB".utf8) {
            self = .nolb
        } else if word.elementsEqual("DOWN".utf8) {
            self = .down
        } else {
            self = .up // UP, UP n/m (going down) and "no check"
        }
    }
}

/// The check statuses promex lists (those whose result is at least "failed"), in haproxy's order.
let prometheusCheckStates = [
    "HANA", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK", "L6TOUT", "L6RSP", "L7TOUT", "L7RSP", "L7OK",
    "L7OKC", "L7STS", "PROCERR", "PROCTOUT", "PROCOK",
]

/// Bytes made once for the life of the process and never freed, read without reference
/// counting: a scrape appends thousands of names and labels, and retaining and releasing an
/// Array for each was a third of its CPU time.
typealias ImmortalBytes = UnsafeBufferPointer<UInt8>

extension UnsafeBufferPointer where Element == UInt8 {
    /// An immortal copy of `text`; an empty text allocates nothing (a writer's placeholder family
    /// is made per scrape, and would otherwise leak a byte each time).
    static func immortal(_ text: String) -> ImmortalBytes {
        guard !text.isEmpty else { return .none }
        let bytes = Array(text.utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        return ImmortalBytes(rebasing: buffer[0..<bytes.count])
    }

    static var none: ImmortalBytes { ImmortalBytes(start: nil, count: 0) }
}

/// A metric family's bytes: its name and its `# HELP`/`# TYPE` lines.
struct PrometheusFamily: @unchecked Sendable {
    let name: ImmortalBytes
    /// Empty for a family printed under the header of the one before it (`http_responses_total`
    /// with a `code` other than `1xx`).
    let header: ImmortalBytes

    init(name: String, help: String, type: String, withHeader: Bool = true) {
        self.name = .immortal(name)
        header = withHeader ? .immortal("# HELP \(name) \(help)\n# TYPE \(name) \(type)\n") : .none
    }
}

/// A `haproxy_{frontend,backend,server}_*` metric as the writer reads it: plain values only
/// (copying one retains nothing).
struct PrometheusProxyFamily: @unchecked Sendable {
    let family: PrometheusFamily
    let rendering: Rendering
    /// `,code="..."` for `http_responses_total`, else empty.
    let codeLabel: ImmortalBytes
    let source: StatSource
    /// Whether `show stat` fills the column, by `StatsObjectKind` raw value.
    let filled: (Bool, Bool, Bool)

    /// `PrometheusRendering` without its payload.
    enum Rendering {
        case value, http, httpCode, status, checkStatus, checkCode, checkDuration, milliseconds, serverStates, checkStates
    }

    init(_ metric: PrometheusMetric, prefix: String) {
        var withHeader = true
        var code = ImmortalBytes.none
        switch metric.rendering {
        case .value: rendering = .value
        case .http: rendering = .http
        case .httpCode(let value):
            rendering = .httpCode
            withHeader = value == "1xx"
            code = .immortal(",code=\"\(value)\"")
        case .status: rendering = .status
        case .checkStatus: rendering = .checkStatus
        case .checkCode: rendering = .checkCode
        case .checkDuration: rendering = .checkDuration
        case .milliseconds: rendering = .milliseconds
        case .serverStates: rendering = .serverStates
        case .checkStates: rendering = .checkStates
        }
        family = PrometheusFamily(name: prefix + metric.name, help: metric.help, type: metric.type.rawValue, withHeader: withHeader)
        codeLabel = code
        source = metric.source
        filled = (metric.filled[0], metric.filled[1], metric.filled[2])
    }

    func fills(_ kind: StatsObjectKind) -> Bool {
        switch kind {
        case .frontend: return filled.0
        case .backend: return filled.1
        case .server: return filled.2
        }
    }
}

/// One `ordrel_*_seconds` histogram family: the names of its three kinds of line.
struct PrometheusHistogramFamily: @unchecked Sendable {
    let family: PrometheusFamily
    let bucket: ImmortalBytes
    let sum: ImmortalBytes
    let count: ImmortalBytes
    /// Which of a row's `LatencyHistograms` it prints.
    let latency: LatencyKind

    enum LatencyKind {
        case queue, connect, session
    }

    func histogram(_ all: LatencyHistograms) -> LatencyHistogram {
        switch latency {
        case .queue: return all.queue
        case .connect: return all.connect
        case .session: return all.session
        }
    }
}

/// Everything constant in a scrape, as bytes: names, headers and label pairs.
enum PrometheusTables {
    static let process: [PrometheusFamily] = PrometheusProcessMetric.all.map {
        PrometheusFamily(name: "haproxy_process_" + $0.name, help: $0.help, type: $0.type.rawValue)
    }
    static let frontend = proxyFamilies(prefix: "haproxy_frontend_", kind: .fe)
    static let backend = proxyFamilies(prefix: "haproxy_backend_", kind: .be)
    static let server = proxyFamilies(prefix: "haproxy_server_", kind: .srv)
    static let stickTableSize = PrometheusFamily(name: "haproxy_sticktable_size", help: "Stick table size.", type: "gauge")
    static let stickTableUsed = PrometheusFamily(name: "haproxy_sticktable_used",
                                                 help: "Number of entries used in this stick table.", type: "gauge")
    static let backendHistograms = histogramFamilies(prefix: "ordrel_backend_")
    static let serverHistograms = histogramFamilies(prefix: "ordrel_server_")

    /// `,state="DOWN"` ... in `ServerStateLabel` order; frontends and backends use the first two.
    nonisolated(unsafe) static let serverStates: [ImmortalBytes] = ServerStateLabel.names.map { label("state", $0) }
    /// `,state="HANA"` ... in `prometheusCheckStates` order.
    nonisolated(unsafe) static let checkStates: [ImmortalBytes] = prometheusCheckStates.map { label("state", $0) }
    /// The same states, for comparing a check's status without building a String.
    static let checkStateNames: [[UInt8]] = prometheusCheckStates.map { Array($0.utf8) }
    /// `,le="0.0001"` ... `,le="+Inf"`: each bound in seconds, shortest form.
    nonisolated(unsafe) static let bucketLabels: [ImmortalBytes] = (LatencyHistogram.boundsMicros.map { micros in
        let whole = micros / 1_000_000
        var fraction = String(micros % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
    } + ["+Inf"]).map { label("le", $0) }

    static func label(_ name: String, _ value: String) -> ImmortalBytes { .immortal(",\(name)=\"\(value)\"") }

    private static func proxyFamilies(prefix: String, kind: PrometheusKinds) -> [PrometheusProxyFamily] {
        PrometheusMetric.all.filter { $0.kinds.contains(kind) }.map { PrometheusProxyFamily($0, prefix: prefix) }
    }

    private static func histogramFamilies(prefix: String) -> [PrometheusHistogramFamily] {
        let families: [(String, String, PrometheusHistogramFamily.LatencyKind)] = [
            ("queue_time_seconds", "Time from accept until a server was assigned, queueing included.", .queue),
            ("connect_time_seconds", "Time to establish the connection to the server.", .connect),
            ("session_duration_seconds", "Duration of sessions, from accept to close.", .session),
        ]
        return families.map { suffix, help, latency in
            let name = prefix + suffix
            return PrometheusHistogramFamily(
                family: PrometheusFamily(name: name, help: help, type: "histogram"),
                bucket: .immortal(name + "_bucket"), sum: .immortal(name + "_sum"),
                count: .immortal(name + "_count"), latency: latency)
        }
    }
}

/// Appends exposition lines for the rows of one scrape; `# HELP`/`# TYPE` go before a metric's
/// first sample, so a metric no object prints leaves no header, as in promex. Rows are read in
/// place (a `StatsRow` is large), their labels built once per scrape into one buffer.
private struct PrometheusWriter {
    var out: ByteWriter
    private let rows: UnsafeBufferPointer<StatsRow>
    /// Each row's `{proxy="..."` or `{proxy="...",server="..."` (no closing brace), in `labelBytes`.
    private let labels: [Range<Int>]
    private let labelBytes: UnsafeBufferPointer<UInt8>
    private var family = PrometheusFamily(name: "", help: "", type: "", withHeader: false)
    private var headerPending = false

    /// `labelBytes` must hold what `labels(of:)` made for `rows`, and outlive the writer.
    init(out: ByteWriter, rows: UnsafeBufferPointer<StatsRow>, labels: [Range<Int>], labelBytes: UnsafeBufferPointer<UInt8>) {
        self.out = out
        self.rows = rows
        self.labels = labels
        self.labelBytes = labelBytes
    }

    /// Every row's labels, one after the other, and where each is.
    static func labels(of rows: UnsafeBufferPointer<StatsRow>) -> (bytes: [UInt8], ranges: [Range<Int>]) {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(rows.count)
        for index in rows.indices {
            let start = bytes.count
            bytes.append("{proxy=\"")
            bytes.append(rows[index].pxname)
            if rows[index].kind == .server {
                bytes.append("\",server=\"")
                bytes.append(rows[index].svname)
            }
            bytes.append(UInt8(ascii: "\""))
            ranges.append(start..<bytes.count)
        }
        return (bytes, ranges)
    }

    private func labels(_ index: Int) -> ImmortalBytes {
        ImmortalBytes(rebasing: labelBytes[labels[index]])
    }

    mutating func render(info: InfoValues, query: PrometheusQuery) {
        let scopes = query.scopes
        if scopes.contains(.global) { process(info) }
        let frontends = rows.indices.filter { rows[$0].kind == .frontend }
        let backends = rows.indices.filter { rows[$0].kind == .backend }
        let servers = rows.indices.filter { rows[$0].kind == .server }
        if scopes.contains(.frontend) {
            proxyMetrics(PrometheusTables.frontend, rows: frontends, aggregates: [:])
        }
        // Listeners (`option socket-stats`): ordrel has none, so that scope prints nothing, as
        // haproxy without them. Stick tables follow the rows (`stickTables`).
        if scopes.contains(.backend) {
            proxyMetrics(PrometheusTables.backend, rows: backends, aggregates: aggregates(servers))
            histograms(PrometheusTables.backendHistograms, rows: backends)
        }
        if scopes.contains(.server) {
            let shown = query.skipsMaintenance ? servers.filter { ServerStateLabel(status: rows[$0].status) != .maint } : servers
            proxyMetrics(PrometheusTables.server, rows: shown, aggregates: [:])
            histograms(PrometheusTables.serverHistograms, rows: shown)
        }
    }

    /// Per backend (proxy id), how many of its servers are in each state and ended their last
    /// check in each status (all servers, `no-maint` or not).
    private func aggregates(_ servers: [Int]) -> [UInt64: ServerAggregates] {
        var result: [UInt64: ServerAggregates] = [:]
        for index in servers {
            let check = rows[index].lastCheck.map { Self.index(ofCheckState: $0.status.utf8[...]) }
            result[rows[index].iid, default: ServerAggregates()].add(state: ServerStateLabel(status: rows[index].status), check: check)
        }
        return result
    }

    /// Starts a family; its header is written with its first sample.
    private mutating func begin(_ family: PrometheusFamily) {
        self.family = family
        headerPending = !family.header.isEmpty
    }

    /// `name{labels,extra} ` (the value follows); `name ` when there are no labels.
    @inline(__always)
    private mutating func sampleStart(_ name: ImmortalBytes, labels: ImmortalBytes, extra: ImmortalBytes = .none) {
        if headerPending {
            headerPending = false
            out.append(bytes: family.header)
        }
        out.append(bytes: name)
        if labels.isEmpty && extra.isEmpty {
            out.append(UInt8(ascii: " "))
            return
        }
        out.append(bytes: labels)
        out.append(bytes: extra)
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: " "))
    }

    private mutating func value(_ value: StatCell) {
        switch value {
        case .u(let v): out.appendDecimal(v)
        case .s(let v): out.appendDecimal(v)
        case .empty, .str: out.append(static: "NaN")
        }
        out.append(0x0A)
    }

    private mutating func sample(labels: ImmortalBytes, extra: ImmortalBytes = .none, _ cell: StatCell) {
        sampleStart(family.name, labels: labels, extra: extra)
        value(cell)
    }

    private mutating func sample(labels: ImmortalBytes, extra: ImmortalBytes = .none, _ v: UInt64) {
        sampleStart(family.name, labels: labels, extra: extra)
        out.appendDecimal(v)
        out.append(0x0A)
    }

    /// A value in seconds from whole `units` per second (1000 for ms, 1000000 for µs), with
    /// six decimals as haproxy's `%f`.
    private mutating func seconds(_ amount: UInt64, perSecond: UInt64) {
        out.appendDecimal(amount / perSecond)
        out.append(UInt8(ascii: "."))
        let micros = amount % perSecond * (1_000_000 / perSecond)
        var divisor: UInt64 = 100_000
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: micros / divisor % 10) + UInt8(ascii: "0"))
            divisor /= 10
        }
        out.append(0x0A)
    }

    // MARK: sections

    /// promex's stick table metrics: size, then entries used, per table.
    mutating func stickTables(_ tables: [StickTableInfo]) {
        for (family, size) in [(PrometheusTables.stickTableSize, true), (PrometheusTables.stickTableUsed, false)] {
            begin(family)
            for table in tables {
                Array("{name=\"\(table.name)\",type=\"\(table.type)\"".utf8).withUnsafeBufferPointer {
                    sample(labels: $0, UInt64(size ? table.size : table.used))
                }
            }
        }
    }

    private mutating func process(_ info: InfoValues) {
        for (metric, family) in zip(PrometheusProcessMetric.all, PrometheusTables.process) {
            begin(family)
            if metric.field == .buildInfo {
                let version: String
                if case .str(let text) = info[.version] { version = text } else { version = "" }
                Array("{version=\"\(version)\"".utf8).withUnsafeBufferPointer { sample(labels: $0, 1) }
                continue
            }
            let cell: StatCell
            switch metric.field.flatMap({ info[$0] }) {
            case .u(let v): cell = .u(v)
            case .s(let v): cell = .s(v)
            case .str, nil: cell = .empty
            }
            sample(labels: .none, cell)
        }
    }

    /// Every metric of one object kind, each for every row before the next (promex's order).
    private mutating func proxyMetrics(_ families: [PrometheusProxyFamily], rows indices: [Int],
                                       aggregates: [UInt64: ServerAggregates]) {
        for family in families {
            begin(family.family)
            for index in indices {
                render(family, row: index, aggregates: aggregates)
            }
        }
    }

    private mutating func render(_ family: PrometheusProxyFamily, row index: Int,
                                 aggregates: [UInt64: ServerAggregates]) {
        let labels = labels(index)
        switch family.rendering {
        case .value:
            sample(labels: labels, cell(family, index))
        case .http:
            guard rows[index].mode == "http" else { return }
            sample(labels: labels, cell(family, index))
        case .httpCode:
            guard rows[index].mode == "http" else { return }
            sample(labels: labels, extra: family.codeLabel, cell(family, index))
        case .status:
            let count: Int
            let current: Int
            switch rows[index].kind {
            case .frontend:
                count = 2
                current = rows[index].status == "STOP" ? 0 : 1
            case .backend:
                count = 2
                current = rows[index].status == "UP" ? 1 : 0
            case .server:
                count = ServerStateLabel.allCases.count
                current = ServerStateLabel(status: rows[index].status).rawValue
            }
            for i in 0..<count {
                sample(labels: labels, extra: PrometheusTables.serverStates[i], i == current ? 1 : 0)
            }
        case .checkStatus:
            guard let status = rows[index].checkStatus else { return }
            let current = Self.checkIndex(status)
            for i in PrometheusTables.checkStates.indices {
                sample(labels: labels, extra: PrometheusTables.checkStates[i], i == current ? 1 : 0)
            }
        case .checkCode:
            guard rows[index].checkStatus != nil else { return }
            sample(labels: labels, rows[index].checkCode ?? 0)
        case .checkDuration:
            // Once a check has completed, even while checks are disabled or paused (promex reads
            // the check, not the stats cell).
            guard let check = rows[index].lastCheck, check.status != "INI" else { return }
            sampleStart(family.family.name, labels: labels)
            seconds(check.durationMs, perSecond: 1000)
        case .milliseconds:
            guard case .u(let ms) = cell(family, index) else {
                sample(labels: labels, StatCell.empty)
                return
            }
            sampleStart(family.family.name, labels: labels)
            seconds(ms, perSecond: 1000)
        case .serverStates:
            guard let servers = aggregates[rows[index].iid] else { return }
            for i in servers.states.indices {
                sample(labels: labels, extra: PrometheusTables.serverStates[i], servers.states[i])
            }
        case .checkStates:
            guard let servers = aggregates[rows[index].iid] else { return }
            for i in servers.checks.indices {
                sample(labels: labels, extra: PrometheusTables.checkStates[i], servers.checks[i])
            }
        }
    }

    /// The cell `show stat` prints for this row's kind (empty where it prints nothing).
    private func cell(_ family: PrometheusProxyFamily, _ index: Int) -> StatCell {
        guard family.fills(rows[index].kind) else { return .empty }
        switch family.source {
        case .field(let field):
            if let average = rows[index].windowAverages?.value(of: field) { return .u(average) }
            return rows[index].cell(field)
        case .constant(let value): return .u(value)
        case .never, .separator: return .empty
        }
    }

    /// The position of a check status (without the "in progress" mark `* `) in
    /// `prometheusCheckStates`; -1 for one promex does not list.
    static func checkIndex(_ status: String) -> Int {
        var name = status.utf8[...]
        if name.starts(with: "* ".utf8) { name = name.dropFirst(2) }
        return index(ofCheckState: name)
    }

    /// The position of `name` in `prometheusCheckStates`; -1 when it is not there.
    static func index(ofCheckState name: Substring.UTF8View) -> Int {
        PrometheusTables.checkStateNames.firstIndex { $0.elementsEqual(name) } ?? -1
    }

    // MARK: ordrel's histograms

    /// `<prefix>{queue_time,connect_time,session_duration}_seconds` for every row that has them.
    private mutating func histograms(_ families: [PrometheusHistogramFamily], rows indices: [Int]) {
        for family in families {
            begin(family.family)
            for index in indices {
                guard let latency = rows[index].latency else { continue }
                histogram(family.histogram(latency), family, labels: labels(index))
            }
        }
    }

    private mutating func histogram(_ h: LatencyHistogram, _ family: PrometheusHistogramFamily, labels: ImmortalBytes) {
        // Each `le` line counts the samples at or below its bound: one running sum.
        var cumulative: UInt64 = 0
        for i in 0..<LatencyHistogram.bucketCount {
            cumulative &+= h.samples(inBucket: i)
            sampleStart(family.bucket, labels: labels, extra: PrometheusTables.bucketLabels[i])
            out.appendDecimal(cumulative)
            out.append(0x0A)
        }
        sampleStart(family.sum, labels: labels)
        seconds(h.sumMicros, perSecond: 1_000_000)
        sampleStart(family.count, labels: labels)
        out.appendDecimal(h.count)
        out.append(0x0A)
    }
}

/// A backend's servers as its `agg_*` metrics count them.
private struct ServerAggregates {
    /// Servers per `ServerStateLabel`.
    var states = [UInt64](repeating: 0, count: ServerStateLabel.allCases.count)
    /// Servers per entry of `prometheusCheckStates`, by the status of their last check.
    var checks = [UInt64](repeating: 0, count: prometheusCheckStates.count)

    mutating func add(state: ServerStateLabel, check: Int?) {
        states[state.rawValue] += 1
        if let check, check >= 0 { checks[check] += 1 }
    }
}
