@testable import OrdrelCore
import XCTest

/// The per-direction half-close state machine, driven by plain events.
final class ChannelTests: XCTestCase {
    private let pool = BufferPool(bufferSize: 16)

    private func read(_ bytes: [UInt8], into channel: inout Channel) {
        let space = channel.readSpace(pool: pool)
        XCTAssertGreaterThanOrEqual(space.count, bytes.count)
        space.copyBytes(from: bytes)
        channel.didRead(bytes.count, pool: pool)
    }

    func testBytesThenFINAreForwardedInOrderAndOnlyThenShutdown() {
        var channel = Channel()
        XCTAssertTrue(channel.wantsRead(capacity: 16))
        read([1, 2, 3, 4], into: &channel)
        channel.didReadEOF(pool: pool)
        XCTAssertEqual(channel.state, .draining)
        XCTAssertFalse(channel.wantsRead(capacity: 16), "no read after FIN")
        XCTAssertFalse(channel.needsShutdown, "FIN must wait for buffered bytes")
        XCTAssertEqual(Array(channel.pending), [1, 2, 3, 4])
        channel.didWrite(3, pool: pool)
        XCTAssertFalse(channel.needsShutdown)
        XCTAssertEqual(Array(channel.pending), [4])
        channel.didWrite(1, pool: pool)
        XCTAssertTrue(channel.needsShutdown)
        channel.didShutdown()
        XCTAssertEqual(channel.state, .closed)
        XCTAssertFalse(channel.wantsWrite)
        XCTAssertEqual(channel.totalBytes, 4)
        XCTAssertEqual(pool.inUse, 0, "a drained channel holds no buffer")
    }

    func testBackPressureStopsReadingWhenBufferFull() {
        var channel = Channel()
        read(Array(repeating: 7, count: 16), into: &channel)
        XCTAssertFalse(channel.wantsRead(capacity: 16), "full buffer: stop reading the source")
        XCTAssertTrue(channel.wantsWrite)
        channel.didWrite(10, pool: pool)
        XCTAssertTrue(channel.wantsRead(capacity: 16))
        let space = channel.readSpace(pool: pool)
        XCTAssertEqual(space.count, 10, "pending bytes are compacted to the front")
        XCTAssertEqual(channel.buffered, 6)
    }

    func testIdleChannelReturnsItsBuffer() {
        var channel = Channel()
        _ = channel.readSpace(pool: pool)
        XCTAssertEqual(pool.inUse, 1)
        channel.readFoundNothing(pool: pool)
        XCTAssertEqual(pool.inUse, 0)
        XCTAssertFalse(channel.holdsBuffer)
    }

    func testEmptyFINShutsAtOnce() {
        var channel = Channel()
        channel.didReadEOF(pool: pool)
        XCTAssertTrue(channel.needsShutdown)
        channel.didShutdown()
        XCTAssertEqual(channel.state, .closed)
    }

    func testPipedBytesHoldBackTheFINUntilSplicedOut() {
        var channel = Channel()
        XCTAssertTrue(channel.wantsSpliceIn(pipeCapacity: 64))
        channel.didSpliceIn(40)
        XCTAssertTrue(channel.wantsWrite)
        XCTAssertTrue(channel.wantsSpliceIn(pipeCapacity: 64))
        channel.didSpliceIn(24)
        XCTAssertFalse(channel.wantsSpliceIn(pipeCapacity: 64), "a full pipe takes no more")
        channel.didReadEOF(pool: pool)
        XCTAssertFalse(channel.needsShutdown, "FIN waits for the piped bytes")
        channel.didSpliceOut(64)
        XCTAssertTrue(channel.needsShutdown)
        XCTAssertEqual(channel.totalBytes, 64)
    }

    func testSpliceInWaitsForTheBufferToDrain() {
        var channel = Channel()
        read([1, 2, 3], into: &channel)
        XCTAssertFalse(channel.wantsSpliceIn(pipeCapacity: 64), "buffered bytes must go first to keep order")
        channel.didWrite(3, pool: pool)
        XCTAssertTrue(channel.wantsSpliceIn(pipeCapacity: 64))
    }

    func testAbortDropsBufferedBytes() {
        var channel = Channel()
        read([9, 9], into: &channel)
        channel.abort(pool: pool)
        XCTAssertEqual(channel.state, .aborted)
        XCTAssertFalse(channel.wantsWrite)
        XCTAssertFalse(channel.wantsRead(capacity: 16))
        XCTAssertEqual(pool.inUse, 0)
    }
}

/// Stream ids survive slot reuse: a stale id never reaches the stream that now holds the slot.
final class StreamTableTests: XCTestCase {
    private final class Item {
        let name: String
        init(_ name: String) { self.name = name }
    }

    func testStaleIDDoesNotFindTheRecycledSlot() {
        let table = StreamTable<Item>()
        let first = table.reserve()
        table.insert(Item("first"), at: first)
        table.remove(first)
        let second = table.reserve()
        table.insert(Item("second"), at: second)
        XCTAssertEqual(first.slot, second.slot, "the slot is reused")
        XCTAssertNotEqual(first, second, "but the id is not")
        XCTAssertNil(table.lookup(first))
        XCTAssertEqual(table.lookup(second)?.name, "second")
        XCTAssertEqual(table.count, 1)
    }

    func testIDsAreUniqueOverManyReuses() {
        let table = StreamTable<Item>()
        var seen = Set<StreamID>()
        for round in 0..<1000 {
            let id = table.reserve()
            XCTAssertTrue(seen.insert(id).inserted, "id reused at round \(round)")
            table.insert(Item("\(round)"), at: id)
            table.remove(id)
        }
        XCTAssertEqual(table.count, 0)
    }

    func testIDPrintsInShowSessForm() {
        let table = StreamTable<Item>()
        let id = table.reserve()
        XCTAssertTrue(id.description.hasPrefix("0x"))
        XCTAssertEqual(StreamID(rawValue: UInt64(id.description.dropFirst(2), radix: 16)!), id)
    }
}
