import XCTest
@testable import OrdrelConfig

/// The sans-IO decisions the runtime asks for: connection rules at accept, content rules and
/// `use_backend` on the bytes so far, `use-server` matches.
final class RuleDecisionTests: XCTestCase {
    /// The rules of a frontend parsed from its lines (backends `a`, `b` exist).
    private func rules(_ lines: String, line: UInt = #line) throws -> ConnectionRules {
        let text = """
            defaults
                mode tcp
                timeout client 1s
                timeout server 1s
                timeout connect 1s
            frontend fe
                bind :1
            \(lines)
                default_backend a
            backend a
                server s1 127.0.0.1:2
                server s2 127.0.0.1:3
            backend b
            """
        return try XCTUnwrap(parseOK(text, line: line)?.configuration.proxy("fe").rules, line: line)
    }

    private func decide(_ rules: ConnectionRules, _ payload: String, final: Bool,
                        source: [UInt8] = [192, 168, 1, 10]) -> ContentDecision {
        Array(payload.utf8).withUnsafeBytes { bytes in
            var input = aclInput(source: source, final: final)
            input.payload = bytes
            return rules.decideContent(input, NoRuntime())
        }
    }

    func testConnectionRulesFirstMatchDecides() throws {
        let r = try rules("""
                tcp-request connection accept if { src 10.0.0.0/8 }
                tcp-request connection reject if { src 10.0.0.0/8 } || { src 192.168.0.0/16 }
            """)
        XCTAssertEqual(r.decideConnection(aclInput(source: [10, 1, 1, 1]), NoRuntime()), .accept(expectProxy: false), "the accept comes first")
        XCTAssertEqual(r.decideConnection(aclInput(source: [192, 168, 1, 1]), NoRuntime()), .reject)
        XCTAssertEqual(r.decideConnection(aclInput(source: [172, 16, 0, 1]), NoRuntime()), .accept(expectProxy: false), "no rule matching accepts")
        XCTAssertEqual(try rules("    tcp-request connection reject").decideConnection(aclInput(source: [1, 2, 3, 4]), NoRuntime()), .reject)
    }

    /// `expect-proxy layer4` is noted and evaluation goes on (haproxy's `tcp_exec_l4_rules`): a
    /// later reject still rejects, an earlier accept stops before it.
    func testExpectProxyIsNotFinal() throws {
        let r = try rules("""
                tcp-request connection accept if { src 10.0.0.0/8 }
                tcp-request connection expect-proxy layer4 if { src 192.168.0.0/16 } || { src 172.16.0.0/12 }
                tcp-request connection reject if { src 172.16.0.0/12 }
            """)
        XCTAssertEqual(r.decideConnection(aclInput(source: [192, 168, 1, 1]), NoRuntime()), .accept(expectProxy: true))
        XCTAssertEqual(r.decideConnection(aclInput(source: [10, 1, 1, 1]), NoRuntime()), .accept(expectProxy: false),
                       "the accept decided before the expect-proxy rule")
        XCTAssertEqual(r.decideConnection(aclInput(source: [172, 16, 1, 1]), NoRuntime()), .reject)
        XCTAssertEqual(r.decideConnection(aclInput(source: [203, 0, 113, 1]), NoRuntime()), .accept(expectProxy: false))
    }

    func testSessionRulesFirstMatchDecides() throws {
        let r = try rules("""
                tcp-request session accept if { src 10.0.0.0/8 }
                tcp-request session reject if { src 10.0.0.0/8 } || { src 192.168.0.0/16 }
            """)
        XCTAssertTrue(r.acceptsSession(aclInput(source: [10, 1, 1, 1]), NoRuntime()), "the accept comes first")
        XCTAssertFalse(r.acceptsSession(aclInput(source: [192, 168, 1, 1]), NoRuntime()))
        XCTAssertTrue(r.acceptsSession(aclInput(source: [172, 16, 0, 1]), NoRuntime()), "no rule matching accepts")
    }

    /// The response rules of backend `b` parsed from its lines.
    private func responseRules(_ lines: String, line: UInt = #line) throws -> ResponseRules {
        let text = """
            defaults
                mode tcp
                timeout client 1s
                timeout server 1s
                timeout connect 1s
            frontend fe
                bind :1
                default_backend b
            backend b
            \(lines)
                server s1 127.0.0.1:2
            """
        return try XCTUnwrap(parseOK(text, line: line)?.configuration.proxy("b").responseRules, line: line)
    }

    private func decide(_ rules: ResponseRules, response: [UInt8], final: Bool) -> ResponseDecision {
        response.withUnsafeBytes { bytes in
            var input = aclInput(source: [192, 168, 1, 10], final: final)
            input.payload = bytes
            return rules.decide(input, NoRuntime())
        }
    }

