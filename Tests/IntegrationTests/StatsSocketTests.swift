#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// The stats socket of the real daemon, driven by socat, raw sockets and ordrelctl.
final class StatsSocketTests: XCTestCase {
    private var backends: [TestBackend] = []
    private var ordrel: OrdrelProcess!
    private var frontendPort: UInt16 = 0
    private var socketDirectory: TemporaryDirectory!

    private func socketPath(_ level: String) -> String { socketDirectory.path + "/\(level).sock" }

    override func setUpWithError() throws {
        TestSocket.raiseFileLimit(8192)
        socketDirectory = TemporaryDirectory()
        backends = [try TestBackend(.greetThenEcho(Array("s1\n".utf8))), try TestBackend(.greetThenEcho(Array("s2\n".utf8)))]
        frontendPort = try TestSocket.unusedPort()
        let config = """
        global
            maxconn 2000
            stats socket \(socketPath("admin")) mode 600 level admin
            stats socket \(socketPath("operator")) level operator
            stats socket \(socketPath("user")) level user
            stats timeout 5s
            stats maxconn 50
        defaults
            mode tcp
            timeout connect 2s
            timeout client 30s
            timeout server 30s
        frontend fe_main
            bind 127.0.0.1:\(frontendPort)
            default_backend be_app
        backend be_app
            balance roundrobin
            server s1 127.0.0.1:\(backends[0].port)
            server s2 127.0.0.1:\(backends[1].port)

        """
        ordrel = try OrdrelProcess(config: config, readySocket: socketPath("admin"))
    }

    override func tearDown() {
        ordrel?.stop()
        backends.forEach { $0.stop() }
    }

