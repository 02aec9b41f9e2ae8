import XCTest
@testable import OrdrelConfig

/// Health-check keywords: what haproxy 2.6 accepts builds haproxy's rule set; what ordrel does
/// not implement is refused with file:line and why; malformed lines are refused as haproxy does.
final class CheckConfigTests: XCTestCase {
    private func healthCheck(_ lines: String, line: UInt = #line) -> CheckRuleSet? {
        parseOK(quietDefaults + "backend be\n" + lines + "\n    server s1 127.0.0.1:1 check\n", line: line)?
            .configuration.proxies.first?.healthCheck
    }

    func testNoOptionIsThePlainConnectCheck() {
        XCTAssertNil(healthCheck(""))
        XCTAssertEqual(healthCheck("    option tcp-check"),
                       CheckRuleSet(proto: .tcp, rules: [CheckRule(.connect(CheckConnect(implicit: true)), index: 0)]))
    }

    /// Indexes count every line (comments too) so "at step N" names the line; a comment names
    /// the rules after it until the kind of rule changes.
    func testTCPCheckRulesIndexesAndComments() {
        let set = healthCheck("""
                option tcp-check
                tcp-check comment hello
                tcp-check send PING\\r\\n
                tcp-check send-binary 0D0A
                tcp-check expect ! string -ERR min-recv 3 error-status L7STS on-error bad\\ answer
                tcp-check send-lf 100%%
            """)
        XCTAssertEqual(set?.rules.map(\.step), [0, 2, 3, 4, 5])
        XCTAssertEqual(set?.rules.map(\.comment), [nil, "hello", "hello", nil, nil])
        var expect = CheckExpect(.string(Array("-ERR".utf8)))
        expect.inverse = true
        expect.minRecv = 3
        expect.errorStatus = .L7STS
        expect.onError = .text("bad answer")
        XCTAssertEqual(set?.rules[3].action, .expect(expect))
        XCTAssertEqual(set?.rules[2].action, .send(.bytes([0x0D, 0x0A])))
        XCTAssertEqual(set?.rules[4].action, .send(.bytes(Array("100%".utf8))))
    }

    func testRulesComeFromDefaultsUntilTheSectionWritesItsOwn() {
        let text = quietDefaults + """
            defaults checks
                mode tcp
                timeout connect 1s
                timeout client 1s
                timeout server 1s
                option tcp-check
                tcp-check send A
            backend inherits
                server s1 127.0.0.1:1 check
            backend own
                tcp-check send B
                server s1 127.0.0.1:1 check

            """
        let proxies = parseOK(text)?.configuration.proxies ?? []
        XCTAssertEqual(proxies.map { $0.healthCheck?.rules.last?.action }, [.send(.bytes([0x41])), .send(.bytes([0x42]))])
    }

    /// `option httpchk`'s request merges into the first `http-check send`; a final send gets
    /// the implicit `expect status 200-399`.
    func testHTTPCheckRequestAndImplicitExpect() {
        let set = healthCheck("""
                option httpchk GET /health HTTP/1.1
                http-check send hdr Host example.com
            """)
        var request = HTTPCheckRequest()
        request.method = "GET"
        request.uri = "/health"
        request.version = "HTTP/1.1"
        request.headers = [("Host", "example.com")]
        XCTAssertEqual(set?.proto, .http)
        XCTAssertEqual(set?.rules.map(\.action), [.connect(CheckConnect(implicit: true)), .send(.http(request)),
                                                   .expect(CheckExpect(.httpStatus([200...399])))])
        XCTAssertEqual(String(decoding: request.wireBytes, as: UTF8.self),
                       "GET /health HTTP/1.1\r\nhost: example.com\r\nconnection: close\r\n\r\n")
        XCTAssertEqual(healthCheck("    option httpchk /ping")?.rules[1].action, .send(.http({
            var ping = HTTPCheckRequest()
            ping.uri = "/ping"
            return ping
        }())))
    }

