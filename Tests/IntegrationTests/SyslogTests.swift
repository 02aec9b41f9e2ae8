#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Logs where the configuration says: haproxy 2.6 and ordrel run the same configuration, each
/// with its own UDP and Unix datagram receivers in this process, and must send the same
/// datagrams in every format apart from timestamps, pids, client ports and timers.
final class SyslogTests: XCTestCase {

    /// The same lines for both sides; only ports and the receivers differ. The Unix receiver is
    /// named both ways: a bare path (as `log /dev/log`) and `unix@`. (`%rt` is left out:
    /// whether the readiness probe on the stats socket became a stream depends on timing.)
    private func config(receiver: LogReceiver, ports: [UInt16], unixFrontend: String, echo: UInt16, dead: UInt16,
                        stats: String) -> String {
        """
        global
            log 127.0.0.1:\(receiver.udpPort) format rfc3164 local0
            log 127.0.0.1:\(receiver.udpPort) format rfc5424 local1 info
            log 127.0.0.1:\(receiver.udpPort) format raw sample 1:2 local3
            log 127.0.0.1:\(receiver.udpPort) local4 info err
            log 127.0.0.1:\(receiver.udpPort) format iso local6 notice
            log \(receiver.unixPath) format short local2
            log unix@\(receiver.unixPath) len 80 format priority local5 alert
            log unix@\(receiver.unixPath) format timed local7 notice
            log-send-hostname testhost
            log-tag lbtag
            stats socket \(stats) level admin
        defaults
            mode tcp
            log global
            timeout connect 1s
            timeout client 5s
            timeout server 5s
        frontend fe
            bind 127.0.0.1:\(ports[0])
            log-tag fetag
            option tcplog
            default_backend be
        frontend fe_fmt
            bind 127.0.0.1:\(ports[1])
            log-format "%ci %f %b/%s %B %U %ts %{+Q}b %ac/%fc/%bc/%sc/%rc %sq/%bq %si:%sp %fi %H %lc %{+X}ci"
            log-format-sd "[meta@1 fe=%f]"
            default_backend be
        frontend fe_plain
            bind 127.0.0.1:\(ports[2])
            bind unix@\(unixFrontend)
            default_backend be
        backend be
            server s1 127.0.0.1:\(echo)
            server s2 127.0.0.1:\(dead) check inter 200ms

        """
    }

    /// Connects, sends `hello`, reads the echo, closes, and waits for the stream's end.
    private func exchange(port: UInt16) throws {
        try exchange(on: try TestSocket.connect(port: port))
    }

    private func exchange(on fd: Int32) throws {
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try TestSocket.sendAll(fd, Array("hello".utf8))
        XCTAssertEqual(TestSocket.read(fd, count: 5), Array("hello".utf8))
        shutdown(fd, Int32(SHUT_WR))
        _ = TestSocket.readAll(fd)
    }

