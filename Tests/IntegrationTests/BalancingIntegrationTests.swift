#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// The real daemon balancing real backends on 127.0.0.1: algorithms, health checks, server
/// maxconn and queues, failure handling. Each backend greets with its name ("s1\n"), which tells
/// the client which server answered.
final class BalancingIntegrationTests: XCTestCase {
    override func setUp() {
        TestSocket.raiseFileLimit(8192)
    }

    // MARK: helpers

    private func config(port: UInt16, balance: String = "roundrobin", backend: String = "", frontend: String = "",
                        tcplog: Bool = true, servers: [String]) -> String {
        """
        global
            maxconn 4000
            log stderr format raw local0
        defaults
            mode tcp
            log global
            \(tcplog ? "option tcplog" : "")
            timeout connect 1s
            timeout client 30s
            timeout server 30s
        frontend fe
            bind 127.0.0.1:\(port)
            default_backend be
        \(frontend)
        backend be
            balance \(balance)
        \(backend)
        \(servers.map { "    server " + $0 }.joined(separator: "\n"))

        """
    }

    private func greeting(_ name: String) -> [UInt8] { Array("\(name)\n".utf8) }

    /// Backends s1...sN greeting with their names.
    private func backends(_ count: Int) throws -> [TestBackend] {
        try (1...count).map { try TestBackend(.greetThenEcho(greeting("s\($0)"))) }
    }

    /// Reads a server's greeting from an open client: its name, or nil on timeout/EOF.
    private func readGreeting(_ fd: Int32, timeout: Double = 5) -> String? {
        TestSocket.setReceiveTimeout(fd, seconds: timeout)
        let bytes = TestSocket.read(fd, count: 3)
        guard bytes.count == 3 else { return nil }
        return String(decoding: bytes.prefix(2), as: UTF8.self)
    }

    /// One short connection: which server greeted it.
    private func whoAnswers(port: UInt16, from source: String? = nil) throws -> String? {
        let fd = try TestSocket.connect(port: port, from: source)
        defer { close(fd) }
        return readGreeting(fd)
    }

    private func tally(_ names: [String?]) -> [String: Int] {
        names.reduce(into: [:]) { $0[$1 ?? "none", default: 0] += 1 }
    }

    /// Polls `condition` every 10 ms until it holds or `timeout` passes.
    /// tcplog lines (they start with the client address) in `text`.
    private func trafficLines(_ text: Substring) -> [Substring] {
        text.split(separator: "\n").filter { $0.hasPrefix("127.") }
    }

    /// The daemon's stderr from byte `mark` on.
    private func log(_ ordrel: OrdrelProcess, after mark: Int) -> Substring {
        Substring(String(decoding: ordrel.stderrText.utf8.dropFirst(mark), as: UTF8.self))
    }

    /// Waits until the stream of OrdrelProcess's readiness probe has ended and logged, so it
    /// holds no slot; returns the stderr position after its line.
    private func settle(_ ordrel: OrdrelProcess) -> Int {
        XCTAssertTrue(waitUntil(2) { self.trafficLines(ordrel.stderrText[...]).count >= 1 }, ordrel.stderrText)
        return ordrel.stderrText.utf8.count
    }

    // MARK: health checks

