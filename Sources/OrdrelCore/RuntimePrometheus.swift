import OrdrelCLI

/// The Prometheus exporter over the live runtime (`http-request use-service
/// prometheus-exporter`).
extension Runtime {
    /// What a scrape for `query` shows: the same `show info` values (taken with the other
    /// threads paused) and `show stat` rows (a `StatsRowCollection`'s, with the histograms) as
    /// the CLI. Thread 0; rendering needs no runtime.
    func prometheusSnapshot(_ query: PrometheusQuery, rows: [StatsRow]) -> PrometheusSnapshot {
        PrometheusSnapshot(info: isolated(readOnly: true) { info() }, rows: rows,
                           tables: query.scopes.contains(.sticktable) ? stickTables() : [])
    }
}

/// The runtime's values a scrape renders.
struct PrometheusSnapshot: Sendable {
    let info: InfoValues
    let rows: [StatsRow]
    let tables: [StickTableInfo]

    func render(_ query: PrometheusQuery, into out: inout ByteWriter) {
        PrometheusExporter.render(info: info, rows: rows, query: query, tables: tables, into: &out)
    }
}
