#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// ACLs on the data path, against the real haproxy 2.6 on the same configuration: SNI routing
/// of real ClientHellos (made by `openssl s_client`), rejection by `src`, routing by `req.len`
/// and payload, the inspect delay, (`fe_mix`) every other fetch, matcher and operator of
/// issue 13, one case each, and `balance source` behind a PROXY header. Each case must pick
/// the same backend on both, forward the inspected bytes unchanged, and leave the same
/// `show stat` counters and tcplog states.
final class ACLRoutingTests: XCTestCase {

    /// One case of `fe_mix`: the payload to send (its first 3 bytes name the case) and the
    /// condition `use_backend be_one` is given after the case's own ACL; false → `be_three`.
    private static let mixCases: [(payload: String, condition: String)] = [
        ("c01xxxxx", "{ fe_name fe_mix }"),
        ("c02xxxxx", "{ be_name fe_mix }"),
        ("c03xxxxx", "{ nbsrv(be_one) eq 1 }"),
        ("c04xxxxx", "{ nbsrv(be_off) gt 0 }"),
        ("c05xxxxx", "{ connslots(be_one) lt 0 }"),
        ("c06xxxxx", "{ connslots(be_capped) eq 7 }"),
        ("c07xxxxx", "{ srv_is_up(be_one/s1) }"),
        ("c08xxxxx", "{ srv_is_up(be_off/s9) }"),
        ("c09xxxxx", "{ src_port gt 1023 }"),
        ("c10xxxxx", "{ dst 127.0.0.1 } { dst_port 1:1023 }"),
        ("c11xxxxx", "{ dst -m ip 127.0.0.0/255.0.0.0 } { dst_port 1024: }"),
        ("c12xxxxx", "{ src ::ffff:127.0.0.0/104 }"),
        ("c13xxxxx", "{ src ::1 2001:db8::/32 }"),
        ("c14xxxxx", "LOCALHOST"),
        ("c15\u{3}abcd", "{ req.payload_lv(3,1) -m str abc }"),
        ("c16hello", "{ req.payload(3,5) -m beg hel }"),
        ("c17hello", "{ req.payload(3,5) -m beg xyz }"),
        ("c18hello", "{ req.payload(3,5) -m sub ell }"),
        ("c19hello", "{ req.payload(3,5) -m reg ^H.L+O$ }"),
        ("c20hello", "{ req.payload(3,5) -i -m reg ^H.L+O$ }"),
        ("c21hello", "{ req.payload(3,5) -m len 5 }"),
        ("c22hello", "{ req.payload(3,5) -m len gt 5 }"),
        ("c23hello", "{ req.payload(3,5) -m found }"),
        ("c24a.b.c", "{ req.payload(3,5) -m dom b }"),
        ("c25ab.cd", "{ req.payload(3,5) -m dom b }"),
        ("c26xxxxx", "{ req.len -m int 8 }"),
        ("c27hello", "{ req.payload(3,5) -m str -f PATTERNS }"),
        ("c28HeLLo", "{ req.payload(3,5) -i -m str hello }"),
        ("c29HeLLo", "{ req.payload(3,5) -m str hello }"),
        ("c30xxxxx", "{ src 10.0.0.0/8 } || c30 { src 127.0.0.1 }"),
        ("c31xxxxx", "!{ src 127.0.0.1 } or c31 FALSE"),
        ("c32xxxxx", "TRUE"),
        ("c33xxxxx", "multi"),
        ("c34hixxx", "{ payload(3,2) 6869 }"),
    ]

    /// `fe_mix`: every case's rule, in order; `-f` reads `patterns`.
    private static func mixRules(patterns: String) -> String {
        mixCases.map { item in
            let name = String(item.payload.prefix(3))
            let condition = item.condition.replacingOccurrences(of: "PATTERNS", with: patterns)
            return "    acl \(name) req.payload(0,3) -m str \(name)\n    use_backend be_one if \(name) \(condition)\n"
        }.joined()
    }

