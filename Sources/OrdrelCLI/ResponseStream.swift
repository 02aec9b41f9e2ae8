/// A reply generated incrementally while the driver drains output.
final class ResponseStream {
    /// What is being dumped.
    enum Source {
        /// `show stat` rows through a filter and renderer.
        case stats(any IteratorProtocol<StatsRow>, StatsRenderer, StatsFilter)
        /// `show servers state` rows.
        case serversState(any IteratorProtocol<ServerStateRow>)
        /// `show sess` lines.
        case sessions(any IteratorProtocol<SessionInfo>)
        /// `show env` entries.
        case lines(IndexingIterator<[String]>)
    }

    var source: Source
    var rowsWritten = 0

    init(_ source: Source) { self.source = source }
}

/// `show stat` row selection: `<iid|proxy> <type> <sid>`, `up`, `no-maint`.
struct StatsFilter {
    /// nil = every proxy.
    var iid: UInt64?
    /// Bit 1 frontend, 2 backend, 4 server.
    var typeMask: Int32 = -1
    /// nil = every server.
    var sid: UInt64?
    var onlyUp = false
    var noMaint = false

    func accepts(_ r: StatsRow) -> Bool {
        if let iid, r.iid != iid { return false }
        let bit: Int32 = r.kind == .frontend ? 1 : (r.kind == .backend ? 2 : 4)
        if typeMask & bit == 0 { return false }
        if r.kind == .server {
            if let sid, r.sid != sid { return false }
            if onlyUp && !(r.status.hasPrefix("UP") || r.status == "no check") { return false }
            if noMaint && r.status.hasPrefix("MAINT") { return false }
        }
        return true
    }
}

extension CLISession {
    /// Generates output until a chunk is full; returns true when the dump is complete.
    func fill(_ s: ResponseStream) -> Bool {
        switch s.source {
        case .stats(var it, let renderer, let filter):
            defer { s.source = .stats(it, renderer, filter) }
            while pendingOutputCount < outputChunkSize {
                guard let row = it.next() else {
                    renderer.appendEpilogue(into: &output)
                    return true
                }
                guard filter.accepts(row) else { continue }
                renderer.appendRow(row, isFirst: s.rowsWritten == 0, into: &output)
                s.rowsWritten += 1
            }
            return false
        case .serversState(var it):
            defer { s.source = .serversState(it) }
            while pendingOutputCount < outputChunkSize {
                guard let row = it.next() else { return true }
                ServersStateRenderer.appendRow(row, into: &output)
            }
            return false
        case .sessions(var it):
            defer { s.source = .sessions(it) }
            while pendingOutputCount < outputChunkSize {
                guard let row = it.next() else { return true }
                SessionRenderer.appendLine(row, into: &output)
            }
            return false
        case .lines(var it):
            defer { s.source = .lines(it) }
            while pendingOutputCount < outputChunkSize {
                guard let line = it.next() else { return true }
                output.append(line)
                output.append(0x0A)
            }
            return false
        }
    }
}
