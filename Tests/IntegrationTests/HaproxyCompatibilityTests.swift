#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Differential suite: the real haproxy 2.6.12 and ordrel run the same configuration (each on its
/// own ports) and get the same traffic and commands; their answers must agree, with only pids,
/// times and rates normalised. Both daemons are started once for the whole suite.
final class HaproxyCompatibilityTests: XCTestCase {
    nonisolated(unsafe) private static var started: DaemonPair?
    nonisolated(unsafe) private static var startFailure: String?

    override class func tearDown() {
        started?.stop()
        started = nil
        super.tearDown()
    }

    /// The shared pair, started by the first test that needs it; skips when haproxy is missing.
    private func pair() throws -> DaemonPair {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        if let pair = Self.started { return pair }
        if let failure = Self.startFailure { throw TestSocket.Failure(description: failure) }
        do {
            let pair = try DaemonPair()
            Self.started = pair
            return pair
        } catch {
            Self.startFailure = "\(error)"
            throw error
        }
    }

    // MARK: identity

    func testIdentity() throws {
        let pair = try pair()
        let info = try pair.info(.ordrel)
        XCTAssertEqual(info["Name"], "HAProxy", "client libraries check the name before they talk")
        let version = try XCTUnwrap(info["Version"])
        let theirs = try XCTUnwrap(try pair.info(.haproxy)["Version"])
        XCTAssertEqual(version.split(separator: "-").first, theirs.split(separator: "-").first,
                       "the API level comes first, as haproxy's release")
        XCTAssertTrue(version.hasPrefix("2.6.12-ordrel-"), version)
        XCTAssertEqual(info["Build info"], version)
        XCTAssertEqual(try pair.query(.ordrel, "show version"), version + "\n\n")
        let dateShape = #/^\d{4}/\d{2}/\d{2}$/#
        XCTAssertNotNil(try dateShape.wholeMatch(in: try XCTUnwrap(info["Release_date"])))
        XCTAssertNotNil(try dateShape.wholeMatch(in: try XCTUnwrap(try pair.info(.haproxy)["Release_date"])))
        XCTAssertEqual(info["Tainted"], try pair.info(.haproxy)["Tainted"])

        let first = { (text: String) in text.split(separator: "\n").first.map(String.init) ?? "" }
        let ours = first(try runCommand(Binaries.path("ordrel"), ["-v"]).stdout)
        let real = first(try runCommand(haproxyPath, ["-v"]).stdout)
        XCTAssertEqual(ours.split(separator: " ").prefix(2), real.split(separator: " ").prefix(2), "-v starts as haproxy's")
        XCTAssertTrue(ours.contains("ordrel"), ours)
    }

