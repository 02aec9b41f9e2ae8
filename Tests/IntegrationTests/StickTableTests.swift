#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Stick tables against the real haproxy 2.6 on the same configuration and the same traffic:
/// `stick on src` pinning (and moving when its server is disabled, but not with
/// `force-persist`, kept despite `ignore-persist`), `stick match` of what `stick store-request`
/// stored, integer, string and ipv6 keys, expiry on the loop's timers, rate limiting with
/// `sc0_conn_rate` and `src_conn_rate` (and `show stat`'s dcon/dreq for it), and the stats
/// socket's `show|set|clear table` replies byte for byte but for entry addresses and expiry times.
final class StickTableTests: XCTestCase {

    private static func config(socket: String, ports: [String: UInt16], servers: [UInt16]) -> String {
        """
        global
            stats socket \(socket) mode 600 level admin
        defaults
            mode tcp
            timeout connect 2s
            timeout client 5s
            timeout server 5s
        frontend fe_stick
            bind 127.0.0.1:\(ports["stick"]!)
            default_backend be_stick
        backend be_stick
            stick-table type ip size 100 expire 60s
            stick on src
            server s1 127.0.0.1:\(servers[0])
            server s2 127.0.0.1:\(servers[1])
        frontend fe_force
            bind 127.0.0.1:\(ports["force"]!)
            default_backend be_force
        backend be_force
            stick-table type ip size 100 expire 60s store server_id,conn_cnt
            force-persist if { src 127.0.0.1 }
            stick on src
            server s1 127.0.0.1:\(servers[0])
            server s2 127.0.0.1:\(servers[1])
        frontend fe_ignore
            bind 127.0.0.1:\(ports["ignore"]!)
            default_backend be_ignore
        backend be_ignore
            stick-table type ip size 100 expire 60s
            ignore-persist if { src 127.0.0.1 }
            stick on src
            server s1 127.0.0.1:\(servers[0])
            server s2 127.0.0.1:\(servers[1])
        frontend fe_rate
            bind 127.0.0.1:\(ports["rate"]!)
            stick-table type ip size 100 expire 60s store conn_cur,conn_cnt,conn_rate(60s),sess_cnt,sess_rate(60s),bytes_in_cnt,bytes_out_cnt,bytes_in_rate(60s),gpc0
            tcp-request connection track-sc0 src
            tcp-request connection reject if { sc0_conn_rate gt 4 }
            default_backend be_one
        frontend fe_src
            bind 127.0.0.1:\(ports["src"]!)
            stick-table type ip size 10 expire 60s store conn_rate(60s)
            tcp-request connection track-sc2 src
            tcp-request connection reject if { src_conn_rate gt 3 }
            default_backend be_one
        frontend fe_cur
            bind 127.0.0.1:\(ports["cur"]!)
            stick-table type ip size 10 expire 60s store conn_cur,conn_cnt,sess_cnt
            tcp-request content track-sc1 src
            tcp-request content reject if { sc1_conn_cur gt 1 }
            default_backend be_one
        frontend fe_pp
            bind 127.0.0.1:\(ports["pp"]!) accept-proxy
            stick-table type ip size 10 store conn_cnt,sess_cnt
            tcp-request connection track-sc0 src
            tcp-request content track-sc1 src table pp_seen
            default_backend be_one
        backend pp_seen
            stick-table type ip size 10 store conn_cnt
        frontend fe_store
            bind 127.0.0.1:\(ports["store"]!)
            default_backend be_store
        backend be_store
            stick-table type ipv6 size 10 expire 60s
            stick store-request src
            server s1 127.0.0.1:\(servers[0])
            server s2 127.0.0.1:\(servers[1])
        frontend fe_match
            bind 127.0.0.1:\(ports["match"]!)
            default_backend be_match
        backend be_match
            stick match src table be_store
            server s1 127.0.0.1:\(servers[0])
            server s2 127.0.0.1:\(servers[1])
        frontend fe_port
            bind 127.0.0.1:\(ports["port"]!)
            default_backend be_port
        backend be_port
            stick-table type integer size 10 expire 60s store server_id,conn_cnt
            stick on dst_port
            server s1 127.0.0.1:\(servers[0])
            server s2 127.0.0.1:\(servers[1])
        frontend fe_named
            bind 127.0.0.1:\(ports["named"]!)
            default_backend be_named
        backend be_named
            stick-table type string len 16 size 10 expire 60s
            stick on fe_name
            server s1 127.0.0.1:\(servers[0])
            server s2 127.0.0.1:\(servers[1])
        frontend fe_gpc
            bind 127.0.0.1:\(ports["gpc"]!)
            stick-table type ip size 10 expire 60s store gpc0,gpc0_rate(60s),gpc1,gpt0,conn_cnt,sess_cnt
            tcp-request connection track-sc0 src
            tcp-request connection reject if { sc0_inc_gpc0 gt 3 }
            tcp-request content reject if { src_get_gpc0 eq 2 } { sc0_tracked } { sc0_trackers gt 0 } { sc_gpc0_rate(0) eq 2 }
            tcp-request content accept if { sc0_inc_gpc1 ge 0 } { sc_get_gpc1(0) gt 0 } { sc0_get_gpt0 eq 0 } { src_sess_cnt ge 0 }
            default_backend be_one
        frontend fe_short
            bind 127.0.0.1:\(ports["short"]!)
            stick-table type ip size 10 expire 300ms store conn_cnt
            tcp-request connection track-sc0 src
            default_backend be_one
        backend be_one
            server s1 127.0.0.1:\(servers[0])
        backend names
            stick-table type string len 8 size 10 store gpc0,conn_rate(10s)

        """
    }

