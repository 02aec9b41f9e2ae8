#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Protocol health checks (issue 18) against real servers where they are cheap (redis-server,
/// PostgreSQL), scripted peers where they are not, and the real haproxy 2.6 on the same
/// configurations: the `show stat` check columns must agree.
final class ProtocolCheckTests: XCTestCase {
    /// The check columns compared with haproxy; `last_chk` only between two checks (haproxy
    /// empties it while one runs), `check_status` without the running check's "* ".
    private static let checkColumns = ["status", "check_status", "check_code", "check_desc", "last_chk"]

    private func checkColumns(_ row: [String: String]) -> [String] {
        let running = row["check_status", default: ""].hasPrefix("* ")
        return Self.checkColumns.map { column in
            let value = row[column, default: ""]
            if column == "check_status" { return running ? String(value.dropFirst(2)) : value }
            if column == "last_chk" && running { return "(running)" }
            return value
        }
    }

    // MARK: scripted peers, ordrel next to haproxy

    /// MySQL bytes are from haproxy 2.6's reg-tests/checks/mysql-check.vtc (a MySQL 8.0.19
    /// handshake, an OK packet, error 1251); LDAP from ldap-check.vtc; SMTP replies follow
    /// smtp-check.vtc's shape.
    func testProtocolChecksMatchHaproxy() throws {
        let handshake = bytes(hex: "4A0000000A382E302E3139000A0000006F3C025E6249410D00FFFFFF0200FFC715000000000000000000007C182159106E2761144322200063616368696E675F736861325F70617373776F726400")
        let mysqlError = bytes(hex: "67000002FFE304436C69656E7420646F6573206E6F7420737570706F72742061757468656E7469636174696F6E2070726F746F636F6C20726571756573746564206279207365727665723B20636F6E736964657220757067726164696E67204D7953514C20636C69656E74")
        let line: @Sendable ([UInt8]) -> Bool = { TestSocket.contains($0, Array("\r\n".utf8)) }
        let greeter = try ScriptedPeer(greeting: Array("hello\r\n".utf8), closeAfterReply: false) { line($0) ? Array("+PONG\r\n".utf8) : nil }
        let stranger = try ScriptedPeer(greeting: Array("bye\r\n".utf8), closeAfterGreeting: true)
        let silent = try ScriptedPeer()
        let httpOK = try ScriptedPeer.http(status: { (200, "OK") }, body: "all fine")
        let httpDown = try ScriptedPeer.http(status: { (503, "Service Unavailable") })
        let httpGone = try ScriptedPeer.http(status: { (404, "Not Found") })
        let httpMaint = try ScriptedPeer.http(status: { (200, "OK") }, body: "in maintenance")
        let redisOK = try ScriptedPeer { line($0) ? Array("+PONG\r\n".utf8) : nil }
        let redisLoading = try ScriptedPeer { line($0) ? Array("-LOADING Redis is loading the dataset in memory\r\n".utf8) : nil }
        let mysqlOK = try ScriptedPeer(greeting: handshake, closeAfterReply: false) { $0.count >= 4 ? bytes(hex: "0700000200000002000000") : nil }
        let mysqlDenied = try ScriptedPeer(greeting: handshake) { $0.count >= 4 ? mysqlError : nil }
        let ldapOK = try ScriptedPeer { $0.count >= 14 ? bytes(hex: "300C02010161070A010004000400") : nil }
        let ldapWrong = try ScriptedPeer { $0.count >= 14 ? bytes(hex: "300C02010160070A010004000400") : nil }
        let ldapRefused = try ScriptedPeer { $0.count >= 14 ? bytes(hex: "300C02010161070A010104000400") : nil }
        let smtpOK = try ScriptedPeer(greeting: Array("220 mail.example.org ESMTP ready\r\n".utf8), closeAfterReply: false) {
            line($0) ? Array("250-mail.example.org Hello\r\n250 OK\r\n".utf8) : nil
        }
        let smtpBusy = try ScriptedPeer(greeting: Array("421 too busy, try later\r\n".utf8), closeAfterGreeting: true)
        let tlsAlert = try ScriptedPeer { $0.count >= 5 ? [0x15, 0x03, 0x00, 0x00, 0x02, 0x02, 0x28] : nil }
        // Answers OK to a PROXY v1 line naming the check connection (source port, then ours).
        let proxied = try ScriptedPeer { request in
            guard line(request) else { return nil }
            let words = String(decoding: request, as: UTF8.self).split(separator: " ")
            let valid = words.count == 6 && words[0...3] == ["PROXY", "TCP4", "127.0.0.1", "127.0.0.1"] && UInt16(words[4]) != nil
            return Array((valid ? "OK\r\n" : "NO\r\n").utf8)
        }
        let peers = [greeter, stranger, silent, httpOK, httpDown, httpGone, httpMaint, redisOK, redisLoading, mysqlOK, mysqlDenied,
                     ldapOK, ldapWrong, ldapRefused, smtpOK, smtpBusy, tlsAlert, proxied]
        defer { peers.forEach { $0.stop() } }
        let dead = try TestSocket.unusedPort()
        let pair = try CheckDaemonPair(config: """
            global
                stats socket @SOCKET@ mode 600 level admin
            defaults
                mode tcp
                timeout connect 1s
                timeout client 5s
                timeout server 5s
                timeout check 500ms
                default-server inter 400 rise 1 fall 1
            frontend fe
                bind 127.0.0.1:@PORT@
                default_backend tcp_check
            backend tcp_check
                option tcp-check
                tcp-check comment greeting
                tcp-check expect string hello
                tcp-check send PING\\r\\n
                tcp-check expect rstring ^\\+PONG
                server ok 127.0.0.1:\(greeter.port) check
                server wrong 127.0.0.1:\(stranger.port) check
                server silent 127.0.0.1:\(silent.port) check
                server refused 127.0.0.1:\(dead) check
            backend tcp_connect
                option tcp-check
                server ok 127.0.0.1:\(silent.port) check
                server refused 127.0.0.1:\(dead) check
            backend http
                option httpchk GET /health HTTP/1.1\\r\\nHost:\\ example.com
                http-check disable-on-404
                http-check expect status 200-299
                server ok 127.0.0.1:\(httpOK.port) check
                server down 127.0.0.1:\(httpDown.port) check
                server gone 127.0.0.1:\(httpGone.port) check
                server refused 127.0.0.1:\(dead) check
            backend http_body
                option httpchk
                http-check expect ! string maintenance
                server ok 127.0.0.1:\(httpOK.port) check
                server maint 127.0.0.1:\(httpMaint.port) check
            backend redis
                option redis-check
                server ok 127.0.0.1:\(redisOK.port) check
                server loading 127.0.0.1:\(redisLoading.port) check
            backend mysql
                option mysql-check user haproxy
                server ok 127.0.0.1:\(mysqlOK.port) check
                server denied 127.0.0.1:\(mysqlDenied.port) check
            backend mysql_greeting
                option mysql-check
                server ok 127.0.0.1:\(mysqlOK.port) check
            backend ldap
                option ldap-check
                server ok 127.0.0.1:\(ldapOK.port) check
                server wrong 127.0.0.1:\(ldapWrong.port) check
                server refused 127.0.0.1:\(ldapRefused.port) check
            backend smtp
                option smtpchk EHLO example.org
                server ok 127.0.0.1:\(smtpOK.port) check
                server busy 127.0.0.1:\(smtpBusy.port) check
            backend ssl
                option ssl-hello-chk
                server alert 127.0.0.1:\(tlsAlert.port) check
            backend proxy_line
                option tcp-check
                tcp-check connect send-proxy
                tcp-check expect string OK
                server ok 127.0.0.1:\(proxied.port) check
            backend plain
                server refused 127.0.0.1:\(dead) check

            """)
        defer { pair.stop() }

        // A row agrees once both daemons show it between two checks with the same columns.
        var agreed: [String: [String]] = [:]
        var seen: [Side: [String: [String]]] = [:]
        _ = try waitUntil(15) {
            for side in Side.allCases { seen[side] = try pair.servers(side).mapValues(checkColumns) }
            for (key, ours) in seen[.ordrel] ?? [:] where agreed[key] == nil {
                if ours[1] != "INI", ours[4] != "(running)", ours == seen[.haproxy]?[key] { agreed[key] = ours }
            }
            return agreed.count == seen[.haproxy]?.count
        }
        XCTAssertEqual(seen[.ordrel]?.keys.sorted(), seen[.haproxy]?.keys.sorted())
        for key in (seen[.haproxy] ?? [:]).keys.sorted() where agreed[key] == nil {
            XCTFail("\(key): ordrel \(seen[.ordrel]?[key] ?? []) haproxy \(seen[.haproxy]?[key] ?? [])")
        }
        let ours = agreed
        // What haproxy says, spelled out, so a change on both sides is noticed too.
        XCTAssertEqual(ours["tcp_check/wrong"], ["DOWN", "L7RSP", "", "Layer7 invalid response",
                                                 "TCPCHK did not match content 'hello' at step 2 comment: greeting"])
        XCTAssertEqual(ours["tcp_check/silent"], ["DOWN", "L7TOUT", "", "Layer7 timeout",
                                                  " at step 2 of tcp-check (expect string 'hello') comment: 'greeting'"])
        XCTAssertEqual(ours["http/down"], ["DOWN", "L7STS", "503", "Layer7 wrong status", "Service Unavailable"])
        XCTAssertEqual(ours["http/gone"], ["NOLB", "L7OKC", "404", "Layer7 check conditionally passed", ""])
        XCTAssertEqual(ours["mysql/denied"]?[1...2], ["L7STS", "1251"])
        XCTAssertEqual(ours["smtp/ok"], ["UP", "L7OK", "250", "Layer7 check passed", "mail.example.org Hello"])
        XCTAssertEqual(ours["smtp/busy"], ["DOWN", "L7STS", "421", "Layer7 wrong status", "too busy, try later"])
        XCTAssertEqual(ours["mysql/ok"], ["UP", "L7OK", "0", "Layer7 check passed", ""], "haproxy's last status update empties the version")
        XCTAssertEqual(ours["ssl/alert"]?[1], "L6OK")
        XCTAssertEqual(ours["proxy_line/ok"]?[1], "L7OK", "the PROXY line names the check connection's own addresses")
    }