    func testDeadServerIsMarkedDownInTimeAndTrafficMovesThenComesBackUp() throws {
        let inter = 0.1
        let (rise, fall) = (2, 2)
        let servers = try backends(3)
        defer { servers.forEach { $0.stop() } }
        let port = try TestSocket.unusedPort()
        let lines = servers.enumerated().map { "s\($0.offset + 1) 127.0.0.1:\($0.element.port) check inter 100 rise \(rise) fall \(fall)" }
        let ordrel = try OrdrelProcess(config: config(port: port, servers: lines), readyPort: port)
        defer { ordrel.stop() }
        // Several intervals: every server passes its first checks and is fully UP.
        usleep(500_000)
        XCTAssertEqual(tally(try (0..<9).map { _ in try whoAnswers(port: port) }), ["s1": 3, "s2": 3, "s3": 3])

        let deadPort = servers[1].port
        servers[1].stop()
        let stoppedAt = Date()
        XCTAssertTrue(waitUntil(5) { ordrel.stderrText.contains("Server be/s2 is DOWN") }, ordrel.stderrText)
        let detection = Date().timeIntervalSince(stoppedAt)
        print("DOWN detected \(Int(detection * 1000)) ms after the server stopped (bound \(Int(Double(fall + 1) * inter * 1000)) ms)")
        XCTAssertLessThanOrEqual(detection, Double(fall + 1) * inter + 0.1, "fall × inter plus one interval (+100 ms polling slack)")
        let text = ordrel.stderrText
        XCTAssertTrue(text.contains("[WARNING]  (\(ordrel.pid)) : Server be/s2 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: "), text)
        XCTAssertTrue(text.contains("ms. 2 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue."), text)

        let mark = text.utf8.count
        let afterDown = tally(try (0..<30).map { _ in try whoAnswers(port: port) })
        XCTAssertEqual(afterDown.keys.sorted(), ["s1", "s3"], "no client after the DOWN mark may reach s2")
        XCTAssertEqual(afterDown.values.reduce(0, +), 30)
        XCTAssertLessThanOrEqual(abs(afterDown["s1", default: 0] - afterDown["s3", default: 0]), 2, "\(afterDown)")
        XCTAssertTrue(waitUntil(2) { self.trafficLines(self.log(ordrel, after: mark)).count == 30 })
        let later = trafficLines(log(ordrel, after: mark))
        XCTAssertEqual(later.count, 30, "one tcplog line per client after the DOWN mark")
        XCTAssertTrue(later.allSatisfy { !$0.contains("be/s2 ") && $0.contains(" -- ") }, later.joined(separator: "\n"))

        let revived = try TestBackend(.greetThenEcho(greeting("s2")), port: deadPort)
        defer { revived.stop() }
        let restartedAt = Date()
        XCTAssertTrue(waitUntil(5) { ordrel.stderrText.contains("Server be/s2 is UP") }, ordrel.stderrText)
        let recovery = Date().timeIntervalSince(restartedAt)
        print("UP detected \(Int(recovery * 1000)) ms after the server restarted (bound \(Int(Double(rise + 1) * inter * 1000)) ms)")
        XCTAssertLessThanOrEqual(recovery, Double(rise + 1) * inter + 0.1, "rise × inter plus one interval (+100 ms polling slack)")
        XCTAssertTrue(ordrel.stderrText.contains("[NOTICE]   (\(ordrel.pid)) : Server be/s2 is UP, reason: Layer4 check passed, check duration: "))
        XCTAssertTrue(ordrel.stderrText.contains("ms. 3 active and 0 backup servers online. 0 sessions requeued, 0 total in queue."))
        let afterUp = tally(try (0..<30).map { _ in try whoAnswers(port: port) })
        XCTAssertTrue((9...11).contains(afterUp["s2", default: 0]), "\(afterUp)")
        XCTAssertEqual(afterUp.values.reduce(0, +), 30)
    }

    func testNoUsableServerClosesTheClientAtOnce() throws {
        let dead = try TestSocket.unusedPort()
        let port = try TestSocket.unusedPort()
        let ordrel = try OrdrelProcess(config: config(port: port, servers: ["s1 127.0.0.1:\(dead) check inter 100"]), readyPort: port)
        defer { ordrel.stop() }
        XCTAssertTrue(waitUntil(5) { ordrel.stderrText.contains("[ALERT]    (\(ordrel.pid)) : backend 'be' has no server available!") },
                      ordrel.stderrText)

        let started = Date()
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        let (bytes, end) = TestSocket.readAll(fd)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertTrue(bytes.isEmpty)
        XCTAssertNotEqual(end, .timeout)
        XCTAssertLessThan(elapsed, 0.5, "closed at once, without retries")
        XCTAssertTrue(waitUntil(2) { ordrel.stderrText.contains(" fe be/<NOSRV> -1/-1/") }, ordrel.stderrText)
        XCTAssertTrue(trafficLines(ordrel.stderrText[...]).last?.contains(" 0 SC ") ?? false, ordrel.stderrText)
    }

