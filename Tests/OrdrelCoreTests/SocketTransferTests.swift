@testable import OrdrelCore
import OrdrelSystem
import XCTest

/// The `_getsocks` codec and receiver state machine, without sockets: fds are stand-in numbers
/// the receiver never touches, so every path can be driven exactly.
final class SocketTransferTests: XCTestCase {
    private func fds(_ range: Range<Int32>) -> [FD] { range.map { FD(rawValue: 1000 + $0) } }

    private func count(_ n: Int32) -> [UInt8] { SocketTransfer.encodeInt(n) }

    private func records(_ n: Int) -> [UInt8] {
        (0..<n).flatMap { _ in SocketTransfer.record(namespace: "", interface: "") }
    }

    // MARK: the sender's plan

    /// haproxy's capture: 6 fds = a 4-byte count, then one message of 36 bytes (6 × 6) with all 6 fds.
    func testPlanMatchesHaproxyCapture() {
        let sockets = fds(0..<6).map { TransferredSocket(fd: $0) }
        let plan = SocketTransfer.plan(sockets)
        XCTAssertEqual(plan.count, [6, 0, 0, 0])
        XCTAssertEqual(plan.batches.count, 1)
        XCTAssertEqual(plan.batches[0].bytes, [UInt8](repeating: 0, count: 36))
        XCTAssertEqual(plan.batches[0].fds, fds(0..<6))
        XCTAssertFalse(plan.batches[0].awaitsAck, "haproxy 2.6 awaits no ack after the last, partial batch")
    }

    /// 600 fds: 252 + 252 + 96; acks are awaited after the two full batches only.
    func testPlanSplitsIntoBatchesOf252() {
        let plan = SocketTransfer.plan(fds(0..<600).map { TransferredSocket(fd: $0) })
        XCTAssertEqual(plan.batches.map(\.fds.count), [252, 252, 96])
        XCTAssertEqual(plan.batches.map(\.awaitsAck), [true, true, false])
        XCTAssertEqual(plan.batches[1].fds.first, FD(rawValue: 1252))
    }

    /// Nothing to send: no count at all, the session just ends (haproxy sends nothing either).
    func testPlanWithNoSocketsSendsNothing() {
        let plan = SocketTransfer.plan([])
        XCTAssertNil(plan.count)
        XCTAssertTrue(plan.batches.isEmpty)
    }

    func testRecordCarriesNamesAndFourZeroBytes() {
        XCTAssertEqual(SocketTransfer.record(namespace: "ns1", interface: "eth0"),
                       [3] + Array("ns1".utf8) + [4] + Array("eth0".utf8) + [0, 0, 0, 0])
        XCTAssertEqual(SocketTransfer.record(namespace: String(repeating: "n", count: 300), interface: "").first, 255)
    }

    // MARK: the receiver, good paths

    /// What the sender plans, the receiver accepts: names and fds stay paired in order.
    func testReceiverAcceptsWhatThePlanSends() {
        let sockets = fds(0..<3).enumerated().map { TransferredSocket(fd: $1, namespace: $0 == 1 ? "blue" : "", interface: "lo") }
        let plan = SocketTransfer.plan(sockets)
        var receiver = SocketTransferReceiver()
        XCTAssertEqual(receiver.receive(bytes: plan.count!, fds: [], controlTruncated: false), .read)
        XCTAssertEqual(receiver.receive(bytes: plan.batches[0].bytes, fds: plan.batches[0].fds, controlTruncated: false),
                       .done(sockets))
    }

    /// The count and the first batch in one read, as Linux may return them.
    func testCountAndBatchInOneRead() {
        var receiver = SocketTransferReceiver()
        XCTAssertEqual(receiver.receive(bytes: count(2) + records(2), fds: fds(0..<2), controlTruncated: false),
                       .done(fds(0..<2).map { TransferredSocket(fd: $0) }))
    }

    /// The count split over two reads, a batch's records split across reads after its fds:
    /// each read past the count is acked, and the end comes when fds and records are complete.
    func testSplitCountAndSplitBatch() {
        var receiver = SocketTransferReceiver()
        let bytes = records(2)
        XCTAssertEqual(receiver.receive(bytes: [2, 0], fds: [], controlTruncated: false), .read)
        XCTAssertEqual(receiver.receive(bytes: [0, 0], fds: [], controlTruncated: false), .read)
        XCTAssertEqual(receiver.receive(bytes: Array(bytes[0..<5]), fds: fds(0..<2), controlTruncated: false), .ackThenRead)
        XCTAssertEqual(receiver.step, .sockets(received: 2, expected: 2))
        XCTAssertEqual(receiver.receive(bytes: Array(bytes[5...]), fds: [], controlTruncated: false),
                       .done(fds(0..<2).map { TransferredSocket(fd: $0) }))
    }

