import OrdrelCLI

/// The Prometheus exporter over the live runtime (`http-request use-service
/// prometheus-exporter`).
extension Runtime {
    /// The exposition text for `query`: the same `show info` values and `show stat` rows as the
    /// CLI, taken with the other threads paused so no counter is torn, then rendered while the
    /// traffic flows again. Call on thread 0, as the CLI's commands run.
    public func prometheusMetrics(_ query: PrometheusQuery, into out: inout [UInt8]) {
        let (values, rows, tables) = isolated(readOnly: true) { () -> ([String: InfoValue], [StatsRow], [StickTableInfo]) in
            var rows: [StatsRow] = []
            var iterator = StatsRowIterator(runtime: self)
            while let row = iterator.next() { rows.append(row) }
            return (self.info(), rows, query.scopes.contains(.sticktable) ? stickTables() : [])
        }
        PrometheusExporter.render(info: values, rows: rows, query: query, tables: tables, into: &out)
    }
}
