import Foundation
import XCTest
@testable import OrdrelConfig

/// `mode http` sections serving haproxy's built-in services, and what HTTP settings do to tcp
/// proxies (warnings worded as haproxy 2.6's, checked against `haproxy -c`).
final class HTTPConfigTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ordrel-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for status in [400, 403, 408, 500, 502, 503, 504] {
            let text = "HTTP/1.0 \(status) Error\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><body><h1>\(status)</h1></body></html>\n"
            XCTAssertTrue(FileManager.default.createFile(atPath: directory.appendingPathComponent("\(status).http").path,
                                                         contents: Data(text.utf8)))
        }
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    /// Debian's /etc/haproxy/haproxy.cfg (haproxy 2.6.12-1+deb12u4) as shipped, but for the error
    /// files' directory and the account (which must exist where the test runs).
    static let debianConfig = """
        global
        \tlog /dev/log\tlocal0
        \tlog /dev/log\tlocal1 notice
        \tchroot /var/lib/haproxy
        \tstats socket /run/haproxy/admin.sock mode 660 level admin
        \tstats timeout 30s
        \tuser haproxy
        \tgroup haproxy
        \tdaemon

        \t# Default SSL material locations
        \tca-base /etc/ssl/certs
        \tcrt-base /etc/ssl/private

        \t# See: https://ssl-config.mozilla.org/#server=haproxy&server-version=2.0.3&config=intermediate
                ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384
                ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256
                ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets

        defaults
        \tlog\tglobal
        \tmode\thttp
        \toption\thttplog
        \toption\tdontlognull
                timeout connect 5000
                timeout client  50000
                timeout server  50000
        \terrorfile 400 /etc/haproxy/errors/400.http
        \terrorfile 403 /etc/haproxy/errors/403.http
        \terrorfile 408 /etc/haproxy/errors/408.http
        \terrorfile 500 /etc/haproxy/errors/500.http
        \terrorfile 502 /etc/haproxy/errors/502.http
        \terrorfile 503 /etc/haproxy/errors/503.http
        \terrorfile 504 /etc/haproxy/errors/504.http

        """

    private func localized(_ text: String) -> String {
        text.replacingOccurrences(of: "/etc/haproxy/errors", with: directory.path)
            .replacingOccurrences(of: "user haproxy", with: "user root")
            .replacingOccurrences(of: "group haproxy", with: "group root")
    }

    func testDebianPackageConfigurationIsAccepted() throws {
        let parsed = try XCTUnwrap(parseOK(localized(Self.debianConfig)))
        XCTAssertTrue(parsed.configuration.proxies.isEmpty)
        XCTAssertEqual(parsed.warnings.filter { $0.severity == .alert }, [])
    }

    func testDebianDefaultsWithAStatsListenAndATCPProxy() throws {
        let text = localized(Self.debianConfig) + """
            listen stats
                bind *:7000
                stats enable
                stats uri /
                stats refresh 10s
                stats admin if LOCALHOST
            listen postgres
                bind *:5000
                mode tcp
                server pg1 127.0.0.1:5432 check
            """
        let parsed = try XCTUnwrap(parseOK(text))
        let stats = parsed.configuration.proxy("stats")
        XCTAssertEqual(stats.mode, .http)
        XCTAssertEqual(stats.http.stats?.page.uriPrefix, "/")
        XCTAssertEqual(stats.http.stats?.page.refreshSeconds, 10)
        XCTAssertEqual(stats.http.stats?.adminRules, [ACLCondition(negated: false, alternatives: [[
            ACLTerm(negated: false, name: "LOCALHOST", expressions: [ACLExpression(fetch: .localhost, match: .boolean)])]])])
        XCTAssertEqual(stats.http.errorFiles.keys.sorted(), [400, 403, 408, 500, 502, 503, 504])
        let postgres = parsed.configuration.proxy("postgres")
        XCTAssertEqual(postgres.mode, .tcp)
        XCTAssertTrue(postgres.options.tcplog, "httplog falls back to tcplog, as in haproxy")
        XCTAssertTrue(postgres.http.errorFiles.isEmpty)
        XCTAssertTrue(parsed.warnings.map(\.description).contains(
            "[WARNING] config : parsing [test.cfg:23] : 'option httplog' not usable with proxy 'postgres' (needs 'mode http'). Falling back to 'option tcplog'."),
            parsed.warnings.map(\.description).joined(separator: "\n"))
    }

    func testStatsKeywords() throws {
        let text = """
            defaults
                timeout client 5s
                timeout http-request 2s
                timeout http-keep-alive 1s
            frontend stats
                bind 127.0.0.1:7000
                mode http
                stats uri /haproxy?stats
                stats realm Private\\ Area
                stats auth admin:secret
                stats auth ops:other
                stats refresh 5
                stats hide-version
                stats show-legends
                stats show-node edge-1
                stats scope .
                stats scope be_app
                stats admin if { src 10.0.0.0/8 192.168.1.7 }
                stats admin unless LOCALHOST
                monitor-uri /healthz
                http-request use-service prometheus-exporter if { path /metrics }
            """
        let parsed = try XCTUnwrap(parseOK(text))
        let proxy = parsed.configuration.proxy("stats")
        let stats = try XCTUnwrap(proxy.http.stats)
        XCTAssertEqual(stats.page.realm, "Private Area")
        XCTAssertEqual(stats.page.credentials, ["admin:secret", "ops:other"])
        XCTAssertEqual(stats.page.refreshSeconds, 5)
        XCTAssertTrue(stats.page.hideVersion && stats.page.showLegends)
        XCTAssertEqual(stats.page.showNode, "edge-1")
        XCTAssertEqual(stats.page.scopes, [".", "be_app"])
        XCTAssertEqual(proxy.timeouts.httpRequest, 2000)
        XCTAssertEqual(proxy.timeouts.httpKeepAlive, 1000)
        XCTAssertEqual(proxy.http.monitorURI, "/healthz")
        XCTAssertEqual(proxy.http.serviceRules, [ServiceRule(service: .prometheusExporter, condition: .path(["/metrics"]), negated: false)])
        XCTAssertTrue(stats.allowsAdmin(aclInput(source: [10, 1, 2, 3]), NoRuntime()))
        XCTAssertTrue(stats.allowsAdmin(aclInput(source: [192, 168, 1, 7]), NoRuntime()))
        XCTAssertFalse(stats.allowsAdmin(aclInput(source: [127, 0, 0, 1]), NoRuntime()))
        XCTAssertTrue(stats.allowsAdmin(aclInput(source: [192, 168, 1, 8]), NoRuntime()), "unless LOCALHOST")
    }

    func testModeHTTPThatWouldProxyIsAnErrorNamingItsLine() {
        let text = """
            defaults
                mode http
                timeout client 1s
                timeout connect 1s
                timeout server 1s
            frontend web
                bind :80
                default_backend app
            backend app
                server a 127.0.0.1:8080
            listen both
                bind :81
                server b 127.0.0.1:8081
            listen fine
                bind :82
                stats enable
            """
        let message = "would proxy HTTP to servers, which ordrel does not do: in 'mode http' it only serves haproxy's built-in services (stats page, prometheus-exporter, monitor-uri). Use 'mode tcp' to forward connections."
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:6] : frontend 'web' : 'mode http' (set at bad.cfg:2) \(message)",
            "[ALERT] config : parsing [bad.cfg:9] : backend 'app' : 'mode http' (set at bad.cfg:2) \(message)",
            "[ALERT] config : parsing [bad.cfg:11] : proxy 'both' : 'mode http' (set at bad.cfg:2) \(message)",
        ])
    }

    func testHTTPOnlySettingsOnTCPProxiesWarnLikeHaproxy() throws {
        let text = """
            defaults
                mode http
                option httplog
                option forwardfor
                option http-server-close
                http-reuse safe
                timeout http-request 5s
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            listen app
                bind 127.0.0.1:18001
                mode tcp
                stats enable
                monitor-uri /x
                http-request use-service prometheus-exporter if { path /metrics }
                server s1 127.0.0.1:9
            """
        let parsed = try XCTUnwrap(parseOK(text))
        XCTAssertEqual(parsed.warnings.map(\.description), [
            "[WARNING] config : monitor-uri will be ignored for proxy 'app' (needs 'mode http').",
            "[WARNING] config : 'stats' statement ignored for proxy 'app' as it requires HTTP mode.",
            "[WARNING] config : 'http-request' rules ignored for proxy 'app' as they require HTTP mode.",
            "[WARNING] config : parsing [test.cfg:3] : 'option httplog' not usable with proxy 'app' (needs 'mode http'). Falling back to 'option tcplog'.",
            "[WARNING] config : 'option forwardfor' ignored for proxy 'app' as it requires HTTP mode.",
        ])
        XCTAssertNil(parsed.configuration.proxy("app").http.stats)
    }

    func testBadHTTPKeywords() {
        let text = """
            defaults
                timeout client 1s
            frontend stats
                bind :1
                mode http
                stats bogus
                stats admin if { src 300.1.1.1 }
                stats admin if ACL_NAME
                stats auth nocolon
                monitor-uri
                http-request use-service lua.hello
                http-request use-service prometheus-exporter if { hdr(host) x }
                errorfile 999 /x
                errorfile 503 /nonexistent/503.http
                monitor fail if TRUE
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:6] : 'stats' expects 'admin', 'auth', 'enable', 'hide-version', 'realm', 'refresh', 'scope', 'show-desc', 'show-legends', 'show-node' or 'uri' (got 'bogus').",
            "[ALERT] config : parsing [bad.cfg:7] : 'stats admin' : error detected while parsing condition : '300.1.1.1' is not a valid IPv4 or IPv6 address.",
            "[ALERT] config : parsing [bad.cfg:8] : 'stats admin' : error detected while parsing condition : no such ACL : 'ACL_NAME'.",
            "[ALERT] config : parsing [bad.cfg:9] : 'stats auth' expects a user:password account.",
            "[ALERT] config : parsing [bad.cfg:10] : 'monitor-uri' expects an URI.",
            "[ALERT] config : parsing [bad.cfg:11] : 'http-request use-service' : unknown service 'lua.hello' (ordrel has 'prometheus-exporter').",
            "[ALERT] config : parsing [bad.cfg:12] : 'http-request use-service prometheus-exporter' : ordrel only evaluates '{ path <path>... }' and '{ path_beg <prefix>... }' conditions (got '{ hdr(host) x }').",
            "[ALERT] config : parsing [bad.cfg:13] : 'errorfile' : status code 999 not handled.",
            "[ALERT] config : parsing [bad.cfg:14] : 'errorfile' : error opening file </nonexistent/503.http> : No such file or directory.",
            "[ALERT] config : parsing [bad.cfg:15] : 'monitor' is not supported by ordrel: 'monitor fail' conditions are not supported ('monitor-uri' answers 200 while the process runs).",
        ])
    }

    func testIPv4Networks() throws {
        let net = try XCTUnwrap(IPv4Network("10.1.0.0/255.255.0.0"))
        XCTAssertEqual(net.prefixLength, 16)
        XCTAssertTrue(net.contains(0x0A01_FFFF))
        XCTAssertFalse(net.contains(0x0A02_0000))
        XCTAssertNil(IPv4Network("10.1.0.0/255.0.255.0"))
        XCTAssertNil(IPv4Network("300.1.1.1"))
        XCTAssertNil(IPv4Network("1.2.3.4/33"))
        XCTAssertEqual(IPv4Network("0.0.0.0/0")?.contains(0xFFFF_FFFF), true)
    }
}
