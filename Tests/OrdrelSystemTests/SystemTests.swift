#if canImport(Glibc)
import Glibc
#endif
import OrdrelSystem
import XCTest

/// The syscall chokepoint: descriptor passing, would-block as a value, addresses.
final class SystemTests: XCTestCase {
    /// A listener's name and its fd travel in one sendmsg, as a seamless reload hands them over;
    /// the receiver gets both together and the fd it gets works.
    func testNameAndDescriptorTravelInOneMessage() throws {
        let (sender, receiver) = try FD.socketPair()
        defer { sender.close(); receiver.close() }
        let (passedWrite, passedRead) = try FD.socketPair()
        defer { passedRead.close() }

        guard case .processed(let sent) = try sender.send(Array("fe_main".utf8), passing: [passedWrite]) else {
            return XCTFail("sendmsg would block on an empty socket pair")
        }
        XCTAssertEqual(sent, 7)
        passedWrite.close()

        guard case .processed(let message) = try receiver.receive(maxBytes: 64, maxFDs: 4) else {
            return XCTFail("the message was not there")
        }
        XCTAssertEqual(String(decoding: message.bytes, as: UTF8.self), "fe_main")
        XCTAssertEqual(message.fds.count, 1)
        let received = try XCTUnwrap(message.fds.first)
        defer { received.close() }
        _ = try Array("through the passed fd".utf8).withUnsafeBytes { try received.write($0) }
        var buffer = [UInt8](repeating: 0, count: 64)
        guard case .processed(let count) = try buffer.withUnsafeMutableBytes({ try passedRead.read(into: $0) }) else {
            return XCTFail("nothing arrived through the passed fd")
        }
        XCTAssertEqual(String(decoding: buffer.prefix(count), as: UTF8.self), "through the passed fd")
    }

    /// Descriptors beyond what the caller takes are closed, never leaked into the process.
    func testExtraDescriptorsAreClosedNotLeaked() throws {
        let (sender, receiver) = try FD.socketPair()
        defer { sender.close(); receiver.close() }
        let pairs = try (0..<3).map { _ in try FD.socketPair() }
        defer { pairs.forEach { $0.1.close() } }
        _ = try sender.send([1], passing: pairs.map(\.0))
        pairs.forEach { $0.0.close() }
        guard case .processed(let message) = try receiver.receive(maxBytes: 8, maxFDs: 1) else {
            return XCTFail("the message was not there")
        }
        XCTAssertEqual(message.fds.count, 1)
        message.fds.forEach { $0.close() }
        // Every passed end is closed now (ours above, the kept one just now, the extra two by
        // receive), so each peer reads EOF rather than would-block.
        var byte: UInt8 = 0
        for (_, peer) in pairs {
            let result = try withUnsafeMutableBytes(of: &byte) { try peer.read(into: $0) }
            guard case .processed(0) = result else { return XCTFail("a passed fd leaked: its peer sees it still open") }
        }
    }

    func testWouldBlockIsAValueNotAnError() throws {
        let (a, b) = try FD.socketPair()
        defer { a.close(); b.close() }
        var byte: UInt8 = 0
        let result = try withUnsafeMutableBytes(of: &byte) { try a.read(into: $0) }
        guard case .wouldBlock = result else { return XCTFail("an empty non-blocking socket must report wouldBlock") }
    }

    func testAddressesParseAndPrintLikeHaproxy() throws {
        let v4 = try XCTUnwrap(SocketAddress(ip: "127.0.0.1", port: 8080))
        XCTAssertEqual(v4.description, "127.0.0.1:8080")
        XCTAssertEqual(v4.family, .inet)
        let v6 = try XCTUnwrap(SocketAddress(ip: "::1", port: 443))
        XCTAssertEqual(v6.description, "[::1]:443")
        var moved = v6
        moved.port = 8443
        XCTAssertEqual(moved.port, 8443)
        XCTAssertNotEqual(moved, v6)
        XCTAssertEqual(SocketAddress(unixPath: "/run/ordrel/admin.sock")?.description, "unix@/run/ordrel/admin.sock")
        XCTAssertNil(SocketAddress(ip: "not-an-ip", port: 1))
        XCTAssertNil(SocketAddress(unixPath: String(repeating: "x", count: 200)), "longer than sun_path")
    }

    func testLocksExcludeOtherThreads() throws {
        final class Counter: @unchecked Sendable {
            let lock = Lock()
            var value = 0
        }
        let counter = Counter()
        let threads = try (0..<4).map { index in
            try Threads.start(name: "count-\(index)") {
                for _ in 0..<50_000 { counter.lock.withLock { counter.value += 1 } }
            }
        }
        threads.forEach(Threads.join)
        XCTAssertEqual(counter.value, 200_000, "no increment lost between four threads")
        XCTAssertGreaterThanOrEqual(Threads.availableCPUs, 1)
    }
}