    func testMarkedDownWithShutdownSessionsKillsOpenStreams() throws {
        let data = try TestBackend(.greetThenEcho(greeting("s1")))
        defer { data.stop() }
        let checkTarget = try TestBackend(.silent)
        let port = try TestSocket.unusedPort()
        let servers = ["s1 127.0.0.1:\(data.port) check port \(checkTarget.port) inter 100 rise 1 fall 1 on-marked-down shutdown-sessions"]
        let ordrel = try OrdrelProcess(config: config(port: port, servers: servers), readyPort: port)
        defer { ordrel.stop() }

        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        XCTAssertEqual(readGreeting(fd), "s1")
        checkTarget.stop()
        XCTAssertTrue(waitUntil(5) { ordrel.stderrText.contains("Server be/s1 is DOWN") }, ordrel.stderrText)
        XCTAssertTrue(ordrel.stderrText.contains("1 sessions active, 0 requeued, 0 remaining in queue."), ordrel.stderrText)
        TestSocket.setReceiveTimeout(fd, seconds: 2)
        XCTAssertNotEqual(TestSocket.readAll(fd).end, .timeout, "the stream on the DOWN server must be closed")
        XCTAssertTrue(waitUntil(2) { ordrel.stderrText.contains(" fe be/s1 ") && ordrel.stderrText.contains(" DD ") }, ordrel.stderrText)
    }

    // MARK: algorithms

    func testWeightsOneToThreeSplitTenThousandConnections() throws {
        let servers = try backends(2)
        defer { servers.forEach { $0.stop() } }
        let port = try TestSocket.unusedPort()
        let lines = ["s1 127.0.0.1:\(servers[0].port) weight 1", "s2 127.0.0.1:\(servers[1].port) weight 3"]
        let ordrel = try OrdrelProcess(config: config(port: port, tcplog: false, servers: lines), readyPort: port)
        defer { ordrel.stop() }

        let count = 10_000
        let started = Date()
        let counts = tally(try (0..<count).map { _ in try whoAnswers(port: port) })
        print("\(count) sequential connections in \(String(format: "%.2f", Date().timeIntervalSince(started))) s: \(counts)")
        let share = Double(counts["s1", default: 0]) / Double(count)
        XCTAssertEqual(counts.values.reduce(0, +), count)
        XCTAssertNil(counts["none"])
        XCTAssertEqual(share, 0.25, accuracy: 0.02)
    }

    func testLeastconnKeepsLongLivedStreamsWithinOneOfEachOther() throws {
        let servers = try backends(3)
        defer { servers.forEach { $0.stop() } }
        let port = try TestSocket.unusedPort()
        let lines = servers.enumerated().map { "s\($0.offset + 1) 127.0.0.1:\($0.element.port)" }
        let ordrel = try OrdrelProcess(config: config(port: port, balance: "leastconn", servers: lines), readyPort: port)
        defer { ordrel.stop() }
        let mark = settle(ordrel)

        var open: [(fd: Int32, server: String)] = []
        defer { open.forEach { close($0.fd) } }
        for index in 0..<31 {
            let fd = try TestSocket.connect(port: port)
            let name = readGreeting(fd) ?? "none"
            open.append((fd, name))
            let counts = tally(open.map(\.server)).values
            XCTAssertLessThanOrEqual(counts.max()! - (counts.count == 3 ? counts.min()! : 0), 1, "after \(index + 1) streams")
        }
        XCTAssertEqual(tally(open.map(\.server)).values.sorted(), [10, 10, 11])

        // Free five of s1's streams: the next four go to s1, the least loaded.
        let s1Streams = open.filter { $0.server == "s1" }.prefix(5)
        for stream in s1Streams { close(stream.fd) }
        open.removeAll { stream in s1Streams.contains { $0.fd == stream.fd } }
        XCTAssertTrue(waitUntil(2) { self.trafficLines(self.log(ordrel, after: mark)).count == 5 }, ordrel.stderrText)
        var next: [String] = []
        for _ in 0..<4 {
            let fd = try TestSocket.connect(port: port)
            let name = readGreeting(fd) ?? "none"
            open.append((fd, name))
            next.append(name)
        }
        XCTAssertEqual(next, ["s1", "s1", "s1", "s1"])
    }

