#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// The real daemon forwarding real TCP between real sockets on 127.0.0.1.
final class ForwardingTests: XCTestCase {
    private func config(frontendPort: UInt16, servers: [UInt16], extra: String = "", defaults: String = "") -> String {
        let serverLines = servers.enumerated().map { "    server s\($0.offset + 1) 127.0.0.1:\($0.element)" }
        return """
        global
            maxconn 4000
        defaults
            mode tcp
            timeout connect 2s
            timeout client 30s
            timeout server 30s
        \(defaults)
        frontend fe
            bind 127.0.0.1:\(frontendPort)
            default_backend be
        backend be
        \(extra)
        \(serverLines.joined(separator: "\n"))

        """
    }

    override func setUp() {
        TestSocket.raiseFileLimit(8192)
    }

    func testEightMebibytesEachWayArriveIntact() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let ordrel = try OrdrelProcess(config: config(frontendPort: port, servers: [backend.port]), readyPort: port)
        defer { ordrel.stop() }

        let payload = TestSocket.randomBytes(8 << 20)
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 30)
        let writer = Thread {
            try? TestSocket.sendAll(fd, payload)
            shutdown(fd, Int32(SHUT_WR))
        }
        writer.start()
        let (echoed, end) = TestSocket.readAll(fd)
        XCTAssertEqual(end, .eof)
        XCTAssertEqual(echoed.count, payload.count)
        XCTAssertEqual(TestSocket.checksum(echoed), TestSocket.checksum(payload))
    }

    func testHalfClosedRequestGetsWholeAnswerThenEOF() throws {
        let answer = TestSocket.randomBytes(300_000)
        let backend = try TestBackend(.answerAfterEOF(answer))
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let ordrel = try OrdrelProcess(config: config(frontendPort: port, servers: [backend.port]), readyPort: port)
        defer { ordrel.stop() }

        for _ in 0..<20 {
            let fd = try TestSocket.connect(port: port)
            TestSocket.setReceiveTimeout(fd, seconds: 10)
            try TestSocket.sendAll(fd, Array("show stat\n".utf8))
            shutdown(fd, Int32(SHUT_WR))
            let (received, end) = TestSocket.readAll(fd)
            close(fd)
            XCTAssertEqual(end, .eof)
            XCTAssertEqual(received.count, answer.count)
            XCTAssertEqual(TestSocket.checksum(received), TestSocket.checksum(answer))
        }
    }

    /// A server that answers, then closes while the client's side is still open (one connection
    /// per request): the client gets every byte, then EOF, whether the answer fits one buffer or
    /// spans many, and under `option nolinger` too (the last bytes may wait for the FIN).
    func testServerThatAnswersThenClosesDeliversEverythingThenEOF() throws {
        let backend = try TestBackend(.answerThenClose { request in
            let size = Int(String(decoding: request.prefix { $0 != 10 }, as: UTF8.self)) ?? 0
            return Self.pattern(size)
        })
        defer { backend.stop() }
        for extra in ["", "    option nolinger"] {
            let port = try TestSocket.unusedPort()
            let ordrel = try OrdrelProcess(config: config(frontendPort: port, servers: [backend.port], extra: extra),
                                           readyPort: port)
            defer { ordrel.stop() }
            for size in [1, 1_000, 16_384, 40_000, 300_000] {
                for _ in 0..<3 {
                    let fd = try TestSocket.connect(port: port)
                    TestSocket.setReceiveTimeout(fd, seconds: 10)
                    try TestSocket.sendAll(fd, Array("\(size)\n".utf8))
                    let (received, end) = TestSocket.readAll(fd)
                    close(fd)
                    XCTAssertEqual(end, .eof, "\(size) bytes\(extra)")
                    XCTAssertEqual(received.count, size, "\(size) bytes\(extra)")
                    XCTAssertTrue(received == Self.pattern(size), "\(size) bytes\(extra): the bytes themselves")
                }
            }
        }
    }

    private static func pattern(_ size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
    }

    func testRefusingBackendClosesClientPromptlyAfterRetries() throws {
        let dead = try TestSocket.unusedPort()
        let port = try TestSocket.unusedPort()
        let cfg = config(frontendPort: port, servers: [dead], extra: "    retries 2\n    timeout connect 100ms")
        let ordrel = try OrdrelProcess(config: cfg, readyPort: port)
        defer { ordrel.stop() }

        let started = Date()
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        let (received, end) = TestSocket.readAll(fd)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertTrue(received.isEmpty)
        XCTAssertNotEqual(end, .timeout, "the client must be closed, not left hanging")
        // Two retries with a 100 ms turn-around each: well under a second, never the 5 s read timeout.
        XCTAssertLessThan(elapsed, 2.0)
        XCTAssertGreaterThanOrEqual(elapsed, 0.15, "retries must wait the turn-around delay")
    }

    /// Connects through the proxy, sends nothing, and checks ordrel closes the client between
    /// `atLeast` and `atMost` seconds later.
    private func assertClientClosed(port: UInt16, atLeast: Double, atMost: Double, file: StaticString = #filePath, line: UInt = #line) throws {
        let started = Date()
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        let (_, end) = TestSocket.readAll(fd)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertNotEqual(end, .timeout, "the client must be closed, not left hanging", file: file, line: line)
        XCTAssertGreaterThanOrEqual(elapsed, atLeast, file: file, line: line)
        XCTAssertLessThan(elapsed, atMost, file: file, line: line)
    }

    func testConnectTimeoutFires() throws {
        // A listener whose accept queue is full drops SYNs, so connects to it hang.
        let (blackhole, blackholePort) = try TestSocket.listen(backlog: 0)
        defer { close(blackhole) }
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        for _ in 0..<4 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var address = TestSocket.loopback(port: blackholePort)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            fillers.append(fd)
        }
        usleep(100_000)
        let port = try TestSocket.unusedPort()
        let cfg = config(frontendPort: port, servers: [blackholePort], extra: "    retries 0\n    timeout connect 300ms")
        let ordrel = try OrdrelProcess(config: cfg, readyPort: port)
        defer { ordrel.stop() }
        try assertClientClosed(port: port, atLeast: 0.25, atMost: 2.0)
    }

    func testClientIdleTimeoutFires() throws {
        let backend = try TestBackend(.silent)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let cfg = config(frontendPort: port, servers: [backend.port], defaults: "    timeout client 300ms\n    timeout server 300ms")
        let ordrel = try OrdrelProcess(config: cfg, readyPort: port)
        defer { ordrel.stop() }
        try assertClientClosed(port: port, atLeast: 0.25, atMost: 2.0)
    }

    func testThousandConcurrentStreams() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let ordrel = try OrdrelProcess(config: config(frontendPort: port, servers: [backend.port]), readyPort: port)
        defer { ordrel.stop() }

        var clients: [Int32] = []
        defer { clients.forEach { close($0) } }
        for index in 0..<1000 {
            let fd = try TestSocket.connect(port: port)
            TestSocket.setReceiveTimeout(fd, seconds: 10)
            try TestSocket.sendAll(fd, Array("stream \(index)\n".utf8))
            clients.append(fd)
        }
        for (index, fd) in clients.enumerated() {
            let expected = Array("stream \(index)\n".utf8)
            XCTAssertEqual(TestSocket.read(fd, count: expected.count), expected, "stream \(index)")
        }
        for fd in clients { shutdown(fd, Int32(SHUT_WR)) }
        for fd in clients { XCTAssertEqual(TestSocket.readAll(fd).end, .eof) }
    }

    func testTenThousandConnectionsLeakNoDescriptors() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let ordrel = try OrdrelProcess(config: config(frontendPort: port, servers: [backend.port]), readyPort: port)
        defer { ordrel.stop() }
        usleep(100_000)
        let before = ordrel.openDescriptorCount
        XCTAssertGreaterThan(before, 0)

        let message = Array("ping\n".utf8)
        for _ in 0..<10_000 {
            let fd = try TestSocket.connect(port: port)
            TestSocket.setReceiveTimeout(fd, seconds: 10)
            try TestSocket.sendAll(fd, message)
            shutdown(fd, Int32(SHUT_WR))
            let (received, end) = TestSocket.readAll(fd)
            close(fd)
            XCTAssertEqual(received, message)
            XCTAssertEqual(end, .eof)
        }
        var after = ordrel.openDescriptorCount
        let deadline = Date().addingTimeInterval(3)
        while after > before && Date() < deadline {
            usleep(50_000)
            after = ordrel.openDescriptorCount
        }
        XCTAssertLessThanOrEqual(after, before, "ordrel holds more fds after 10,000 connections than at start")
    }

    func testUnixAndIPv6FrontendsForward() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let directory = TemporaryDirectory()
        let unixPath = directory.path + "/front.sock"
        let port = try TestSocket.unusedPort()
        let ipv6 = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        let hasIPv6 = ipv6 >= 0
        if ipv6 >= 0 { close(ipv6) }
        let cfg = """
        defaults
            mode tcp
            timeout connect 2s
            timeout client 30s
            timeout server 30s
        frontend fe
            bind unix@\(unixPath)
            \(hasIPv6 ? "bind [::1]:\(port)" : "")
            default_backend be
        backend be
            server s1 127.0.0.1:\(backend.port)

        """
        let ordrel = try OrdrelProcess(config: cfg, readySocket: unixPath)
        defer { ordrel.stop() }

        let fd = try TestSocket.connect(unixPath: unixPath)
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try TestSocket.sendAll(fd, Array("over unix\n".utf8))
        shutdown(fd, Int32(SHUT_WR))
        let (bytes, end) = TestSocket.readAll(fd)
        close(fd)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "over unix\n")
        XCTAssertEqual(end, .eof)

        guard hasIPv6 else { return }
        let v6 = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(v6) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        inet_pton(AF_INET6, "::1", &address.sin6_addr)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(v6, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
        XCTAssertEqual(rc, 0, "connect to [::1]:\(port)")
        TestSocket.setReceiveTimeout(v6, seconds: 5)
        try TestSocket.sendAll(v6, Array("over ipv6\n".utf8))
        shutdown(v6, Int32(SHUT_WR))
        XCTAssertEqual(String(decoding: TestSocket.readAll(v6).bytes, as: UTF8.self), "over ipv6\n")
    }

    func testCheckModeReportsEveryBadLine() throws {
        let directory = TemporaryDirectory()
        let bad = directory.write("bad.cfg", """
        global
            bogus-keyword 1
        defaults
            mode http
        frontend fe
            bind 127.0.0.1:1
            default_backend nowhere

        """)
        let result = try runCommand(Binaries.path("ordrel"), ["-c", "-f", bad])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("bad.cfg:2"), result.stderr)
        XCTAssertTrue(result.stderr.contains("bad.cfg:4"), result.stderr)
    }

    func testCheckModeAcceptsValidConfig() throws {
        let directory = TemporaryDirectory()
        let good = directory.write("good.cfg", config(frontendPort: 1, servers: [2]))
        let result = try runCommand(Binaries.path("ordrel"), ["-c", "-f", good])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Configuration file is valid"))
    }
}
