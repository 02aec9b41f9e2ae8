import OrdrelCLI
import OrdrelConfig
import OrdrelSystem

/// Stick tables at run time: the fetches and `track-sc` actions ACL conditions use, and
/// `stick` persistence (haproxy's `process_sticking_rules` and `process_store_rules`).
extension Runtime {
    /// A table by name.
    func stickTable(named name: String) -> StickTable? { stickTablesByName[name] }

    /// Milliseconds on the clock tables count time with, outside a loop callback (the CLI).
    static var stickClockMs: Int64 { Int64(wallMicros() / 1000) }
}

extension RuntimeACLEnvironment {
    /// The table a rule or fetch names, else the one of the proxy whose rules run.
    private func table(_ name: String?) -> StickTable? {
        guard let name else { return proxy.stickTable }
        return runtime.stickTable(named: name)
    }

    func track(_ tracking: StickTracking, key sample: ACLSample) {
        guard let counters, let table = table(tracking.table),
              let key = table.config.keyType.key(sample, size: table.config.keySize) else { return }
        counters.track(tracking.counter, key: key, in: table, nowMs: nowMs)
    }

    /// As haproxy's `smp_fetch_sc_*`: an untracked counter gives no sample (`sc_tracked` gives
    /// false), an entry that is not there reads 0, a type the table does not store no sample.
    func stickCounter(_ fetch: StickCounterFetch, source: [UInt8]) -> Int64? {
        let table: StickTable
        let key: [UInt8]
        switch fetch.entry {
        case .tracked(let n):
            guard let reference = counters?.tracked[n] else { return fetch.operation == .tracked ? 0 : nil }
            if fetch.operation == .tracked { return 1 }
            guard let named = fetch.table, named != reference.table.name else {
                return reference.table.withStore { Self.apply(fetch.operation, &$0, reference.slot, nowMs) }
            }
            guard let other = runtime.stickTable(named: named) else { return nil }
            table = other
            key = reference.table.withStore { $0.entry(reference.slot).key }
            guard other.config.keyType == reference.table.config.keyType else { return 0 }
        case .source:
            guard let own = self.table(fetch.table), !source.isEmpty,
                  let sourceKey = own.config.keyType.key(.ip(source), size: own.config.keySize) else { return nil }
            table = own
            key = sourceKey
        }
        let creates = fetch.operation == .incGPC0 || fetch.operation == .incGPC1
        return table.withStore { store in
            let slot = creates ? store.findOrCreate(key, nowMs: nowMs) : store.lookup(key, nowMs: nowMs)
            guard let slot else {
                if let type = fetch.operation.dataType, !store.stores(type) { return nil }
                return 0
            }
            return Self.apply(fetch.operation, &store, slot, nowMs)
        }
    }

    /// What a fetch reads from, or does to, an entry.
    private static func apply(_ operation: StickCounterFetch.Operation, _ store: inout StickStore, _ slot: Int,
                              _ nowMs: Int64) -> Int64? {
        switch operation {
        case .tracked:
            return 1
        case .trackers:
            return Int64(store.entry(slot).references)
        case .kbytesIn, .kbytesOut:
            return store.value(operation.dataType!, slot: slot, nowMs: nowMs).map { $0 >> 10 }
        case .incGPC0, .incGPC1:
            let (counter, rate): (StickDataType, StickDataType) = operation == .incGPC0 ? (.gpc0, .gpc0Rate) : (.gpc1, .gpc1Rate)
            guard store.stores(counter) || store.stores(rate) else { return nil }
            store.add(rate, 1, slot: slot, nowMs: nowMs)
            store.add(counter, 1, slot: slot, nowMs: nowMs)
            store.touch(slot, nowMs: nowMs)
            return store.value(counter, slot: slot, nowMs: nowMs) ?? 0
        case .clearGPC0, .clearGPC1:
            let counter: StickDataType = operation == .clearGPC0 ? .gpc0 : .gpc1
            guard let previous = store.value(counter, slot: slot, nowMs: nowMs) else { return nil }
            store.set(counter, 0, slot: slot, nowMs: nowMs)
            store.touch(slot, nowMs: nowMs)
            return previous
        default:
            return store.value(operation.dataType!, slot: slot, nowMs: nowMs)
        }
    }

