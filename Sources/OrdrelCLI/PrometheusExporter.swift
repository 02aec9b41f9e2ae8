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
    /// `tables` are `show table`'s, in its order.
    public static func render(info: [String: InfoValue], rows: [StatsRow], query: PrometheusQuery,
                              tables: [StickTableInfo] = []) -> [UInt8] {
        var writer = PrometheusWriter()
        let scopes = query.scopes
        if scopes.contains(.global) { writer.process(info) }
        let frontends = rows.filter { $0.kind == .frontend }
        let backends = rows.filter { $0.kind == .backend }
        let servers = rows.filter { $0.kind == .server }
        if scopes.contains(.frontend) {
            writer.proxyMetrics(prefix: "haproxy_frontend_", kind: .fe, rows: frontends, serversByProxy: [:])
        }
        // Listeners (`option socket-stats`): ordrel has none, so that scope prints nothing, as
        // haproxy without them.
        if scopes.contains(.backend) {
            let serversByProxy = Dictionary(grouping: servers, by: \.iid)
            writer.proxyMetrics(prefix: "haproxy_backend_", kind: .be, rows: backends, serversByProxy: serversByProxy)
            writer.histograms(prefix: "ordrel_backend_", rows: backends)
        }
        if scopes.contains(.server) {
            let shown = query.skipsMaintenance ? servers.filter { ServerStateLabel($0) != .maint } : servers
            writer.proxyMetrics(prefix: "haproxy_server_", kind: .srv, rows: shown, serversByProxy: [:])
            writer.histograms(prefix: "ordrel_server_", rows: shown)
        }
        if scopes.contains(.sticktable) { writer.stickTables(tables) }
        return writer.out
    }
}

/// promex's server states (promex_srv_status), from the `show stat` status, whose first word
/// haproxy derives from the same admin and operational state.
enum ServerStateLabel: Int, CaseIterable {
    case down, up, maint, drain, nolb

    static let names = ["DOWN", "UP", "MAINT", "DRAIN", "NOLB"]

    init(_ row: StatsRow) {
        let word = row.status.split(separator: " ", maxSplits: 1).first ?? ""
        switch word {
        case "MAINT": self = .maint
        case "DRAIN": self = .drain
        case "NOLB": self = .nolb
        case "DOWN": self = .down
        default: self = .up // UP, UP n/m (going down) and "no check"
        }
    }
}

/// The check statuses promex lists (those whose result is at least "failed"), in haproxy's order.
let prometheusCheckStates = [
    "HANA", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK", "L6TOUT", "L6RSP", "L7TOUT", "L7RSP", "L7OK",
    "L7OKC", "L7STS", "PROCERR", "PROCTOUT", "PROCOK",
]

/// A sample's labels: `proxy`, `server`, then one of `state`, `code`, `le` or `version`.
private struct Labels {
    var proxy: String?
    var server: String?
    var extra: (name: String, value: String)?

    init(extra: (name: String, value: String)? = nil) { self.extra = extra }

    /// An object's own labels: `proxy`, and `server` for a server.
    init(_ row: StatsRow) {
        proxy = row.pxname
        server = row.kind == .server ? row.svname : nil
    }

    func with(_ name: String, _ value: String) -> Labels {
        var labels = self
        labels.extra = (name, value)
        return labels
    }
}

/// Appends exposition lines; `# HELP`/`# TYPE` go before a metric's first sample, so a metric
/// no object prints leaves no header, as in promex.
private struct PrometheusWriter {
    var out: [UInt8] = []
    private var headerPending = false
    private var name: [UInt8] = []

    init() { out.reserveCapacity(64 * 1024) }

    /// Starts metric `name`; its header is written with its first sample.
    mutating func begin(_ name: String, withHeader: Bool = true) {
        self.name = Array(name.utf8)
        headerPending = withHeader
    }

    private mutating func header(help: String, type: String) {
        guard headerPending else { return }
        headerPending = false
        out.append("# HELP ")
        out.append(contentsOf: name)
        out.append(UInt8(ascii: " "))
        out.append(help)
        out.append("\n# TYPE ")
        out.append(contentsOf: name)
        out.append(UInt8(ascii: " "))
        out.append(type)
        out.append(0x0A)
    }

