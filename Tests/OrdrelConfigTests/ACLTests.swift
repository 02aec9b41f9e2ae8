import XCTest
@testable import OrdrelConfig

/// The ACL engine: each fetch, matcher and operator, the condition grammar and the
/// three-valued results that make content rules wait.
final class ACLTests: XCTestCase {
    private func result(_ condition: String, acls: [String] = [], payload: [UInt8] = [], final: Bool = true,
                        source: [UInt8] = [192, 168, 1, 10], line: UInt = #line) -> ACLResult? {
        do {
            return try ACLParser.condition(condition, acls: acls).evaluate(payload: payload, final: final, source: source)
        } catch {
            XCTFail("\(condition): \(error)", line: line)
            return nil
        }
    }

    private func failure(_ condition: String, acls: [String] = []) -> String? {
        do {
            _ = try ACLParser.condition(condition, acls: acls)
            return nil
        } catch {
            return error.message
        }
    }

    func testAddressFetchesAndNetworks() {
        XCTAssertEqual(result("if { src 192.168.0.0/16 }"), .pass)
        XCTAssertEqual(result("if { src 10.0.0.0/8 }"), .fail)
        XCTAssertEqual(result("if { src 192.168.1.10 }"), .pass)
        XCTAssertEqual(result("if { src 192.168.1.0/255.255.255.0 }"), .pass)
        XCTAssertEqual(result("if { src 2001:db8::/32 }", source: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]), .pass)
        XCTAssertEqual(result("if { src 2001:db8::/32 }"), .fail, "an IPv4 client is not in an IPv6 network")
        XCTAssertEqual(result("if { src 127.0.0.0/8 }", source: [UInt8](repeating: 0, count: 10) + [0xff, 0xff, 127, 0, 0, 1]), .pass,
                       "IPv4-mapped IPv6 clients match IPv4 networks")
        // haproxy 2.6's pat_match_ip across families: old-style mapped and 6to4 clients match
        // IPv4 networks, IPv4 clients match IPv6 networks as ::ffff:a.b.c.d.
        XCTAssertEqual(result("if { src 127.0.0.1 }", source: [UInt8](repeating: 0, count: 12) + [127, 0, 0, 1]), .pass)
        XCTAssertEqual(result("if { src 10.1.2.0/24 }", source: [0x20, 0x02, 10, 1, 2, 3] + [UInt8](repeating: 0, count: 10)), .pass)
        XCTAssertEqual(result("if { src 10.1.2.0/24 }", source: [0x20, 0x03, 10, 1, 2, 3] + [UInt8](repeating: 0, count: 10)), .fail)
        XCTAssertEqual(result("if { src ::ffff:192.168.0.0/112 }"), .pass)
        XCTAssertEqual(result("if { src ::192.168.1.10 }"), .fail, "IPv4 clients are mapped with ::ffff: only")
        XCTAssertEqual(result("if { dst 10.0.0.1 }"), .pass)
        XCTAssertEqual(result("if { src_port 40000 }"), .pass)
        XCTAssertEqual(result("if { dst_port 443 }"), .pass)
        XCTAssertEqual(result("if { dst_port 80 }"), .fail)
        XCTAssertEqual(result("if { src -m found }", source: []), .fail, "a Unix client has no src")
        XCTAssertEqual(result("if LOCALHOST", source: [127, 0, 0, 2]), .pass)
        XCTAssertEqual(result("if LOCALHOST"), .fail)
    }

    func testIntegerRangesAndOperators() {
        XCTAssertEqual(result("if { dst_port 400:500 }"), .pass)
        XCTAssertEqual(result("if { dst_port :442 }"), .fail)
        XCTAssertEqual(result("if { dst_port 443: }"), .pass)
        XCTAssertEqual(result("if { dst_port eq 443 }"), .pass)
        XCTAssertEqual(result("if { dst_port ge 443 }"), .pass)
        XCTAssertEqual(result("if { dst_port gt 443 }"), .fail)
        XCTAssertEqual(result("if { dst_port le 443 }"), .pass)
        XCTAssertEqual(result("if { dst_port lt 443 }"), .fail)
        XCTAssertEqual(result("if { dst_port 80 8080 443 }"), .pass, "any pattern may match")
        XCTAssertEqual(failure("if { dst_port abc }"), "'abc' is not a number.")
        XCTAssertEqual(result("if { dst_port gt 9223372036854775807 }"), .fail, "no integer is greater: nothing wraps")
        XCTAssertEqual(result("if { dst_port lt -9223372036854775808 }"), .fail)
    }

    func testNameAndServerFetches() {
        XCTAssertEqual(result("if { fe_name fe }"), .pass)
        XCTAssertEqual(result("if { fe_name -i FE }"), .pass)
        XCTAssertEqual(result("if { fe_name FE }"), .fail)
        XCTAssertEqual(result("if { be_name be }"), .pass)
        XCTAssertEqual(result("if { nbsrv(be) ge 2 }"), .pass)
        XCTAssertEqual(result("if { nbsrv lt 1 }"), .fail)
        XCTAssertEqual(result("if { nbsrv(other) ge 0 }"), .fail, "an unknown backend gives no sample")
        XCTAssertEqual(result("if { connslots gt 4 }"), .pass)
        XCTAssertEqual(result("if { srv_is_up(be/s1) }"), .pass)
        XCTAssertEqual(result("if { srv_is_up(be/s2) }"), .fail)
        XCTAssertEqual(failure("if { srv_is_up(be) }"), "fetch method 'srv_is_up' : expects <backend>/<server> as argument.")
    }

    func testStringMatchers() {
        let hello = clientHello(serverName: "api.Example.com")
        XCTAssertEqual(result("if { req.ssl_sni api.Example.com }", payload: hello), .pass)
        XCTAssertEqual(result("if { req.ssl_sni api.example.com }", payload: hello), .fail)
        XCTAssertEqual(result("if { req.ssl_sni -i api.example.com }", payload: hello), .pass)
        XCTAssertEqual(result("if { req_ssl_sni -m beg api. }", payload: hello), .pass)
        XCTAssertEqual(result("if { req.ssl_sni -m end .com }", payload: hello), .pass)
        XCTAssertEqual(result("if { req.ssl_sni -m sub Example }", payload: hello), .pass)
        XCTAssertEqual(result("if { req.ssl_sni -m sub nope }", payload: hello), .fail)
        XCTAssertEqual(result("if { req.ssl_sni -m dom Example }", payload: hello), .pass)
        XCTAssertEqual(result("if { req.ssl_sni -m dom xample }", payload: hello), .fail, "dom matches whole labels only")
        XCTAssertEqual(result("if { req.ssl_sni -m reg ^api\\.[a-z]+\\.com$ }", payload: hello), .fail)
        XCTAssertEqual(result("if { req.ssl_sni -i -m reg ^api\\.[a-z]+\\.com$ }", payload: hello), .pass)
        XCTAssertEqual(result("if { req.ssl_sni -m len 15 }", payload: hello), .pass)
        XCTAssertEqual(result("if { req.ssl_sni -m len gt 15 }", payload: hello), .fail)
        XCTAssertEqual(result("if { req.ssl_sni -m found }", payload: hello), .pass)
        XCTAssertEqual(result("if { req.ssl_sni -m found }", payload: clientHello(serverName: nil)), .fail)
        XCTAssertEqual(result("if { req.ssl_sni -i -f names.lst }", payload: clientHello(serverName: "EXAMPLE.org")), .pass,
                       "-f reads patterns, skipping comments and blanks")
        XCTAssertEqual(failure("if { req.ssl_sni -m reg ( }"), "invalid regex '('.")
        XCTAssertEqual(failure("if { req.ssl_sni -m found x }"), "'-m found' doesn't accept patterns (got 'x').")
        XCTAssertEqual(failure("if { src -m foo 1 }"), "unknown matching method 'foo' (ordrel knows found, bool, int, len, ip, str, beg, end, sub, dom, reg, bin).")
    }

    func testPayloadFetchesWaitForTheirBytes() {
        let bytes: [UInt8] = [0x00, 0x03, 0x61, 0x62, 0x63, 0xff]
        XCTAssertEqual(result("if { req.len ge 6 }", payload: bytes), .pass)
        XCTAssertEqual(result("if { req.len ge 7 }", payload: bytes, final: false), .miss, "more bytes may come")
        XCTAssertEqual(result("if { req.len ge 7 }", payload: bytes, final: true), .fail)
        XCTAssertEqual(result("if { req.len lt 7 }", payload: bytes, final: false), .pass)
        XCTAssertEqual(result("if { req.payload(2,3) -m bin 616263 }", payload: bytes), .pass)
        XCTAssertEqual(result("if { req.payload(2,3) -m str abc }", payload: bytes), .pass)
        XCTAssertEqual(result("if { req.payload(4,4) -m bin 63ff0000 }", payload: bytes, final: false), .miss)
        XCTAssertEqual(result("if { req.payload(4,4) -m bin 63ff0000 }", payload: bytes, final: true), .fail)
        XCTAssertEqual(result("if { req.payload(0,0) -m len 6 }", payload: bytes, final: true), .pass, "length 0: all that arrived")
        XCTAssertEqual(result("if { req.payload_lv(0,2) -m str abc }", payload: bytes), .pass)
        XCTAssertEqual(result("if { payload(2,3) 616263 }", payload: bytes), .pass, "the legacy keyword matches binary by default")
        XCTAssertEqual(result("if { payload_lv(0,2) 616263 }", payload: bytes), .pass)
        XCTAssertEqual(failure("if { req.payload(2,3) 616263 }"),
                       "matching method must be specified first (using '-m') when using a sample fetch of this type ('req.payload').",
                       "haproxy 2.6.12: binary fetches have no default match")
        XCTAssertEqual(failure("if { res.payload_lv(0,1) -i abc }"),
                       "matching method must be specified first (using '-m') when using a sample fetch of this type ('res.payload_lv').")
        XCTAssertEqual(result("if { req.payload_lv(0,2,1) -m bin 6263ff }", payload: bytes), .pass)
        XCTAssertEqual(result("if { req.payload_lv(0,2,2) -m found }", payload: bytes, final: false), .miss)
        XCTAssertEqual(result("if REQ_CONTENT", payload: []), .fail)
        XCTAssertEqual(result("if REQ_CONTENT", payload: bytes), .pass)
        XCTAssertEqual(result("if WAIT_END", payload: bytes, final: false), .miss)
        XCTAssertEqual(result("if WAIT_END", payload: bytes, final: true), .pass)
        XCTAssertEqual(failure("if { req.payload(0,1) -m bin 6 }"), "'6' is not a valid hexadecimal binary string.")
        XCTAssertEqual(failure("if { req.payload(9223372036854775807,1) -m found }"),
                       "fetch method 'req.payload' : expects an offset as argument 1.", "offsets cannot overflow")
        XCTAssertEqual(failure("if { req.payload_lv(0,2,-9223372036854775808) -m found }"),
                       "fetch method 'req.payload_lv' : expects an integer offset as argument 3.")
    }

    func testTLSFetches() {
        let hello = clientHello(serverName: "a.example")
        XCTAssertEqual(result("if { req.ssl_hello_type 1 }", payload: hello), .pass)
        XCTAssertEqual(result("if { req_ssl_hello_type 1 }", payload: Array(hello.prefix(6)), final: false), .miss,
                       "as haproxy, the type counts once the whole message arrived")
        XCTAssertEqual(result("if { req_ssl_hello_type 1 }", payload: Array(hello.dropLast()), final: true), .fail)
        XCTAssertEqual(result("if { req.ssl_ver 3.3 }", payload: hello), .pass, "dotted versions, as haproxy")
        XCTAssertEqual(result("if { req.ssl_ver ge 196609 }", payload: hello), .pass)
        XCTAssertEqual(result("if { req.ssl_sni a.example }", payload: Array(hello.prefix(40)), final: false), .miss)
        XCTAssertEqual(result("if { req.ssl_sni a.example }", payload: Array(hello.prefix(40)), final: true), .fail)
        XCTAssertEqual(result("if { req.ssl_sni -m found }", payload: Array("GET / HTTP/1.1\r\n".utf8), final: false), .fail,
                       "not TLS: no waiting")
    }

    func testRDPCookie() {
        // TPKT and X.224 connection request headers (11 bytes), then the cookie line.
        let request: [UInt8] = [0x03, 0x00, 0x00, 0x2a, 0x25, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00]
            + Array("Cookie: mstshash=Alice\r\n".utf8)
        XCTAssertEqual(result("if { req.rdp_cookie(mstshash) -i alice }", payload: request), .pass)
        XCTAssertEqual(result("if { rdp_cookie alice }", payload: request), .fail, "case matters without -i")
        XCTAssertEqual(result("if { req.rdp_cookie(MSTSHASH) Alice }", payload: request), .pass, "the name is case-insensitive")
        XCTAssertEqual(result("if { req.rdp_cookie(other) -m found }", payload: request), .fail)
        XCTAssertEqual(result("if { req.rdp_cookie_cnt(mstshash) eq 1 }", payload: request), .pass)
        XCTAssertEqual(result("if RDP_COOKIE", payload: request), .pass)
        XCTAssertEqual(result("if RDP_COOKIE", payload: Array(request.dropLast(1)), final: false), .miss, "the line is not complete yet")
        XCTAssertEqual(result("if RDP_COOKIE", payload: Array(request.dropLast(1)), final: true), .fail)
        XCTAssertEqual(result("if RDP_COOKIE", payload: Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8), final: false), .fail)
    }

    func testConditionGrammar() {
        let acls = ["local src 192.168.0.0/16", "web dst_port 80", "web dst_port 443", "tls req.ssl_hello_type 1"]
        XCTAssertEqual(result("if local web", acls: acls), .pass, "lines of one name are ORed")
        XCTAssertEqual(result("if local !web", acls: acls), .fail)
        XCTAssertEqual(result("unless local", acls: acls), .fail)
        XCTAssertEqual(result("if !local || web", acls: acls), .pass)
        XCTAssertEqual(result("if !local or !web", acls: acls), .fail)
        XCTAssertEqual(result("if FALSE || TRUE"), .pass)
        XCTAssertEqual(result("if FALSE tls", acls: acls, final: false), .fail, "a failing term decides without waiting")
        XCTAssertEqual(result("if TRUE tls", acls: acls, final: false), .miss)
        XCTAssertEqual(result("unless tls", acls: acls, final: false), .miss, "unless keeps a miss a miss")
        XCTAssertEqual(result("if !tls", acls: acls, final: true), .pass)
        XCTAssertEqual(failure("if nope"), "no such ACL : 'nope'.")
        XCTAssertEqual(failure("if"), "'if' : missing or incomplete condition.")
        XCTAssertEqual(failure("if TRUE ||"), "'if' : missing or incomplete condition.")
        XCTAssertEqual(failure("if { src 1.2.3.4"), "missing closing '}' in condition.")
        XCTAssertEqual(failure("if || TRUE"), "missing ACL before '||' in condition.")
        XCTAssertEqual(failure("if { sc5_conn_rate gt 1 }"), "fetch method 'sc5_conn_rate' : ordrel has stick counters 0 to 2.")
        XCTAssertEqual(failure("if { sc_http_req_rate(0) gt 1 }"), "fetch method 'sc_http_req_rate' counts HTTP requests; ordrel only implements 'mode tcp'.")
        XCTAssertEqual(failure("if { sc_conn_rate gt 1 }"), "fetch method 'sc_conn_rate' expects a stick counter number (0 to 2) as its first argument.")
        XCTAssertEqual(failure("if { bogus 1 }"), "unknown fetch method 'bogus' in ACL expression 'bogus'.")
        XCTAssertEqual(failure("if ok", acls: ["TRUE src 1.2.3.4"]), "'acl' : ACL name 'TRUE' is reserved for a predefined ACL.")
    }
}