    /// One query the way socat does it: send, half-close, read to EOF.
    private func query(_ command: String, level: String = "admin") throws -> String {
        try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socketPath(level))"], input: command + "\n").stdout
    }

    /// Raw bytes in, everything until EOF out.
    private func raw(_ bytes: [UInt8], level: String = "admin", halfClose: Bool = true) throws -> (String, TestSocket.End) {
        let fd = try TestSocket.connect(unixPath: socketPath(level))
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 8)
        try TestSocket.sendAll(fd, bytes)
        if halfClose { shutdown(fd, Int32(SHUT_WR)) }
        let (reply, end) = TestSocket.readAll(fd)
        return (String(decoding: reply, as: UTF8.self), end)
    }

    /// The `status`/`weight` columns of one server row of `show stat`.
    private func statColumns(_ server: String, _ names: [String]) throws -> [String] {
        let lines = try query("show stat").split(separator: "\n")
        let header = lines[0].dropFirst(2).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let row = lines.first(where: { $0.hasPrefix("be_app,\(server),") }) else { return [] }
        let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return names.map { cells[header.firstIndex(of: $0)!] }
    }

    /// Which server answers a new stream through the proxy.
    private func servedBy() throws -> String {
        let fd = try TestSocket.connect(port: frontendPort)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        return String(decoding: TestSocket.read(fd, count: 3), as: UTF8.self)
    }

    func testSocatOneShotShowStatAndShowInfo() throws {
        let stat = try query("show stat")
        XCTAssertTrue(stat.hasPrefix("# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,"))
        XCTAssertTrue(stat.hasSuffix("\n\n"), "every reply ends with an empty line")
        let lines = stat.split(separator: "\n")
        XCTAssertEqual(lines.map { $0.split(separator: ",").prefix(2).joined(separator: ",") }.dropFirst(),
                       ["fe_main,FRONTEND", "be_app,s1", "be_app,s2", "be_app,BACKEND"])
        let columns = lines[0].split(separator: ",", omittingEmptySubsequences: false).count
        for line in lines.dropFirst() {
            XCTAssertEqual(line.split(separator: ",", omittingEmptySubsequences: false).count, columns)
        }
        let info = try query("show info")
        XCTAssertTrue(info.contains("\nPid: \(ordrel.pid)\n"), info)
        XCTAssertTrue(info.contains("\nMaxconn: 2000\n"))
    }

    func testPromptModeAndSemicolonPipelining() throws {
        let (piped, end) = try raw(Array("show info;show backend\n".utf8))
        XCTAssertEqual(end, .eof)
        XCTAssertTrue(piped.hasPrefix("Name: HAProxy\n"))
        XCTAssertTrue(piped.hasSuffix("# name\nbe_app\n\n"), piped)

        let fd = try TestSocket.connect(unixPath: socketPath("admin"))
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try TestSocket.sendAll(fd, Array("prompt\n".utf8))
        XCTAssertEqual(String(decoding: TestSocket.read(fd, count: 3), as: UTF8.self), "\n> ")
        try TestSocket.sendAll(fd, Array("show backend\n".utf8))
        let expected = "# name\nbe_app\n\n> "
        XCTAssertEqual(String(decoding: TestSocket.read(fd, count: expected.utf8.count), as: UTF8.self), expected)
        try TestSocket.sendAll(fd, Array("quit\n".utf8))
        let (rest, quitEnd) = TestSocket.readAll(fd)
        XCTAssertTrue(rest.isEmpty)
        XCTAssertEqual(quitEnd, .eof)
    }

    func testAccessLevels() throws {
        XCTAssertEqual(try query("disable server be_app/s1", level: "user"), "Permission denied\n\n")
        XCTAssertEqual(try query("disable server be_app/s1", level: "operator"), "Permission denied\n\n")
        XCTAssertEqual(try query("clear counters", level: "operator"), "\n")
        XCTAssertEqual(try query("show cli level", level: "user"), "user\n\n")
        XCTAssertEqual(try query("show cli level", level: "operator"), "operator\n\n")
        XCTAssertEqual(try statColumns("s1", ["status"]), ["no check"])
        XCTAssertEqual(try query("disable server be_app/s1", level: "admin"), "\n")
        XCTAssertEqual(try statColumns("s1", ["status"]), ["MAINT"])
        XCTAssertEqual(try query("clear counters all", level: "admin"), "\n")
        XCTAssertEqual(try query("operator;show cli level", level: "admin"), "\noperator\n\n")
    }

    func testServerStateAndWeightChangesReachStatsAndTraffic() throws {
        XCTAssertEqual(try query("set server be_app/s1 state maint"), "\n")
        for _ in 0..<6 { XCTAssertEqual(try servedBy(), "s2\n") }
        XCTAssertEqual(try statColumns("s1", ["status"]), ["MAINT"])

        XCTAssertEqual(try query("set server be_app/s1 state ready"), "\n")
        XCTAssertEqual(try query("set server be_app/s2 weight 0"), "\n")
        XCTAssertEqual(try statColumns("s2", ["weight"]), ["0"])
        for _ in 0..<6 { XCTAssertEqual(try servedBy(), "s1\n") }

        XCTAssertEqual(try query("set weight be_app/s2 3"), "\n")
        XCTAssertEqual(try query("get weight be_app/s2"), "3 (initial 1)\n\n")
        var counts: [String: Int] = [:]
        for _ in 0..<40 { counts[try servedBy(), default: 0] += 1 }
        XCTAssertEqual(counts["s1\n"], 10)
        XCTAssertEqual(counts["s2\n"], 30)

        XCTAssertEqual(try query("set server be_app/s2 state drain"), "\n")
        XCTAssertEqual(try statColumns("s2", ["status"]), ["DRAIN"])
        for _ in 0..<4 { XCTAssertEqual(try servedBy(), "s1\n") }
        XCTAssertEqual(try query("get weight be_app/nope"), "No such server.\n\n")
        XCTAssertEqual(try query("get weight nope/s1"), "No such backend.\n\n")
    }

    func testDrainKeepsOpenStreamsAndSendsNoNewOnes() throws {
        // Open streams on both servers, then drain s2.
        var open: [(fd: Int32, server: String)] = []
        defer { open.forEach { close($0.fd) } }
        for _ in 0..<4 {
            let fd = try TestSocket.connect(port: frontendPort)
            TestSocket.setReceiveTimeout(fd, seconds: 5)
            open.append((fd, String(decoding: TestSocket.read(fd, count: 3), as: UTF8.self)))
        }
        XCTAssertEqual(open.filter { $0.server == "s2\n" }.count, 2)
        XCTAssertEqual(try query("set server be_app/s2 state drain"), "\n")
        XCTAssertEqual(try statColumns("s2", ["status", "scur"]), ["DRAIN", "2"])
        for _ in 0..<10 { XCTAssertEqual(try servedBy(), "s1\n", "no new stream may reach a draining server") }
        for (fd, server) in open where server == "s2\n" {
            try TestSocket.sendAll(fd, Array("still\n".utf8))
            XCTAssertEqual(TestSocket.read(fd, count: 6), Array("still\n".utf8), "open streams on a draining server keep working")
        }
        XCTAssertEqual(try query("set server be_app/s2 state ready"), "\n")
        var served = Set<String>()
        for _ in 0..<4 { served.insert(try servedBy()) }
        XCTAssertEqual(served, ["s1\n", "s2\n"])
    }

    /// Replies compared with haproxy 2.6.12 on the same commands; new streams follow the address.
    func testSetServerAddressMovesNewStreams() throws {
        let s1Port = backends[0].port
        let s2Port = backends[1].port
        XCTAssertEqual(try query("set server be_app/s2 addr 127.0.0.1 port \(s1Port)"),
                       "no need to change the addr, port changed from '\(s2Port)' to '\(s1Port)' by 'stats socket command'\n\n")
        XCTAssertEqual(try query("set server be_app/s1 state maint"), "\n")
        for _ in 0..<4 { XCTAssertEqual(try servedBy(), "s1\n", "s2 now points at s1's backend") }
        XCTAssertEqual(try statColumns("s2", ["addr"]), ["127.0.0.1:\(s1Port)"])
        XCTAssertEqual(try query("set server be_app/s2 addr bogus"), "Invalid addr 'bogus' by 'stats socket command'\n\n")
        XCTAssertEqual(try query("set server be_app/s2 addr 127.0.0.1 port abc"),
                       "no need to change the addr, problem converting port 'abc' to an int by 'stats socket command'\n\n")
        XCTAssertEqual(try statColumns("s2", ["addr"]), ["127.0.0.1:\(s1Port)"], "a refused change changes nothing")
    }

    func testSessionsAndStaleIDs() throws {
        let fd = try TestSocket.connect(port: frontendPort)
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        XCTAssertEqual(TestSocket.read(fd, count: 3).count, 3)
        let sessions = try query("show sess")
        guard let line = sessions.split(separator: "\n").first(where: { $0.contains("fe=fe_main") }),
              let colon = line.firstIndex(of: ":") else {
            return XCTFail("no session listed: \(sessions)")
        }
        let id = String(line[..<colon])
        XCTAssertTrue(id.hasPrefix("0x"))
        XCTAssertEqual(try query("shutdown session \(id)"), "\n")
        XCTAssertNotEqual(TestSocket.readAll(fd).end, .timeout, "the killed stream's client is closed")
        close(fd)

        // The slot is reused by the next stream; the old id must not reach it.
        let next = try TestSocket.connect(port: frontendPort)
        defer { close(next) }
        TestSocket.setReceiveTimeout(next, seconds: 5)
        XCTAssertEqual(TestSocket.read(next, count: 3).count, 3)
        XCTAssertEqual(try query("shutdown session \(id)"), "No such session (use 'show sess').\n\n")
        XCTAssertTrue(try query("show sess").contains("fe=fe_main"), "the new stream is untouched")
        try TestSocket.sendAll(next, Array("still here\n".utf8))
        XCTAssertEqual(String(decoding: TestSocket.read(next, count: 11), as: UTF8.self), "still here\n")
    }

    func testGarbageOverlongLinesAndNULsCloseCleanlyAndDaemonKeepsServing() throws {
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 70_000) + [10]
        let (overlong, overlongEnd) = try raw(long)
        XCTAssertEqual(overlong, "")
        XCTAssertNotEqual(overlongEnd, .timeout)

        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let garbage = (0..<Int.random(in: 1...4096, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let (_, end) = try raw(garbage)
            XCTAssertNotEqual(end, .timeout)
        }
        let (withNUL, _) = try raw(Array("show\0 backend\n".utf8))
        XCTAssertFalse(withNUL.isEmpty)
        // A client that never half-closes still gets its reply and the socket's EOF.
        let (noHalfClose, end) = try raw(Array("show backend\n".utf8), halfClose: false)
        XCTAssertEqual(noHalfClose, "# name\nbe_app\n\n")
        XCTAssertEqual(end, .eof)
        XCTAssertTrue(try query("show stat").hasPrefix("# pxname"), "the daemon still serves")
    }

    func testProbeTwentyThousandShowStatWhileTrafficFlows() throws {
        let stop = ManagedAtomicFlag()
        let port = frontendPort
        let traffic = Thread {
            let payload = TestSocket.randomBytes(64 << 10)
            while !stop.isSet {
                guard let fd = try? TestSocket.connect(port: port) else { continue }
                TestSocket.setReceiveTimeout(fd, seconds: 5)
                _ = TestSocket.read(fd, count: 3)
                try? TestSocket.sendAll(fd, payload)
                shutdown(fd, Int32(SHUT_WR))
                _ = TestSocket.readAll(fd)
                close(fd)
            }
        }
        traffic.start()
        defer { stop.set() }
        let result = try runCommand(Binaries.path("ordrelctl"),
                                    ["probe", "-s", socketPath("operator"), "-n", "20000", "-c", "8", "--command", "show stat"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("complete 20000  empty 0  short 0  reset 0  timeout 0  connect-failed 0"), result.stdout)
        // The figures printf would write (%.2f s, %.0f q/s, %.3f ms), from ordrelctl's own formatter.
        for pattern in [#"in \d+\.\d{2} s \([1-9]\d* q/s\)"#, #"latency ms: p50 \d+\.\d{3}  p90 \d+\.\d{3}  p99 \d+\.\d{3}  max \d+\.\d{3}\n"#] {
            XCTAssertNotNil(result.stdout.range(of: pattern, options: .regularExpression), "\(pattern) in \(result.stdout)")
        }
        stop.set()
        let bytesIn = try statColumns("s1", ["bin"]).first.flatMap { UInt64($0) } ?? 0
        XCTAssertGreaterThan(bytesIn, 0, "traffic flowed through the proxy during the probe")
    }
}