    /// One side's datagrams for the same events: the server s2 going DOWN, two streams through
    /// `fe`, one through `fe_fmt`, one through `fe_plain` (a `Connect from` line at accept) and
    /// one through its Unix socket (`Connect to unix:2`); then the `Proxy ... stopped` lines of a
    /// soft stop (haproxy's internal `<HTTPCLIENT>` aside).
    private func run(_ side: Side, echo: UInt16, dead: UInt16, directory: TemporaryDirectory)
        throws -> (udp: [String], unix: [String], info: String, stopped: [String]) {
        let receiver = try LogReceiver(unixPath: directory.path + "/\(side)-log.sock")
        defer { receiver.stop() }
        let ports = try (0..<3).map { _ in try TestSocket.unusedPort() }
        let stats = directory.path + "/\(side).sock"
        let unixFrontend = directory.path + "/\(side)-fe.sock"
        let text = config(receiver: receiver, ports: ports, unixFrontend: unixFrontend, echo: echo, dead: dead, stats: stats)
        let daemon: DaemonProcess = side == .ordrel
            ? try OrdrelProcess(config: text, readySocket: stats)
            : try HaproxyDaemon(config: text, readySocket: stats)
        defer { daemon.stop() }
        XCTAssertTrue(waitUntil(10) { receiver.udp.count >= 5 && receiver.unix.count >= 3 }, "\(side): no DOWN line: \(receiver.udp)")
        // Each stream's lines are awaited before the next connection: a client sees its EOF a
        // moment before the stream is logged, and the next stream would count in %ac meanwhile.
        // The Unix client's Connect line skips raw (fe_plain's 2nd line of the sample).
        let steps: [(() throws -> Int32, Int, Int)] = [
            ({ try TestSocket.connect(port: ports[0]) }, 9, 4), ({ try TestSocket.connect(port: ports[0]) }, 12, 5),
            ({ try TestSocket.connect(port: ports[1]) }, 16, 6), ({ try TestSocket.connect(port: ports[2]) }, 20, 7),
            ({ try TestSocket.connect(unixPath: unixFrontend) }, 23, 8),
        ]
        for (connect, udp, unix) in steps {
            try exchange(on: try connect())
            XCTAssertTrue(waitUntil(10) { receiver.udp.count >= udp && receiver.unix.count >= unix },
                          "\(side): \(receiver.udp.count) UDP, \(receiver.unix.count) Unix: \(receiver.udp) \(receiver.unix)")
        }
        let info = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(stats)"], input: "show info\n").stdout
        let (udp, unix) = (receiver.udp, receiver.unix)
        daemon.signal(SIGUSR1)
        func stopped() -> [String] {
            (receiver.udp + receiver.unix).filter { $0.contains(" stopped (cumulated conns") && !$0.contains("<HTTPCLIENT>") }
        }
        // Per proxy: rfc3164, rfc5424, local4, iso, short and timed; raw for fe and fe_plain
        // only (their 3rd line of the sample).
        XCTAssertTrue(waitUntil(10) { stopped().count >= 26 }, "\(side): \(stopped())")
        XCTAssertNotNil(daemon.waitForExit(timeout: 5), "\(side) did not finish its soft stop")
        return (udp, unix, info, stopped())
    }