    func testSourceKeepsEachClientAddressOnItsHashedServer() throws {
        let servers = try backends(3)
        defer { servers.forEach { $0.stop() } }
        let port = try TestSocket.unusedPort()
        let lines = servers.enumerated().map { "s\($0.offset + 1) 127.0.0.1:\($0.element.port)" }
        let ordrel = try OrdrelProcess(config: config(port: port, balance: "source", servers: lines), readyPort: port)
        defer { ordrel.stop() }

        var used: Set<String> = []
        for last in 2...10 {
            let address = "127.0.0.\(last)"
            // haproxy's map-based source hash: the IPv4 address as one big-endian word, modulo the total weight.
            let expected = "s\((0x7F00_0000 + UInt32(last)) % 3 + 1)"
            let answers = try (0..<5).map { _ in try whoAnswers(port: port, from: address) }
            XCTAssertEqual(answers, Array(repeating: expected, count: 5), address)
            used.insert(expected)
        }
        XCTAssertEqual(used.count, 3)
    }

    // MARK: limits and queues

    func testServerMaxconnQueuesTheRestAndServesThemInArrivalOrder() throws {
        let server = try TestBackend(.greetThenEcho(greeting("s1")))
        defer { server.stop() }
        let port = try TestSocket.unusedPort()
        let ordrel = try OrdrelProcess(config: config(port: port, backend: "    timeout queue 30s",
                                                      servers: ["s1 127.0.0.1:\(server.port) maxconn 2"]), readyPort: port)
        defer { ordrel.stop() }
        let mark = settle(ordrel)
        let probes = server.acceptedCount

        var clients: [Int32] = []
        defer { clients.forEach { close($0) } }
        for _ in 0..<10 {
            clients.append(try TestSocket.connect(port: port))
            usleep(20_000)
        }
        XCTAssertEqual(readGreeting(clients[0]), "s1")
        XCTAssertEqual(readGreeting(clients[1]), "s1")
        for fd in clients[2...] { XCTAssertNil(readGreeting(fd, timeout: 0.05), "only two may be served") }
        XCTAssertEqual(server.acceptedCount - probes, 2)

        for index in 2..<10 {
            close(clients[index - 2])
            XCTAssertEqual(readGreeting(clients[index]), "s1", "client \(index) is next in arrival order")
            if index + 1 < 10 { XCTAssertNil(readGreeting(clients[index + 1], timeout: 0.05), "client \(index + 1) still waits") }
        }
        XCTAssertEqual(server.acceptedCount - probes, 10)
        clients.removeFirst(8)
        // The queued ones waited: their log lines carry %Tw > 0.
        XCTAssertTrue(waitUntil(2) { self.trafficLines(self.log(ordrel, after: mark)).count == 8 }, ordrel.stderrText)
        let waits = trafficLines(log(ordrel, after: mark)).compactMap { line -> Int? in
            let fields = line.split(separator: " ")
            return Int(fields[4].split(separator: "/")[0])
        }
        XCTAssertEqual(waits.count, 8)
        XCTAssertGreaterThan(waits.last ?? 0, 100, "the last served waited for seven others")
    }