    /// `ordrel.product-name ordrel` puts ordrel's own name in `show info`.
    func testProductNameKeyword() throws {
        let directory = TemporaryDirectory()
        let socket = directory.path + "/named.sock"
        let ordrel = try OrdrelProcess(config: """
            global
                stats socket \(socket) level admin
                ordrel.product-name ordrel

            """, readySocket: socket)
        defer { ordrel.stop() }
        let info = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: "show info\n").stdout
        XCTAssertTrue(info.hasPrefix("Name: ordrel\nVersion: 2.6.12-ordrel-"), info)
    }

    // MARK: proxy ids

    /// iid/sid in every form (CSV, typed, JSON, servers state, filters) as haproxy assigns them.
    func testProxyIdentifiers() throws {
        let pair = try pair()
        func identities(_ side: Side) throws -> [String] {
            try pair.csv(side, "show stat").map { [$0["pxname"]!, $0["svname"]!, $0["iid"]!, $0["sid"]!, $0["type"]!].joined(separator: ",") }
        }
        let expected = try identities(.haproxy)
        XCTAssertEqual(expected.first, "fe_main,FRONTEND,2,0,0", "haproxy's first proxy gets iid 2 next to a stats socket")
        XCTAssertEqual(try identities(.ordrel), expected)

        func typedKeys(_ side: Side) throws -> [String] {
            try pair.query(side, "show stat typed").split(separator: "\n").compactMap { line in
                let parts = line.split(separator: ".")
                return parts.count > 2 && line.contains(".iid.") ? parts.prefix(3).joined(separator: ".") : nil
            }
        }
        XCTAssertEqual(try typedKeys(.ordrel), try typedKeys(.haproxy))

        func jsonIdentities(_ side: Side) throws -> [String] {
            let data = Data(try pair.query(side, "show stat json").utf8)
            let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[[String: Any]]])
            return rows.map { row in
                let first = row[0]
                return "\(first["objType"]!) \(first["proxyId"]!) \(first["id"]!)"
            }
        }
        XCTAssertEqual(try jsonIdentities(.ordrel), try jsonIdentities(.haproxy))

        func stateIDs(_ side: Side) throws -> [String] {
            try pair.query(side, "show servers state").split(separator: "\n").dropFirst(2).map { line in
                line.split(separator: " ").prefix(4).joined(separator: " ")
            }
        }
        XCTAssertEqual(try stateIDs(.ordrel), try stateIDs(.haproxy))

        for filter in ["3 -1 -1", "3 4 2", "4 2 -1", "1 -1 -1", "-1 1 -1", "be_app 4 1", "#3 2 -1", "nope -1 -1"] {
            let command = "show stat \(filter)"
            XCTAssertEqual(try pair.query(.ordrel, command).split(separator: "\n").map { $0.split(separator: ",").prefix(2) },
                           try pair.query(.haproxy, command).split(separator: "\n").map { $0.split(separator: ",").prefix(2) },
                           command)
        }
    }

    // MARK: disable / enable frontend

    func testDisableFrontend() throws {
        let pair = try pair()
        for side in Side.allCases {
            let port = pair.frontendPort(side)
            XCTAssertEqual(try pair.query(side, "disable frontend fe_main"), "\n", "\(side)")
            XCTAssertEqual(try pair.frontendStatus(side), "PAUSED", "\(side)")
            XCTAssertThrowsError(try TestSocket.connect(port: port), "\(side): a paused frontend refuses clients")
            XCTAssertEqual(try pair.query(side, "disable frontend fe_main"), "All sockets are already disabled.\n\n", "\(side)")
            XCTAssertEqual(try pair.query(side, "enable frontend fe_main"), "\n", "\(side)")
            XCTAssertEqual(try pair.frontendStatus(side), "OPEN", "\(side)")
            XCTAssertEqual(try pair.query(side, "enable frontend fe_main"), "All sockets are already enabled.\n\n", "\(side)")
            XCTAssertEqual(try pair.echo(side, "after enable\n"), "after enable\n", "\(side)")
        }
    }

    /// A client still waiting in the accept queue (the frontend at its maxconn) when the
    /// frontend is disabled is reset at once, and never served after `enable frontend`.
    func testDisableFrontendResetsQueuedClients() throws {
        let pair = try pair()
        for side in Side.allCases {
            try pair.both("set maxconn frontend fe_main 1")
            let holder = try TestSocket.connect(port: pair.frontendPort(side))
            defer { close(holder) }
            TestSocket.setReceiveTimeout(holder, seconds: 5)
            try TestSocket.sendAll(holder, Array("hold\n".utf8))
            XCTAssertEqual(TestSocket.read(holder, count: 5), Array("hold\n".utf8), "\(side)")
            let queued = try TestSocket.connect(port: pair.frontendPort(side))
            defer { close(queued) }
            TestSocket.setReceiveTimeout(queued, seconds: 5)
            try TestSocket.sendAll(queued, Array("stale\n".utf8))

            XCTAssertEqual(try pair.query(side, "disable frontend fe_main"), "\n", "\(side)")
            XCTAssertEqual(TestSocket.readAll(queued).end, .error(ECONNRESET), "\(side): the queued client is reset")
            XCTAssertEqual(try pair.query(side, "enable frontend fe_main"), "\n", "\(side)")
            try pair.both("set maxconn frontend fe_main 500")
            XCTAssertEqual(try pair.echo(side, "fresh\n"), "fresh\n", "\(side)")
        }
    }

    // MARK: counters

    /// Server state changes, `clear counters all` and `set maxconn`, with every `show stat`
    /// column compared except times and rates.
    func testCountersFollowHaproxy() throws {
        let pair = try pair()
        try pair.waitForBoth("s3 DOWN") { try pair.serverColumn($0, "s3", "status") == "DOWN" }
        for side in Side.allCases { XCTAssertEqual(try pair.echo(side, "count me\n"), "count me\n") }
        try pair.compareStats("after traffic")

        for command in ["set server be_app/s1 state maint", "set server be_app/s3 state maint"] { try pair.both(command) }
        try pair.compareStats("in maintenance")
        for side in Side.allCases {
            XCTAssertEqual(try pair.serverColumn(side, "s1", "check_status"), "", "\(side): no check columns in MAINT")
        }
        for command in ["set server be_app/s1 state ready", "set server be_app/s3 state ready"] { try pair.both(command) }
        try pair.waitForBoth("s1 UP and s3 DOWN again") {
            try pair.serverColumn($0, "s1", "status") == "UP" && pair.serverColumn($0, "s3", "status") == "DOWN"
        }
        try pair.both("set server be_app/s1 state drain")
        for side in Side.allCases {
            XCTAssertLessThanOrEqual(Int(try pair.serverColumn(side, "s1", "lastchg") ?? "") ?? 99, 1, "\(side): DRAIN restarts lastchg")
        }
        try pair.both("set server be_app/s1 state ready")

        let bytesBefore = try Side.allCases.map { UInt64(try pair.info($0)["TotalBytesOut"] ?? "") ?? 0 }
        try pair.both("clear counters all")
        try pair.compareStats("after clear counters all")
        for (index, side) in Side.allCases.enumerated() {
            XCTAssertEqual(try pair.serverColumn(side, "s3", "chkdown"), "0", "\(side)")
            let after = UInt64(try pair.info(side)["TotalBytesOut"] ?? "") ?? 0
            XCTAssertGreaterThanOrEqual(after, bytesBefore[index], "\(side): TotalBytesOut survives clear counters all")
        }

        try pair.both("set maxconn frontend fe_main 100")
        try pair.both("set maxconn global 500")
        try pair.compareStats("after set maxconn")
        let limits = ["Maxconn", "Hard_maxconn"]
        XCTAssertEqual(try limits.map { try pair.info(.ordrel)[$0] }, try limits.map { try pair.info(.haproxy)[$0] })
        try pair.both("set maxconn frontend fe_main 500")
        try pair.both("set maxconn global 1000")

        func checkHealths(_ side: Side) throws -> [String] {
            try pair.query(side, "show servers state").split(separator: "\n").dropFirst(2).map { line in
                let fields = line.split(separator: " ")
                return "\(fields[3]) health \(fields[12])"
            }
        }
        XCTAssertEqual(try checkHealths(.ordrel), try checkHealths(.haproxy))
    }

    // MARK: rate limits

    /// `set rate-limit connections global` holds accepts back on both daemons: at 10 per second,
    /// 20 sessions cannot all be served within half a second (a lower bound only; without the
    /// limit they take milliseconds). `show info` reports the limit; 0 lifts it.
    func testGlobalConnectionRateLimit() throws {
        let pair = try pair()
        for side in Side.allCases {
            try pair.both("set rate-limit connections global 10")
            XCTAssertEqual(try pair.info(side)["ConnRateLimit"], "10", "\(side)")
            let started = Date()
            for n in 0..<20 { XCTAssertEqual(try pair.echo(side, "rate \(n)\n"), "rate \(n)\n", "\(side)") }
            XCTAssertGreaterThan(Date().timeIntervalSince(started), 0.5, "\(side): the limit held accepts back")
            try pair.both("set rate-limit connections global 0")
            XCTAssertEqual(try pair.info(side)["ConnRateLimit"], "0", "\(side)")
        }
        for command in ["set rate-limit connections global", "set rate-limit sessions global -1"] {
            XCTAssertEqual(try pair.query(.ordrel, command), try pair.query(.haproxy, command), command)
        }
        try pair.both("set rate-limit sessions global 3")
        XCTAssertEqual(try pair.info(.ordrel)["SessRateLimit"], try pair.info(.haproxy)["SessRateLimit"])
        try pair.both("set rate-limit sessions global 0")
    }

    // MARK: sessions

    /// `show sess` lists the CLI session itself; `show sess <id>` names the listener's and the
    /// server connection's local addresses with µs dates; `shutdown session` ends the client's
    /// side with a FIN.
    func testSessions() throws {
        let pair = try pair()
        for side in Side.allCases {
            let client = try TestSocket.connect(port: pair.frontendPort(side))
            defer { close(client) }
            TestSocket.setReceiveTimeout(client, seconds: 5)
            try TestSocket.sendAll(client, Array("held\n".utf8))
            XCTAssertEqual(TestSocket.read(client, count: 5), Array("held\n".utf8), "\(side)")

            let lines = try pair.query(side, "show sess").split(separator: "\n")
            func shape(_ line: Substring) -> String {
                line.split(separator: " ").filter { word in ["proto=", "fe=", "be=", "scb="].contains { word.hasPrefix($0) } }
                    .map { word in word.hasPrefix("scb=") ? String(word.prefix { $0 != "," }) : String(word) }.joined(separator: " ")
            }
            // haproxy walks its streams thread by thread, so its order follows which thread took
            // each connection; ordrel lists them in a fixed order.
            let expected = ["proto=tcpv4 fe=fe_main be=be_app scb=[8", "proto=unix_stream fe=GLOBAL be=<NONE> scb=[8"]
            XCTAssertEqual(side == .haproxy ? lines.map(shape).sorted() : lines.map(shape), expected, "\(side): \(lines)")
            XCTAssertTrue(lines.contains { $0.contains(" src=unix:1 fe=GLOBAL be=<NONE> srv=<none> ") }, "\(side)")
            guard let id = lines.first(where: { $0.contains(" proto=tcpv4 ") })?.prefix(while: { $0 != ":" }) else { continue }

            let detail = try pair.query(side, "show sess \(id)").split(separator: "\n")
            XCTAssertNotNil(try #/^0x[0-9a-f]+: \[\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2}\.\d{6}\] id=\d+ proto=tcpv4 source=127\.0\.0\.1:\d+$/#
                .wholeMatch(in: String(detail.first ?? "")), "\(side): \(detail)")
            XCTAssertTrue(detail.contains { $0.hasSuffix("listener=? (id=1) addr=127.0.0.1:\(pair.frontendPort(side))") }, "\(side): \(detail)")
            XCTAssertTrue(detail.contains { $0.hasPrefix("  backend=be_app (id=3 mode=tcp) addr=127.0.0.1:") }, "\(side): \(detail)")

            XCTAssertEqual(try pair.query(side, "shutdown session \(id)"), "\n", "\(side)")
            XCTAssertEqual(TestSocket.readAll(client).end, .eof, "\(side): a FIN, not a reset")
        }
    }

    // MARK: activity

    /// `show activity`: ordrel's lines are haproxy's lines it can measure, in haproxy's order and
    /// layout, plus its own `cur_streams`; after `clear counters` both count the same accepts
    /// (three sessions and the `show activity` connection itself), and `cur_streams` counts the
    /// one stream held open.
    func testShowActivity() throws {
        let pair = try pair()
        try pair.both("clear counters")
        for side in Side.allCases {
            for n in 0..<3 { XCTAssertEqual(try pair.echo(side, "act \(n)\n"), "act \(n)\n") }
        }
        func lines(_ side: Side) throws -> [String: String] {
            var fields: [String: String] = [:]
            for line in try pair.query(side, "show activity").split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
            }
            return fields
        }
        let held = try TestSocket.connect(port: pair.frontendPort(.ordrel))
        defer { close(held) }
        TestSocket.setReceiveTimeout(held, seconds: 5)
        try TestSocket.sendAll(held, Array("held\n".utf8))
        XCTAssertEqual(TestSocket.read(held, count: 5), Array("held\n".utf8))
        // The echo streams end a moment after their clients close: until then they count too.
        var ours = try lines(.ordrel)
        var queries = 1
        for _ in 0..<50 where ours["cur_streams"]?.split(separator: " ").first != "1" {
            usleep(20_000)
            ours = try lines(.ordrel)
            queries += 1
        }
        let theirs = try lines(.haproxy)
        XCTAssertEqual(Set(ours.keys).subtracting(theirs.keys), ["cur_streams"], "ordrel prints haproxy's names and its own cur_streams")
        XCTAssertEqual(ours["cur_streams"]?.split(separator: " ").first, "1", "the held stream")
        XCTAssertNotEqual(ours["stream_calls"]?.split(separator: " ").first, "0", "streams ran since the clear")
        XCTAssertEqual(ours["accq_ring"]?.split(separator: " ").first, "0", "nothing waits in a mailbox at rest")
        // Which thread ran the CLI is haproxy's choice; the range of threads must agree.
        XCTAssertEqual(ours["thread_id"]?.drop { $0 != "(" }, theirs["thread_id"]?.drop { $0 != "(" })
        // The three echoes, the held stream and one CLI connection per query.
        XCTAssertEqual(ours["accepted"]?.split(separator: " ").first, "\(4 + queries)")
        XCTAssertEqual(ours["accq_pushed"]?.split(separator: " ").first, ours["accepted"]?.split(separator: " ").first)
        for name in ["accepted", "accq_pushed"] {
            XCTAssertEqual(theirs[name]?.split(separator: " ").first, "4", name)
        }
        let shape = #/^ \d+ \[ (\d+ )+\]$/#
        for (name, value) in ours where name != "thread_id" && name != "date_now" {
            XCTAssertNotNil(try shape.wholeMatch(in: value), "\(name):\(value)")
        }
    }

    // MARK: fds, pools, threads

    /// `show fd`: with a client connected, both daemons list the frontend's listener, the stats
    /// socket, the client and server connections of the stream and the CLI connection, each
    /// line of haproxy's shape; ordrel's client and server lines name the ports the test knows.
    func testShowFD() throws {
        let pair = try pair()
        for side in Side.allCases {
            let client = try TestSocket.connect(port: pair.frontendPort(side))
            defer { close(client) }
            TestSocket.setReceiveTimeout(client, seconds: 5)
            try TestSocket.sendAll(client, Array("fd\n".utf8))
            XCTAssertEqual(TestSocket.read(client, count: 3), Array("fd\n".utf8), "\(side)")
            let clientPort = try TestSocket.localPort(client)
            let lines = try pair.query(side, "show fd").split(separator: "\n").map(String.init)
            let shape = #/^ +(\d+) : st=0x[0-9a-f]{6}\([cC][lL] [hH][eE][oO][pP][iI] W:[sS][rR][aA] R:[sS][rR][aA]\) ref=(?:0|0x[0-9a-f]+) gid=1 tmask=0x[0-9a-f]+ umask=0x[0-9a-f]+ prmsk=0x[0-9a-f]+ pwmsk=0x[0-9a-f]+ owner=0x[0-9a-f]+ iocb=0x[0-9a-f]+\((\w+)\)(.*)$/#
            var kinds: [String] = []
            for line in lines {
                guard let match = try shape.wholeMatch(in: line) else {
                    XCTFail("\(side): not haproxy's shape: \(line)")
                    continue
                }
                let tail = String(match.3)
                let fields = tail.split(separator: " ").map { $0.split(separator: "=").first.map(String.init) ?? "" }
                if match.2 == "sock_accept_iocb" {
                    XCTAssertEqual(fields.prefix(2), ["l.st", "fe"], "\(side): \(line)")
                    kinds.append(tail.contains(" fe=GLOBAL") ? "cli listener" : "listener \(tail.contains("lport=\(pair.frontendPort(side))"))")
                } else if match.2 == "sock_conn_iocb" {
                    XCTAssertEqual(fields.prefix(3), ["back", "cflg", "cerr"], "\(side): \(line)")
                    XCTAssertEqual(fields.suffix(3), ["mux", "ctx", "xprt"], "\(side): \(line)")
                    if tail.contains(" fe=GLOBAL") { kinds.append("cli connection") }
                    else if tail.contains(" back=0 ") {
                        kinds.append("client \(tail.contains("lport=\(pair.frontendPort(side)) rport=\(clientPort) fe=fe_main"))")
                    } else if tail.contains(" sv=be_app/") { kinds.append("server") }
                }
            }
            // A health check's connection may be open at that moment: only the stream's fds count.
            // fe_main's listener (the port the test knows) and li_direct's.
            XCTAssertEqual(Set(kinds), ["listener true", "listener false", "cli listener", "client true", "server", "cli connection"],
                           "\(side): \(lines)")
            XCTAssertEqual(kinds.filter { $0.hasPrefix("client") }.count, 1, "\(side): \(lines)")
            if side == .ordrel, let fd = lines.first(where: { $0.contains("rport=\(clientPort) ") })?.split(separator: " ").first {
                XCTAssertEqual(try pair.query(side, "show fd \(fd)").split(separator: "\n").count, 1)
            }
        }
    }

    /// `show pools`: haproxy's line shape and a Total line that adds the pools up; ordrel's
    /// buffer pool is `tune.bufsize` (16384, as haproxy's `buffer` pool) and holds buffers after
    /// traffic.
    func testShowPools() throws {
        let pair = try pair()
        XCTAssertEqual(try pair.echo(.ordrel, "pool\n"), "pool\n")
        let shape = #/^  - Pool (\S+) \((\d+) bytes\) : (\d+) allocated \((\d+) bytes\), (\d+) used \(~(\d+) by thread caches\), needed_avg \d+, \d+ failures, \d+ users, @0x[0-9a-f]+( \[SHARED\])?$/#
        let total = #/^Total: (\d+) pools, (\d+) bytes allocated, (\d+) used \(~(\d+) by thread caches\)\.$/#
        for side in Side.allCases {
            let lines = try pair.query(side, "show pools").split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.first, "Dumping pools usage. Use SIGQUIT to flush them.", "\(side)")
            var pools: [String: (size: Int, count: Int)] = [:]
            var bytes = 0
            for line in lines.dropFirst().dropLast() {
                guard let m = try shape.wholeMatch(in: line) else {
                    XCTFail("\(side): \(line)")
                    continue
                }
                XCTAssertEqual(Int(m.2)! * Int(m.3)!, Int(m.4)!, line)
                pools[String(m.1)] = (Int(m.2)!, Int(m.3)!)
                bytes += Int(m.4)!
            }
            let t = try XCTUnwrap(try total.wholeMatch(in: lines.last ?? ""), "\(side)")
            XCTAssertEqual(Int(t.1), pools.count, "\(side)")
            XCTAssertEqual(Int(t.2), bytes, "\(side)")
            XCTAssertEqual(pools["buffer"]?.size, 16384, "\(side)")
            if side == .ordrel {
                XCTAssertEqual(Set(pools.keys), ["buffer", "pipe"])
                XCTAssertGreaterThan(pools["buffer"]?.count ?? 0, 0, "buffers stay pooled after a stream")
            }
        }
    }

    /// `show threads`: as many threads on both daemons (both default to the CPUs), each entry in
    /// haproxy's lines, exactly one calling thread (`*`, ordrel's always thread 1) whose task is
    /// the CLI, and every id a real, distinct pthread id with CPU time used.
    func testShowThreads() throws {
        let pair = try pair()
        let header = #/^([* ])([ >])Thread (\d+) *: id=0x([0-9a-f]+) act=[01] glob=[01] wq=[01] rq=[01] tl=[01] tlsz=\d+ rqsz=\d+$/#
        let second = #/^ +1/(\d+) +stuck=0 prof=[01] harmless=[01] wantrdv=0$/#
        let cpu = #/^             cpu_ns: poll=(\d+) now=(\d+) diff=(\d+)$/#
        var counts: [Int] = []
        for side in Side.allCases {
            let lines = try pair.query(side, "show threads").split(separator: "\n").map(String.init)
            var ids: Set<String> = [], calling: [Int] = []
            for (index, line) in lines.enumerated() {
                guard let h = try header.wholeMatch(in: line) else { continue }
                ids.insert(String(h.4))
                let number = Int(h.3)!
                XCTAssertEqual(try second.wholeMatch(in: lines[index + 1]).map { Int($0.1) }, number, "\(side): \(lines[index + 1])")
                let times = try XCTUnwrap(try cpu.wholeMatch(in: lines[index + 2]), "\(side): \(lines[index + 2])")
                XCTAssertEqual(UInt64(times.2)! &- UInt64(times.1)!, UInt64(times.3)!, "\(side)")
                XCTAssertTrue(lines[index + 3].hasPrefix("             curr_task="), "\(side): \(lines[index + 3])")
                if h.1 == "*" {
                    calling.append(number)
                    XCTAssertTrue(lines[index + 3].contains(" (task) calls="), "\(side): \(lines[index + 3])")
                    XCTAssertGreaterThan(UInt64(times.2)!, 0, "\(side): the calling thread has used CPU")
                }
            }
            XCTAssertEqual(calling.count, 1, "\(side): \(lines)")
            if side == .ordrel { XCTAssertEqual(calling, [1], "ordrel's CLI runs on thread 1") }
            XCTAssertFalse(ids.contains("0"), "\(side)")
            counts.append(ids.count)
        }
        XCTAssertEqual(counts.first, counts.last, "thread count")
        XCTAssertGreaterThan(counts.first ?? 0, 0)
    }

    // MARK: environment

    /// haproxy exports its version, peer name, config files and CLI sockets; so does ordrel.
    func testShowEnvHasHaproxyVariables() throws {
        let pair = try pair()
        let peer = try pair.query(.haproxy, "show env HAPROXY_LOCALPEER").dropFirst("HAPROXY_LOCALPEER=".count).prefix { $0 != "\n" }
        for side in Side.allCases {
            let variables = try pair.query(side, "show env").split(separator: "\n").filter { $0.hasPrefix("HAPROXY_") }
            let version = try pair.query(side, "show version").split(separator: "\n").first.map(String.init) ?? ""
            XCTAssertEqual(variables, [
                "HAPROXY_STARTUP_VERSION=\(version)", "HAPROXY_LOCALPEER=\(peer)",
                "HAPROXY_CFGFILES=\(pair.configPaths[side]!)", "HAPROXY_CLI=unix@\(pair.socketPath(side))",
            ], "\(side)")
            XCTAssertEqual(try pair.query(side, "show env HAPROXY_CLI"), "HAPROXY_CLI=unix@\(pair.socketPath(side))\n\n", "\(side)")
        }
    }

    // MARK: client libraries

    /// haproxyadmin (PyPI, 0.2.4) refuses a socket whose `show info` does not name HAProxy; the
    /// script lists frontends, backends and servers, disables and enables a frontend, drains a
    /// server, sets weights and maxconn and clears counters. It runs against haproxy too, so a
    /// check the script gets wrong shows there. Then haproxytool (PyPI, 0.5.7), the command-line
    /// tool on top of it, must print the same listings for both daemons. `.ci/run` installs both
    /// into a venv and sets ORDREL_PYTHON to its interpreter.
    func testPythonClientLibrariesWorkUnmodified() throws {
        let python = ProcessInfo.processInfo.environment["ORDREL_PYTHON"] ?? ""
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: python),
                          "ORDREL_PYTHON does not name a Python with haproxyadmin (.ci/run prepares one)")
        let pair = try pair()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Clients/haproxyadmin_check.py").path
        for side in Side.allCases {
            let result = try runCommand(python, [script, pair.socketPath(side), "fe_main", "be_app", "s1"])
            XCTAssertEqual(result.status, 0, "\(side): \(result.stdout)\(result.stderr)")
            XCTAssertTrue(result.stdout.hasSuffix("ok clear counters\n"), "\(side): \(result.stdout)")
        }

        let tool = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("haproxytool").path
        for arguments in [["frontend", "-l"], ["backend", "-l"], ["server", "-l"], ["server", "-s"], ["haproxy", "-m", "Maxconn"],
                          ["haproxy", "-m", "CurrConns"]] {
            let outputs = try Side.allCases.map { side in
                try runCommand(tool, [arguments[0], "-F", pair.socketPath(side)] + arguments.dropFirst())
            }
            XCTAssertEqual(outputs[1].status, 0, "\(arguments): \(outputs[1].stderr)")
            XCTAssertFalse(outputs[1].stdout.isEmpty, "\(arguments)")
            XCTAssertEqual(outputs[1].stdout, outputs[0].stdout, "haproxytool \(arguments.joined(separator: " "))")
        }
    }

    // MARK: what clients parse

    func testStatsSocketShapes() throws {
        let pair = try pair()
        let theirs = try pair.query(.haproxy, "show stat").split(separator: "\n").map(String.init)
        let ours = try pair.query(.ordrel, "show stat").split(separator: "\n").map(String.init)
        XCTAssertEqual(ours.first, theirs.first, "show stat header lines differ")
        XCTAssertEqual(ours.count, theirs.count, "row count differs")

        func infoKeys(_ text: String) -> [String] {
            text.split(separator: "\n").compactMap { line in line.firstIndex(of: ":").map { String(line[..<$0]) } }
        }
        let haproxyKeys = infoKeys(try pair.query(.haproxy, "show info"))
        let ordrelKeys = infoKeys(try pair.query(.ordrel, "show info"))
        XCTAssertGreaterThan(haproxyKeys.count, 40)
        XCTAssertEqual(ordrelKeys, haproxyKeys, "show info keys are not haproxy's, in haproxy's order")

        // Values that depend on neither time, pid, memory nor ordrel's identity or pipes.
        let computed = ["Name", "Nbthread", "Nbproc", "Process_num", "Maxconn", "Hard_maxconn", "CurrConns", "Tasks", "Run_queue",
                        "Stopping", "Jobs", "Unstoppable Jobs", "Listeners", "Tainted", "node"]
        // A connection of the previous step may still be closing on one side (Jobs, CurrConns):
        // compared until they agree, for a while.
        var mismatched: [String] = []
        _ = try waitUntil(5) {
            let ours = try pair.info(.ordrel), theirs = try pair.info(.haproxy)
            mismatched = computed.filter { ours[$0] != theirs[$0] }.map { "\($0): ordrel \(ours[$0] ?? "-") haproxy \(theirs[$0] ?? "-")" }
            return mismatched.isEmpty
        }
        XCTAssertEqual(mismatched, [])

        func descriptions(_ side: Side) throws -> [String] {
            try pair.query(side, "show info desc").split(separator: "\n").map { line in
                let name = line.prefix { $0 != ":" }
                let description = line.firstRange(of: ":\"").map { String(line[$0.lowerBound...]) } ?? "no description"
                return "\(name)\(description)"
            }
        }
        XCTAssertEqual(try descriptions(.ordrel), try descriptions(.haproxy))

        // haproxy's own `show acl` lists its internal httpclient ACLs, so only the unknown name.
        for command in ["show map", "show map nope", "show acl nope", "show table", "show table nope",
                        "show servers conn nope", "show schema json"] {
            XCTAssertEqual(try pair.query(.ordrel, command), try pair.query(.haproxy, command), command)
        }
        // used_max and need_est are peaks of concurrent connections: whether a check or the next
        // stream overlapped the end of the last one is timing, so only zero or not is compared.
        func serversConn(_ side: Side) throws -> [String] {
            try pair.query(side, "show servers conn").split(separator: "\n").map { line in
                line.split(separator: " ").enumerated().map { index, word in
                    (index == 7 || index == 8) && !line.hasPrefix("#") ? (word == "0" ? "0" : "n") : String(word)
                }.joined(separator: " ")
            }
        }
        XCTAssertEqual(try serversConn(.ordrel), try serversConn(.haproxy))

        let theirState = try pair.query(.haproxy, "show servers state").split(separator: "\n").map(String.init)
        let ourState = try pair.query(.ordrel, "show servers state").split(separator: "\n").map(String.init)
        XCTAssertEqual(ourState.prefix(2), theirState.prefix(2), "show servers state version and header differ")
        XCTAssertEqual(ourState.count, theirState.count)
    }
}