    func testProtocolOptionsAreHaproxysRuleSets() {
        XCTAssertEqual(healthCheck("    option redis-check"), CheckPresets.redis)
        XCTAssertEqual(healthCheck("    option pgsql-check user pg")?.proto, .pgsql)
        XCTAssertEqual(healthCheck("    option mysql-check")?.rules.count, 2)
        XCTAssertEqual(healthCheck("    option mysql-check user u pre-41")?.rules.count, 4)
        XCTAssertEqual(healthCheck("    option smtpchk")?.rules[3].action, .send(.bytes(Array("HELO localhost\r\n".utf8))))
        XCTAssertEqual(healthCheck("    option smtpchk EHLO mx.example")?.rules[3].action, .send(.bytes(Array("EHLO mx.example\r\n".utf8))))
        XCTAssertEqual(healthCheck("    option ldap-check")?.proto, .ldap)
        XCTAssertEqual(healthCheck("    option ssl-hello-chk")?.rules[1].action, .send(.sslv3ClientHello))
        XCTAssertEqual(healthCheck("    option tcp-check\n    option redis-check"), CheckPresets.redis, "the last option wins")
    }

    func testMalformedCheckLines() {
        let text = quietDefaults + """
            backend be
                option tcp-check
                tcp-check send
                tcp-check send-binary 5G
                tcp-check expect
                tcp-check expect string
                tcp-check expect foo bar
                tcp-check expect error-status L9 string a
                tcp-check bogus
                tcp-check connect port 0
                tcp-check expect rstring (
                option pgsql-check
                option mysql-check user u post-99
                http-check expect status abc
                server s1 127.0.0.1:1 check
            backend late_connect
                option tcp-check
                tcp-check send x
                tcp-check connect
                server s1 127.0.0.1:1 check

            """
        let lines = diagnostics(text).filter { $0.severity == .alert }.map { $0.location?.line ?? 0 }
        XCTAssertEqual(lines, [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 23])
    }

    /// As haproxy: check lines and options in a frontend are ignored with a warning.
    func testCheckKeywordsInAFrontendWarn() {
        let text = quietDefaults + """
            frontend fe
                bind :1
                option httpchk
                tcp-check send x
                http-check expect status 200

            """
        XCTAssertEqual(parseOK(text)?.warnings.map(\.description), [
            "[WARNING] config : parsing [test.cfg:7] : 'httpchk' ignored because frontend 'fe' has no backend capability.",
            "[WARNING] config : parsing [test.cfg:8] : 'tcp-check' ignored because frontend 'fe' has no backend capability.",
            "[WARNING] config : parsing [test.cfg:9] : 'http-check' ignored because frontend 'fe' has no backend capability.",
        ])
    }

    /// haproxy accepts these; ordrel refuses them, naming the line and what it lacks.
    func testUnimplementedCheckKeywordsAreRefusedWithTheReason() {
        let text = quietDefaults + """
            backend be
                option tcp-check
                tcp-check set-var(check.x) int(1)
                tcp-check send-lf %[var(check.x)]
                tcp-check expect string +OK status-code int(3)
                tcp-check connect ssl
                http-check send-state
                http-check expect hdr name server
                option spop-check
                option external-check
                server s1 127.0.0.1:1 check

            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:7] : 'tcp-check set-var(check.x)' is not supported by ordrel: check variables are not supported.",
            "[ALERT] config : parsing [bad.cfg:8] : 'tcp-check send-lf' : log-format variables ('%...') are not supported by ordrel, only plain text (got '%[var(check.x)]').",
            "[ALERT] config : parsing [bad.cfg:9] : 'tcp-check expect' : 'status-code' is not supported by ordrel: sample expressions are not implemented.",
            "[ALERT] config : parsing [bad.cfg:10] : 'tcp-check connect' : 'ssl' is not supported by ordrel (no SSL, ALPN, mux protocol or SOCKS4 for checks).",
            "[ALERT] config : parsing [bad.cfg:11] : 'http-check send-state' is not supported by ordrel: the X-Haproxy-Server-State header is not implemented.",
            "[ALERT] config : parsing [bad.cfg:12] : 'http-check expect hdr' is not supported by ordrel: header matching is not implemented.",
            "[ALERT] config : parsing [bad.cfg:13] : 'option spop-check' is not supported by ordrel: SPOE agents are not supported.",
            "[ALERT] config : parsing [bad.cfg:14] : 'option external-check' is not supported by ordrel: external check commands are not supported.",
        ])
    }
}
