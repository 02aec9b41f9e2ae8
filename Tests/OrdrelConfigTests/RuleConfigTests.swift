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
                tcp-request connection expect-proxy layer4
                tcp-request content track-sc0 src
                tcp-request session reject
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
            "[ALERT] config : parsing [bad.cfg:10] : 'tcp-request connection expect-proxy' : the PROXY protocol is not implemented yet.",
            "[ALERT] config : parsing [bad.cfg:12] : 'tcp-request session' rules are not implemented yet (use 'tcp-request connection' or 'content').",
            "[ALERT] config : parsing [bad.cfg:13] : 'tcp-request content' : ordrel implements the actions 'accept', 'reject' and 'track-sc0' to 'track-sc2' (got 'drop').",
            alerts.count > 4 ? alerts[4] : "",
            "[ALERT] config : parsing [bad.cfg:15] : 'use_backend be' : error detected while parsing condition : missing closing '}' in condition.",
            "[ALERT] config : parsing [bad.cfg:16] : 'force-persist' not allowed because frontend 'fe' has no backend capability.",
            "[ALERT] config : parsing [bad.cfg:17] : 'use_backend %[req.ssl_sni,lower,map(/etc/haproxy/sni.map)]' : backend names built from samples (log-format '%[...]', e.g. with 'map') are not implemented yet; name the backend and use a condition.",
            "[ALERT] config : parsing [bad.cfg:18] : error detected while parsing ACL 'bad' : unknown matching method 'foo' (ordrel knows found, bool, int, len, ip, str, beg, end, sub, dom, reg, bin).",
            "[ALERT] config : parsing [bad.cfg:21] : tcp-request connection is not allowed because backend be is not a frontend",
            "[ALERT] config : parsing [bad.cfg:22] : backend 'be' : unable to find server 'nope' referenced in a 'use-server' rule.",
            "[ALERT] config : parsing [bad.cfg:11] : frontend 'fe' : 'track-sc0' needs a stick-table in this section or a 'table' argument.",
        ])
        XCTAssertTrue(alerts.count > 4 && alerts[4].contains("[bad.cfg:14]") && alerts[4].contains("inspect-delay"), "\(alerts)")
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

    func testContentRulesInModeHTTPAreRefused() {
        let text = quiet + """
            listen stats
                bind :1
                mode http
                stats enable
                tcp-request connection reject if !{ src 10.0.0.0/8 }
                tcp-request content reject if { req.len gt 0 }
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:12] : proxy 'stats' : 'tcp-request content' rules in a 'mode http' section are not implemented yet (ordrel's built-in services read the request themselves); 'tcp-request connection' rules are.",
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