    /// Two full batches: an ack after each, as the sender waits for one.
    func testEveryBatchIsAcked() {
        var receiver = SocketTransferReceiver()
        let plan = SocketTransfer.plan(fds(0..<300).map { TransferredSocket(fd: $0) })
        XCTAssertEqual(receiver.receive(bytes: plan.count!, fds: [], controlTruncated: false), .read)
        XCTAssertEqual(receiver.receive(bytes: plan.batches[0].bytes, fds: plan.batches[0].fds, controlTruncated: false), .ackThenRead)
        guard case .done(let sockets) = receiver.receive(bytes: plan.batches[1].bytes, fds: plan.batches[1].fds, controlTruncated: false) else {
            return XCTFail("the second batch completes the transfer")
        }
        XCTAssertEqual(sockets.map(\.fd), fds(0..<300))
    }

    /// A count of 0 (haproxy never sends one, but it is well-formed) is an empty success.
    func testZeroCountIsAnEmptySuccess() {
        var receiver = SocketTransferReceiver()
        XCTAssertEqual(receiver.receive(bytes: count(0), fds: [], controlTruncated: false), .done([]))
    }

    // MARK: the receiver, every failure: the step is named and every fd received is listed to close

    /// No `expose-fd listeners`: 0 bytes, then EOF.
    func testEOFBeforeTheCount() {
        var receiver = SocketTransferReceiver()
        XCTAssertEqual(receiver.receiveEOF(), .failed(.noCount, closing: []))
        XCTAssertTrue(SocketTransferError.noCount.description.hasPrefix("Failed to get the number of sockets to be transferred !"))
    }

    func testEOFInsideTheCount() {
        var receiver = SocketTransferReceiver()
        XCTAssertEqual(receiver.receive(bytes: [3, 0], fds: [], controlTruncated: false), .read)
        XCTAssertEqual(receiver.receiveEOF(), .failed(.noCount, closing: []))
    }

    func testNegativeCount() {
        var receiver = SocketTransferReceiver()
        XCTAssertEqual(receiver.receive(bytes: count(-1), fds: [], controlTruncated: false),
                       .failed(.invalidCount(-1), closing: []))
    }

    /// More fds than announced: haproxy's "Got too many sockets"; all of them are closed.
    func testMoreFDsThanAnnounced() {
        var receiver = SocketTransferReceiver()
        XCTAssertEqual(receiver.receive(bytes: count(1) + records(2), fds: fds(0..<2), controlTruncated: false),
                       .failed(.tooManySockets(expected: 1, got: 2), closing: fds(0..<2)))
    }

    /// Fewer fds than announced, then EOF (the peer closed mid-transfer).
    func testFewerFDsThenEOF() {
        var receiver = SocketTransferReceiver()
        XCTAssertEqual(receiver.receive(bytes: count(3) + records(2), fds: fds(0..<2), controlTruncated: false), .ackThenRead)
        XCTAssertEqual(receiver.receiveEOF(), .failed(.missingSockets(expected: 3, got: 2), closing: fds(0..<2)))
    }

    /// Every fd arrived but a record is short, then EOF: "Inconsistency while transferring sockets".
    func testShortRecordsThenEOF() {
        var receiver = SocketTransferReceiver()
        XCTAssertEqual(receiver.receive(bytes: count(2) + Array(records(2).dropLast(3)), fds: fds(0..<2), controlTruncated: false),
                       .ackThenRead)
        XCTAssertEqual(receiver.receiveEOF(),
                       .failed(.inconsistentRecords(expected: 2, records: 1, extraBytes: 3), closing: fds(0..<2)))
    }

    /// Bytes beyond the last record: the records do not describe the fds.
    func testExtraBytesAfterTheRecords() {
        var receiver = SocketTransferReceiver()
        XCTAssertEqual(receiver.receive(bytes: count(1) + records(1) + [9], fds: fds(0..<1), controlTruncated: false),
                       .failed(.inconsistentRecords(expected: 1, records: 1, extraBytes: 1), closing: fds(0..<1)))
    }

    /// More records than fds announced.
    func testMoreRecordsThanAnnounced() {
        var receiver = SocketTransferReceiver()
        XCTAssertEqual(receiver.receive(bytes: count(1) + records(2), fds: [], controlTruncated: false),
                       .failed(.inconsistentRecords(expected: 1, records: 2, extraBytes: 0), closing: []))
    }