    /// `name{labels} ` (the value follows). `suffix` extends the name (`_bucket`, `_sum`...).
    private mutating func sampleStart(help: String, type: String, suffix: String, labels: Labels) {
        header(help: help, type: type)
        out.append(contentsOf: name)
        out.append(suffix)
        var first = true
        func label(_ key: String, _ value: String, into out: inout [UInt8]) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(key)
            out.append("=\"")
            out.append(value)
            out.append(UInt8(ascii: "\""))
        }
        if let proxy = labels.proxy { label("proxy", proxy, into: &out) }
        if let server = labels.server { label("server", server, into: &out) }
        if let extra = labels.extra { label(extra.name, extra.value, into: &out) }
        out.append(first ? " " : "} ")
    }

    mutating func sample(help: String, type: PrometheusMetricType, labels: Labels, value: StatCell) {
        sampleStart(help: help, type: type.rawValue, suffix: "", labels: labels)
        switch value {
        case .u(let v): out.appendDecimal(v)
        case .s(let v): out.appendDecimal(v)
        case .empty, .str: out.append("NaN")
        }
        out.append(0x0A)
    }

    /// A value in seconds from whole `units` per second (1000 for ms, 1000000 for µs), with
    /// six decimals as haproxy's `%f`.
    mutating func sampleSeconds(help: String, type: String = "gauge", suffix: String = "",
                                labels: Labels, amount: UInt64, perSecond: UInt64) {
        sampleStart(help: help, type: type, suffix: suffix, labels: labels)
        appendSeconds(amount, perSecond: perSecond)
        out.append(0x0A)
    }

    private mutating func appendSeconds(_ amount: UInt64, perSecond: UInt64) {
        out.appendDecimal(amount / perSecond)
        out.append(UInt8(ascii: "."))
        let micros = amount % perSecond * (1_000_000 / perSecond)
        var divisor: UInt64 = 100_000
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: micros / divisor % 10) + UInt8(ascii: "0"))
            divisor /= 10
        }
    }

    // MARK: sections

    /// promex's stick table metrics: size, then entries used, per table.
    mutating func stickTables(_ tables: [StickTableInfo]) {
        for (metric, help) in [("haproxy_sticktable_size", "Stick table size."),
                               ("haproxy_sticktable_used", "Number of entries used in this stick table.")] {
            begin(metric)
            for table in tables {
                header(help: help, type: "gauge")
                out.append("\(metric){name=\"\(table.name)\",type=\"\(table.type)\"} ")
                out.appendDecimal(UInt64(metric.hasSuffix("size") ? table.size : table.used))
                out.append(0x0A)
            }
        }
    }

    mutating func process(_ info: [String: InfoValue]) {
        for metric in PrometheusProcessMetric.all {
            begin("haproxy_process_" + metric.name)
            if metric.name == "build_info" {
                let version: String
                if case .str(let text) = info["Version"] { version = text } else { version = "" }
                sample(help: metric.help, type: metric.type, labels: Labels(extra: ("version", version)), value: .u(1))
                continue
            }
            let value: StatCell
            switch info[metric.field] {
            case .u(let v): value = .u(v)
            case .s(let v): value = .s(v)
            case .str, nil: value = .empty
            }
            sample(help: metric.help, type: metric.type, labels: Labels(), value: value)
        }
    }

    /// Every metric of one object kind, each for every row before the next (promex's order).
    /// `serversByProxy` (backends only) holds each backend's server rows by proxy id.
    mutating func proxyMetrics(prefix: String, kind: PrometheusKinds, rows: [StatsRow],
                               serversByProxy: [UInt64: [StatsRow]]) {
        for metric in PrometheusMetric.all where metric.kinds.contains(kind) {
            if case .httpCode(let code) = metric.rendering {
                begin(prefix + metric.name, withHeader: code == "1xx")
            } else {
                begin(prefix + metric.name)
            }
            for row in rows {
                render(metric, row: row, labels: Labels(row), servers: serversByProxy[row.iid] ?? [])
            }
        }
    }

    private mutating func render(_ metric: PrometheusMetric, row: StatsRow, labels: Labels,
                                 servers: [StatsRow]) {
        let help = metric.help
        switch metric.rendering {
        case .value:
            sample(help: help, type: metric.type, labels: labels, value: cell(metric, row))
        case .http:
            guard row.mode == "http" else { return }
            sample(help: help, type: metric.type, labels: labels, value: cell(metric, row))
        case .httpCode(let code):
            guard row.mode == "http" else { return }
            sample(help: help, type: metric.type, labels: labels.with("code", code), value: cell(metric, row))
        case .status:
            let names: [String]
            let current: Int
            switch row.kind {
            case .frontend:
                names = ["DOWN", "UP"]
                current = row.status == "STOP" ? 0 : 1
            case .backend:
                names = ["DOWN", "UP"]
                current = row.status == "UP" ? 1 : 0
            case .server:
                names = ServerStateLabel.names
                current = ServerStateLabel(row).rawValue
            }
            for (i, state) in names.enumerated() {
                sample(help: help, type: metric.type, labels: labels.with("state", state), value: .u(i == current ? 1 : 0))
            }
        case .checkStatus:
            guard let status = Self.checkStatus(row) else { return }
            for state in prometheusCheckStates {
                sample(help: help, type: metric.type, labels: labels.with("state", state), value: .u(state == status ? 1 : 0))
            }
        case .checkCode:
            guard Self.checkStatus(row) != nil else { return }
            sample(help: help, type: metric.type, labels: labels, value: .u(row.checkCode ?? 0))
        case .checkDuration:
            // Once a check has completed, even while checks are disabled or paused (promex reads
            // the check, not the stats cell).
            guard let check = row.lastCheck, check.status != "INI" else { return }
            sampleSeconds(help: help, labels: labels, amount: check.durationMs, perSecond: 1000)
        case .milliseconds:
            guard case .u(let ms) = cell(metric, row) else {
                sample(help: help, type: metric.type, labels: labels, value: .empty)
                return
            }
            sampleSeconds(help: help, type: metric.type.rawValue, labels: labels, amount: ms, perSecond: 1000)
        case .serverStates:
            guard !servers.isEmpty else { return }
            var counts = [UInt64](repeating: 0, count: ServerStateLabel.allCases.count)
            for server in servers { counts[ServerStateLabel(server).rawValue] += 1 }
            for (i, state) in ServerStateLabel.names.enumerated() {
                sample(help: help, type: metric.type, labels: labels.with("state", state), value: .u(counts[i]))
            }
        case .checkStates:
            guard !servers.isEmpty else { return }
            for state in prometheusCheckStates {
                let count = servers.reduce(0) { $0 + ($1.lastCheck?.status == state ? 1 : 0) }
                sample(help: help, type: metric.type, labels: labels.with("state", state), value: .u(UInt64(count)))
            }
        }
    }

    /// The cell `show stat` prints for this row's kind (empty where it prints nothing).
    private func cell(_ metric: PrometheusMetric, _ row: StatsRow) -> StatCell {
        guard metric.filled[Int(row.kind.rawValue)] else { return .empty }
        switch metric.source {
        case .field(let field):
            if let average = row.windowAverages?.value(of: field) { return .u(average) }
            return row.cell(field)
        case .constant(let value): return .u(value)
        case .never, .separator: return .empty
        }
    }

    /// The last check status without the "in progress" mark; nil when checks are not running.
    private static func checkStatus(_ row: StatsRow) -> String? {
        guard let status = row.checkStatus else { return nil }
        return status.hasPrefix("* ") ? String(status.dropFirst(2)) : status
    }

    // MARK: ordrel's histograms

    /// `<prefix>{queue_time,connect_time,session_duration}_seconds` for every row that has them.
    mutating func histograms(prefix: String, rows: [StatsRow]) {
        let families: [(String, String, KeyPath<LatencyHistograms, LatencyHistogram>)] = [
            ("queue_time_seconds", "Time from accept until a server was assigned, queueing included.", \.queue),
            ("connect_time_seconds", "Time to establish the connection to the server.", \.connect),
            ("session_duration_seconds", "Duration of sessions, from accept to close.", \.session),
        ]
        for (suffix, help, path) in families {
            begin(prefix + suffix)
            for row in rows {
                guard let latency = row.latency else { continue }
                histogram(latency[keyPath: path], help: help, labels: Labels(row))
            }
        }
    }

    private mutating func histogram(_ h: LatencyHistogram, help: String, labels: Labels) {
        for i in 0..<LatencyHistogram.bucketCount {
            sampleStart(help: help, type: "histogram", suffix: "_bucket", labels: labels.with("le", Self.bucketLabels[i]))
            out.appendDecimal(h.cumulativeCount(throughBucket: i))
            out.append(0x0A)
        }
        sampleSeconds(help: help, type: "histogram", suffix: "_sum", labels: labels, amount: h.sumMicros, perSecond: 1_000_000)
        sampleStart(help: help, type: "histogram", suffix: "_count", labels: labels)
        out.appendDecimal(h.count)
        out.append(0x0A)
    }

    /// `le` values: each bound in seconds, shortest form ("0.00025", "1", "2.5"), then "+Inf".
    static let bucketLabels: [String] = LatencyHistogram.boundsMicros.map { micros in
        let whole = micros / 1_000_000
        var fraction = String(micros % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
    } + ["+Inf"]
}