/// haproxy and ordrel on the same configuration, with their own frontend ports and sockets but
/// the same backends: two echo servers and a port nothing listens on.
final class DaemonPair {

    private let directory = TemporaryDirectory()
    private let backends: [TestBackend]
    private let haproxy = Process()
    private let ordrel: OrdrelProcess
    private let sockets: [Side: String]
    private let frontendPorts: [Side: UInt16]
    private let listenPorts: [Side: UInt16]
    private(set) var configPaths: [Side: String] = [:]

    init() throws {
        backends = [try TestBackend(.echo), try TestBackend(.echo)]
        let deadPort = try TestSocket.unusedPort()
        let ports = backends.map(\.port) + [deadPort]
        sockets = [.haproxy: directory.path + "/haproxy.sock", .ordrel: directory.path + "/ordrel.sock"]
        frontendPorts = [.haproxy: try TestSocket.unusedPort(), .ordrel: try TestSocket.unusedPort()]
        listenPorts = [.haproxy: try TestSocket.unusedPort(), .ordrel: try TestSocket.unusedPort()]

        let haproxyConfig = directory.write("haproxy.cfg", Self.config(side: .haproxy, sockets: sockets,
            frontend: frontendPorts, listen: listenPorts, servers: ports))
        haproxy.executableURL = URL(fileURLWithPath: haproxyPath)
        haproxy.arguments = ["-db", "-q", "-f", haproxyConfig]
        haproxy.standardOutput = FileHandle.nullDevice
        haproxy.standardError = FileHandle.nullDevice
        try haproxy.run()
        configPaths[.haproxy] = haproxyConfig
        ordrel = try OrdrelProcess(config: Self.config(side: .ordrel, sockets: sockets,
            frontend: frontendPorts, listen: listenPorts, servers: ports), readySocket: sockets[.ordrel])
        configPaths[.ordrel] = ordrel.configPath
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let fd = try? TestSocket.connect(unixPath: sockets[.haproxy]!) { close(fd); break }
            usleep(20_000)
        }
    }

    private static func config(side: Side, sockets: [Side: String], frontend: [Side: UInt16],
                               listen: [Side: UInt16], servers: [UInt16]) -> String {
        """
        global
            maxconn 1000
            stats socket \(sockets[side]!) mode 600 level admin
            stats timeout 30s
        defaults
            mode tcp
            option tcplog
            timeout connect 2s
            timeout client 30s
            timeout server 30s
            retries 3
            option redispatch
        frontend fe_main
            bind 127.0.0.1:\(frontend[side]!)
            maxconn 500
            default_backend be_app
        backend be_app
            balance roundrobin
            server s1 127.0.0.1:\(servers[0]) check inter 200ms rise 2 fall 2
            server s2 127.0.0.1:\(servers[1]) weight 50 maxconn 100
            server s3 127.0.0.1:\(servers[2]) backup check inter 200ms rise 2 fall 2
        listen li_direct
            bind 127.0.0.1:\(listen[side]!)
            balance leastconn
            server d1 127.0.0.1:\(servers[0])

        """
    }

    func frontendPort(_ side: Side) -> UInt16 { frontendPorts[side]! }

    func socketPath(_ side: Side) -> String { sockets[side]! }

    func query(_ side: Side, _ command: String) throws -> String {
        try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(sockets[side]!)"], input: command + "\n").stdout
    }

    /// `show info` as a dictionary.
    func info(_ side: Side) throws -> [String: String] {
        var fields: [String: String] = [:]
        for line in try query(side, "show info").split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(colon, offsetBy: 2)...])
        }
        return fields
    }

    /// CSV output keyed by column name, one dictionary per row.
    func csv(_ side: Side, _ command: String) throws -> [[String: String]] {
        let lines = try query(side, command).split(separator: "\n")
        guard let header = lines.first, header.hasPrefix("# ") else { return [] }
        let names = header.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(zip(names, cells), uniquingKeysWith: { first, _ in first })
        }
    }

    /// Runs an action command on both daemons; each must answer with just the terminator.
    func both(_ command: String) throws {
        for side in Side.allCases { XCTAssertEqual(try query(side, command), "\n", "\(side): \(command)") }
    }

    /// Waits (bounded) until `condition` holds on both daemons.
    func waitForBoth(_ what: String, _ condition: (Side) throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if try Side.allCases.allSatisfy(condition) { return }
            usleep(50_000)
        }
        XCTFail("never reached on both: \(what)")
    }

    func serverColumn(_ side: Side, _ server: String, _ column: String) throws -> String? {
        try csv(side, "show stat").first { $0["pxname"] == "be_app" && $0["svname"] == server }?[column]
    }

    /// Columns that hold times, ages or rates: compared only for being present or empty.
    /// (`need_conn_est` is a peak of concurrent connections: its exact value is timing too.)
    static let timeColumns: Set<String> = [
        "lastchg", "downtime", "lastsess", "rate", "rate_max", "conn_rate", "conn_rate_max", "req_rate", "req_rate_max",
        "check_duration", "qtime", "ctime", "rtime", "ttime", "qtime_max", "ctime_max", "rtime_max", "ttime_max",
        "need_conn_est",
    ]
    /// Peaks of concurrent streams: whether the readiness probe's connection or a check overlapped
    /// the first stream is timing, so only zero or not is compared.
    static let peakColumns: Set<String> = ["smax"]

    /// Every `show stat` row of both daemons, equal once times and rates are normalised. Whether
    /// a check is running at the instant of the query is timing too: its "* " is dropped, and
    /// `last_chk`, which a running check empties, is not compared while either side runs one.
    func compareStats(_ moment: String, file: StaticString = #filePath, line: UInt = #line) throws {
        func normalised(_ side: Side) throws -> [[String: String]] {
            try csv(side, "show stat").map { row in
                var row = row
                for (key, value) in row where Self.timeColumns.contains(key) { row[key] = value.isEmpty ? "" : "t" }
                for (key, value) in row where Self.peakColumns.contains(key) { row[key] = value.isEmpty || value == "0" ? value : "1+" }
                return row
            }
        }
        func joined(_ row: [String: String]) -> String {
            row.keys.sorted().map { "\($0)=\(row[$0]!)" }.joined(separator: ",")
        }
        let ours = try normalised(.ordrel)
        let theirs = try normalised(.haproxy)
        XCTAssertEqual(ours.count, theirs.count, moment, file: file, line: line)
        for (mineRow, realRow) in zip(ours, theirs) {
            var pair = [mineRow, realRow]
            if pair.contains(where: { $0["check_status", default: ""].hasPrefix("* ") }) {
                for index in pair.indices {
                    pair[index]["check_status"] = pair[index]["check_status"].map { String($0.trimmingPrefix("* ")) }
                    pair[index]["last_chk"] = nil
                }
            }
            let mine = joined(pair[0]), real = joined(pair[1])
            guard mine != real else { continue }
            let a = mine.split(separator: ","), b = real.split(separator: ",")
            let differences = zip(a, b).filter { $0 != $1 }.map { "ordrel \($0) haproxy \($1)" }
            XCTFail("\(moment): \(a.first { $0.hasPrefix("svname=") } ?? "") \(differences.joined(separator: "; "))", file: file, line: line)
        }
    }

    func frontendStatus(_ side: Side) throws -> String? {
        try csv(side, "show stat").first { $0["pxname"] == "fe_main" && $0["svname"] == "FRONTEND" }?["status"]
    }

    /// One session through `fe_main`: sends `text`, half-closes, returns what came back.
    func echo(_ side: Side, _ text: String) throws -> String {
        let fd = try TestSocket.connect(port: frontendPorts[side]!)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try TestSocket.sendAll(fd, Array(text.utf8))
        shutdown(fd, Int32(SHUT_WR))
        return String(decoding: TestSocket.readAll(fd).bytes, as: UTF8.self)
    }

    func stop() {
        ordrel.stop()
        if haproxy.isRunning { haproxy.terminate() }
        haproxy.waitUntilExit()
        backends.forEach { $0.stop() }
    }
}