    func tableUsage(_ name: String?, available: Bool) -> Int64? {
        guard let table = table(name) else { return nil }
        let used = table.withStore { store in
            store.purgeExpired(nowMs: nowMs)
            return store.used
        }
        return Int64(available ? table.config.size - used : used)
    }
}

/// What `stick` rules decided for a stream before it got a server.
struct StickDecision {
    /// The server a table gave (by `server_key`, else `server_id`).
    var server: Server?
    /// Keys to store the stream's server under once it has one (`stick on`, `store-request`).
    var stores: [(table: StickTable, key: [UInt8])] = []
}

extension Stream {
    /// The environment the backend's persistence rules see.
    private func backendRules() -> (ACLInput, RuntimeACLEnvironment) {
        let nowMs = Int64(worker.loop.nowMilliseconds)
        let input = runtime.aclInput(client: client, address: clientAddress, destination: accepted.destination,
                                     frontend: frontend, backend: backend, payload: request.pending)
        return (input, RuntimeACLEnvironment(runtime: runtime, proxy: backend, backend: backend, counters: stickCounters, nowMs: nowMs))
    }

    /// Whether a server named by `use-server` or a stick table takes the stream whatever its
    /// state: `option persist`, or a `force-persist` rule that is the first persist rule to hold
    /// (haproxy's `SF_FORCE_PRST`; an `ignore-persist` holding first prevents it, and otherwise
    /// only concerns cookies, which TCP has none of: haproxy 2.6's stick rules do not read it).
    func persistenceForced() -> Bool {
        if backend.config.options.persist { return true }
        guard !backend.config.persistRules.isEmpty else { return false }
        let (input, environment) = backendRules()
        return backend.config.persistRules.first { $0.condition.evaluate(input, environment) == .pass }?.kind == .force
    }

    /// haproxy's `process_sticking_rules`: each `stick` rule whose condition holds looks its
    /// key up (until one gives a server; a found entry counts as written) and keeps it to store
    /// (the first key per table).
    func stickDecision() -> StickDecision {
        var decision = StickDecision()
        let (input, environment) = backendRules()
        let nowMs = environment.nowMs
        for rule in backend.config.stickRules {
            let table = rule.table.map { runtime.stickTable(named: $0) } ?? backend.stickTable
            guard let table, !(rule.kind.stores && decision.stores.contains { $0.table === table }),
                  rule.condition?.evaluate(input, environment) ?? .pass == .pass,
                  case .sample(let sample, _) = rule.fetch.sample(input, environment),
                  let key = table.config.keyType.key(sample, size: table.config.keySize) else { continue }
            if rule.kind.matches {
                let stored: (name: String?, id: Int64?)? = table.withStore { store in
                    guard let slot = store.lookup(key, nowMs: nowMs) else { return nil }
                    store.touch(slot, nowMs: nowMs)
                    return (store.entry(slot).serverKey, store.value(.serverID, slot: slot, nowMs: nowMs))
                }
                if decision.server == nil, let stored {
                    decision.server = stored.name.flatMap { backend.server(named: $0) }
                        ?? stored.id.flatMap { id in backend.servers.first { $0.id == id } }
                }
            }
            if rule.kind.stores { decision.stores.append((table, key)) }
        }
        return decision
    }