/// A flag shared between a test and its helper thread.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// Health-check state as `show stat` and `show servers state` report it.
final class HealthCheckStatsTests: XCTestCase {
    func testDeadServerShowsDownWithLayer4Details() throws {
        let alive = try TestBackend(.echo)
        defer { alive.stop() }
        let dead = try TestSocket.unusedPort()
        let port = try TestSocket.unusedPort()
        let directory = TemporaryDirectory()
        let socket = directory.path + "/admin.sock"
        let ordrel = try OrdrelProcess(config: """
        global
            stats socket \(socket) level admin
        defaults
            mode tcp
            timeout connect 1s
            timeout client 10s
            timeout server 10s
        frontend fe
            bind 127.0.0.1:\(port)
            default_backend be
        backend be
            server up 127.0.0.1:\(alive.port) check inter 100ms rise 2 fall 2
            server down 127.0.0.1:\(dead) check inter 100ms rise 2 fall 2

        """, readySocket: socket)
        defer { ordrel.stop() }

        func columns(_ server: String, _ names: [String]) throws -> [String] {
            let text = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: "show stat\n").stdout
            let lines = text.split(separator: "\n")
            let header = lines[0].dropFirst(2).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let row = try XCTUnwrap(lines.first { $0.hasPrefix("be,\(server),") })
            let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return names.map { cells[header.firstIndex(of: $0)!] }
        }
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, try columns("down", ["status"]) != ["DOWN"] { usleep(50_000) }
        XCTAssertEqual(try columns("down", ["status", "check_status", "check_desc", "last_chk", "chkdown"]),
                       ["DOWN", "L4CON", "Layer4 connection problem", "Connection refused", "1"])
        XCTAssertEqual(try columns("up", ["status", "check_status", "check_desc", "check_rise", "check_fall", "check_health"]),
                       ["UP", "L4OK", "Layer4 check passed", "2", "2", "3"])
        XCTAssertEqual(try columns("BACKEND", ["status", "act"]), ["UP", "1"])
        XCTAssertTrue(ordrel.stderrText.contains("Server be/down is DOWN, reason: Layer4 connection problem"), ordrel.stderrText)

