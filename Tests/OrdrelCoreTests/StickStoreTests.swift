import XCTest
import OrdrelConfig
@testable import OrdrelCore

final class StickStoreTests: XCTestCase {
    private func table(size: Int = 3, expire: UInt64? = 10_000, noPurge: Bool = false,
                       stored: [StickDataType: UInt64] = [.connCount: 0, .connRate: 10_000, .gpc0: 0]) -> StickStore {
        StickStore(config: StickTableConfig(name: "st", keyType: .ip, keySize: 4, size: size, expireMs: expire,
                                            noPurge: noPurge, stored: stored, location: SourceLocation(file: "t", line: 1)))
    }

    /// haproxy's freq_ctr: the current period's count plus the previous one's, weighted by the
    /// part of it still within one period of now; two periods of silence forget everything.
    func testRatesFollowFreqCtrOverThePeriod() {
        var rate = FreqCounter()
        XCTAssertEqual(rate.read(nowMs: 1000, period: 1000), 0)
        for _ in 0..<10 { rate.add(1, nowMs: 1000, period: 1000) }
        XCTAssertEqual(rate.read(nowMs: 1500, period: 1000), 10)
        // Next period: 4 new, and 10 * (1 - 0.25) of the previous one.
        for _ in 0..<4 { rate.add(1, nowMs: 2250, period: 1000) }
        XCTAssertEqual(rate.read(nowMs: 2250, period: 1000), 4 + 7)
        // Past the next period: only the previous count, fading (4 * 0.5).
        XCTAssertEqual(rate.read(nowMs: 3500, period: 1000), 2)
        XCTAssertEqual(rate.read(nowMs: 4100, period: 1000), 0)
        rate.add(1, nowMs: 9000, period: 1000)
        XCTAssertEqual(rate.read(nowMs: 9000, period: 1000), 1, "a long silence starts a fresh period")
        rate.set(5, nowMs: 9000)
        XCTAssertEqual(rate.read(nowMs: 9999, period: 1000), 5, "a set value holds for a period")
        XCTAssertEqual(rate.read(nowMs: 10_500, period: 1000), 2)
    }

    func testEntriesCountAndExpire() {
        var store = table()
        let slot = store.findOrCreate([10, 0, 0, 1], nowMs: 0)!
        store.add(.connCount, 1, slot: slot, nowMs: 0)
        store.add(.connRate, 1, slot: slot, nowMs: 0)
        store.add(.connCurrent, 1, slot: slot, nowMs: 0)
        XCTAssertEqual(store.value(.connCount, slot: slot, nowMs: 0), 1)
        XCTAssertEqual(store.value(.connRate, slot: slot, nowMs: 0), 1)
        XCTAssertNil(store.value(.connCurrent, slot: slot, nowMs: 0), "not stored")
        XCTAssertEqual(store.findOrCreate([10, 0, 0, 1], nowMs: 5000), slot)
        XCTAssertEqual(store.lookup([10, 0, 0, 1], nowMs: 9999), slot)
        XCTAssertNil(store.lookup([10, 0, 0, 1], nowMs: 10_000), "expired 10 s after its last write")
        XCTAssertEqual(store.used, 0)
    }

    func testTrackedEntriesNeitherExpireNorGo() {
        var store = table(size: 1)
        let slot = store.findOrCreate([10, 0, 0, 1], nowMs: 0)!
        store.retain(slot)
        XCTAssertEqual(store.lookup([10, 0, 0, 1], nowMs: 50_000), slot)
        XCTAssertNil(store.findOrCreate([10, 0, 0, 2], nowMs: 50_000), "full of tracked entries")
        XCTAssertFalse(store.remove(slot: slot), "in use")
        store.release(slot, nowMs: 50_000)
        XCTAssertEqual(store.lookup([10, 0, 0, 1], nowMs: 59_999), slot, "released: 10 s from the release")
        XCTAssertTrue(store.remove(slot: slot))
        XCTAssertNil(store.lookup([10, 0, 0, 1], nowMs: 59_999))
    }

    /// At `size`, a new key drops the least recently written entry; `nopurge` refuses it.
    func testEvictionAtSizeDropsTheOldestWrite() {
        var store = table(size: 3, expire: nil)
        for n in 1...3 { _ = store.findOrCreate([10, 0, 0, UInt8(n)], nowMs: Int64(n)) }
        store.touch(store.lookup([10, 0, 0, 1], nowMs: 4)!, nowMs: 4)
        XCTAssertNotNil(store.findOrCreate([10, 0, 0, 4], nowMs: 5))
        XCTAssertEqual(store.used, 3)
        XCTAssertNil(store.lookup([10, 0, 0, 2], nowMs: 5), "the oldest write went")
        XCTAssertNotNil(store.lookup([10, 0, 0, 1], nowMs: 5), "written again, it stayed")
        for n in 5...1000 { _ = store.findOrCreate([10, 0, UInt8(n >> 8), UInt8(n & 255)], nowMs: Int64(n)) }
        XCTAssertEqual(store.used, 3, "memory stays bounded")
        XCTAssertEqual(store.entries.count, 3, "slots are reused")
        var full = table(size: 1, noPurge: true)
        XCTAssertNotNil(full.findOrCreate([1, 1, 1, 1], nowMs: 0))
        XCTAssertNil(full.findOrCreate([2, 2, 2, 2], nowMs: 0))
    }

