/// Prometheus metric type, as `# TYPE` prints it.
enum PrometheusMetricType: String, Sendable {
    case gauge, counter
}

/// One `haproxy_process_*` metric: a `show info` field under promex's name.
struct PrometheusProcessMetric: Sendable {
    /// The `show info` field (`InfoField.names`) it prints; absent or text values print `NaN`.
    let field: String
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
    public static func render(info: [String: InfoValue], rows: [StatsRow], query: PrometheusQuery) -> [UInt8] {
        var out: [UInt8] = []
        render(info: info, rows: rows, query: query, into: &out)
        return out
    }

    /// `render` into `out`, which is emptied first and keeps its capacity: a scrape reuses the
    /// buffer of the one before instead of growing a new one to the same size.
    public static func render(info: [String: InfoValue], rows: [StatsRow], query: PrometheusQuery, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        rows.withUnsafeBufferPointer { rows in
            var writer = PrometheusWriter(rows: rows)
            swap(&writer.out, &out)
            writer.render(info: info, query: query)
            swap(&writer.out, &out)
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

/// A metric family's bytes, built once: its name and its `# HELP`/`# TYPE` lines.
struct PrometheusFamily: Sendable {
    let name: [UInt8]
    /// Empty for a family printed under the header of the one before it (`http_responses_total`
    /// with a `code` other than `1xx`).
    let header: [UInt8]

    init(name: String, help: String, type: String, withHeader: Bool = true) {
        self.name = Array(name.utf8)
        header = withHeader ? Array("# HELP \(name) \(help)\n# TYPE \(name) \(type)\n".utf8) : []
    }
}

/// A `haproxy_{frontend,backend,server}_*` metric with its family's bytes and, for
/// `http_responses_total`, its `,code="..."` label.
struct PrometheusProxyFamily: Sendable {
    let metric: PrometheusMetric
    let family: PrometheusFamily
    let codeLabel: [UInt8]
}

/// One `ordrel_*_seconds` histogram family: the names of its three kinds of line.
struct PrometheusHistogramFamily: Sendable {
    let family: PrometheusFamily
    let bucket: [UInt8]
    let sum: [UInt8]
    let count: [UInt8]
    /// Which of a row's `LatencyHistograms` it prints.
    let latency: @Sendable (LatencyHistograms) -> LatencyHistogram
}

/// Everything constant in a scrape, as bytes: names, headers and label pairs.
enum PrometheusTables {
    static let process: [PrometheusFamily] = PrometheusProcessMetric.all.map {
        PrometheusFamily(name: "haproxy_process_" + $0.name, help: $0.help, type: $0.type.rawValue)
    }
    static let frontend = proxyFamilies(prefix: "haproxy_frontend_", kind: .fe)
    static let backend = proxyFamilies(prefix: "haproxy_backend_", kind: .be)
    static let server = proxyFamilies(prefix: "haproxy_server_", kind: .srv)
    static let backendHistograms = histogramFamilies(prefix: "ordrel_backend_")
    static let serverHistograms = histogramFamilies(prefix: "ordrel_server_")

    /// `,state="DOWN"` ... in `ServerStateLabel` order; frontends and backends use the first two.
    static let serverStates: [[UInt8]] = ServerStateLabel.names.map { label("state", $0) }
    /// `,state="HANA"` ... in `prometheusCheckStates` order.
    static let checkStates: [[UInt8]] = prometheusCheckStates.map { label("state", $0) }
    /// The same states, for comparing a check's status without building a String.
    static let checkStateNames: [[UInt8]] = prometheusCheckStates.map { Array($0.utf8) }
    /// `,le="0.0001"` ... `,le="+Inf"`: each bound in seconds, shortest form.
    static let bucketLabels: [[UInt8]] = (LatencyHistogram.boundsMicros.map { micros in
        let whole = micros / 1_000_000
        var fraction = String(micros % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
    } + ["+Inf"]).map { label("le", $0) }

    static func label(_ name: String, _ value: String) -> [UInt8] { Array(",\(name)=\"\(value)\"".utf8) }

    private static func proxyFamilies(prefix: String, kind: PrometheusKinds) -> [PrometheusProxyFamily] {
        PrometheusMetric.all.filter { $0.kinds.contains(kind) }.map { metric in
            var withHeader = true
            var code: [UInt8] = []
            if case .httpCode(let value) = metric.rendering {
                withHeader = value == "1xx"
                code = label("code", value)
            }
            return PrometheusProxyFamily(
                metric: metric,
                family: PrometheusFamily(name: prefix + metric.name, help: metric.help, type: metric.type.rawValue,
                                         withHeader: withHeader),
                codeLabel: code)
        }
    }

    private static func histogramFamilies(prefix: String) -> [PrometheusHistogramFamily] {
        let families: [(String, String, @Sendable (LatencyHistograms) -> LatencyHistogram)] = [
            ("queue_time_seconds", "Time from accept until a server was assigned, queueing included.", { $0.queue }),
            ("connect_time_seconds", "Time to establish the connection to the server.", { $0.connect }),
            ("session_duration_seconds", "Duration of sessions, from accept to close.", { $0.session }),
        ]
        return families.map { suffix, help, latency in
            let name = prefix + suffix
            return PrometheusHistogramFamily(
                family: PrometheusFamily(name: name, help: help, type: "histogram"),
                bucket: Array((name + "_bucket").utf8), sum: Array((name + "_sum").utf8),
                count: Array((name + "_count").utf8), latency: latency)
        }
    }
}

/// Appends exposition lines for the rows of one scrape; `# HELP`/`# TYPE` go before a metric's
/// first sample, so a metric no object prints leaves no header, as in promex. Rows are read in
/// place (a `StatsRow` is large), their labels built once per scrape.
private struct PrometheusWriter {
    var out: [UInt8] = []
    private let rows: UnsafeBufferPointer<StatsRow>
    /// Each row's `{proxy="..."` or `{proxy="...",server="..."` (no closing brace).
    private let labels: [[UInt8]]
    private var family = PrometheusFamily(name: "", help: "", type: "", withHeader: false)
    private var headerPending = false

    init(rows: UnsafeBufferPointer<StatsRow>) {
        self.rows = rows
        labels = rows.map { row in
            var bytes: [UInt8] = []
            bytes.append("{proxy=\"")
            bytes.append(row.pxname)
            if row.kind == .server {
                bytes.append("\",server=\"")
                bytes.append(row.svname)
            }
            bytes.append(UInt8(ascii: "\""))
            return bytes
        }
    }

    mutating func render(info: [String: InfoValue], query: PrometheusQuery) {
        let scopes = query.scopes
        if scopes.contains(.global) { process(info) }
        let frontends = rows.indices.filter { rows[$0].kind == .frontend }
        let backends = rows.indices.filter { rows[$0].kind == .backend }
        let servers = rows.indices.filter { rows[$0].kind == .server }
        if scopes.contains(.frontend) {
            proxyMetrics(PrometheusTables.frontend, rows: frontends, aggregates: [:])
        }
        // Listeners (`option socket-stats`) and stick tables: ordrel has neither, so those
        // scopes print nothing, as haproxy without them.
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
    private mutating func sampleStart(_ name: [UInt8], labels: [UInt8], extra: [UInt8] = []) {
        if headerPending {
            headerPending = false
            out.append(contentsOf: family.header)
        }
        out.append(contentsOf: name)
        if labels.isEmpty && extra.isEmpty {
            out.append(UInt8(ascii: " "))
            return
        }
        out.append(contentsOf: labels)
        out.append(contentsOf: extra)
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: " "))
    }

    private mutating func value(_ value: StatCell) {
        switch value {
        case .u(let v): out.appendDecimal(v)
        case .s(let v): out.appendDecimal(v)
        case .empty, .str: out.append("NaN")
        }
        out.append(0x0A)
    }

    private mutating func sample(labels: [UInt8], extra: [UInt8] = [], _ cell: StatCell) {
        sampleStart(family.name, labels: labels, extra: extra)
        value(cell)
    }

    private mutating func sample(labels: [UInt8], extra: [UInt8] = [], _ v: UInt64) {
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

    private mutating func process(_ info: [String: InfoValue]) {
        for (metric, family) in zip(PrometheusProcessMetric.all, PrometheusTables.process) {
            begin(family)
            if metric.name == "build_info" {
                let version: String
                if case .str(let text) = info["Version"] { version = text } else { version = "" }
                sample(labels: Array("{version=\"\(version)\"".utf8), 1)
                continue
            }
            let cell: StatCell
            switch info[metric.field] {
            case .u(let v): cell = .u(v)
            case .s(let v): cell = .s(v)
            case .str, nil: cell = .empty
            }
            sample(labels: [], cell)
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
        let metric = family.metric
        let labels = labels[index]
        switch metric.rendering {
        case .value:
            sample(labels: labels, cell(metric, index))
        case .http:
            guard rows[index].mode == "http" else { return }
            sample(labels: labels, cell(metric, index))
        case .httpCode:
            guard rows[index].mode == "http" else { return }
            sample(labels: labels, extra: family.codeLabel, cell(metric, index))
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
            guard case .u(let ms) = cell(metric, index) else {
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
    private func cell(_ metric: PrometheusMetric, _ index: Int) -> StatCell {
        guard metric.filled[Int(rows[index].kind.rawValue)] else { return .empty }
        switch metric.source {
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
                histogram(family.latency(latency), family, labels: labels[index])
            }
        }
    }

    private mutating func histogram(_ h: LatencyHistogram, _ family: PrometheusHistogramFamily, labels: [UInt8]) {
        for i in 0..<LatencyHistogram.bucketCount {
            sampleStart(family.bucket, labels: labels, extra: PrometheusTables.bucketLabels[i])
            out.appendDecimal(h.cumulativeCount(throughBucket: i))
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