    // MARK: real servers

    /// The Redis Sentinel pattern against a real master and replica; flipping them with
    /// REPLICAOF moves the traffic.
    func testRedisSentinelPatternFollowsTheMaster() throws {
        guard let redis = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("redis-server is not installed (apt-get install redis-server)")
        }
        let first = try RedisServer(binary: redis)
        let second = try RedisServer(binary: redis)
        defer { first.stop(); second.stop() }
        XCTAssertEqual(try second.command("REPLICAOF 127.0.0.1 \(first.port)"), "+OK")
        let frontend = try TestSocket.unusedPort()
        let scratch = TemporaryDirectory()
        let socket = scratch.path + "/admin.sock"
        let ordrel = try OrdrelProcess(config: """
            global
                stats socket \(socket) mode 600 level admin
            defaults
                mode tcp
                timeout connect 1s
                timeout client 5s
                timeout server 5s
                timeout check 500ms
            frontend fe
                bind 127.0.0.1:\(frontend)
                default_backend redis
            backend redis
                option tcp-check
                tcp-check connect
                tcp-check send PING\\r\\n
                tcp-check expect string +PONG
                tcp-check send info\\ replication\\r\\n
                tcp-check expect string role:master
                tcp-check send QUIT\\r\\n
                tcp-check expect string +OK
                default-server inter 200 rise 1 fall 1 on-marked-down shutdown-sessions
                server r1 127.0.0.1:\(first.port) check
                server r2 127.0.0.1:\(second.port) check

            """, readyPort: frontend)
        defer { ordrel.stop() }
        func statuses() throws -> [String] {
            let rows = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: "show stat\n").stdout
            return rows.split(separator: "\n").filter { $0.hasPrefix("redis,r") }.map { row in
                let cells = row.split(separator: ",", omittingEmptySubsequences: false)
                return "\(cells[1]) \(cells[17]) \(cells[36].replacingOccurrences(of: "* ", with: ""))"
            }
        }
        let replicaDown = try waitUntil(10) { try statuses() == ["r1 UP L7OK", "r2 DOWN L7TOUT"] }
        XCTAssertTrue(replicaDown, "\((try? statuses()) ?? [])")
        XCTAssertTrue(try redisRole(through: frontend) == "master")

        XCTAssertEqual(try second.command("REPLICAOF NO ONE"), "+OK")
        XCTAssertEqual(try first.command("REPLICAOF 127.0.0.1 \(second.port)"), "+OK")
        let flipped = try waitUntil(10) { try statuses() == ["r1 DOWN L7TOUT", "r2 UP L7OK"] }
        XCTAssertTrue(flipped, "\((try? statuses()) ?? [])")
        XCTAssertTrue(try redisRole(through: frontend) == "master")
        XCTAssertTrue(ordrel.stderrText.contains("Server redis/r1 is DOWN, reason: Layer7 timeout, info: \" at step 5 of tcp-check (expect string 'role:master')\""),
                      ordrel.stderrText)
    }

    /// `role:` of the Redis that a new connection through ordrel reaches.
    private func redisRole(through port: UInt16) throws -> String {
        let reply = try RedisServer.command("INFO replication", port: port)
        let role = reply.split(separator: "\r\n").first { $0.hasPrefix("role:") }
        return role.map { String($0.dropFirst(5)) } ?? reply
    }

    /// `option pgsql-check` against a throwaway PostgreSQL cluster: an accepted user passes, one
    /// that pg_hba.conf rejects gets the server's FATAL, as with haproxy.
    func testPgsqlCheckAgainstPostgreSQL() throws {
        let postgres = try PostgresCluster()
        defer { postgres.stop() }
        let pair = try CheckDaemonPair(config: """
            global
                stats socket @SOCKET@ mode 600 level admin
            defaults
                mode tcp
                timeout connect 1s
                timeout client 5s
                timeout server 5s
                default-server inter 250 rise 1 fall 1
            frontend fe
                bind 127.0.0.1:@PORT@
                default_backend pg
            backend pg
                option pgsql-check user postgres
                server db 127.0.0.1:\(postgres.port) check
            backend pg_ghost
                option pgsql-check user ghost
                server db 127.0.0.1:\(postgres.port) check

            """)
        defer { pair.stop() }
        var rows: [Side: [String: [String]]] = [:]
        let agreed = try waitUntil(10) {
            for side in Side.allCases { rows[side] = try pair.servers(side).mapValues(checkColumns) }
            return rows[.ordrel] == rows[.haproxy] && rows[.ordrel]?["pg_ghost/db"]?[0] == "DOWN"
        }
        XCTAssertTrue(agreed, "ordrel \(rows[.ordrel] ?? [:]) haproxy \(rows[.haproxy] ?? [:])")
        XCTAssertEqual(rows[.ordrel]?["pg/db"], ["UP", "L7OK", "0", "Layer7 check passed", "PostgreSQL server is ok"])
        XCTAssertEqual(rows[.ordrel]?["pg_ghost/db"], ["DOWN", "L7RSP", "", "Layer7 invalid response", "FATAL"])
    }

    /// The Patroni pattern: `OPTIONS /master` answers 200 on the primary and 503 on the replica.
    /// After the flip the old primary goes DOWN within fall × inter + timeout, new connections
    /// reach the new primary, and the streams held on the old one are shut.
    func testPatroniFailover() throws {
        let primaryIsFirst = Locked(true)
        let rest1 = try ScriptedPeer.http(status: { primaryIsFirst.withLock { $0 } ? (200, "OK") : (503, "Service Unavailable") })
        let rest2 = try ScriptedPeer.http(status: { primaryIsFirst.withLock { $0 } ? (503, "Service Unavailable") : (200, "OK") })
        let pg1 = try TestBackend(.greetThenEcho(Array("pg1\n".utf8)))
        let pg2 = try TestBackend(.greetThenEcho(Array("pg2\n".utf8)))
        defer { [rest1, rest2].forEach { $0.stop() }; [pg1, pg2].forEach { $0.stop() } }
        let frontend = try TestSocket.unusedPort()
        let (inter, fall, timeout) = (300, 3, 1000)
        let ordrel = try OrdrelProcess(config: """
            defaults
                mode tcp
                timeout connect 1s
                timeout client 30s
                timeout server 30s
                timeout check \(timeout)ms
            listen postgres_primary
                bind 127.0.0.1:\(frontend)
                option httpchk OPTIONS /master
                http-check expect status 200
                default-server inter \(inter) fall \(fall) rise 2 on-marked-down shutdown-sessions
                server pg1 127.0.0.1:\(pg1.port) maxconn 100 check port \(rest1.port)
                server pg2 127.0.0.1:\(pg2.port) maxconn 100 check port \(rest2.port)

            """, readyPort: frontend)
        defer { ordrel.stop() }
        XCTAssertTrue(waitUntil(10) { ordrel.stderrText.contains("Server postgres_primary/pg2 is DOWN, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\"") },
                      ordrel.stderrText)

        let held = try TestSocket.connect(port: frontend)
        defer { close(held) }
        TestSocket.setReceiveTimeout(held, seconds: 10)
        XCTAssertEqual(TestSocket.read(held, count: 4), Array("pg1\n".utf8))

        let flipped = Date()
        primaryIsFirst.withLock { $0 = false }
        XCTAssertTrue(waitUntil(10) { ordrel.stderrText.contains("Server postgres_primary/pg1 is DOWN") }, ordrel.stderrText)
        let elapsed = Date().timeIntervalSince(flipped)
        XCTAssertLessThan(elapsed, Double(fall * inter + timeout) / 1000 + 1.0, "DOWN within fall x inter + timeout (loose bound)")
        XCTAssertTrue(ordrel.stderrText.contains("Server postgres_primary/pg1 is DOWN, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\""))

        var byte: UInt8 = 0
        XCTAssertLessThanOrEqual(recv(held, &byte, 1, 0), 0, "the stream held on the old primary is shut")
        XCTAssertTrue(waitUntil(10) { ordrel.stderrText.contains("Server postgres_primary/pg2 is UP") }, ordrel.stderrText)
        let fresh = try TestSocket.connect(port: frontend)
        defer { close(fresh) }
        TestSocket.setReceiveTimeout(fresh, seconds: 10)
        XCTAssertEqual(TestSocket.read(fresh, count: 4), Array("pg2\n".utf8), "a new connection reaches the new primary")
    }
}