        // Forced from the CLI, as haproxy. With checks running, later checks count on from the
        // forced health: a live server forced DOWN comes back UP by itself after `rise` checks.
        func admin(_ command: String) throws -> String {
            try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: command + "\n").stdout
        }
        XCTAssertEqual(try admin("set server be/up health down"), "\n")
        let back = Date().addingTimeInterval(5)
        while Date() < back, try columns("up", ["status"]) != ["UP"] { usleep(50_000) }
        XCTAssertEqual(try columns("up", ["status"]), ["UP"])
        XCTAssertTrue(ordrel.stderrText.contains("Server be/up is DOWN, changed from CLI."), ordrel.stderrText)
        XCTAssertTrue(ordrel.stderrText.contains("Server be/up is UP, reason: Layer4 check passed"), ordrel.stderrText)

        // With checks disabled the forced state stays: stopping is NOLB and takes no new stream.
        XCTAssertEqual(try admin("disable health be/up"), "\n")
        XCTAssertEqual(try columns("up", ["status", "check_status"]), ["no check", ""])
        XCTAssertEqual(try admin("set server be/up health stopping"), "\n")
        XCTAssertEqual(try columns("up", ["status"]), ["NOLB"])
        XCTAssertEqual(try columns("BACKEND", ["status", "act"]), ["DOWN", "0"])
        let client = try TestSocket.connect(port: port)
        TestSocket.setReceiveTimeout(client, seconds: 5)
        XCTAssertEqual(TestSocket.readAll(client).bytes, [], "no usable server: the client is closed at once")
        close(client)
        XCTAssertTrue(ordrel.stderrText.contains("Server be/up is stopping, changed from CLI. 0 active and 0 backup servers online."),
                      ordrel.stderrText)
        XCTAssertEqual(try admin("set server be/up health down"), "\n")
        XCTAssertEqual(try columns("up", ["status"]), ["DOWN"])
        XCTAssertEqual(try admin("set server be/up health up"), "\n")
        XCTAssertEqual(try columns("up", ["status"]), ["no check"])
        XCTAssertEqual(try columns("BACKEND", ["status", "act"]), ["UP", "1"])
        XCTAssertTrue(ordrel.stderrText.contains("Server be/up is UP, changed from CLI. 1 active and 0 backup servers online."),
                      ordrel.stderrText)
    }
}