    private static func config(socket: String, ports: [String: UInt16], servers: [UInt16], patterns: String) -> String {
        """
        global
            stats socket \(socket) mode 600 level admin
            log stdout format raw local0
        defaults
            mode tcp
            log global
            option tcplog
            timeout connect 2s
            timeout client 5s
            timeout server 5s
        frontend fe_sni
            bind 127.0.0.1:\(ports["sni"]!)
            tcp-request inspect-delay 3s
            tcp-request content accept if { req.ssl_hello_type 1 }
            acl one req.ssl_sni -i one.test
            use_backend be_one if one
            use_backend be_two if { req.ssl_sni -m end .two.test }
            default_backend be_three
        frontend fe_src
            bind 127.0.0.1:\(ports["src"]!)
            tcp-request connection accept if { src 10.0.0.0/8 }
            tcp-request connection reject if { src 127.0.0.1 }
            default_backend be_one
        frontend fe_len
            bind 127.0.0.1:\(ports["len"]!)
            tcp-request inspect-delay 400ms
            tcp-request content reject if { req.payload(0,4) -m str QUIT }
            tcp-request content accept if { req.len ge 8 }
            use_backend be_one if { req.payload(0,4) -m bin 4f4e453a }
            use_backend be_two if { req.len ge 8 }
            default_backend be_three
        frontend fe_slow
            bind 127.0.0.1:\(ports["slow"]!)
            timeout client 300ms
            tcp-request inspect-delay 3s
            tcp-request content accept if { req.len ge 100 }
            default_backend be_three
        listen stats_page
            bind 127.0.0.1:\(ports["page"]!)
            mode http
            stats enable
            tcp-request connection reject if !{ src 10.0.0.0/8 }
        frontend fe_rdp
            bind 127.0.0.1:\(ports["rdp"]!)
            tcp-request inspect-delay 3s
            tcp-request content accept if RDP_COOKIE
            use_backend be_two if { req.rdp_cookie(mstshash) -i alice }
            default_backend be_three
        frontend fe_be
            bind 127.0.0.1:\(ports["be"]!)
            default_backend be_checked
        backend be_checked
            tcp-request inspect-delay 3s
            tcp-request content reject if { req.payload(0,4) -m str QUIT }
            tcp-request content accept if { req.len ge 4 }
            server s1 127.0.0.1:\(servers[0])
        frontend fe_none
            bind 127.0.0.1:\(ports["none"]!)
            use_backend be_one if { src 10.0.0.0/8 }
        frontend fe_srv
            bind 127.0.0.1:\(ports["srv"]!)
            default_backend be_pick
        backend be_pick
            balance roundrobin
            use-server s1 if { src 10.0.0.0/8 }
            use-server s2 if { src 127.0.0.1 } { dst_port \(ports["srv"]!) }
            server s1 127.0.0.1:\(servers[0])
            server s2 127.0.0.1:\(servers[1])
        frontend fe_mix
            bind 127.0.0.1:\(ports["mix"]!)
            tcp-request inspect-delay 3s
            tcp-request content accept if { req.ssl_hello_type 1 }
            tcp-request content accept if { req.len ge 8 }
            acl multi dst_port 1
            acl multi fe_name fe_mix
            use_backend be_one if { req.ssl_sni ver.test } { req.ssl_ver 3.3 }
            use_backend be_two if { req.ssl_sni ver.test }
            acl c35 req.payload(0,3) -m str c35
            use_backend be_one unless !c35 || { src 10.0.0.0/8 }
        \(mixRules(patterns: patterns))    default_backend be_three
        frontend fe_bs
            bind 127.0.0.1:\(ports["bs"]!) accept-proxy
            default_backend be_bs
        backend be_bs
            balance source
            server s1 127.0.0.1:\(servers[0])
            server s2 127.0.0.1:\(servers[1])
            server s3 127.0.0.1:\(servers[2])
        backend be_capped
            server s1 127.0.0.1:\(servers[0]) maxconn 5 maxqueue 2
        backend be_off
            server s9 127.0.0.1:\(servers[2]) disabled
        backend be_one
            server s1 127.0.0.1:\(servers[0])
        backend be_two
            server s2 127.0.0.1:\(servers[1])
        backend be_three
            server s3 127.0.0.1:\(servers[2])

        """
    }

