#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Connect failures, retries and redispatch, checked against the real haproxy 2.6 on the same
/// configuration: the server a client ends on, the termination state and the retry field of the
/// tcplog line must agree, and so must the turn-around delays (lower bounds: they are timers).
final class RetryTests: XCTestCase {
    private var backend: TestBackend!

    override func tearDown() {
        backend?.stop()
    }

    /// What one connection through a proxy saw.
    private struct Outcome: Equatable, CustomStringConvertible {
        /// `%s`, `%ts` and `%rc` of its tcplog line.
        var server: String
        var termination: String
        var retries: String
        var description: String { "\(server) \(termination) \(retries)" }
    }

    private func config(port: UInt16, balance: String, options: String, servers: String) -> String {
        """
        global
            maxconn 100
            log stdout format raw local0
        defaults
            mode tcp
            log global
            option tcplog
            timeout connect 300ms
            timeout client 5s
            timeout server 5s
        listen px
            bind 127.0.0.1:\(port)
            balance \(balance)
            retries 3
        \(options)
        \(servers)

        """
    }

    /// Connects, sends one byte and waits for its echo or the close; returns the elapsed seconds.
    private func oneConnection(_ port: UInt16) throws -> (echoed: Bool, seconds: Double) {
        let start = Date()
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 10)
        try TestSocket.sendAll(fd, [0x78])
        let reply = TestSocket.read(fd, count: 1)
        return (reply == [0x78], Date().timeIntervalSince(start))
    }

    private func outcome(inLog text: String) -> Outcome? {
        let pattern = #/ px/(\S+) -?\d+/-?\d+/\d+ \d+ (\S\S) \d+/\d+/\d+/\d+/(\+?\d+) /#
        guard let match = text.firstMatch(of: pattern) else { return nil }
        return Outcome(server: String(match.1), termination: String(match.2), retries: String(match.3))
    }

    /// Runs one connection through haproxy, then through ordrel, on the same configuration.
    private func compare(balance: String, options: String, servers: String,
                         file: StaticString = #filePath, line: UInt = #line) throws -> (ordrel: Double, haproxy: Double) {
        let directory = TemporaryDirectory()
        let haproxyPort = try TestSocket.unusedPort()
        let haproxyConfig = directory.write("haproxy.cfg", config(port: haproxyPort, balance: balance, options: options, servers: servers))
        let haproxy = Process()
        let haproxyLog = Pipe()
        haproxy.executableURL = URL(fileURLWithPath: haproxyPath)
        haproxy.arguments = ["-db", "-f", haproxyConfig]
        haproxy.standardOutput = haproxyLog
        haproxy.standardError = FileHandle.nullDevice
        try haproxy.run()
        // Both daemons are awaited without connecting: a probe would move the balancer on one side.
        _ = waitUntil(4) { TestSocket.isListening(port: haproxyPort) }
        let theirs = try oneConnection(haproxyPort)
        usleep(100_000)
        haproxy.terminate()
        haproxy.waitUntilExit()
        let haproxyText = String(decoding: haproxyLog.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)

        let ordrelPort = try TestSocket.unusedPort()
        let ordrel = try OrdrelProcess(config: config(port: ordrelPort, balance: balance, options: options, servers: servers))
        defer { ordrel.stop() }
        _ = waitUntil(4) { TestSocket.isListening(port: ordrelPort) }
        let ours = try oneConnection(ordrelPort)
        usleep(100_000)

        XCTAssertEqual(ours.echoed, theirs.echoed, "echo", file: file, line: line)
        let theirLines = haproxyText.split(separator: "\n").filter { !$0.contains(" CC ") && !$0.contains(" -1/-1/") }
        let ourLines = ordrel.stderrText.split(separator: "\n").filter { !$0.contains(" CC ") && !$0.contains(" -1/-1/") }
        let theirOutcome = theirLines.compactMap { outcome(inLog: String($0)) }.last
        let ourOutcome = ourLines.compactMap { outcome(inLog: String($0)) }.last
        XCTAssertNotNil(theirOutcome, "no haproxy log line in: \(haproxyText)", file: file, line: line)
        XCTAssertEqual(ourOutcome, theirOutcome, "ordrel log: \(ordrel.stderrText)", file: file, line: line)
        return (ours.seconds, theirs.seconds)
    }

    private var haproxyInstalled: Bool { FileManager.default.isExecutableFile(atPath: haproxyPath) }

    /// A refused server, `option redispatch` and another server in service: the retry goes to the
    /// other server at once (it used to wait 1 s twice), for every non-hash algorithm.
    func testRedispatchAfterRefusalIsImmediate() throws {
        try XCTSkipUnless(haproxyInstalled, "haproxy is not installed")
        backend = try TestBackend(.echo)
        let refused = try TestSocket.unusedPort()
        for balance in ["roundrobin", "static-rr", "leastconn", "first"] {
            let times = try compare(balance: balance, options: "    option redispatch", servers: """
                server s1 127.0.0.1:\(refused)
                server s2 127.0.0.1:\(backend.port)
            """)
            XCTAssertLessThan(times.ordrel, 0.25, "\(balance): no turn-around before a redispatch")
        }
    }

    /// Every server refuses: each retry redispatches at once, and the client is closed quickly.
    func testEveryServerRefusingClosesWithoutDelay() throws {
        try XCTSkipUnless(haproxyInstalled, "haproxy is not installed")
        let first = try TestSocket.unusedPort()
        let second = try TestSocket.unusedPort()
        let times = try compare(balance: "roundrobin", options: "    option redispatch", servers: """
            server s1 127.0.0.1:\(first)
            server s2 127.0.0.1:\(second)
        """)
        XCTAssertLessThan(times.ordrel, 0.25)
    }

    /// Retrying the same server waits min(1 s, timeout connect) before each retry: without
    /// redispatch, and with only one active server.
    func testRetriesOnTheSameServerWaitTheTurnAround() throws {
        try XCTSkipUnless(haproxyInstalled, "haproxy is not installed")
        backend = try TestBackend(.echo)
        let refused = try TestSocket.unusedPort()
        for (options, servers) in [
            ("", "    server s1 127.0.0.1:\(refused)"),
            ("    option redispatch", "    server s1 127.0.0.1:\(refused)\n    server s2 127.0.0.1:\(backend.port) backup"),
        ] {
            let times = try compare(balance: "roundrobin", options: options, servers: servers)
            XCTAssertGreaterThanOrEqual(times.ordrel, 0.9, "three turn-arounds of 300 ms")
            XCTAssertGreaterThanOrEqual(times.haproxy, 0.9)
        }
    }

    /// `balance source` keeps the hashed server and waits between retries; only the last retry
    /// redispatches (the hash picks the same server again here), without a turn-around.
    func testSourceHashRetriesItsServerThenRedispatchesOnTheLastRetry() throws {
        try XCTSkipUnless(haproxyInstalled, "haproxy is not installed")
        backend = try TestBackend(.echo)
        let refused = try TestSocket.unusedPort()
        // 127.0.0.1 hashes to the second of two equal servers.
        let times = try compare(balance: "source", options: "    option redispatch", servers: """
            server s1 127.0.0.1:\(backend.port)
            server s2 127.0.0.1:\(refused)
        """)
        XCTAssertGreaterThanOrEqual(times.ordrel, 0.6, "two turn-arounds, none before the last retry")
        XCTAssertLessThan(times.ordrel, 0.85)
    }
}
