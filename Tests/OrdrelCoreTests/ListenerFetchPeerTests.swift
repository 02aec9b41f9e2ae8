import Foundation
@testable import OrdrelCore
import OrdrelSystem
import XCTest

/// The new process's side of `_getsocks` over real sockets against a scripted old process that
/// misbehaves in each way the seed (FreeBSD hastd) and haproxy's issues warn about. Each case
/// must fail with an error naming its step and leave no fd open (counted in /proc/self/fd).
/// The connection reaches the peer the `sockpair@<fd>` way, as in master-worker mode.
final class ListenerFetchPeerTests: XCTestCase {
    /// The scripted old process: gets its end of the connection through `carrier`, reads
    /// `_getsocks\n`, then runs `script`; closes everything it opened before it finishes.
    private func fetch(against script: @escaping @Sendable (FD) throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) throws -> Result<[InheritedSocket], SocketTransferError> {
        let (ours, carrier) = try FD.socketPair()
        let finished = DispatchSemaphore(value: 0)
        let failure = LockedBox<String?>(nil)
        let thread = Thread {
            defer { carrier.close(); finished.signal() }
            do {
                try carrier.setBlocking(true)
                try carrier.setReceiveTimeout(seconds: 5)
                guard case .processed(let message) = try carrier.receive(maxBytes: 1, maxFDs: 1),
                      let connection = message.fds.first else { throw PeerError.noConnection }
                defer { connection.close() }
                try connection.setBlocking(true)
                try connection.setReceiveTimeout(seconds: 5)
                guard Self.read(connection, count: 10) == SocketTransfer.request else { throw PeerError.noRequest }
                try script(connection)
            } catch {
                failure.value = "\(error)"
            }
        }
        thread.start()
        let result = ListenerFetch.fetch(from: .socketPair(fd: ours.rawValue))
        ours.close()
        finished.wait()
        if let message = failure.value { XCTFail("scripted peer: \(message)", file: file, line: line) }
        return result
    }

    private enum PeerError: Error { case noConnection, noRequest, shortSend }

