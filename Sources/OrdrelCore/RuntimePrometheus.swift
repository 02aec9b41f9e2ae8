import OrdrelCLI

/// The Prometheus exporter over the live runtime (`http-request use-service
/// prometheus-exporter`).
extension Runtime {
    /// The exposition text for `query`: the same `show info` values and `show stat` rows as the
    /// CLI, taken with the other threads paused so no counter is torn, then rendered while the
    /// traffic flows again. Call on thread 0, as the CLI's commands run.
    public func prometheusMetrics(_ query: PrometheusQuery, into out: inout ByteWriter) {
        let (values, rows, tables) = isolated(readOnly: true) { () -> (InfoValues, [StatsRow], [StickTableInfo]) in
            let shown = proxies.filter { !$0.config.disabled }
            var rows: [StatsRow] = []
            rows.reserveCapacity(shown.reduce(0) { $0 + statsRowCount(of: $1) })
            for proxy in shown { appendStatsRows(of: proxy, to: &rows, latency: true) }
            return (self.info(), rows, query.scopes.contains(.sticktable) ? stickTables() : [])
        }
        PrometheusExporter.render(info: values, rows: rows, query: query, tables: tables, into: &out)
    }
}