    func testTimeoutQueueClosesClientsThatWaitTooLong() throws {
        let server = try TestBackend(.greetThenEcho(greeting("s1")))
        defer { server.stop() }
        let port = try TestSocket.unusedPort()
        let ordrel = try OrdrelProcess(config: config(port: port, backend: "    timeout queue 400ms",
                                                      servers: ["s1 127.0.0.1:\(server.port) maxconn 1"]), readyPort: port)
        defer { ordrel.stop() }
        let mark = settle(ordrel)
        let probes = server.acceptedCount

        let holder = try TestSocket.connect(port: port)
        defer { close(holder) }
        XCTAssertEqual(readGreeting(holder), "s1")
        let started = Date()
        let waiting = try (0..<3).map { _ in try TestSocket.connect(port: port) }
        defer { waiting.forEach { close($0) } }
        for fd in waiting {
            TestSocket.setReceiveTimeout(fd, seconds: 5)
            let (bytes, end) = TestSocket.readAll(fd)
            XCTAssertTrue(bytes.isEmpty)
            XCTAssertEqual(end, .eof)
        }
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(elapsed, 0.35)
        XCTAssertLessThan(elapsed, 2.0)
        XCTAssertTrue(waitUntil(2) { self.trafficLines(self.log(ordrel, after: mark)).count == 3 }, ordrel.stderrText)
        for line in trafficLines(log(ordrel, after: mark)) {
            XCTAssertTrue(line.contains(" fe be/<NOSRV> ") && line.contains(" 0 sQ "), String(line))
            let wait = Int(line.split(separator: " ")[4].split(separator: "/")[0]) ?? 0
            XCTAssertGreaterThanOrEqual(wait, 390, String(line))
        }
        // The holder is still served.
        try TestSocket.sendAll(holder, Array("ping".utf8))
        XCTAssertEqual(TestSocket.read(holder, count: 4), Array("ping".utf8))
        XCTAssertEqual(server.acceptedCount - probes, 1)
    }

    func testAbortoncloseDropsQueuedClientThatLeaves() throws {
        let server = try TestBackend(.greetThenEcho(greeting("s1")))
        defer { server.stop() }
        let port = try TestSocket.unusedPort()
        let ordrel = try OrdrelProcess(config: config(port: port, backend: "    timeout queue 30s\n    option abortonclose",
                                                      servers: ["s1 127.0.0.1:\(server.port) maxconn 1"]), readyPort: port)
        defer { ordrel.stop() }
        _ = settle(ordrel)
        let probes = server.acceptedCount

        let holder = try TestSocket.connect(port: port)
        XCTAssertEqual(readGreeting(holder), "s1")
        let leaving = try TestSocket.connect(port: port)
        defer { close(leaving) }
        let staying = try TestSocket.connect(port: port)
        defer { close(staying) }
        usleep(50_000)
        // It sent a request before leaving: only abortonclose drops it (an empty one always goes).
        try TestSocket.sendAll(leaving, Array("bye".utf8))
        shutdown(leaving, Int32(SHUT_WR))
        TestSocket.setReceiveTimeout(leaving, seconds: 5)
        let started = Date()
        XCTAssertEqual(TestSocket.readAll(leaving).end, .eof)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.0)
        XCTAssertTrue(waitUntil(2) { ordrel.stderrText.contains(" CQ ") }, ordrel.stderrText)

        // The one that stayed is next, not the one that left.
        close(holder)
        XCTAssertEqual(readGreeting(staying), "s1")
        XCTAssertEqual(server.acceptedCount - probes, 2)
    }

    func testFrontendMaxconnStopsAcceptingUntilASlotFrees() throws {
        let server = try TestBackend(.greetThenEcho(greeting("s1")))
        defer { server.stop() }
        let port = try TestSocket.unusedPort()
        let ordrel = try OrdrelProcess(config: config(port: port, frontend: "    maxconn 2",
                                                      servers: ["s1 127.0.0.1:\(server.port)"]), readyPort: port)
        defer { ordrel.stop() }
        _ = settle(ordrel)
        let probes = server.acceptedCount

        let first = try TestSocket.connect(port: port)
        XCTAssertEqual(readGreeting(first), "s1")
        let second = try TestSocket.connect(port: port)
        defer { close(second) }
        XCTAssertEqual(readGreeting(second), "s1")
        let third = try TestSocket.connect(port: port)
        defer { close(third) }
        XCTAssertNil(readGreeting(third, timeout: 0.3), "the third waits in the kernel backlog")
        XCTAssertEqual(server.acceptedCount - probes, 2)
        close(first)
        XCTAssertEqual(readGreeting(third), "s1")
        XCTAssertEqual(server.acceptedCount - probes, 3)
    }
}
