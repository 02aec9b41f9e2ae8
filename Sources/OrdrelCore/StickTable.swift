import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// A stick table every thread uses: its store behind one lock, as haproxy's table lock. Held
/// only for a lookup or an update, never across a syscall; never taken with `Runtime.lock` held
/// the other way round (the runtime lock, if any, is taken first).
final class StickTable {
    let name: String
    let config: StickTableConfig
    private let lock = Lock()
    private var store: StickStore

    init(config: StickTableConfig) {
        name = config.name
        self.config = config
        store = StickStore(config: config)
    }

    func withStore<T>(_ body: (inout StickStore) -> T) -> T {
        lock.withLock { body(&store) }
    }

    /// Drops expired entries once a second on `loop` (haproxy's `process_table_expire` task),
    /// so an idle table gives its memory back; lookups purge on their way too.
    private var sweeper: TimerWatcher?

    func startSweeping(on loop: EventLoop) {
        guard config.expireMs != nil, sweeper == nil else { return }
        let timer = TimerWatcher(loop: loop) { [unowned(unsafe) self] in
            let nowMs = Int64(loop.nowMilliseconds)
            withStore { $0.purgeExpired(nowMs: nowMs) }
            sweeper?.schedule(after: 1)
        }
        sweeper = timer
        timer.schedule(after: 1)
    }
}

/// A tracked entry: its table and slot, which stays its own while the reference is held.
struct StickReference {
    let table: StickTable
    let slot: Int
}

/// What a stream's `track-sc0..2` rules track (haproxy keeps session and stream counters apart;
/// a TCP session has one stream, so one set serves both). Each entry is referenced from
/// tracking to the stream's end, which updates its counters as haproxy's
/// `stream_start_counters`, `session_count_new`, `stream_process_counters` and
/// `stream_store_counters` do.
final class StickCounters {
    private(set) var tracked: [StickReference?] = [nil, nil, nil]

    var isEmpty: Bool { tracked.allSatisfy { $0 == nil } }

    /// Tracks `key` in `table` as counter `counter` unless it tracks something already: the
    /// entry is created if needed, referenced, and counts a connection.
    func track(_ counter: Int, key: [UInt8], in table: StickTable, nowMs: Int64) {
        guard tracked[counter] == nil else { return }
        let slot: Int? = table.withStore { store in
            guard let slot = store.findOrCreate(key, nowMs: nowMs) else { return nil }
            store.retain(slot)
            store.add(.connCurrent, 1, slot: slot, nowMs: nowMs)
            store.add(.connCount, 1, slot: slot, nowMs: nowMs)
            store.add(.connRate, 1, slot: slot, nowMs: nowMs)
            store.touch(slot, nowMs: nowMs)
            return slot
        }
        if let slot { tracked[counter] = StickReference(table: table, slot: slot) }
    }

    /// The connection became a session (its `tcp-request connection` rules accepted it).
    func countSession(nowMs: Int64) {
        each { store, slot in
            store.add(.sessionCount, 1, slot: slot, nowMs: nowMs)
            store.add(.sessionRate, 1, slot: slot, nowMs: nowMs)
        }
    }

    /// Bytes moved: from the client (`in`) and to it (`out`).
    func countBytes(in bytesIn: Int, out bytesOut: Int, nowMs: Int64) {
        each { store, slot in
            if bytesIn > 0 {
                store.add(.bytesInCount, Int64(bytesIn), slot: slot, nowMs: nowMs)
                store.add(.bytesInRate, Int64(bytesIn), slot: slot, nowMs: nowMs)
            }
            if bytesOut > 0 {
                store.add(.bytesOutCount, Int64(bytesOut), slot: slot, nowMs: nowMs)
                store.add(.bytesOutRate, Int64(bytesOut), slot: slot, nowMs: nowMs)
            }
            store.touch(slot, nowMs: nowMs)
        }
    }

    /// The stream ended: one connection less, and the entries are free to expire.
    func release(nowMs: Int64) {
        each { store, slot in
            if let current = store.value(.connCurrent, slot: slot, nowMs: nowMs), current > 0 {
                store.add(.connCurrent, -1, slot: slot, nowMs: nowMs)
            }
            store.release(slot, nowMs: nowMs)
        }
        tracked = [nil, nil, nil]
    }

    private func each(_ body: (inout StickStore, Int) -> Void) {
        for case let reference? in tracked {
            reference.table.withStore { body(&$0, reference.slot) }
        }
    }
}