    /// Reads exactly `count` bytes (fewer at EOF or after the receive timeout).
    private static func read(_ fd: FD, count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: count)
        while bytes.count < count {
            let want = count - bytes.count
            guard case .processed(let n)? = try? buffer.withUnsafeMutableBytes({
                try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want]))
            }), n > 0 else { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }

    /// Waits until the receiver closes its end (it closes after any failure).
    private static func waitForEOF(_ fd: FD) {
        while read(fd, count: 1).count == 1 {}
    }

    private static func send(_ fd: FD, _ bytes: [UInt8], passing fds: [FD] = []) throws {
        guard case .processed(let n) = try fd.send(bytes, passing: fds), n == bytes.count else { throw PeerError.shortSend }
    }

    private static func records(_ n: Int) -> [UInt8] {
        (0..<n).flatMap { _ in SocketTransfer.record(namespace: "", interface: "") }
    }

    private static func openFDCount() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).count
    }

    /// Runs `script` as the old process, checks the error and that no fd leaked.
    private func expectFailure(_ expected: SocketTransferError, file: StaticString = #filePath, line: UInt = #line,
                               _ script: @escaping @Sendable (FD) throws -> Void) throws {
        let before = Self.openFDCount()
        let result = try fetch(against: script, file: file, line: line)
        guard case .failure(let error) = result else {
            if case .success(let sockets) = result { sockets.forEach { $0.fd.close() } }
            return XCTFail("expected \(expected), got a success", file: file, line: line)
        }
        XCTAssertEqual(error, expected, file: file, line: line)
        XCTAssertEqual(Self.openFDCount(), before, "an fd leaked", file: file, line: line)
    }

    // MARK: misbehaving old processes

    /// A socket without `expose-fd listeners`: 0 bytes, then EOF.
    func testNoExposeFD() throws {
        try expectFailure(.noCount) { _ in }
    }

    /// An old process that never answers: the 1 s timeout, not a hang.
    func testSilentPeerTimesOut() throws {
        try expectFailure(.timedOut(.count)) { connection in Self.waitForEOF(connection) }
    }

    /// A short batch, then the peer closes mid-transfer.
    func testShortBatchThenClose() throws {
        try expectFailure(.missingSockets(expected: 3, got: 2)) { connection in
            let (a, b) = try FD.socketPair()
            defer { a.close(); b.close() }
            try Self.send(connection, SocketTransfer.encodeInt(3))
            try Self.send(connection, Self.records(2), passing: [a, b])
        }
    }

    /// A count larger than what is sent, and the peer stays: the timeout names how far it got.
    func testCountLargerThanSentTimesOut() throws {
        try expectFailure(.timedOut(.sockets(received: 2, expected: 3))) { connection in
            let (a, b) = try FD.socketPair()
            defer { a.close(); b.close() }
            try Self.send(connection, SocketTransfer.encodeInt(3))
            try Self.send(connection, Self.records(2), passing: [a, b])
            _ = Self.read(connection, count: 4)  // the ack
            Self.waitForEOF(connection)
        }
    }

    /// The records of a batch cut short, then EOF.
    func testClosesMidRecord() throws {
        try expectFailure(.inconsistentRecords(expected: 2, records: 1, extraBytes: 1)) { connection in
            let (a, b) = try FD.socketPair()
            defer { a.close(); b.close() }
            try Self.send(connection, SocketTransfer.encodeInt(2))
            try Self.send(connection, Array(Self.records(2).prefix(7)), passing: [a, b])
        }
    }

    /// More fds in one message than announced.
    func testMoreFDsThanAnnounced() throws {
        try expectFailure(.tooManySockets(expected: 1, got: 2)) { connection in
            let (a, b) = try FD.socketPair()
            defer { a.close(); b.close() }
            try Self.send(connection, SocketTransfer.encodeInt(1))
            try Self.send(connection, Self.records(2), passing: [a, b])
            Self.waitForEOF(connection)
        }
    }

    /// 253 fds in one message (the kernel's most) against a control buffer sized for haproxy's
    /// 252: MSG_CTRUNC, the kernel drops one, and the 252 that did arrive are closed.
    func testTruncatedControlData() throws {
        try expectFailure(.controlTruncated(.sockets(received: 252, expected: 253))) { connection in
            let (a, b) = try FD.socketPair()
            defer { a.close(); b.close() }
            try Self.send(connection, SocketTransfer.encodeInt(253))
            try Self.send(connection, Self.records(253), passing: Array(repeating: a, count: 253))
            Self.waitForEOF(connection)
        }
    }

    // MARK: a well-behaved old process

    /// 300 fds: a full batch, the ack it waits for, then the rest; every fd arrives non-blocking
    /// with its traits read from the socket itself.
    func testTwoBatchesWithAck() throws {
        let before = Self.openFDCount()
        let result = try fetch { connection in
            let listener = try FD.streamSocket(for: .inet)
            defer { listener.close() }
            try listener.bind(to: SocketAddress(ip: "127.0.0.1", port: 0)!)
            try listener.listen(backlog: 8)
            let plan = SocketTransfer.plan(Array(repeating: TransferredSocket(fd: listener), count: 300))
            try Self.send(connection, plan.count!)
            for batch in plan.batches {
                try Self.send(connection, batch.bytes, passing: batch.fds)
                if batch.awaitsAck { guard Self.read(connection, count: 4).count == 4 else { throw PeerError.shortSend } }
            }
        }
        let sockets = try result.get()
        XCTAssertEqual(sockets.count, 300)
        XCTAssertTrue(sockets.allSatisfy { $0.traits.isListening && $0.traits.isStream && $0.traits.address.host == "127.0.0.1" })
        XCTAssertEqual(Set(sockets.map(\.traits.address.port)).count, 1)
        sockets.forEach { $0.fd.close() }
        XCTAssertEqual(Self.openFDCount(), before)
    }

    /// The old process's side (ListenerExport) against this side over a socketpair: haproxy's
    /// exact framing both ways, with names kept in order.
    func testExportToFetch() throws {
        let before = Self.openFDCount()
        let path = NSTemporaryDirectory() + "ordrel-fetch-\(CurrentProcess.id).sock"
        let unix = try FD.unixListener(path: path, mode: nil, uid: nil, gid: nil, backlog: 4)
        defer { try? Files.unlinkIfPresent(path) }
        let exported = [TransferredSocket(fd: unix), TransferredSocket(fd: unix, namespace: "n", interface: "i")]
        let result = try fetch { connection in
            if let error = ListenerExport.send(exported, over: connection) { throw error }
        }
        unix.close()
        let sockets = try result.get()
        XCTAssertEqual(sockets.map(\.namespace), ["", "n"])
        XCTAssertEqual(sockets.map(\.interface), ["", "i"])
        XCTAssertEqual(sockets.first?.traits.address.family, .unix)
        XCTAssertEqual(InheritedListeners.stripTemporarySuffix(sockets.first?.traits.address.host ?? ""), path)
        sockets.forEach { $0.fd.close() }
        XCTAssertEqual(Self.openFDCount(), before)
    }
}

/// A value shared with the scripted peer's thread.
private final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
