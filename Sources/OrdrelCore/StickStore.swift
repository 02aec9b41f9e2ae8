import OrdrelConfig

/// haproxy's `freq_ctr` over a period: events in the current period plus the previous period's,
/// weighted by how much of it still lies within one period of now (`read_freq_ctr_period`).
struct FreqCounter: Equatable {
    var current: UInt64 = 0
    var previous: UInt64 = 0
    /// Start of the current period, ms; nil before the first event.
    var periodStart: Int64?

    /// `update_freq_ctr_period`: a period over moves the count to `previous`; two or more over
    /// forget it, and the new period starts now.
    mutating func add(_ count: UInt64, nowMs: Int64, period: Int64) {
        guard var start = periodStart else {
            self = FreqCounter(current: count, previous: 0, periodStart: nowMs)
            return
        }
        if nowMs - start < period {
            current &+= count
            return
        }
        previous = current
        current = count
        start += period
        if nowMs - start >= period {
            previous = 0
            start = nowMs
        }
        periodStart = start
    }

    /// The rate over the period ending now.
    func read(nowMs: Int64, period: Int64) -> UInt64 {
        guard let start = periodStart, period > 0 else { return 0 }
        var current = self.current
        var past = previous
        // Loops' clocks differ slightly: a period that seems to start in the future is the current one.
        var remain = min(start + period - nowMs, period)
        if remain < 0 {
            remain += period
            past = remain >= 0 ? current : 0
            current = 0
        }
        return current &+ UInt64((Double(past) * Double(max(0, remain)) / Double(period)).rounded(.down))
    }

    /// `set table ... data.<rate> <v>`: the value holds for a whole period, then fades out.
    mutating func set(_ value: UInt64, nowMs: Int64) {
        self = FreqCounter(current: value, previous: 0, periodStart: nowMs)
    }
}

/// One stick table's entries, sans-IO (the time comes in as `nowMs`): keys, stored data,
/// expiry and eviction as haproxy's stick_table.c. Entries are kept in one list from the least
/// recently written to the most: every write pushes the expiry date to `now + expire`, so the
/// list is also in expiry order, and its head is what goes first to make room (haproxy's
/// `stktable_trash_oldest`). Referenced entries (tracked by a stream) never go. Not
/// thread-safe: `StickTable` holds it behind a lock.
struct StickStore {
    struct Entry {
        var key: [UInt8]
        /// Stored values that are not rates, by `countSlot`.
        var counts: [Int64]
        /// Stored rates, by `rateSlot`.
        var rates: [FreqCounter]
        /// `server_key`: the name of the server `stick` rules stored.
        var serverKey: String?
        /// Streams tracking it (haproxy's `ref_cnt`).
        var references = 0
        /// When it expires (ms); nil: only to make room.
        var expiresAt: Int64?
        var older = -1
        var newer = -1
    }

    let config: StickTableConfig
    /// Where each stored type lives: counts and rates apart.
    let countSlot: [StickDataType: Int]
    let rateSlot: [StickDataType: Int]
    private(set) var entries: [Entry?] = []
    private var freeSlots: [Int] = []
    private var index: [[UInt8]: Int] = [:]
    private var oldest = -1
    private var newest = -1

    init(config: StickTableConfig) {
        self.config = config
        var counts: [StickDataType: Int] = [:]
        var rates: [StickDataType: Int] = [:]
        for type in config.stored.keys.sorted() where type != .serverKey {
            if type.isRate { rates[type] = rates.count } else { counts[type] = counts.count }
        }
        countSlot = counts
        rateSlot = rates
    }

    /// Entries in the table.
    var used: Int { index.count }

    func entry(_ slot: Int) -> Entry { entries[slot]! }

    // MARK: finding and creating

    /// The entry of `key`, if there is one that has not expired.
    mutating func lookup(_ key: [UInt8], nowMs: Int64) -> Int? {
        purgeExpired(nowMs: nowMs)
        return index[key]
    }