    /// haproxy's `tcp_inspect_response`: a rule that cannot tell yet waits; at the end it fails;
    /// the first rule that holds decides; none accepts.
    func testResponseRulesWaitThenDecide() throws {
        let r = try responseRules("""
                tcp-response inspect-delay 2s
                tcp-response content reject if { res.payload(0,4) -m str EVIL }
                tcp-response content close if { res.payload_lv(0,1) -m str bye }
                tcp-response content accept if { res.len ge 6 }
                tcp-response content reject if WAIT_END
            """)
        XCTAssertEqual(r.inspectDelayMs, 2000)
        XCTAssertEqual(r.content.map(\.action), [.reject, .close, .accept, .reject])
        XCTAssertEqual(decide(r, response: Array("EV".utf8), final: false), .wait, "EVIL cannot be ruled out yet")
        XCTAssertEqual(decide(r, response: Array("EVIL".utf8), final: false), .reject)
        XCTAssertEqual(decide(r, response: [3] + Array("bye".utf8), final: false), .close)
        XCTAssertEqual(decide(r, response: [2] + Array("hi".utf8), final: false), .wait, "res.len can still grow")
        XCTAssertEqual(decide(r, response: [2] + Array("hi!!!".utf8), final: false), .accept)
        XCTAssertEqual(decide(r, response: [2] + Array("hi".utf8), final: true), .reject, "WAIT_END holds once final")
        XCTAssertEqual(decide(r, response: Array("HELLO!".utf8), final: false), .wait, "a length field promising more waits")
        XCTAssertEqual(decide(try responseRules("    tcp-response content reject if { res.len gt 3 }"), response: [], final: true), .accept,
                       "no rule holding on what arrived accepts")
        let hello = try responseRules("    tcp-response content accept if { res.ssl_hello_type 2 }\n    tcp-response content reject")
        var serverHello = clientHello(serverName: nil)
        serverHello[5] = 2
        XCTAssertEqual(decide(hello, response: serverHello, final: false), .accept, "a ServerHello")
        XCTAssertEqual(decide(hello, response: clientHello(serverName: nil), final: false), .reject)
    }

    func testContentRulesWaitThenDecide() throws {
        let r = try rules("""
                tcp-request inspect-delay 5s
                tcp-request content reject if { req.payload(0,4) -m str QUIT }
                tcp-request content accept if { req.len ge 8 }
                use_backend b if { req.payload(0,3) -m str GET }
            """)
        XCTAssertEqual(decide(r, "", final: false), .wait)
        XCTAssertEqual(decide(r, "QU", final: false), .wait, "QUIT cannot be ruled out yet")
        XCTAssertEqual(decide(r, "QUIT", final: false), .reject)
        XCTAssertEqual(decide(r, "GETabcd", final: false), .wait, "not 8 bytes yet")
        XCTAssertEqual(decide(r, "GETabcde", final: false), .forward(useBackend: 0))
        XCTAssertEqual(decide(r, "GET", final: true), .forward(useBackend: 0), "at the end: no rule held, accepted")
        XCTAssertEqual(decide(r, "xyz", final: true), .forward(useBackend: nil), "default_backend")
    }

    func testUseBackendNeverWaits() throws {
        let r = try rules("""
                use_backend b if { req.ssl_sni -m found }
                use_backend a if TRUE
            """)
        XCTAssertTrue(r.inspectsContent)
        XCTAssertEqual(decide(r, "\u{16}\u{3}", final: false), .forward(useBackend: 1),
                       "without content rules, switching conditions see what arrived, as haproxy")
        let decision = clientHello(serverName: "x.test").withUnsafeBytes { bytes in
            var input = aclInput(source: [1, 2, 3, 4], final: false)
            input.payload = bytes
            return r.decideContent(input, NoRuntime())
        }
        XCTAssertEqual(decision, ContentDecision.forward(useBackend: 0))
    }

    func testUseServerMatchesInOrder() throws {
        let text = """
            defaults
                mode tcp
                timeout client 1s
                timeout server 1s
                timeout connect 1s
            listen px
                bind :1
                use-server s2 if { src 10.0.0.0/8 }
                use-server s1 if { src 10.1.0.0/16 }
                use-server s1 unless { src 10.0.0.0/8 }
                server s1 127.0.0.1:2
                server s2 127.0.0.1:3
            """
        let rules = try XCTUnwrap(parseOK(text)?.configuration.proxy("px").useServers)
        XCTAssertEqual(rules.matchingServers(aclInput(source: [10, 1, 2, 3]), NoRuntime()), ["s2", "s1"])
        XCTAssertEqual(rules.matchingServers(aclInput(source: [192, 168, 0, 1]), NoRuntime()), ["s1"])
    }
}