    /// A real ClientHello for `name`: what `openssl s_client -servername` sends to a listener.
    private func clientHello(serverName name: String) throws -> [UInt8] {
        let (listener, port) = try TestSocket.listen()
        defer { close(listener) }
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["s_client", "-connect", "127.0.0.1:\(port)", "-servername", name, "-tls1_2"]
        openssl.standardInput = Pipe()
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        defer { openssl.terminate(); openssl.waitUntilExit() }
        let fd = accept(listener, nil, nil)
        try TestSocket.check(fd, "accept")
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        let header = TestSocket.read(fd, count: 5)
        XCTAssertEqual(header.first, 0x16, "a TLS handshake record")
        guard header.count == 5 else { return header }
        return header + TestSocket.read(fd, count: Int(header[3]) << 8 | Int(header[4]))
    }

    /// What one client saw: the backend's greeting ("1", "2", "3", or "" when closed), whether
    /// the bytes it sent came back unchanged, and how long until the first reply byte.
    private struct Seen: Equatable {
        var backend: String
        var echoedIntact: Bool
    }

    private func send(_ bytes: [UInt8], to port: UInt16) throws -> (seen: Seen, seconds: Double) {
        let start = Date()
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 8)
        try? TestSocket.sendAll(fd, bytes)
        let greeting = TestSocket.read(fd, count: 1)
        let seconds = Date().timeIntervalSince(start)
        guard greeting.count == 1 else { return (Seen(backend: "", echoedIntact: false), seconds) }
        let echoed = TestSocket.read(fd, count: bytes.count)
        return (Seen(backend: String(decoding: greeting, as: UTF8.self), echoedIntact: echoed == bytes), seconds)
    }

    /// How the proxy ends a connection it refuses: `reset`, `eof`, or the error.
    private func refusal(_ bytes: [UInt8], to port: UInt16) throws -> String {
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 8)
        if !bytes.isEmpty { try TestSocket.sendAll(fd, bytes) }
        switch TestSocket.readAll(fd) {
        case (let got, .eof): return "eof after \(got.count)"
        case (_, .error(ECONNRESET)): return "reset"
        case (_, let end): return "\(end)"
        }
    }

    /// The columns rules change, per row, from `show stat`.
    private func counters(_ socket: String) throws -> [String] {
        let text = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: "show stat\n").stdout
        let lines = text.split(separator: "\n")
        guard let header = lines.first else { return [] }
        let names = header.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let wanted = ["stot", "dreq", "dcon", "dses", "ereq", "conn_tot", "lbtot"]
        return lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let row = Dictionary(zip(names, cells), uniquingKeysWith: { first, _ in first })
            return "\(row["pxname"] ?? "")/\(row["svname"] ?? ""): " + wanted.map { "\($0)=\(row[$0] ?? "")" }.joined(separator: " ")
        }
    }

    /// `frontend backend/server state` of each tcplog line, sorted; `waited` when `%Tw` shows
    /// the inspect delay (haproxy counts the inspection in it: 300 ms or more here).
    private func logStates(_ text: String) -> [String] {
        let pattern = #/ (fe_\w+) (\S+)/(\S+) (-?\d+)/-?\d+/\d+ \d+ (\S\S) /#
        return text.split(separator: "\n").compactMap { line in
            line.firstMatch(of: pattern).map { "\($0.1) \($0.2)/\($0.3) \($0.5)\((Int($0.4) ?? 0) >= 300 ? " waited" : "")" }
        }.sorted()
    }

    func testRoutingAndRejectionMatchHaproxy() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        let backends = [try TestBackend(.greetThenEcho([0x31])), try TestBackend(.greetThenEcho([0x32])),
                        try TestBackend(.greetThenEcho([0x33]))]
        defer { backends.forEach { $0.stop() } }
        let hellos = try ["one.test", "api.two.test", "other.test", "ver.test"].map { try clientHello(serverName: $0) }
        let directory = TemporaryDirectory()
        var ports: [Side: [String: UInt16]] = [:]
        var sockets: [Side: String] = [:]
        for side in Side.allCases {
            ports[side] = try ["sni", "src", "len", "srv", "none", "slow", "page", "rdp", "be", "mix", "bs"].reduce(into: [:]) { $0[$1] = try TestSocket.unusedPort() }
            sockets[side] = directory.path + "/\(side).sock"
        }
        let servers = backends.map(\.port)
        let patterns = directory.write("patterns.lst", "# a comment, then a blank line\n\nworld\nhello\n")
        let haproxy = Process()
        let haproxyLog = Pipe()
        haproxy.executableURL = URL(fileURLWithPath: haproxyPath)
        haproxy.arguments = ["-db", "-f", directory.write("haproxy.cfg", Self.config(socket: sockets[.haproxy]!, ports: ports[.haproxy]!, servers: servers, patterns: patterns))]
        haproxy.standardOutput = haproxyLog
        haproxy.standardError = FileHandle.nullDevice
        try haproxy.run()
        defer { if haproxy.isRunning { haproxy.terminate(); haproxy.waitUntilExit() } }
        let ordrel = try OrdrelProcess(config: Self.config(socket: sockets[.ordrel]!, ports: ports[.ordrel]!, servers: servers, patterns: patterns),
                                       readySocket: sockets[.ordrel])
        defer { ordrel.stop() }
        XCTAssertTrue(waitUntil(5) { (try? TestSocket.connect(unixPath: sockets[.haproxy]!)).map { close($0); return true } ?? false })

        var seen: [Side: [String]] = [:]
        for side in Side.allCases {
            let p = ports[side]!
            var results: [String] = []
            // SNI: one.test → be_one, *.two.test → be_two, anything else → be_three; the hello
            // reaches the server byte for byte.
            for hello in hellos.dropLast() {
                let (outcome, _) = try send(hello, to: p["sni"]!)
                results.append("sni \(outcome.backend) \(outcome.echoedIntact)")
            }
            // Every other fetch, matcher and operator: "1" when the case's condition held.
            var mix = "mix"
            for item in Self.mixCases {
                mix += " \(item.payload.prefix(3))=\(try send(Array(item.payload.utf8), to: p["mix"]!).seen.backend)"
            }
            mix += " c35=\(try send(Array("c35xxxxx".utf8), to: p["mix"]!).seen.backend)"
            mix += " ver=\(try send(hellos[3], to: p["mix"]!).seen.backend)"
            results.append(mix)
            // balance source hashes the client a PROXY header names, not the peer (127.0.0.1).
            var hashed = "source"
            for i in 1...8 {
                let fd = try TestSocket.connect(port: p["bs"]!)
                TestSocket.setReceiveTimeout(fd, seconds: 8)
                try TestSocket.sendAll(fd, Array("PROXY TCP4 10.0.\(i).\(i * 7) 127.0.0.1 4000\(i) 80\r\n".utf8))
                hashed += String(decoding: TestSocket.read(fd, count: 1), as: UTF8.self)
                close(fd)
            }
            results.append(hashed)
            // src 127.0.0.1 is rejected at accept: no server ever sees it.
            results.append("src \(try send(Array("hello".utf8), to: p["src"]!).seen.backend)")
            // Payload: a prefix picks be_one, 8 bytes be_two, QUIT is rejected.
            results.append("len \(try send(Array("ONE:abcd".utf8), to: p["len"]!).seen.backend)")
            results.append("len \(try send(Array("xyzw1234".utf8), to: p["len"]!).seen.backend)")
            results.append("len \(try send(Array("QUIT".utf8), to: p["len"]!).seen.backend)")
            // Too short to decide: waits for the inspect delay, then the default backend.
            let (short, seconds) = try send(Array("abc".utf8), to: p["len"]!)
            results.append("len \(short.backend) \(short.echoedIntact)")
            XCTAssertGreaterThan(seconds, 0.3, "\(side): the short request waited for the inspect delay")
            // use-server s2 for 127.0.0.1: both connections go to it, not round robin.
            results.append("srv \(try send([0x78], to: p["srv"]!).seen.backend) \(try send([0x78], to: p["srv"]!).seen.backend)")
            // Connection rules guard the built-in services too.
            results.append("page \(try send(Array("GET / HTTP/1.0\r\n\r\n".utf8), to: p["page"]!).seen.backend)")
            // How refusals close: connection rules reset the client, a content reject sends a FIN.
            results.append("refusals \(try refusal([], to: p["src"]!)) \(try refusal([], to: p["page"]!)) \(try refusal(Array("QUIT".utf8), to: p["len"]!))")
            // An RDP connection request: routed by its mstshash cookie.
            let rdp: [UInt8] = [0x03, 0x00, 0x00, 0x2a, 0x25, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00] + Array("Cookie: mstshash=ALICE\r\n".utf8)
            results.append("rdp \(try send(rdp, to: p["rdp"]!).seen.backend)")
            // The backend's own content rules: QUIT is refused there, HELLO goes through.
            results.append("be \(try send(Array("QUIT".utf8), to: p["be"]!).seen.backend) \(try send(Array("HELLO".utf8), to: p["be"]!).seen.backend)")
            // No use_backend matches and there is no default: closed without a server.
            results.append("none \(try send([0x78], to: p["none"]!).seen.backend)")
            // A client silent past `timeout client` while inspected: closed (`cR`), though its
            // stream entered the default backend first, as haproxy does.
            let (silent, waited) = try send(Array("abc".utf8), to: p["slow"]!)
            results.append("slow \(silent.backend)")
            XCTAssertLessThan(waited, 2.5, "\(side): timeout client, not the inspect delay, ended it")
            seen[side] = results
        }
        XCTAssertEqual(seen[.ordrel], seen[.haproxy])
        XCTAssertEqual(seen[.haproxy], ["sni 1 true", "sni 2 true", "sni 3 true",
                                        "mix c01=1 c02=1 c03=1 c04=3 c05=1 c06=1 c07=1 c08=3 c09=1 c10=3 c11=1 c12=1 c13=3 c14=1 c15=1 c16=1 c17=3 "
                                        + "c18=1 c19=3 c20=1 c21=1 c22=3 c23=1 c24=1 c25=3 c26=1 c27=1 c28=1 c29=3 c30=1 c31=3 c32=1 c33=1 c34=1 c35=1 ver=1",
                                        "source13213213",
                                        "src ", "len 1", "len 2", "len ", "len 3 true", "srv 2 2", "page ", "refusals reset reset eof after 0", "rdp 2", "be  1", "none ", "slow "],
                       "haproxy itself routed as the test expects")
        usleep(200_000)
        let theirCounters = try counters(sockets[.haproxy]!)
        XCTAssertEqual(try counters(sockets[.ordrel]!), theirCounters)
        XCTAssertTrue(theirCounters.contains("fe_src/FRONTEND: stot=0 dreq=0 dcon=2 dses=0 ereq=0 conn_tot=2 lbtot="), "\(theirCounters)")
        XCTAssertTrue(theirCounters.contains("stats_page/FRONTEND: stot=0 dreq=0 dcon=2 dses=0 ereq=0 conn_tot=2 lbtot="), "\(theirCounters)")
        XCTAssertTrue(theirCounters.contains("fe_slow/FRONTEND: stot=1 dreq=0 dcon=0 dses=0 ereq=1 conn_tot=1 lbtot="), "\(theirCounters)")
        XCTAssertTrue(theirCounters.contains("fe_len/FRONTEND: stot=5 dreq=2 dcon=0 dses=0 ereq=0 conn_tot=5 lbtot="), "\(theirCounters)")
        ordrel.stop()
        haproxy.terminate()
        haproxy.waitUntilExit()
        let theirLog = String(decoding: haproxyLog.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(logStates(theirLog).contains("fe_len fe_len/<NOSRV> PR"), theirLog)
        XCTAssertTrue(logStates(theirLog).contains("fe_len be_three/s3 -- waited"), theirLog)
        XCTAssertTrue(logStates(theirLog).contains("fe_none fe_none/<NOSRV> SC"), theirLog)
        XCTAssertTrue(logStates(theirLog).contains("fe_be be_checked/<NOSRV> PR"), theirLog)
        XCTAssertTrue(logStates(theirLog).contains("fe_slow be_three/<NOSRV> cR"), theirLog)
        XCTAssertEqual(logStates(ordrel.stderrText), logStates(theirLog), "ordrel: \(ordrel.stderrText)\nhaproxy: \(theirLog)")
    }
}
