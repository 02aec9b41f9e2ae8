/// Renders schedules as numbered tables in the style of the design note's §6.
public enum TraceRenderer {
    /// The column titles.
    static let header = ["#", "event", "A", "B", "A te_wq", "B te_wq", "serializer FIFO", "A head", "B head"]

    /// A Markdown table: one row per step with both endpoints, the FIFO and both stream heads.
    public static func table(_ outcome: ReplayOutcome, initialState: ModelState) -> String {
        var lines = [row(header), row(header.map { _ in "---" })]
        lines.append(row(["0", "initial"] + columns(initialState)))
        for trace in outcome.rows {
            let event = trace.narration.isEmpty ? trace.step.description : trace.narration.joined(separator: "; ")
            lines.append(row(["\(trace.number)", event] + columns(trace.state)))
        }
        if let invariant = outcome.firstViolation {
            lines.append("")
            lines.append("violates \(invariant)")
        }
        return lines.joined(separator: "\n")
    }

    /// The state columns of one row.
    static func columns(_ state: ModelState) -> [String] {
        [endpoint(state.endpoints.a), endpoint(state.endpoints.b),
         list(state.endpoints.a.writeQueue.map(\.description)),
         list(state.endpoints.b.writeQueue.map(\.description)),
         list(state.serializer.map(\.description)),
         head(state.heads.a), head(state.heads.b)]
    }

    /// TPI state plus the closing flag.
    static func endpoint(_ endpoint: Endpoint) -> String {
        "\(endpoint.state)" + (endpoint.closing ? ",closing" : "")
    }

    /// Queued bytes, then EOF when set.
    static func head(_ head: StreamHead) -> String {
        var items = head.queue.map(\.text)
        if head.eof { items.append("EOF") }
        return list(items)
    }

    static func list(_ items: [String]) -> String {
        items.isEmpty ? "–" : items.joined(separator: ", ")
    }

    static func row(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |"
    }
}