    /// The entry of `key`, created when missing (haproxy's `stktable_get_entry`); nil when the
    /// table is full and nothing can go (`nopurge`, or every entry tracked).
    mutating func findOrCreate(_ key: [UInt8], nowMs: Int64) -> Int? {
        if let slot = lookup(key, nowMs: nowMs) { return slot }
        if used >= config.size {
            guard !config.noPurge, evictOldest() else { return nil }
        }
        let entry = Entry(key: key, counts: Array(repeating: 0, count: countSlot.count),
                          rates: Array(repeating: FreqCounter(), count: rateSlot.count))
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            entries[slot] = entry
        } else {
            slot = entries.count
            entries.append(entry)
        }
        index[key] = slot
        link(slot)
        touch(slot, nowMs: nowMs)
        return slot
    }

    /// Drops the least recently written entry nobody tracks; false when all are tracked.
    private mutating func evictOldest() -> Bool {
        var slot = oldest
        while slot >= 0 {
            let entry = entries[slot]!
            if entry.references == 0 {
                drop(slot)
                return true
            }
            slot = entry.newer
        }
        return false
    }

    /// Drops the entries whose expiry date passed, oldest first, skipping tracked ones (they
    /// are written again when released).
    mutating func purgeExpired(nowMs: Int64) {
        guard config.expireMs != nil else { return }
        var slot = oldest
        while slot >= 0, let entry = entries[slot], let expiry = entry.expiresAt, expiry <= nowMs {
            let next = entry.newer
            if entry.references == 0 { drop(slot) }
            slot = next
        }
    }

    /// Removes an entry nobody tracks (`clear table`); false when a stream tracks it.
    @discardableResult
    mutating func remove(slot: Int) -> Bool {
        guard entries[slot]?.references == 0 else { return false }
        drop(slot)
        return true
    }

    private mutating func drop(_ slot: Int) {
        unlink(slot)
        index[entries[slot]!.key] = nil
        entries[slot] = nil
        freeSlots.append(slot)
    }

    // MARK: the recency list

    private mutating func link(_ slot: Int) {
        entries[slot]!.older = newest
        entries[slot]!.newer = -1
        if newest >= 0 { entries[newest]!.newer = slot } else { oldest = slot }
        newest = slot
    }

    private mutating func unlink(_ slot: Int) {
        let (older, newer) = (entries[slot]!.older, entries[slot]!.newer)
        if older >= 0 { entries[older]!.newer = newer } else { oldest = newer }
        if newer >= 0 { entries[newer]!.older = older } else { newest = older }
    }

    /// A write: the entry expires `expire` from now and becomes the newest (`stktable_touch_local`).
    mutating func touch(_ slot: Int, nowMs: Int64) {
        entries[slot]!.expiresAt = config.expireMs.map { nowMs + Int64($0) }
        guard slot != newest else { return }
        unlink(slot)
        link(slot)
    }

    // MARK: references

    mutating func retain(_ slot: Int) { entries[slot]!.references += 1 }

    mutating func release(_ slot: Int, nowMs: Int64) {
        entries[slot]!.references -= 1
        touch(slot, nowMs: nowMs)
    }

    // MARK: data

    /// Whether the table stores `type`.
    func stores(_ type: StickDataType) -> Bool { config.stored[type] != nil }

    /// A stored value (a rate read over its period); nil when the table does not store it.
    func value(_ type: StickDataType, slot: Int, nowMs: Int64) -> Int64? {
        let entry = entries[slot]!
        if let rate = rateSlot[type] {
            return Int64(clamping: entry.rates[rate].read(nowMs: nowMs, period: period(type)))
        }
        return countSlot[type].map { entry.counts[$0] }
    }

    /// Counts `n` events of `type` (a counter or a rate); false when the table does not store it.
    @discardableResult
    mutating func add(_ type: StickDataType, _ n: Int64, slot: Int, nowMs: Int64) -> Bool {
        if let rate = rateSlot[type] {
            entries[slot]!.rates[rate].add(UInt64(max(0, n)), nowMs: nowMs, period: period(type))
            return true
        }
        guard let count = countSlot[type] else { return false }
        entries[slot]!.counts[count] = Self.wrapped(type, entries[slot]!.counts[count] &+ n)
        return true
    }

    /// Sets a value, as `set table` and `stick` store rules do.
    mutating func set(_ type: StickDataType, _ value: Int64, slot: Int, nowMs: Int64) {
        if let rate = rateSlot[type] {
            entries[slot]!.rates[rate].set(UInt64(truncatingIfNeeded: UInt32(truncatingIfNeeded: value)), nowMs: nowMs)
        } else if let count = countSlot[type] {
            entries[slot]!.counts[count] = Self.wrapped(type, value)
        }
    }

    mutating func setServerKey(_ name: String?, slot: Int) { entries[slot]!.serverKey = name }

    /// Values as haproxy's C types hold them: `server_id` a signed int, the byte counts 64-bit,
    /// the other counters unsigned 32-bit.
    private static func wrapped(_ type: StickDataType, _ value: Int64) -> Int64 {
        switch type {
        case .serverID: return Int64(Int32(truncatingIfNeeded: value))
        case .bytesInCount, .bytesOutCount: return value
        default: return Int64(UInt32(truncatingIfNeeded: value))
        }
    }

    func period(_ type: StickDataType) -> Int64 { Int64(config.stored[type] ?? 0) }

    /// Slots of the live entries in the order haproxy walks its key tree: bytes compared in
    /// order, integer keys as the little-endian bytes haproxy stores them.
    func slotsInKeyOrder(integerKeys: Bool) -> [Int] {
        index.sorted {
            integerKeys ? $0.key.reversed().lexicographicallyPrecedes($1.key.reversed()) : $0.key.lexicographicallyPrecedes($1.key)
        }.map(\.value)
    }
}
