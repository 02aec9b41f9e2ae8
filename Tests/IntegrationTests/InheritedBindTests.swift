#if canImport(Glibc)
import Glibc
#endif
import Foundation
import OrdrelSystem
import XCTest

/// ordrel started with a listening socket as its standard input (descriptor 0), as inetd-style
/// supervisors and haproxy's VTest hand sockets over; `bind fd@0` serves on it.
private final class OrdrelWithSocket: DaemonProcess {
    init(config: String, socket: Int32) throws {
        super.init(config: config, name: "ordrel", stopTimeout: 5)
        process.executableURL = URL(fileURLWithPath: Binaries.path("ordrel"))
        process.arguments = ["-db", "-f", configPath]
        process.standardInput = FileHandle(fileDescriptor: socket, closeOnDealloc: false)
        try process.run()
    }
}

/// `bind fd@<n>`: a listening socket inherited by number; `bind sockpair@<n>`: connections
/// passed as descriptors over an inherited socket pair.
final class InheritedBindTests: XCTestCase {
    func testServesOnAnInheritedListeningSocket() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let (listener, port) = try TestSocket.listen()
        let ordrel = try OrdrelWithSocket(config: """
            defaults
                mode tcp
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            listen li
                bind fd@0
                server s1 127.0.0.1:\(backend.port)

            """, socket: listener)
        defer { ordrel.stop() }
        // The socket already listens in this process too: wait until ordrel, not the backlog,
        // answers, i.e. until a stream reaches the backend.
        XCTAssertTrue(try waitUntil(10) {
            let fd = try TestSocket.connect(port: port)
            defer { close(fd) }
            TestSocket.setReceiveTimeout(fd, seconds: 2)
            try TestSocket.sendAll(fd, Array("ping".utf8))
            shutdown(fd, Int32(SHUT_WR))
            return String(decoding: TestSocket.readAll(fd).bytes, as: UTF8.self) == "ping"
        }, ordrel.stderrText)
        close(listener)
        XCTAssertGreaterThan(backend.acceptedCount, 0)
    }

    func testServesConnectionsPassedOverAnInheritedSocketPair() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let (ours, theirs) = try FD.socketPair()
        var oursOpen = true
        defer { if oursOpen { ours.close() } }
        let ordrel = try OrdrelWithSocket(config: """
            defaults
                mode tcp
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            listen li
                bind sockpair@0
                server s1 127.0.0.1:\(backend.port)

            """, socket: theirs.rawValue)
        defer { ordrel.stop() }
        theirs.close()
        // A client connects to a socket of the test's; the test hands the accepted connection
        // over, as haproxy's master hands connections to a worker.
        let (listener, port) = try TestSocket.listen()
        defer { close(listener) }
        for round in 0..<2 {
            let client = try TestSocket.connect(port: port)
            defer { close(client) }
            let accepted = FD(rawValue: accept(listener, nil, nil))
            XCTAssertGreaterThanOrEqual(accepted.rawValue, 0)
            guard case .processed = try ours.send([0], passing: [accepted]) else { return XCTFail("socket pair full") }
            accepted.close()
            TestSocket.setReceiveTimeout(client, seconds: 5)
            try TestSocket.sendAll(client, Array("ping \(round)".utf8))
            shutdown(client, Int32(SHUT_WR))
            XCTAssertEqual(String(decoding: TestSocket.readAll(client).bytes, as: UTF8.self), "ping \(round)", ordrel.stderrText)
        }
        XCTAssertEqual(backend.acceptedCount, 2)
        // The peer closing its end stops that listener; ordrel goes on.
        ours.close()
        oursOpen = false
        XCTAssertTrue(waitUntil(5) { ordrel.stderrText.contains("Proxy li: sockpair@0 was closed by its peer") }, ordrel.stderrText)
        usleep(100_000)
        XCTAssertEqual(ordrel.stderrText.components(separatedBy: "was closed by its peer").count - 1, 1, "said once, not per thread")
    }

    func testClosedOrMalformedDescriptorsAreRefusedWithTheirLine() throws {
        let directory = TemporaryDirectory()
        let config = directory.write("fd.cfg", """
            listen li
                bind fd@987
                bind fd@x
                bind sockpair@986
                server s1 127.0.0.1:9

            """)
        let result = try runCommand(Binaries.path("ordrel"), ["-c", "-f", config])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("parsing [\(config):2] : 'bind' : cannot use file descriptor '987' : Bad file descriptor."),
                      result.stderr)
        XCTAssertTrue(result.stderr.contains("parsing [\(config):3] : 'bind' : file descriptor 'x' is not a valid integer in 'fd@x'"),
                      result.stderr)
        XCTAssertTrue(result.stderr.contains("parsing [\(config):4] : 'bind' : cannot use file descriptor '986' : Bad file descriptor."),
                      result.stderr)
    }
}
