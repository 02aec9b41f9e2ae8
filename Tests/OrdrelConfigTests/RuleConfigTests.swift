import XCTest
@testable import OrdrelConfig

/// `acl`, `tcp-request`, `use_backend` and `use-server` lines into the model, and their errors.
final class RuleConfigTests: XCTestCase {
    private let quiet = """
        defaults
            mode tcp
            timeout client 1s
            timeout server 1s
            timeout connect 1s
            tcp-request inspect-delay 2s

        """

    func testRulesReachTheModel() throws {
        let text = quiet + """
            frontend fe
                bind :1
                acl tls req.ssl_hello_type 1
                tcp-request connection reject if { src 10.0.0.0/8 }
                tcp-request connection accept
                tcp-request content accept if tls
                tcp-request content reject
                use_backend be if { req.ssl_sni -i a.test }
                use_backend be
                default_backend be
            backend be
                use-server s1 if { src 127.0.0.1 }
                server s1 127.0.0.1:2
            """
        let parsed = try XCTUnwrap(parseOK(text))
        let fe = parsed.configuration.proxy("fe")
        XCTAssertEqual(fe.rules.inspectDelayMs, 2000, "inherited from defaults")
        XCTAssertEqual(fe.rules.connection.map(\.action), [.reject, .accept])
        XCTAssertEqual(fe.rules.connection.map { $0.condition == nil }, [false, true])
        XCTAssertEqual(fe.rules.content.map(\.action), [.accept, .reject])
        XCTAssertEqual(fe.rules.content.first?.condition?.alternatives.first?.first?.name, "tls")
        XCTAssertEqual(fe.rules.content.first?.location, SourceLocation(file: "test.cfg", line: 12))
        XCTAssertEqual(fe.rules.useBackends.map(\.backend), ["be", "be"])
        XCTAssertTrue(fe.rules.inspectsContent)
        XCTAssertEqual(parsed.configuration.proxy("be").useServers.map(\.server), ["s1"])
        XCTAssertFalse(parsed.configuration.proxy("be").rules.inspectsContent, "a backend without rules reads nothing first")
    }

    func testRuleErrorsNameTheirLine() {
        let text = quiet + """
            frontend fe
                bind :1
                tcp-request connection reject if { req.len gt 0 }
                tcp-request content expect-proxy layer4
                tcp-request content track-sc0 src
                tcp-request session track-sc0 src
                tcp-request content drop
                tcp-request inspect-delay soon
                use_backend be if { src 1.2.3.4
                force-persist if TRUE
                use_backend %[req.ssl_sni,lower,map(/etc/haproxy/sni.map)]
                acl bad req.ssl_sni -m foo x
                default_backend be
            backend be
                tcp-request connection reject
                use-server nope if TRUE
                server s1 127.0.0.1:2
            """
        let alerts = alertLines(diagnostics(text))
        XCTAssertEqual(alerts, [
            "[ALERT] config : parsing [bad.cfg:9] : 'tcp-request connection reject' : the condition reads the request's contents, which are not available yet at connection time (use 'tcp-request content').",
            "[ALERT] config : parsing [bad.cfg:10] : 'expect-proxy layer4' is not allowed in 'tcp-request content' rules in frontend 'fe'",
            "[ALERT] config : parsing [bad.cfg:13] : 'tcp-request content' : ordrel implements the actions 'accept', 'reject', 'track-sc0' to 'track-sc2' and (connection rules) 'expect-proxy layer4' (got 'drop').",
            alerts.count > 3 ? alerts[3] : "",
            "[ALERT] config : parsing [bad.cfg:15] : 'use_backend be' : error detected while parsing condition : missing closing '}' in condition.",
            "[ALERT] config : parsing [bad.cfg:16] : 'force-persist' not allowed because frontend 'fe' has no backend capability.",
            "[ALERT] config : parsing [bad.cfg:17] : 'use_backend %[req.ssl_sni,lower,map(/etc/haproxy/sni.map)]' : backend names built from samples (log-format '%[...]', e.g. with 'map') are not implemented yet; name the backend and use a condition.",
            "[ALERT] config : parsing [bad.cfg:18] : error detected while parsing ACL 'bad' : unknown matching method 'foo' (ordrel knows found, bool, int, len, ip, str, beg, end, sub, dom, reg, bin).",
            "[ALERT] config : parsing [bad.cfg:21] : tcp-request connection is not allowed because backend be is not a frontend",
            "[ALERT] config : parsing [bad.cfg:22] : backend 'be' : unable to find server 'nope' referenced in a 'use-server' rule.",
            "[ALERT] config : parsing [bad.cfg:11] : frontend 'fe' : 'track-sc0' needs a stick-table in this section or a 'table' argument.",
            "[ALERT] config : parsing [bad.cfg:12] : frontend 'fe' : 'track-sc0' needs a stick-table in this section or a 'table' argument.",
        ])
        XCTAssertTrue(alerts.count > 3 && alerts[3].contains("[bad.cfg:14]") && alerts[3].contains("inspect-delay"), "\(alerts)")
    }