    /// `%H`: the system's host name.
    private var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Masks what differs between two runs: dates, pids, ports, timers, check durations.
    private func normalized(_ line: String) -> String {
        var text = line
        let masks: [(Regex<Substring>, String)] = [
            (#/[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d/#, "DATE"),
            (#/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d/#, "ISO"),
            (#/\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}/#, "ACCEPT"),
            (#/\[\d+\]: /#, "[PID]: "),
            (#/ \d+ - /#, " PID - "),
            (#/127\.0\.0\.1:\d+/#, "127.0.0.1:PORT"),
            (#/ -?\d+\/-?\d+\/\d+ /#, " TIMERS "),
            (#/check duration: \d+ms/#, "check duration: Nms"),
        ]
        for (pattern, replacement) in masks { text.replace(pattern, with: replacement) }
        return text
    }

    func testEveryFormatAsHaproxySendsIt() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let dead = try TestSocket.unusedPort()
        let directory = TemporaryDirectory()
        let theirs = try run(.haproxy, echo: backend.port, dead: dead, directory: directory)
        let ours = try run(.ordrel, echo: backend.port, dead: dead, directory: directory)

        XCTAssertEqual(ours.udp.map(normalized), theirs.udp.map(normalized))
        XCTAssertEqual(ours.unix.map(normalized), theirs.unix.map(normalized))
        // What the comparison is about, spelled out once (haproxy's bytes, normalized).
        let udp = ours.udp.map(normalized)
        XCTAssertEqual(udp.first, "<129>DATE testhost lbtag[PID]: Server be/s2 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: Nms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.\n")
        XCTAssertTrue(udp.contains("<134>DATE testhost fetag[PID]: 127.0.0.1:PORT [ACCEPT] fe be/s1 TIMERS 5 -- 1/1/0/0/0 0/0\n"), "\(udp)")
        XCTAssertTrue(udp.contains("<142>1 ISO testhost lbtag PID - [meta@1 fe=fe_fmt] 127.0.0.1 fe_fmt be/s1 5 5 -- \"be\" 1/1/0/0/0 0/0 127.0.0.1:PORT 127.0.0.1 \(hostName) 0 7F000001\n"), "\(udp)")
        XCTAssertTrue(udp.contains("<166>DATE testhost lbtag[PID]: Connect from 127.0.0.1:PORT to 127.0.0.1:PORT (fe_plain/TCP)\n"), "\(udp)")
        XCTAssertEqual(udp.filter { !$0.hasPrefix("<") && !$0.hasPrefix("ISO ") }.count, 4,
                       "raw, 1 line of 2 per proxy: DOWN, fe's first, fe_fmt, fe_plain's first")
        XCTAssertEqual(udp.last, "<166>DATE testhost lbtag[PID]: Connect to unix:2 (fe_plain/TCP)\n")
        XCTAssertEqual(udp.filter { $0.hasPrefix("ISO ") }, ["ISO " + udp[2]],
                       "iso, notice and above: the DOWN line only")
        XCTAssertEqual(ours.unix.map(normalized).filter { $0.hasPrefix("<1>ISO ") }.count, 1, "timed, notice and above: the DOWN line")
        XCTAssertEqual(ours.unix.suffix(2).map(normalized), ["<6>Connect from 127.0.0.1:PORT to 127.0.0.1:PORT (fe_plain/TCP)\n",
                                                              "<6>Connect to unix:2 (fe_plain/TCP)\n"])
        XCTAssertEqual(ours.unix[1].utf8.count, 81, "len 80, then LF")
        XCTAssertTrue(ours.info.contains("DroppedLogs: 0\n"), ours.info)
        XCTAssertEqual(ours.stopped.map(normalized).sorted(), theirs.stopped.map(normalized).sorted())
        XCTAssertTrue(ours.stopped.map(normalized).contains("<132>DATE testhost fetag[PID]: Proxy fe stopped (cumulated conns: FE: 2, BE: 0).\n"),
                      "\(ours.stopped)")
    }

    /// `dontlog-normal` keeps only streams that went wrong, `log-separate-errors` sends those at
    /// `err`, `dontlognull` (with neither) skips a stream without data: the same lines as haproxy.
    func testNormalStreamsAndErrors() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let dead = try TestSocket.unusedPort()
        let directory = TemporaryDirectory()
        var lines: [Side: [String]] = [:]
        for side in [Side.haproxy, .ordrel] {
            let receiver = try LogReceiver(unixPath: directory.path + "/\(side)-err.sock")
            defer { receiver.stop() }
            let ports = try (0..<3).map { _ in try TestSocket.unusedPort() }
            let stats = directory.path + "/\(side)-err-stats.sock"
            let text = """
                global
                    log 127.0.0.1:\(receiver.udpPort) local0
                    stats socket \(stats) level admin
                defaults
                    mode tcp
                    log global
                    option tcplog
                    retries 0
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                listen ok
                    bind 127.0.0.1:\(ports[0])
                    option dontlog-normal
                    option log-separate-errors
                    server s1 127.0.0.1:\(backend.port)
                listen bad
                    bind 127.0.0.1:\(ports[1])
                    option dontlog-normal
                    option log-separate-errors
                    server s1 127.0.0.1:\(dead)
                listen null
                    bind 127.0.0.1:\(ports[2])
                    option dontlognull
                    server s1 127.0.0.1:\(backend.port)

                """
            let daemon: DaemonProcess = side == .ordrel
                ? try OrdrelProcess(config: text, readySocket: stats)
                : try HaproxyDaemon(config: text, readySocket: stats)
            defer { daemon.stop() }
            // Each stream is over before the next starts, so that none counts in another's %ac:
            // those that log nothing (normal, empty) are awaited through CurrConns.
            try exchange(port: ports[0])
            XCTAssertTrue(try waitUntil(10) { try currentConnections(stats) == 0 }, "\(side): the ok stream did not end")
            let refused = try TestSocket.connect(port: ports[1])
            _ = TestSocket.readAll(refused)
            close(refused)
            XCTAssertTrue(waitUntil(10) { receiver.udp.count >= 1 }, "\(side): no line for the refused stream")
            close(try TestSocket.connect(port: ports[2]))
            XCTAssertTrue(try waitUntil(10) { try currentConnections(stats) == 0 }, "\(side): the empty stream did not end")
            try exchange(port: ports[2])
            XCTAssertTrue(waitUntil(10) { receiver.udp.count >= 2 }, "\(side): \(receiver.udp)")
            lines[side] = receiver.udp.map(normalized)
        }
        // Without `log-tag`, each tags its lines with its program name.
        XCTAssertEqual(lines[.ordrel], lines[.haproxy]?.map { $0.replacingOccurrences(of: " haproxy[", with: " ordrel[") })
        XCTAssertEqual(lines[.ordrel], [
            "<131>DATE ordrel[PID]: 127.0.0.1:PORT [ACCEPT] bad bad/s1 TIMERS 0 SC 1/1/0/0/0 0/0\n",
            "<134>DATE ordrel[PID]: 127.0.0.1:PORT [ACCEPT] null null/s1 TIMERS 5 -- 1/1/0/0/0 0/0\n",
        ])
    }

    /// `CurrConns` of `show info` (the CLI connection asking is not counted).
    private func currentConnections(_ stats: String) throws -> Int? {
        let info = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(stats)"], input: "show info\n").stdout
        return info.split(separator: "\n").first { $0.hasPrefix("CurrConns: ") }.flatMap { Int($0.dropFirst(11)) }
    }

    /// A receiver that stops reading: its queue fills (net.unix.max_dgram_qlen), the next lines
    /// are dropped and counted in `DroppedLogs` by both, and the loop goes on serving. A path
    /// with no socket drops every line uncounted, and the first failure is one alert on stderr.
    func testFullReceiverDropsAndCounts() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let directory = TemporaryDirectory()
        var dropped: [Side: Int] = [:]
        for side in [Side.haproxy, .ordrel] {
            let receiver = try LogReceiver(unixPath: directory.path + "/\(side)-full.sock", reading: false)
            defer { receiver.stop() }
            let port = try TestSocket.unusedPort()
            let stats = directory.path + "/\(side)-full-stats.sock"
            let text = """
                global
                    log unix@\(receiver.unixPath) format raw daemon
                    log unix@\(directory.path)/absent.sock format raw daemon
                    stats socket \(stats) level admin
                defaults
                    mode tcp
                    log global
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                listen px
                    bind 127.0.0.1:\(port)
                    server s1 127.0.0.1:\(backend.port)

                """
            let daemon: DaemonProcess = side == .ordrel
                ? try OrdrelProcess(config: text, readySocket: stats)
                : try HaproxyDaemon(config: text, readySocket: stats)
            defer { daemon.stop() }
            // 40 server state changes, each a line for px's targets.
            let commands = Array(repeating: "set server px/s1 state drain; set server px/s1 state ready", count: 20)
            _ = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(stats)"],
                               input: commands.joined(separator: "; ") + "\n")
            let info = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(stats)"], input: "show info\n").stdout
            dropped[side] = info.split(separator: "\n").first { $0.hasPrefix("DroppedLogs: ") }.flatMap { Int($0.dropFirst(13)) }
            try exchange(port: port)
            let alert = "[ALERT]    (\(daemon.pid)) : sendmsg()/writev() failed in logger #2: No such file or directory (errno=2)\n"
            XCTAssertEqual(daemon.stderrText.components(separatedBy: alert).count, 2, "\(side): \(daemon.stderrText)")
        }
        XCTAssertGreaterThan(dropped[.ordrel] ?? 0, 0)
        XCTAssertEqual(dropped[.ordrel], dropped[.haproxy], "the same lines fit in the receiver's queue")
    }
}