    /// The backend's greeting to one client ("1", "2"), or "" when the proxy closed it.
    private func greeting(_ port: UInt16) throws -> String {
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try? TestSocket.sendAll(fd, [0x78])
        let greeting = TestSocket.read(fd, count: 1)
        if !greeting.isEmpty { XCTAssertEqual(TestSocket.read(fd, count: 1), [0x78], "echoed") }
        return String(decoding: greeting, as: UTF8.self)
    }

    private func cli(_ socket: String, _ command: String) throws -> String {
        try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: command + "\n").stdout
    }

    /// `stot`, `dcon`, `dses`, `dreq` and `conn_tot` of every frontend, from `show stat`.
    private func counters(_ socket: String) throws -> [String] {
        let lines = try cli(socket, "show stat").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        let names = header.map { $0.hasPrefix("# ") ? String($0.dropFirst(2)) : $0 }
        return lines.dropFirst().compactMap { cells in
            let row = Dictionary(zip(names, cells), uniquingKeysWith: { first, _ in first })
            guard row["svname"] == "FRONTEND" else { return nil }
            return "\(row["pxname"] ?? ""): " + ["stot", "dcon", "dses", "dreq", "conn_tot"].map { "\($0)=\(row[$0] ?? "")" }.joined(separator: " ")
        }
    }

    /// Entry addresses and expiry times differ between processes: masked.
    private func masked(_ text: String) -> String {
        text.replacing(#/0x[0-9a-f]+:/#, with: "0x?:").replacing(#/exp=\d+/#, with: "exp=?")
    }

    func testStickinessRateLimitsAndTableCommandsMatchHaproxy() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        let backends = [try TestBackend(.greetThenEcho([0x31])), try TestBackend(.greetThenEcho([0x32]))]
        defer { backends.forEach { $0.stop() } }
        let directory = TemporaryDirectory()
        var ports: [Side: [String: UInt16]] = [:]
        var sockets: [Side: String] = [:]
        for side in Side.allCases {
            ports[side] = try ["stick", "force", "ignore", "rate", "src", "cur", "pp", "store", "match", "port", "named", "short", "gpc"].reduce(into: [:]) { $0[$1] = try TestSocket.unusedPort() }
            sockets[side] = directory.path + "/\(side).sock"
        }
        let servers = backends.map(\.port)
        let haproxy = Process()
        haproxy.executableURL = URL(fileURLWithPath: haproxyPath)
        haproxy.arguments = ["-db", "-f", directory.write("haproxy.cfg", Self.config(socket: sockets[.haproxy]!, ports: ports[.haproxy]!, servers: servers))]
        haproxy.standardOutput = FileHandle.nullDevice
        haproxy.standardError = FileHandle.nullDevice
        try haproxy.run()
        defer { if haproxy.isRunning { haproxy.terminate(); haproxy.waitUntilExit() } }
        let ordrel = try OrdrelProcess(config: Self.config(socket: sockets[.ordrel]!, ports: ports[.ordrel]!, servers: servers),
                                       readySocket: sockets[.ordrel])
        defer { ordrel.stop() }
        XCTAssertTrue(waitUntil(5) { (try? TestSocket.connect(unixPath: sockets[.haproxy]!)).map { close($0); return true } ?? false })

        var seen: [Side: [String]] = [:]
        var tables: [Side: [String]] = [:]
        var frontends: [Side: [String]] = [:]
        for side in Side.allCases {
            let p = ports[side]!
            let socket = sockets[side]!
            var results: [String] = []
            // Pinned: every connection from 127.0.0.1 reaches the server the first one got.
            let pinned = try (0..<4).map { _ in try greeting(p["stick"]!) }
            results.append("stick \(pinned.joined())")
            // Its server disabled, the client moves to the other one, and stays there after.
            results.append(try cli(socket, "disable server be_stick/s\(pinned[0])"))
            let moved = try greeting(p["stick"]!)
            results.append(try cli(socket, "enable server be_stick/s\(pinned[0])"))
            results.append("moved \(moved) then \(try greeting(p["stick"]!))")
            // force-persist keeps the client on its server even in maintenance.
            let forced = try greeting(p["force"]!)
            results.append(try cli(socket, "disable server be_force/s\(forced)"))
            results.append("forced \(forced) then \(try greeting(p["force"]!)) \(try greeting(p["force"]!))")
            // haproxy 2.6's stick rules do not read ignore-persist (it concerns cookies).
            results.append("ignore " + (try (0..<3).map { _ in try greeting(p["ignore"]!) }.joined()))
            // Rate limits: the 5th connection within the period is over `sc0_conn_rate gt 4`, the
            // 4th over `src_conn_rate gt 3`.
            results.append("rate " + (try (0..<6).map { _ in try greeting(p["rate"]!).isEmpty ? "-" : "+" }.joined()))
            results.append("src " + (try (0..<5).map { _ in try greeting(p["src"]!).isEmpty ? "-" : "+" }.joined()))
            // Content tracking: a connection held open is tracked (`use=1 conn_cur=1`, no session
            // counted), a second one at once is over `sc1_conn_cur gt 1`; both released after.
            let held = try TestSocket.connect(port: p["cur"]!)
            TestSocket.setReceiveTimeout(held, seconds: 5)
            try TestSocket.sendAll(held, [0x78])
            results.append("held \(String(decoding: TestSocket.read(held, count: 1), as: UTF8.self))")
            results.append("second \(try greeting(p["cur"]!))")
            results.append(masked(try cli(socket, "show table fe_cur")))
            close(held)
            // Behind a PROXY header, connection rules track the real peer, content rules the
            // client the header names.
            let proxied = try TestSocket.connect(port: p["pp"]!)
            TestSocket.setReceiveTimeout(proxied, seconds: 5)
            try TestSocket.sendAll(proxied, Array("PROXY TCP4 192.0.2.7 127.0.0.1 5555 80\r\nx".utf8))
            results.append("proxied \(String(decoding: TestSocket.read(proxied, count: 1), as: UTF8.self))")
            close(proxied)
            // `stick match` reads what another backend's `stick store-request` wrote (the last
            // server it chose): before any store, round robin; after, that server each time.
            results.append("match before " + (try (0..<2).map { _ in try greeting(p["match"]!) }.joined()))
            let stored = try (0..<3).map { _ in try greeting(p["store"]!) }
            results.append("stored \(stored.joined()) match after " + (try (0..<3).map { _ in try greeting(p["match"]!) }.joined()))
            // Integer and string keys: pinned by the port the client connected to, by the frontend's name.
            results.append("port " + (try (0..<3).map { _ in try greeting(p["port"]!) }.joined()))
            results.append("named " + (try (0..<3).map { _ in try greeting(p["named"]!) }.joined()))
            // General purpose counters: incremented by a fetch, read by others, in this order.
            results.append("gpc " + (try (0..<5).map { _ in try greeting(p["gpc"]!).isEmpty ? "-" : "+" }.joined()))
            seen[side] = results
            // Every stream over, so no entry is in use.
            XCTAssertTrue(waitUntil(5) { (try? cli(socket, "show sess"))?.split(separator: "\n").count == 1 }, "\(side): streams ended")
            frontends[side] = try counters(socket)
            // Expiry runs on the loop's timers: a tracked entry stays while its connection is
            // open, then goes without any other traffic.
            let holding = try TestSocket.connect(port: p["short"]!)
            TestSocket.setReceiveTimeout(holding, seconds: 5)
            XCTAssertEqual(TestSocket.read(holding, count: 1), [0x31])
            XCTAssertTrue(try cli(socket, "show table fe_short").contains(": key=127.0.0.1 use=1 exp="), "\(side)")
            close(holding)
            XCTAssertTrue(waitUntil(10) { (try? cli(socket, "show table fe_short"))?.hasPrefix("# table: fe_short, type: ip, size:10, used:0\n") ?? false },
                          "\(side): the entry did not expire")
            var outputs = ["show table fe_gpc", "show table", "show table be_stick", "show table be_force", "show table fe_rate", "show table fe_src",
                           "show table fe_cur", "show table fe_pp", "show table pp_seen"]
            outputs = try outputs.map { masked(try cli(socket, $0)) }
            for command in ["set table names key alice data.gpc0 7 data.conn_rate 3", "set table names key bob",
                            "show table names", "show table names data.gpc0 gt 5", "show table names key alice",
                            "clear table names key alice", "show table names", "set table fe_rate key 10.0.0.9 data.gpc0 2",
                            "clear table fe_rate data.gpc0 eq 2", "show table fe_rate key 10.0.0.9", "show table fe_rate data.conn_cnt ge 6",
                            "clear table be_stick", "show table be_stick", "show table nope", "set table names key x data.conn_cnt 1",
                            "show table names data.gpc0 gt 1 extra", "operator; show table names key bob", "user; show table names key bob"] {
                outputs.append("\(command): " + masked(try cli(socket, command)))
            }
            for table in ["be_store", "be_match", "be_port", "be_named"] {
                outputs.append(masked(try cli(socket, "show table \(table)")).replacingOccurrences(of: "key=\(p["port"]!) ", with: "key=PORT "))
            }
            // Keys of the other types on the CLI.
            for command in ["show table be_store key ::ffff:127.0.0.1", "show table be_store key 127.0.0.1", "show table be_store key junk",
                            "set table be_port key 7 data.conn_cnt 3", "show table be_port key 7", "show table be_port data.conn_cnt gt 2",
                            "clear table be_port key 7", "show table be_port key 7", "show table be_port key 4294967296",
                            "show table be_named key fe_named", "clear table be_named key fe_named", "show table be_named"] {
                outputs.append("\(command): " + masked(try cli(socket, command)))
            }
            tables[side] = outputs
        }
        XCTAssertEqual(seen[.ordrel], seen[.haproxy])
        // Refused connections count in dcon, a refused content rule in dreq, as haproxy counts them.
        XCTAssertEqual(frontends[.ordrel], frontends[.haproxy])
        XCTAssertEqual(frontends[.haproxy]?.filter { $0.hasPrefix("fe_rate:") || $0.hasPrefix("fe_src:") || $0.hasPrefix("fe_cur:") },
                       ["fe_rate: stot=4 dcon=2 dses=0 dreq=0 conn_tot=6", "fe_src: stot=3 dcon=2 dses=0 dreq=0 conn_tot=5",
                        "fe_cur: stot=2 dcon=0 dses=0 dreq=1 conn_tot=2"], "\(frontends[.haproxy] ?? [])")
        let disabled = seen[.haproxy]?.first.map { String($0.suffix(1)) } ?? ""
        XCTAssertEqual(seen[.haproxy]?.first, "stick " + String(repeating: disabled, count: 4), "haproxy pinned the client")
        XCTAssertEqual(seen[.haproxy]?.filter { $0.hasPrefix("rate") || $0.hasPrefix("src") }, ["rate ++++--", "src +++--"],
                       "haproxy limited the rates as the test expects")
        XCTAssertTrue(seen[.haproxy]?.contains { $0.contains("use=1 exp=? conn_cnt=2 conn_cur=1 sess_cnt=0") } ?? false, "\(seen[.haproxy] ?? [])")
        XCTAssertTrue(tables[.haproxy]?.contains { $0.hasPrefix("# table: fe_pp") && $0.contains("key=127.0.0.1") } ?? false)
        XCTAssertTrue(tables[.haproxy]?.contains { $0.hasPrefix("# table: pp_seen") && $0.contains("key=192.0.2.7") } ?? false)
        for (ours, theirs) in zip(tables[.ordrel] ?? [], tables[.haproxy] ?? []) {
            XCTAssertEqual(ours, theirs)
        }
        XCTAssertEqual(tables[.ordrel]?.count, tables[.haproxy]?.count)
        XCTAssertEqual(seen[.haproxy]?.dropLast().suffix(4), ["match before 12", "stored 121 match after 111", "port 111", "named 111"],
                       "haproxy matched what was stored and pinned by both key types")
        XCTAssertTrue(tables[.haproxy]?.contains { $0.hasPrefix("# table: be_store, type: ipv6") && $0.contains("key=::ffff:127.0.0.1") } ?? false)
        XCTAssertTrue(tables[.haproxy]?.contains { $0.hasPrefix("# table: be_port, type: integer") && $0.contains("key=PORT") } ?? false)
        XCTAssertTrue(tables[.haproxy]?.contains { $0.hasPrefix("# table: be_named, type: string") && $0.contains("key=fe_named") } ?? false)
        XCTAssertEqual(seen[.haproxy]?.last, "gpc +-+--", "haproxy counted gpc0 as the test expects")
        XCTAssertTrue(tables[.haproxy]?.first?.contains("gpt0=0 gpc0=5 gpc0_rate(60000)=5 conn_cnt=5 sess_cnt=3 gpc1=2") ?? false, "\(tables[.haproxy]?.first ?? "")")
        XCTAssertTrue(tables[.haproxy]?[4].contains("conn_cnt=6 conn_rate(60000)=6 conn_cur=0 sess_cnt=4") ?? false, "\(tables[.haproxy] ?? [])")
    }
}