    func testRulesInDefaultsAndOrderWarningAsHaproxy() throws {
        let text = quiet + """
                tcp-request content reject if { src 10.0.0.0/8 }
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:7] : tcp-request content is not allowed in anonymous 'defaults' sections",
        ])
        let late = quiet + """
            listen px
                bind :1
                tcp-request content reject if { src 10.0.0.0/8 }
                tcp-request connection reject if { src 10.0.0.0/8 }
                server s1 127.0.0.1:2
            """
        let parsed = try XCTUnwrap(parseOK(late))
        XCTAssertEqual(parsed.warnings.map(\.description), [
            "[WARNING] config : parsing [test.cfg:10] : a 'tcp-request' rule placed after a 'tcp-request content' rule will still be processed before.",
        ])
    }

    func testExpectProxyAndResponseRulesReachTheModel() throws {
        let text = quiet + """
            listen px
                bind :2
                tcp-response inspect-delay 500ms
                tcp-response content accept
                server s1 127.0.0.1:2
            defaults named
                mode tcp
                timeout client 1s
                timeout server 1s
                timeout connect 1s
                tcp-response inspect-delay 3s
            frontend fe from named
                bind :1
                tcp-request connection expect-proxy layer4 if { src 10.0.0.0/8 }
                tcp-request connection accept
                default_backend be
            backend be from named
                tcp-response content reject if { res.payload(0,4) -m str EVIL }
                tcp-response content close if { res.len gt 100 } || { src 192.168.0.0/16 }
                tcp-response content accept if WAIT_END
                server s1 127.0.0.1:2
            """
        let parsed = try XCTUnwrap(parseOK(text))
        let fe = parsed.configuration.proxy("fe")
        XCTAssertEqual(fe.rules.connection.map(\.action), [.expectProxy, .accept])
        XCTAssertEqual(fe.rules.connection.first?.condition?.alternatives.first?.first?.name, "{ src 10.0.0.0/8 }")
        XCTAssertTrue(fe.responseRules.content.isEmpty)
        let be = parsed.configuration.proxy("be")
        XCTAssertEqual(be.responseRules.inspectDelayMs, 3000, "inherited from the named defaults")
        XCTAssertEqual(be.responseRules.content.map(\.action), [.reject, .close, .accept])
        XCTAssertEqual(be.responseRules.content.map(\.location.line), [24, 25, 26])
        XCTAssertEqual(be.responseRules.content[1].condition?.alternatives.count, 2)
        XCTAssertEqual(parsed.configuration.proxy("px").responseRules.inspectDelayMs, 500)
        XCTAssertEqual(parsed.configuration.proxy("px").responseRules.content.map(\.action), [.accept])
    }

    /// `tcp-request session` rules, and haproxy's warnings about rules out of their evaluation
    /// order and its errors (`haproxy -c` on the same lines).
    func testSessionRules() throws {
        let text = quiet + """
            frontend fe
                bind :1
                tcp-request content reject if { src 1.2.3.4 }
                tcp-request session reject if { src 10.0.0.0/8 }
                tcp-request session accept
                tcp-request connection reject if { src 1.2.3.4 }
                default_backend be
            backend be
                server s1 127.0.0.1:2
            """
        let parsed = try XCTUnwrap(parseOK(text))
        XCTAssertEqual(parsed.configuration.proxy("fe").rules.session.map(\.action), [.reject, .accept])
        XCTAssertEqual(parsed.warnings.map(\.description), [
            "[WARNING] config : parsing [test.cfg:10] : a 'tcp-request' rule placed after a 'tcp-request content' rule will still be processed before.",
            "[WARNING] config : parsing [test.cfg:11] : a 'tcp-request' rule placed after a 'tcp-request content' rule will still be processed before.",
            "[WARNING] config : parsing [test.cfg:12] : a 'tcp-request' rule placed after a 'tcp-request content' rule will still be processed before.",
        ])
        let ordered = quiet + """
            frontend fe
                bind :1
                tcp-request session reject if { src 10.0.0.0/8 }
                tcp-request connection reject if { src 1.2.3.4 }
                default_backend be
            backend be
                server s1 127.0.0.1:2
            """
        XCTAssertEqual(try XCTUnwrap(parseOK(ordered)).warnings.map(\.description), [
            "[WARNING] config : parsing [test.cfg:10] : a 'tcp-request' rule placed after a 'tcp-request session' rule will still be processed before.",
        ])
        let bad = quiet + """
                tcp-request session reject
            frontend fe
                bind :1
                tcp-request session reject if { req.len gt 0 }
                tcp-request session expect-proxy layer4
                default_backend be
            backend be
                tcp-request session reject
                server s1 127.0.0.1:2
            """
        XCTAssertEqual(alertLines(diagnostics(bad)), [
            "[ALERT] config : parsing [bad.cfg:7] : tcp-request session is not allowed in anonymous 'defaults' sections",
            "[ALERT] config : parsing [bad.cfg:10] : 'tcp-request session reject' : the condition reads the request's contents, which are not available yet at session time (use 'tcp-request content').",
            "[ALERT] config : parsing [bad.cfg:11] : 'expect-proxy layer4' is not allowed in 'tcp-request session' rules in frontend 'fe'",
            "[ALERT] config : parsing [bad.cfg:14] : tcp-request session is not allowed because backend be is not a frontend",
        ])
    }

    /// haproxy 2.6.12's messages where it has them (`haproxy -c` on the same lines).
    func testResponseAndExpectProxyErrorsAsHaproxy() throws {
        let text = quiet + """
            frontend fe
                bind :1
                tcp-response content reject
                tcp-response inspect-delay 1s
                tcp-request connection expect-proxy
                tcp-request connection expect-proxy layer7
                tcp-request content reject if { res.len gt 0 }
                default_backend be
            backend be
                tcp-response content reject if { req.len gt 0 }
                tcp-response content reject if { payload(0,2) -m str ab }
                tcp-response content close foo
                tcp-response content silent-drop
                tcp-response content sc-inc-gpc0(0)
                tcp-response inspect-delay 1s
                tcp-response inspect-delay 2s
                tcp-response bar
                tcp-response
                tcp-response content
                tcp-response inspect-delay soon
                server s1 127.0.0.1:2
            defaults named
                tcp-response content reject
            """
        let all = diagnostics(text)
        XCTAssertEqual(alertLines(all), [
            "[ALERT] config : parsing [bad.cfg:9] : tcp-response content is only allowed in 'backend' sections or 'defaults' section with a name",
            "[ALERT] config : parsing [bad.cfg:10] : tcp-response inspect-delay is only allowed in 'backend' sections or 'defaults' section with a name",
            "[ALERT] config : parsing [bad.cfg:11] : 'tcp-request connection expect-proxy' only supports 'layer4' in frontend 'fe' (got '')",
            "[ALERT] config : parsing [bad.cfg:12] : 'tcp-request connection expect-proxy' only supports 'layer4' in frontend 'fe' (got 'layer7')",
            "[ALERT] config : parsing [bad.cfg:13] : 'tcp-request content reject' : ACL '{ res.len gt 0 }' reads the response (res.*), which request rules never see (haproxy: it will never match).",
            "[ALERT] config : parsing [bad.cfg:16] : 'tcp-response content reject' : ACL '{ req.len gt 0 }' reads the request (req.*, payload), which response rules never see (haproxy: it will never match).",
            "[ALERT] config : parsing [bad.cfg:17] : 'tcp-response content reject' : ACL '{ payload(0,2) -m str ab }' reads the request (req.*, payload), which response rules never see (haproxy: it will never match).",
            "[ALERT] config : parsing [bad.cfg:18] : 'tcp-response content close' : expects 'if', 'unless' or nothing after its arguments (got 'foo').",
            "[ALERT] config : parsing [bad.cfg:19] : 'tcp-response content' : ordrel implements the actions 'accept', 'close' and 'reject' (got 'silent-drop').",
            "[ALERT] config : parsing [bad.cfg:20] : 'tcp-response content sc-inc-gpc0(0)' : the 'sc-inc-gpc*' and 'sc-set-gpt0' actions are not implemented yet (use the 'sc*_inc_gpc0' fetches in a condition).",
            "[ALERT] config : parsing [bad.cfg:23] : 'tcp-response' expects 'inspect-delay' or 'content' in backend 'be' (got 'bar')",
            "[ALERT] config : parsing [bad.cfg:24] : missing argument for 'tcp-response' in backend 'be'",
            "[ALERT] config : parsing [bad.cfg:25] : 'tcp-response content' : ordrel implements the actions 'accept', 'close' and 'reject' (got '').",
            "[ALERT] config : parsing [bad.cfg:26] : unexpected character 's' in 'tcp-response inspect-delay'",
            "[ALERT] config : parsing [bad.cfg:29] : 'tcp-response content' : rules in named 'defaults' sections are not implemented yet; write them in the backend.",
        ])
        XCTAssertTrue(all.contains { $0.description == "[WARNING] config : parsing [bad.cfg:22] : ignoring tcp-response inspect-delay (was already defined) in backend 'be'" },
                      "\(all)")
    }

    /// haproxy keeps the first inspect delay, the defaults' included, and warns about the others.
    func testASecondInspectDelayIsIgnoredAsHaproxy() throws {
        let text = quiet + """
            frontend fe
                bind :1
                tcp-request inspect-delay 9s
                default_backend be
            backend be
                tcp-response inspect-delay 1s
                tcp-response inspect-delay 2s
                server s1 127.0.0.1:2
            """
        let parsed = try XCTUnwrap(parseOK(text))
        XCTAssertEqual(parsed.configuration.proxy("fe").rules.inspectDelayMs, 2000)
        XCTAssertEqual(parsed.configuration.proxy("be").responseRules.inspectDelayMs, 1000)
        XCTAssertEqual(parsed.warnings.map(\.description), [
            "[WARNING] config : parsing [test.cfg:9] : ignoring tcp-request inspect-delay (was already defined) in frontend 'fe'",
            "[WARNING] config : parsing [test.cfg:13] : ignoring tcp-response inspect-delay (was already defined) in backend 'be'",
        ])
    }

    func testContentRulesInModeHTTPAreRefused() {
        let text = quiet + """
            listen stats
                bind :1
                bind :2 accept-proxy
                mode http
                stats enable
                tcp-request connection reject if !{ src 10.0.0.0/8 }
                tcp-request content reject if { req.len gt 0 }
                tcp-request connection expect-proxy layer4
                tcp-response content reject
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:13] : proxy 'stats' : 'tcp-request content' rules in a 'mode http' section are not implemented yet (ordrel's built-in services read the request themselves); 'tcp-request connection' rules are.",
            "[ALERT] config : parsing [bad.cfg:9] : proxy 'stats' : 'accept-proxy' on a 'mode http' section's 'bind' is not implemented yet (ordrel's built-in services read no PROXY header).",
            "[ALERT] config : parsing [bad.cfg:14] : proxy 'stats' : 'tcp-request connection expect-proxy' in a 'mode http' section is not implemented yet (ordrel's built-in services read no PROXY header).",
            "[ALERT] config : parsing [bad.cfg:15] : proxy 'stats' : 'tcp-response content' rules in a 'mode http' section are not implemented (ordrel's built-in services answer themselves).",
        ])
    }

    func testStatsAdminUsesNamedACLs() throws {
        let text = quiet + """
            listen stats
                bind :1
                mode http
                acl office src 192.168.0.0/16 2001:db8::/32
                stats enable
                stats admin if office !{ src 192.168.9.0/24 }
            """
        let stats = try XCTUnwrap(parseOK(text)?.configuration.proxy("stats").http.stats)
        XCTAssertTrue(stats.allowsAdmin(aclInput(source: [192, 168, 1, 7]), NoRuntime()))
        XCTAssertFalse(stats.allowsAdmin(aclInput(source: [192, 168, 9, 7]), NoRuntime()))
        XCTAssertTrue(stats.allowsAdmin(aclInput(source: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 12)), NoRuntime()))
        XCTAssertFalse(stats.allowsAdmin(aclInput(source: [10, 0, 0, 1]), NoRuntime()))
    }
}