    /// MSG_CTRUNC: fds were lost; the ones that did arrive (now and before) are closed.
    func testTruncatedControlData() {
        var receiver = SocketTransferReceiver()
        XCTAssertEqual(receiver.receive(bytes: count(300) + records(252), fds: fds(0..<252), controlTruncated: false),
                       .ackThenRead)
        XCTAssertEqual(receiver.receive(bytes: records(48), fds: fds(252..<260), controlTruncated: true),
                       .failed(.controlTruncated(.sockets(received: 260, expected: 300)), closing: fds(0..<260)))
    }

    /// 1 s of silence: before the count, and after part of the sockets (count larger than sent).
    func testTimeouts() {
        var silent = SocketTransferReceiver()
        XCTAssertEqual(silent.timedOut(), .failed(.timedOut(.count), closing: []))
        var partial = SocketTransferReceiver()
        _ = partial.receive(bytes: count(3) + records(2), fds: fds(0..<2), controlTruncated: false)
        XCTAssertEqual(partial.timedOut(), .failed(.timedOut(.sockets(received: 2, expected: 3)), closing: fds(0..<2)))
        XCTAssertEqual(SocketTransferError.timedOut(.sockets(received: 2, expected: 3)).description,
                       "Timed out (1 s) while receiving sockets (2 of 3)")
    }

    /// An ack or read that fails (EPIPE, ECONNRESET) closes what arrived.
    func testIOFailure() {
        var receiver = SocketTransferReceiver()
        _ = receiver.receive(bytes: count(2) + records(1), fds: fds(0..<1), controlTruncated: false)
        XCTAssertEqual(receiver.failed("send: Broken pipe"),
                       .failed(.peerFailed(.sockets(received: 1, expected: 2), "send: Broken pipe"), closing: fds(0..<1)))
    }

    /// After the end nothing is accepted, and fds that still arrive are handed back for closing.
    func testNothingAfterTheEnd() {
        var receiver = SocketTransferReceiver()
        _ = receiver.receive(bytes: count(0), fds: [], controlTruncated: false)
        guard case .failed(_, let closing) = receiver.receive(bytes: records(1), fds: fds(0..<1), controlTruncated: false) else {
            return XCTFail("data after the end must fail")
        }
        XCTAssertEqual(closing, fds(0..<1))
    }

    // MARK: matching and arguments

    func testTemporarySuffixIsIgnoredWhenMatchingUnixPaths() {
        XCTAssertEqual(InheritedListeners.stripTemporarySuffix("/run/admin.sock.6235.tmp"), "/run/admin.sock")
        XCTAssertEqual(InheritedListeners.stripTemporarySuffix("/run/admin.sock"), "/run/admin.sock")
        XCTAssertEqual(InheritedListeners.stripTemporarySuffix("/run/a.x.tmp"), "/run/a.x.tmp")
    }

    func testOldProcessSocketArgument() {
        XCTAssertNil(OldProcessSocket(argument: "/dev/null"))
        XCTAssertEqual(OldProcessSocket(argument: "sockpair@3"), .socketPair(fd: 3))
        XCTAssertEqual(OldProcessSocket(argument: "/run/admin.sock"), .unixPath("/run/admin.sock"))
    }

    /// haproxy's spellings: the pid list ends at the next `-` argument and may be empty.
    func testSfAndStArguments() throws {
        let (old, rest) = try OldProcesses.extract(from: ["-D", "-p", "p.pid", "-f", "a.cfg", "-x", "/run/admin.sock", "-sf", "123", "456"])
        XCTAssertEqual(old, OldProcesses(pids: [123, 456], finish: .soft))
        XCTAssertEqual(rest, ["-D", "-p", "p.pid", "-f", "a.cfg", "-x", "/run/admin.sock"])
        let (hard, rest2) = try OldProcesses.extract(from: ["-st", "7", "-f", "a.cfg"])
        XCTAssertEqual(hard, OldProcesses(pids: [7], finish: .hard))
        XCTAssertEqual(rest2, ["-f", "a.cfg"])
        let (empty, rest3) = try OldProcesses.extract(from: ["-f", "a.cfg", "-sf"])
        XCTAssertEqual(empty, OldProcesses(pids: [], finish: .soft))
        XCTAssertEqual(rest3, ["-f", "a.cfg"])
        let (_, rest4) = try OldProcesses.extract(from: ["-f", "a.cfg", "--", "-sf", "b.cfg"])
        XCTAssertEqual(rest4, ["-f", "a.cfg", "--", "-sf", "b.cfg"])
        XCTAssertThrowsError(try OldProcesses.extract(from: ["-sf", "12x"]))
        XCTAssertThrowsError(try OldProcesses.extract(from: ["-sf", "0"]))
    }
}