/// A throwaway `redis-server` on a free port, no persistence.
private final class RedisServer {
    let port: UInt16
    private let process = Process()

    init(binary: String) throws {
        port = try TestSocket.unusedPort()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard waitUntil(10, { TestSocket.isListening(port: port) }) else {
            throw TestSocket.Failure(description: "redis-server did not start on \(port)")
        }
    }

    func command(_ text: String) throws -> String {
        try Self.command(text, port: port).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Sends one inline command and returns what arrives within a short quiet period.
    static func command(_ text: String, port: UInt16) throws -> String {
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 0.5)
        try TestSocket.sendAll(fd, Array("\(text)\r\nQUIT\r\n".utf8))
        let reply = String(decoding: TestSocket.readAll(fd).bytes, as: UTF8.self)
        return reply.hasSuffix("+OK\r\n") ? String(reply.dropLast(5)) : reply
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

/// A throwaway PostgreSQL cluster (initdb + pg_ctl, no systemd) on a free port, trust
/// authentication; run as `nobody` when the tests run as root, since PostgreSQL refuses root.
private final class PostgresCluster {
    let port: UInt16
    private let directory = TemporaryDirectory()
    private let bin: String
    private let asUser: [String]

    init() throws {
        let candidates = ["/usr/local/bin", "/usr/bin"] + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin" }
        guard let bin = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }) else {
            throw XCTSkip("PostgreSQL is not installed (apt-get install postgresql)")
        }
        self.bin = bin
        port = try TestSocket.unusedPort()
        asUser = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "nobody", "--"] : []
        if getuid() == 0 { _ = try runCommand("/bin/chown", ["nobody", directory.path]) }
        try run(bin + "/initdb", ["-D", directory.path + "/data", "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"])
        // `ghost` is turned away by pg_hba.conf, so its StartupMessage gets an ErrorResponse.
        let hba = directory.path + "/data/pg_hba.conf"
        let rules = (try? String(contentsOfFile: hba, encoding: .utf8)) ?? ""
        try ("host all ghost 127.0.0.1/32 reject\n" + rules).write(toFile: hba, atomically: false, encoding: .utf8)
        try run(bin + "/pg_ctl", ["-D", directory.path + "/data", "-l", directory.path + "/log", "-w", "-t", "30", "-o",
                                  "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off", "start"])
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        // posix_spawn with output to a file: pg_ctl leaves a postmaster behind, which would
        // keep a pipe open for ever.
        let command = asUser.isEmpty ? (tool, arguments) : (asUser[0], Array(asUser.dropFirst()) + [tool] + arguments)
        let log = directory.path + "/commands.log"
        let status = spawnAndWait(command.0, command.1, logPath: log)
        guard status == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw TestSocket.Failure(description: "\(tool) failed (\(status)): \(output)")
        }
    }

    func stop() {
        try? run(bin + "/pg_ctl", ["-D", directory.path + "/data", "-m", "immediate", "-w", "stop"])
    }
}

/// Bytes from a hex string as the vtc scripts write them.
private func bytes(hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    return stride(from: 0, to: digits.count - 1, by: 2).map { UInt8(String(decoding: digits[$0...($0 + 1)], as: UTF8.self), radix: 16)! }
}
