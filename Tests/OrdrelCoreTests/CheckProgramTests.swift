import OrdrelConfig
import XCTest

@testable import OrdrelCore

/// The check rule engine without sockets: configuration lines in, steps and verdicts out. Expected
/// messages are haproxy 2.6's (tcpcheck.c, check.c); the differential integration test compares
/// the same configurations with the real haproxy.
final class CheckProgramTests: XCTestCase {
    /// The rule set of a backend whose body is `lines`.
    private func ruleSet(_ lines: String, file: StaticString = #filePath, line: UInt = #line) throws -> CompiledCheckRules {
        let text = "backend be\n" + lines + "\n    server s1 127.0.0.1:1 check\n"
        let parsed = try ConfigParser.parse(text: text, file: "t.cfg")
        let proxy = try XCTUnwrap(parsed.configuration.proxies.first, file: file, line: line)
        return CompiledCheckRules(proxy.healthCheck, disableOn404: proxy.httpCheckDisableOn404)
    }

    private func program(_ lines: String, serverIsDown: Bool = false, bufferSize: Int = 16384) throws -> CheckProgram {
        CheckProgram(try ruleSet(lines), serverIsDown: serverIsDown, bufferSize: bufferSize, unixTime: 0x01020304)
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    // MARK: connect-only checks

    func testPlainCheckIsOneImplicitConnect() throws {
        var check = try program("")
        XCTAssertEqual(check.start(), [.connect(CheckConnect(implicit: true))])
        XCTAssertEqual(check.connectFailed(reason: "Connection refused"), CheckVerdict(.layer4ConnectionProblem, info: "Connection refused"))
        XCTAssertEqual(check.timedOut(), CheckVerdict(.layer4Timeout))
        XCTAssertEqual(check.connected(), [.finish(CheckVerdict(.layer4OK))])
    }

    func testEmptyTCPCheckIsAConnectCheckWithTCPCheckMessages() throws {
        var check = try program("    option tcp-check")
        XCTAssertEqual(check.start(), [.connect(CheckConnect(implicit: true))])
        XCTAssertEqual(check.connectFailed(reason: "Connection refused"),
                       CheckVerdict(.layer4ConnectionProblem, info: "Connection refused at initial connection step of tcp-check"))
        XCTAssertEqual(check.timedOut().info, " at initial connection step of tcp-check")
        XCTAssertEqual(check.connected(), [.finish(CheckVerdict(.layer4OK))])
    }

    func testExplicitConnectReportsTCPCheckAndItsPort() throws {
        var check = try program("    option tcp-check\n    tcp-check connect port 6379 linger")
        XCTAssertEqual(check.start(), [.connect(CheckConnect(port: 6379, linger: true))])
        XCTAssertEqual(check.timedOut(), CheckVerdict(.layer4Timeout, info: " at step 1 of tcp-check (connect port 6379)"))
        XCTAssertEqual(check.connected(), [.finish(CheckVerdict(.layer4OK, info: "(tcp-check)"))])
    }

    // MARK: expect kinds

    /// The Redis Sentinel pattern: two exchanges on one connection.
    func testRedisMasterPattern() throws {
        let rules = """
                option tcp-check
                tcp-check send PING\\r\\n
                tcp-check expect string +PONG
                tcp-check send info\\ replication\\r\\n
                tcp-check expect string role:master
                tcp-check send QUIT\\r\\n
                tcp-check expect string +OK
            """
        var check = try program(rules)
        XCTAssertEqual(check.start(), [.connect(CheckConnect(implicit: true))])
        XCTAssertEqual(check.connected(), [.send(bytes("PING\r\n")), .receive])
        XCTAssertEqual(check.received(bytes("+PO"), closed: false), [.receive], "partial read: waits for the whole pattern")
        XCTAssertEqual(check.received(bytes("NG\r\n"), closed: false), [.send(bytes("info replication\r\n")), .receive])
        XCTAssertEqual(check.received(bytes("$100\r\n# Replication\r\nrole:slave\r\n"), closed: false), [.receive],
                       "no match and no min-recv: waits for more")
        XCTAssertEqual(check.received([], closed: true),
                       [.finish(CheckVerdict(.layer7Response, info: "TCPCHK did not match content 'role:master' at step 4"))])

        var master = try program(rules)
        _ = master.start()
        _ = master.connected()
        _ = master.received(bytes("+PONG\r\n"), closed: false)
        XCTAssertEqual(master.received(bytes("role:master\r\n"), closed: false), [.send(bytes("QUIT\r\n")), .receive])
        XCTAssertEqual(master.received(bytes("+OK\r\n"), closed: true), [.finish(CheckVerdict(.layer7OK, info: "(tcp-check)"))])
    }

    func testNegatedStringFailsOnMatchAndPassesAtTheEnd() throws {
        let rules = "    option tcp-check\n    tcp-check expect ! string ERR"
        var bad = try program(rules)
        _ = bad.start()
        XCTAssertEqual(bad.connected(), [.receive])
        XCTAssertEqual(bad.received(bytes("-ERR x"), closed: false),
                       [.finish(CheckVerdict(.layer7Response, info: "TCPCHK matched unwanted content 'ERR' at step 1"))])
        var good = try program(rules)
        _ = good.start()
        _ = good.connected()
        XCTAssertEqual(good.received(bytes("+OK"), closed: false), [.receive], "no match yet is not conclusive")
        XCTAssertEqual(good.received([], closed: true), [.finish(CheckVerdict(.layer7OK, info: "(tcp-check)"))])
    }

    func testRegexBinaryAndBinaryRegex() throws {
        var regex = try program("    option tcp-check\n    tcp-check expect rstring ^[0-9]{3}\\ ready")
        _ = regex.start()
        _ = regex.connected()
        XCTAssertEqual(regex.received(bytes("220 ready\r\n"), closed: false), [.finish(CheckVerdict(.layer7OK, info: "(tcp-check)"))])

        var binary = try program("    option tcp-check\n    tcp-check send-binary 0102\n    tcp-check expect binary 0A0B")
        _ = binary.start()
        XCTAssertEqual(binary.connected(), [.send([1, 2]), .receive])
        XCTAssertEqual(binary.received([0x00, 0x0A], closed: false), [.receive])
        XCTAssertEqual(binary.received([0x0B], closed: false), [.finish(CheckVerdict(.layer7OK, info: "(tcp-check)"))])

        var hex = try program("    option tcp-check\n    tcp-check expect rbinary ^0A(0B|0C) comment hello")
        _ = hex.start()
        _ = hex.connected()
        XCTAssertEqual(hex.received([0x0A, 0x0D], closed: true),
                       [.finish(CheckVerdict(.layer7Response, info: "TCPCHK did not match content (binary regex) at step 1 comment: hello"))])
    }

    /// With `min-recv` a mismatch is conclusive once enough bytes are in.
    func testMinRecvMakesAMismatchConclusive() throws {
        var check = try program("    option tcp-check\n    tcp-check expect min-recv 4 rstring ^OK")
        _ = check.start()
        _ = check.connected()
        XCTAssertEqual(check.received(bytes("NO"), closed: false), [.receive])
        XCTAssertEqual(check.received(bytes("PE"), closed: false),
                       [.finish(CheckVerdict(.layer7Response, info: "TCPCHK did not match content (regex) at step 1"))])
    }

    /// A full buffer ends the wait as an end of stream would.
    func testFullBufferIsTheLastRead() throws {
        var check = try program("    option tcp-check\n    tcp-check expect string never", bufferSize: 8)
        _ = check.start()
        _ = check.connected()
        XCTAssertEqual(check.received(bytes("0123456789"), closed: false).count, 1)
    }

    func testStatusesMessagesAndTimeouts() throws {
        let rules = """
                option tcp-check
                tcp-check comment greeting
                tcp-check expect string hello error-status L7STS on-error failed\\ greeting tout-status L6TOUT
                tcp-check expect string there ok-status L6OK on-success all\\ good
            """
        var check = try program(rules)
        _ = check.start()
        XCTAssertEqual(check.connected(), [.receive])
        XCTAssertEqual(check.timedOut(), CheckVerdict(.layer6Timeout, info: " at step 2 of tcp-check (expect string 'hello') comment: 'greeting'"))
        XCTAssertEqual(check.received(bytes("hello th"), closed: false), [.receive])
        XCTAssertEqual(check.timedOut().result, .layer6Timeout, "a waiting chain of expects restarts at its first rule, as in haproxy")
        XCTAssertEqual(check.received(bytes("ere"), closed: false), [.finish(CheckVerdict(.layer6OK, info: "all good"))])

        var failing = try program(rules)
        _ = failing.start()
        _ = failing.connected()
        XCTAssertEqual(failing.received(bytes("bye"), closed: true),
                       [.finish(CheckVerdict(.layer7WrongStatus, info: "failed greeting comment: greeting"))])
    }

    func testEmptyResponseAndReset() throws {
        var check = try program("    option tcp-check\n    tcp-check send x\n    tcp-check expect string y")
        _ = check.start()
        _ = check.connected()
        XCTAssertTrue(check.hasNoResponse)
        XCTAssertEqual(check.socketError(reason: "Connection reset by peer"),
                       CheckVerdict(.socketError, info: "Connection reset by peer at step 2 of tcp-check (expect string 'y')"))
        XCTAssertEqual(check.received([], closed: true),
                       [.finish(CheckVerdict(.layer7Response, info: "TCPCHK got an empty response at step 2"))])
    }

    func testSecondConnectStartsAFreshBuffer() throws {
        var check = try program("""
                option tcp-check
                tcp-check connect port 1001
                tcp-check expect string a
                tcp-check connect port 1002 send-proxy
                tcp-check expect string b
            """)
        XCTAssertEqual(check.start(), [.connect(CheckConnect(port: 1001))])
        XCTAssertEqual(check.connected(), [.receive])
        XCTAssertEqual(check.received(bytes("ab"), closed: false), [.connect(CheckConnect(port: 1002, sendProxy: true))])
        XCTAssertEqual(check.connected(), [.receive], "the old bytes are gone")
        XCTAssertEqual(check.received(bytes("b"), closed: false), [.finish(CheckVerdict(.layer7OK, info: "(tcp-check)"))])
    }

    // MARK: HTTP

    func testPatroniPatternStatus() throws {
        let rules = "    option httpchk OPTIONS /master\n    http-check expect status 200"
        var primary = try program(rules)
        _ = primary.start()
        XCTAssertEqual(primary.connected(), [.send(bytes("OPTIONS /master HTTP/1.0\r\n\r\n")), .receive])
        XCTAssertEqual(primary.received(bytes("HTTP/1.0 200 OK\r\nContent-Le"), closed: false), [.receive], "headers incomplete")
        XCTAssertEqual(primary.received(bytes("ngth: 2\r\n\r\n"), closed: false), [.finish(CheckVerdict(.layer7OK, code: 200))])

        var replica = try program(rules)
        _ = replica.start()
        _ = replica.connected()
        XCTAssertEqual(replica.received(bytes("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n"), closed: false),
                       [.finish(CheckVerdict(.layer7WrongStatus, code: 503, info: "Service Unavailable"))])
        XCTAssertEqual(replica.timedOut(), CheckVerdict(.layer7Timeout), "no step text outside option tcp-check")
    }

    func testHTTPDefaultExpectationAndSendMerge() throws {
        var check = try program("""
                option httpchk GET /health HTTP/1.1\\r\\nHost:\\ example.com
                http-check send hdr X-A b body hi
            """)
        _ = check.start()
        XCTAssertEqual(check.connected(), [.send(bytes("GET /health HTTP/1.1\r\nx-a: b\r\ncontent-length: 2\r\nconnection: close\r\n\r\nhi")), .receive])
        XCTAssertEqual(check.received(bytes("HTTP/1.1 302 Found\r\n\r\n"), closed: false), [.finish(CheckVerdict(.layer7OK, code: 302))])

        var failing = try program("    option httpchk")
        _ = failing.start()
        XCTAssertEqual(failing.connected(), [.send(bytes("OPTIONS / HTTP/1.0\r\n\r\n")), .receive])
        XCTAssertEqual(failing.received(bytes("HTTP/1.0 404 Not Found\r\n\r\n"), closed: true),
                       [.finish(CheckVerdict(.layer7WrongStatus, code: 404, info: "Not Found"))])
    }

    func testHTTPBodyExpectations() throws {
        let chunked = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\nrole\r\n7\r\n:master\r\n0\r\n\r\n"
        var body = try program("    option httpchk GET /\n    http-check expect string role:master")
        _ = body.start()
        _ = body.connected()
        XCTAssertEqual(body.received(Array(bytes(chunked).prefix(60)), closed: false), [.receive])
        XCTAssertEqual(body.received(Array(bytes(chunked).dropFirst(60)), closed: false), [.finish(CheckVerdict(.layer7OK, code: 200))])

        var negated = try program("    option httpchk GET /\n    http-check expect ! rstring ^maint")
        _ = negated.start()
        _ = negated.connected()
        XCTAssertEqual(negated.received(bytes("HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\nmaintenance"), closed: false),
                       [.finish(CheckVerdict(.layer7Response, code: 200, info: "HTTP check matched unwanted content"))])

        var empty = try program("    option httpchk GET /\n    http-check expect string x")
        _ = empty.start()
        _ = empty.connected()
        XCTAssertEqual(empty.received(bytes("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"), closed: false),
                       [.finish(CheckVerdict(.layer7Response, code: 200, info: "HTTP content check could not find a response body"))])

        var cut = try program("    option httpchk GET /\n    http-check expect string role:master")
        _ = cut.start()
        _ = cut.connected()
        XCTAssertEqual(cut.received(bytes("HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\nrole"), closed: true, error: "Connection reset by peer"),
                       [.finish(CheckVerdict(.socketError, info: "Connection reset by peer"))], "a message cut by a reset is a connection error")
        var finished = try program("    option httpchk GET /\n    http-check expect string role:master")
        _ = finished.start()
        _ = finished.connected()
        XCTAssertEqual(finished.received(bytes("HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\nrole"), closed: true),
                       [.finish(CheckVerdict(.layer7Response, code: 200, info: "HTTP content check did not match"))], "cut by a FIN: judged")
        var reset = try program("    option httpchk")
        _ = reset.start()
        _ = reset.connected()
        XCTAssertEqual(reset.received([], closed: true, error: "Connection reset by peer"),
                       [.finish(CheckVerdict(.socketError, info: "Connection reset by peer"))])
        var silentClose = try program("    option httpchk")
        _ = silentClose.start()
        _ = silentClose.connected()
        XCTAssertEqual(silentClose.received([], closed: true),
                       [.finish(CheckVerdict(.layer7Response, info: "TCPCHK got an empty response at step 2"))])
        var closeDelimited = try program("    option httpchk GET /\n    http-check expect string fine")
        _ = closeDelimited.start()
        _ = closeDelimited.connected()
        XCTAssertEqual(closeDelimited.received(bytes("HTTP/1.0 200 OK\r\n\r\nall fine"), closed: true),
                       [.finish(CheckVerdict(.layer7OK, code: 200))], "a body without length ends with the stream")

        var forged = try program("    option httpchk GET /\n    http-check expect string x")
        _ = forged.start()
        _ = forged.connected()
        XCTAssertEqual(forged.received(bytes("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n7fffffffffffffff\r\nab"), closed: false),
                       [.receive], "a forged chunk size waits for bytes that never come, it does not overflow")

        var garbage = try program("    option httpchk")
        _ = garbage.start()
        _ = garbage.connected()
        XCTAssertEqual(garbage.received(bytes("SSH-2.0\r\n"), closed: false), [.finish(CheckVerdict(.layer7Response))])
    }

    func testDisableOn404() throws {
        let rules = "    option httpchk\n    http-check disable-on-404\n    http-check expect status 200"
        var up = try program(rules)
        _ = up.start()
        _ = up.connected()
        XCTAssertEqual(up.received(bytes("HTTP/1.0 404 Not Found\r\n\r\n"), closed: true),
                       [.finish(CheckVerdict(.layer7OKConditional, code: 404))])
        var down = try program(rules, serverIsDown: true)
        _ = down.start()
        _ = down.connected()
        XCTAssertEqual(down.received(bytes("HTTP/1.0 404 Not Found\r\n\r\n"), closed: true),
                       [.finish(CheckVerdict(.layer7WrongStatus, code: 404, info: "Not Found"))])
    }

    // MARK: protocol checks

    /// Bytes from haproxy 2.6's reg-tests/checks/{mysql,ldap,smtp}-check.vtc.
    func testProtocolChecks() throws {
        var redis = try program("    option redis-check")
        _ = redis.start()
        XCTAssertEqual(redis.connected(), [.send(bytes("*1\r\n$4\r\nPING\r\n")), .receive])
        XCTAssertEqual(redis.received(bytes("-LOADING Redis is loading\r\n"), closed: false), [.receive], "no min-recv: waits")
        XCTAssertEqual(redis.received([], closed: true),
                       [.finish(CheckVerdict(.layer7WrongStatus, info: "-LOADING Redis is loading"))])

        var smtp = try program("    option smtpchk EHLO example.org")
        XCTAssertEqual(smtp.start(), [.connect(CheckConnect(linger: true))])
        XCTAssertEqual(smtp.connected(), [.receive])
        XCTAssertEqual(smtp.received(bytes("220 mail ESMTP\r\n"), closed: false), [.send(bytes("EHLO example.org\r\n")), .receive])
        XCTAssertEqual(smtp.received(bytes("250-mail Hello\r\n250 OK\r\n"), closed: false),
                       [.finish(CheckVerdict(.layer7OK, code: 250, info: "mail Hello"))])
        var busy = try program("    option smtpchk")
        _ = busy.start()
        _ = busy.connected()
        XCTAssertEqual(busy.received(bytes("421 busy\r\n"), closed: false), [.finish(CheckVerdict(.layer7WrongStatus, code: 421, info: "busy"))])

        var mysql = try program("    option mysql-check user haproxy")
        _ = mysql.start()
        let steps = mysql.connected()
        XCTAssertEqual(steps.count, 2)
        XCTAssertEqual(steps.first, .send(hexBytes("29000001008200000080000121" + String(repeating: "00", count: 23) +
                                                   "686170726f7879" + "0000" + "0100000001")!))
        let handshake = hexBytes("4A0000000A382E302E3139000A0000006F3C025E6249410D00FFFFFF0200FFC715000000000000000000007C182159106E2761144322200063616368696E675F736861325F70617373776F726400")!
        XCTAssertEqual(mysql.received(handshake, closed: false), [.receive])
        XCTAssertEqual(mysql.received(hexBytes("0700000200000002000000")!, closed: false), [.finish(CheckVerdict(.layer7OK, interimInfo: "8.0.19"))])
        var refused = try program("    option mysql-check user haproxy")
        _ = refused.start()
        _ = refused.connected()
        let error = hexBytes("67000002FFE304436C69656E7420646F6573206E6F7420737570706F72742061757468656E7469636174696F6E2070726F746F636F6C20726571756573746564206279207365727665723B20636F6E736964657220757067726164696E67204D7953514C20636C69656E74")!
        XCTAssertEqual(refused.received(handshake + error, closed: false),
                       [.finish(CheckVerdict(.layer7WrongStatus, code: 1251,
                                             info: "Client does not support authentication protocol requested by server; consider upgrading MySQL client"))])

        var ldap = try program("    option ldap-check")
        _ = ldap.start()
        XCTAssertEqual(ldap.connected(), [.send(hexBytes("300C020101600702010304008000")!), .receive])
        XCTAssertEqual(ldap.received(hexBytes("300C02010161070A010004000400")!, closed: false), [.finish(CheckVerdict(.layer7OK, interimInfo: "Success"))])
        var notLDAP = try program("    option ldap-check")
        _ = notLDAP.start()
        _ = notLDAP.connected()
        XCTAssertEqual(notLDAP.received(hexBytes("300C02010160070A010004000400")!, closed: false),
                       [.finish(CheckVerdict(.layer7Response, info: "Not LDAPv3 protocol"))])
        var ldapError = try program("    option ldap-check")
        _ = ldapError.start()
        _ = ldapError.connected()
        XCTAssertEqual(ldapError.received(hexBytes("308400000010020101618400000007")!, closed: false), [.receive], "4-byte length, partial")
        XCTAssertEqual(ldapError.received(hexBytes("0A010104000400")!, closed: false),
                       [.finish(CheckVerdict(.layer7WrongStatus, code: 1, info: "See RFC: http://tools.ietf.org/html/rfc4511#section-4.1.9"))])

        var ssl = try program("    option ssl-hello-chk")
        _ = ssl.start()
        let hello = ssl.connected()
        guard case .send(let record) = hello.first else { return XCTFail("no hello sent") }
        XCTAssertEqual(record.count, 5 + 0x79)
        XCTAssertEqual(Array(record[11..<15]), [1, 2, 3, 4], "the time field")
        XCTAssertEqual(ssl.received([0x15, 0x03, 0x00, 0x00, 0x02, 0x02, 0x28], closed: false), [.finish(CheckVerdict(.layer6OK))])
    }

    /// Arbitrary answers in arbitrary pieces (seeded, so the run is the same each time): every
    /// rule set ends in one verdict or keeps waiting, and never traps on what a server sends.
    func testArbitraryAnswersNeverTrap() throws {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        let prefixes: [[UInt8]] = [bytes("HTTP/1.1 200 OK\r\n"), [0x30, 0x84], [0x4A, 0, 0, 0, 0x0A], bytes("220 "), [0x52, 0, 0, 0], []]
        for lines in ["    option httpchk", "    option ldap-check", "    option mysql-check user u", "    option smtpchk",
                      "    option pgsql-check user u", "    option redis-check", "    option ssl-hello-chk",
                      "    option tcp-check\n    tcp-check expect rbinary ^0A\n    tcp-check expect string x"] {
            for _ in 0..<100 {
                var check = try program(lines, bufferSize: 512)
                var steps = check.start() + check.connected()
                var answer = prefixes[next(prefixes.count)]
                answer += (0..<next(600)).map { _ in UInt8(next(256)) }
                var offset = 0
                while offset < answer.count, steps.last == .receive {
                    let piece = min(answer.count - offset, 1 + next(64))
                    let last = offset + piece == answer.count
                    steps = check.received(Array(answer[offset..<(offset + piece)]), closed: last && next(2) == 0)
                    offset += piece
                }
                let finishes = steps.filter { if case .finish = $0 { true } else { false } }
                XCTAssertLessThanOrEqual(finishes.count, 1, lines)
                XCTAssertTrue(finishes.count == 1 || steps.last == .receive, "\(lines): \(steps)")
            }
        }
    }

    func testPgsqlStartupAndAnswers() throws {
        var check = try program("    option pgsql-check user postgres")
        XCTAssertEqual(check.start(), [.connect(CheckConnect(linger: true))])
        XCTAssertEqual(check.connected(), [.send([0, 0, 0, 23, 0, 3, 0, 0] + bytes("user") + [0] + bytes("postgres") + [0, 0]), .receive])
        XCTAssertEqual(check.received([0x52, 0, 0, 0, 8, 0, 0, 0, 0], closed: false),
                       [.finish(CheckVerdict(.layer7OK, info: "PostgreSQL server is ok"))])
        var rejected = try program("    option pgsql-check user nobody")
        _ = rejected.start()
        _ = rejected.connected()
        XCTAssertEqual(rejected.received(bytes("E\0\0\0\u{50}SFATAL\0VFATAL\0C28000\0Mrole \"nobody\" does not exist\0\0"), closed: true),
                       [.finish(CheckVerdict(.layer7Response, info: "FATAL"))])
    }
}