    /// The stream reached its server: the keys kept by `stick on|store-request` now name it.
    func storeStickiness(_ stores: [(table: StickTable, key: [UInt8])], server: Server) {
        let nowMs = Int64(worker.loop.nowMilliseconds)
        for (table, key) in stores {
            table.withStore { store in
                guard let slot = store.findOrCreate(key, nowMs: nowMs) else { return }
                store.set(.serverID, Int64(server.id), slot: slot, nowMs: nowMs)
                store.setServerKey(server.name, slot: slot)
                store.touch(slot, nowMs: nowMs)
            }
        }
    }
}

/// `show|clear|set table` (thread 0, inside `consistently`; the tables lock themselves).
extension Runtime {
    public func stickTables() -> [StickTableInfo] {
        let nowMs = Runtime.stickClockMs
        return stickTableOrder.map { table in
            let used = table.withStore { store in
                store.purgeExpired(nowMs: nowMs)
                return store.used
            }
            return StickTableInfo(name: table.name, type: table.config.keyType.rawValue, size: table.config.size, used: used,
                                  stored: table.config.stored.keys.sorted().map(\.name))
        }
    }

    public func stickTableKeyIsValid(_ table: String, key: String) -> Bool {
        guard let table = stickTable(named: table) else { return false }
        return table.config.keyType.key(cli: key, size: table.config.keySize) != nil
    }

    public func stickTableEntries(_ name: String, key: String?, filters: [StickTableFilter], remove: Bool) -> StickTableResult {
        guard let table = stickTable(named: name) else { return .rows([]) }
        let config = table.config
        let nowMs = Runtime.stickClockMs
        var keyBytes: [UInt8]?
        if let key {
            guard let bytes = config.keyType.key(cli: key, size: config.keySize) else { return .invalidKey }
            keyBytes = bytes
        }
        let tableNumber = UInt64(stickTableOrder.firstIndex { $0 === table } ?? 0) + 1
        return table.withStore { store in
            store.purgeExpired(nowMs: nowMs)
            let slots: [Int]
            if let keyBytes {
                guard let slot = store.lookup(keyBytes, nowMs: nowMs) else { return .rows([]) }
                slots = [slot]
            } else {
                slots = store.slotsInKeyOrder(integerKeys: config.keyType == .integer)
            }
            let kept = slots.filter { slot in
                filters.allSatisfy { filter in
                    guard let type = StickDataType(name: filter.dataType) else { return false }
                    return filter.keeps(store.value(type, slot: slot, nowMs: nowMs) ?? 0)
                }
            }
            if remove {
                let inUse = kept.filter { !store.remove(slot: $0) }
                return keyBytes != nil && !inUse.isEmpty ? .inUse : .rows([])
            }
            return .rows(kept.map { slot in
                let entry = store.entry(slot)
                let values = config.stored.keys.sorted().map { type -> StickTableValue in
                    if type == .serverKey { return StickTableValue(name: type.name, period: nil, text: entry.serverKey ?? "-") }
                    let value = store.value(type, slot: slot, nowMs: nowMs) ?? 0
                    return StickTableValue(name: type.name, period: type.isRate ? config.stored[type] : nil, text: String(value))
                }
                return StickTableRow(id: tableNumber << 32 | UInt64(slot), key: config.keyType.text(entry.key), use: entry.references,
                                     expiresInMs: entry.expiresAt.map { max(0, $0 - nowMs) } ?? 0, values: values)
            })
        }
    }

    public func setStickTableEntry(_ name: String, key: String, values: [(String, Int64)]) -> StickTableResult {
        guard let table = stickTable(named: name),
              let keyBytes = table.config.keyType.key(cli: key, size: table.config.keySize) else { return .invalidKey }
        let nowMs = Runtime.stickClockMs
        return table.withStore { store in
            guard let slot = store.findOrCreate(keyBytes, nowMs: nowMs) else { return .full }
            for (name, value) in values {
                guard let type = StickDataType(name: name) else { continue }
                store.set(type, value, slot: slot, nowMs: nowMs)
            }
            store.touch(slot, nowMs: nowMs)
            return .rows([])
        }
    }
}
