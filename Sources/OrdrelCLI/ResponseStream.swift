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
    /// The `show stat` rows, when another thread makes them.
    let deferred: DeferredRows?
    /// The last fill stopped because the next rows are not there yet (`CLIAction.awaitRows`).
    var awaitingRows = false
    var rowsWritten = 0
    /// Bytes the last rendered row took: how many rows the next pull may take for the chunk.
    var lastRowBytes = 0

    init(_ source: Source) {
        self.source = source
        if case .stats(let rows, _, _) = source { deferred = rows as? DeferredRows } else { deferred = nil }
    }

    /// Where a `fill` stopped.
    enum Fill {
        /// The reply is complete (its epilogue included).
        case complete
        /// A chunk of output is pending.
        case chunkFull
        /// The next rows are being made elsewhere (`deferred`).
        case awaitingRows
    }
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
    /// Most rows pulled from the runtime per `consistently` stretch: few enough that the other
    /// threads barely wait, enough that pausing them is not what a dump costs.
    static let rowsPerPull = 32

    /// Rows the next pull of `s` may take: what fills the output chunk at the last row's size
    /// (one row when none was rendered yet), at most `rowsPerPull`.
    private func pullSize(_ s: ResponseStream) -> Int {
        guard s.lastRowBytes > 0 else { return 1 }
        return min(Self.rowsPerPull, max(0, outputChunkSize - pendingOutputCount) / s.lastRowBytes + 1)
    }

    /// Generates output until a chunk is full, the dump is complete, or its next rows are not
    /// there yet.
    func fill(_ s: ResponseStream) -> ResponseStream.Fill {
        s.awaitingRows = false
        switch s.source {
        case .stats(var it, let renderer, let filter):
            defer { s.source = .stats(it, renderer, filter) }
            // Stats rows need no pause of the other threads (`CLIRuntime.statsRows`): each is
            // pulled and rendered in turn.
            while pendingOutputCount < outputChunkSize {
                if let deferred = s.deferred, !deferred.prepare() {
                    s.awaitingRows = true
                    return .awaitingRows
                }
                guard let row = it.next() else {
                    renderer.appendEpilogue(into: &output)
                    return .complete
                }
                guard filter.accepts(row) else { continue }
                renderer.appendRow(row, isFirst: s.rowsWritten == 0, into: &output)
                s.rowsWritten += 1
            }
            return .chunkFull
        case .serversState(var it):
            defer { s.source = .serversState(it) }
            return dump(&it, of: s) { ServersStateRenderer.appendRow($0, into: &output) }
        case .sessions(var it):
            defer { s.source = .sessions(it) }
            return dump(&it, of: s) { SessionRenderer.appendLine($0, into: &output) }
        case .lines(var it):
            defer { s.source = .lines(it) }
            while pendingOutputCount < outputChunkSize {
                guard let line = it.next() else { return .complete }
                output.append(line)
                output.append(0x0A)
            }
            return .chunkFull
        }
    }

    /// Renders rows of `iterator` until a chunk is full or the iterator is exhausted.
    /// Rows are pulled in batches inside `consistently` and rendered outside it, noting the size
    /// of the last one for the next batch's size.
    private func dump<Row>(_ iterator: inout any IteratorProtocol<Row>, of s: ResponseStream,
                           _ render: (Row) -> Void) -> ResponseStream.Fill {
        var rows: [Row] = []
        rows.reserveCapacity(Self.rowsPerPull)
        while pendingOutputCount < outputChunkSize {
            let ended = pull(&iterator, pullSize(s), into: &rows)
            for row in rows {
                let before = output.count
                render(row)
                s.lastRowBytes = output.count - before
            }
            if ended { return .complete }
        }
        return .chunkFull
    }

    /// Replaces `rows` with up to `count` rows of `iterator`, pulled in one `consistently`
    /// stretch; true when the iterator is exhausted.
    private func pull<Row>(_ iterator: inout any IteratorProtocol<Row>, _ count: Int, into rows: inout [Row]) -> Bool {
        rows.removeAll(keepingCapacity: true)
        return runtime.consistently {
            while rows.count < count {
                guard let row = iterator.next() else { return true }
                rows.append(row)
            }
            return false
        }
    }
}