    /// Values wrap as haproxy's C types: 32-bit unsigned counters, a signed server id.
    func testValuesWrapAsHaproxyTypes() {
        var store = table(stored: [.gpc0: 0, .serverID: 0])
        let slot = store.findOrCreate([1, 2, 3, 4], nowMs: 0)!
        store.set(.gpc0, -1, slot: slot, nowMs: 0)
        XCTAssertEqual(store.value(.gpc0, slot: slot, nowMs: 0), 4_294_967_295)
        store.add(.gpc0, 1, slot: slot, nowMs: 0)
        XCTAssertEqual(store.value(.gpc0, slot: slot, nowMs: 0), 0)
        store.set(.serverID, -2, slot: slot, nowMs: 0)
        XCTAssertEqual(store.value(.serverID, slot: slot, nowMs: 0), -2)
    }

    func testKeysFromSamplesAndTheCLI() {
        XCTAssertEqual(StickKeyType.ip.key(.ip([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]), size: 4), [1, 2, 3, 4])
        XCTAssertNil(StickKeyType.ip.key(.ip([0x20, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), size: 4))
        XCTAssertEqual(StickKeyType.ipv6.key(.ip([1, 2, 3, 4]), size: 16)?.suffix(6), [0xff, 0xff, 1, 2, 3, 4])
        XCTAssertEqual(StickKeyType.string.key(.bytes(ArraySlice("abcdefgh".utf8)), size: 4), Array("abcd".utf8))
        XCTAssertEqual(StickKeyType.ip.key(cli: "junk", size: 4), [0, 0, 0, 0], "haproxy's inetaddr_host")
        XCTAssertNil(StickKeyType.ipv6.key(cli: "junk", size: 16))
        XCTAssertNil(StickKeyType.integer.key(cli: "4294967296", size: 4))
        XCTAssertEqual(StickKeyType.integer.text(StickKeyType.integer.key(cli: "300", size: 4)!), "300")
        XCTAssertEqual(StickKeyType.ipv6.text(StickKeyType.ipv6.key(cli: "2001:db8::1", size: 16)!), "2001:db8::1")
        XCTAssertEqual(StickKeyType.string.text(Array("a\u{1}b".utf8)), "a\\x01b")
    }
}

/// A stream's counters through the shared table: what tracking, a session, bytes and the
/// stream's end add, as haproxy's stream_start_counters … stream_store_counters.
final class StickCountersTests: XCTestCase {
    func testAStreamsLifeInItsEntry() {
        let table = StickTable(config: StickTableConfig(
            name: "st", keyType: .ip, keySize: 4, size: 10, expireMs: 1000, noPurge: false,
            stored: [.connCurrent: 0, .connCount: 0, .sessionCount: 0, .bytesInCount: 0, .bytesOutRate: 1000],
            location: SourceLocation(file: "t", line: 1)))
        let counters = StickCounters()
        let key: [UInt8] = [192, 0, 2, 1]
        counters.track(0, key: key, in: table, nowMs: 0)
        counters.track(0, key: [192, 0, 2, 2], in: table, nowMs: 0)
        counters.countSession(nowMs: 0)
        counters.countBytes(in: 10, out: 300, nowMs: 100)
        func read(_ type: StickDataType, at nowMs: Int64) -> Int64? {
            table.withStore { store in store.lookup(key, nowMs: nowMs).flatMap { store.value(type, slot: $0, nowMs: nowMs) } }
        }
        XCTAssertEqual(table.withStore { $0.used }, 1, "a tracked counter keeps its first entry")
        XCTAssertEqual([read(.connCurrent, at: 100), read(.connCount, at: 100), read(.sessionCount, at: 100),
                        read(.bytesInCount, at: 100), read(.bytesOutRate, at: 100)], [1, 1, 1, 10, 300])
        XCTAssertEqual(table.withStore { store in store.lookup(key, nowMs: 5000).map { store.entry($0).references } }, 1,
                       "tracked, it outlives its expiry")
        counters.release(nowMs: 5000)
        XCTAssertTrue(counters.isEmpty)
        XCTAssertEqual(read(.connCurrent, at: 5000), 0)
        XCTAssertEqual(read(.connCount, at: 5999), 1, "released, it expires `expire` after")
        XCTAssertNil(read(.connCount, at: 6000))
    }
}
