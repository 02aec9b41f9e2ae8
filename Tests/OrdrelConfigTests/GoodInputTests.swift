import XCTest
@testable import OrdrelConfig

/// Valid inputs beyond the fixture: syntax corners, accepted-with-warning keywords.
final class GoodInputTests: XCTestCase {
    func testEnvironmentExpansionAndQuoting() throws {
        let text = quietDefaults + """
            frontend "fe"
                bind "${ADDR}:${PORT}" name 'it''s'
                bind "${NOPE-127.0.0.2}:81",[::1]:82
                default_backend ${BE}
            backend be_1
                description 'raw \\x31 ${BE} "q"'
            """
        let env = ["ADDR": "10.1.2.3", "PORT": "8443", "BE": "be_1"]
        let parsed = try XCTUnwrap(parseOK(text, environment: env))
        let fe = parsed.configuration.proxy("fe")
        XCTAssertEqual(fe.binds.map(\.address), [
            .tcp(host: "10.1.2.3", port: 8443), .tcp(host: "127.0.0.2", port: 81), .tcp(host: "::1", port: 82),
        ])
        XCTAssertEqual(fe.binds[0].name, "its")
        XCTAssertEqual(fe.defaultBackend, "be_1")
        XCTAssertEqual(parsed.configuration.proxy("be_1").description, #"raw \x31 ${BE} "q""#, "nothing is interpreted in single quotes")
        XCTAssertEqual(parsed.warnings.map(\.description), [], "haproxy expands ${BE} outside quotes silently too")
    }

    func testBindForms() throws {
        let text = quietDefaults + """
            frontend fe
                bind *:80,:81,0.0.0.0:82
                bind :::83 v4v6
                bind ::1:84
                bind ipv4@:85
                bind ipv6@[::]:86
                bind localhost:87-88
                bind /run/a.sock mode 0600 uid 10 gid 20
                bind unix@relative.sock
                bind :89, maxconn 5
            """
        let fe = try XCTUnwrap(parseOK(text)).configuration.proxy("fe")
        XCTAssertEqual(fe.binds.map(\.address), [
            .tcp(host: "", port: 80), .tcp(host: "", port: 81), .tcp(host: "0.0.0.0", port: 82),
            .tcp(host: "::", port: 83), .tcp(host: "::1", port: 84), .tcp(host: "", port: 85),
            .tcp(host: "::", port: 86), .tcp(host: "localhost", port: 87), .tcp(host: "localhost", port: 88),
            .unix(path: "/run/a.sock"), .unix(path: "relative.sock"), .tcp(host: "", port: 89),
        ])
        XCTAssertEqual(fe.binds[3].ipv6Only, false)
        XCTAssertEqual(fe.binds[9].mode, 0o600)
        XCTAssertEqual(fe.binds[9].uid, 10)
        XCTAssertEqual(fe.binds[9].gid, 20)
        XCTAssertEqual(fe.binds[11].maxconn, 5)
        XCTAssertEqual(fe.binds.map(\.location.line), [6, 6, 6, 7, 8, 9, 10, 11, 11, 12, 13, 14])
        XCTAssertEqual(fe.binds[3].address.description, "[::]:83")
    }

    func testIgnoredKeywordsWarn() throws {
        let text = """
            global
                ca-base /etc/ssl/certs
                ssl-default-bind-ciphers ECDHE
                tune.ssl.default-dh-param 2048
                tune.bufsize 8192
                server-state-file /var/lib/haproxy/state
                nbproc 1
                stats socket /run/s.sock backlog 10
                setenv TARGET 127.0.0.9
                presetenv TARGET 127.0.0.10
            defaults
                timeout connect 1s
                timeout client 1s
                timeout server 1s
                timeout http-request 5s
                option log-health-checks
                errorloc 503 http://example.com/busy
            backend be
                timeout client 1s
                maxconn 10
                option clitcpka
                option tcplog
                server s "${TARGET}:80"
            frontend fe
                bind :1
                balance leastconn
                retries 1
                option srvtcpka
                timeout server 1s
            """
        let parsed = try XCTUnwrap(parseOK(text, file: "w.cfg"))
        XCTAssertEqual(parsed.configuration.global.tuneBufsize, 8192)
        XCTAssertEqual(parsed.configuration.global.statsSockets.map(\.path), ["/run/s.sock"])
        XCTAssertEqual(parsed.configuration.proxy("be").servers[0].host, "127.0.0.9")
        XCTAssertNil(parsed.configuration.proxy("be").maxconn)
        XCTAssertFalse(parsed.configuration.proxy("be").options.clitcpka)
        XCTAssertEqual(parsed.configuration.proxy("fe").balance, .roundrobin)
        XCTAssertEqual(parsed.configuration.proxy("fe").retries, 3)
        XCTAssertEqual(parsed.warnings.map(\.description), [
            "[WARNING] config : parsing [w.cfg:2] : 'ca-base' is ignored by ordrel",
            "[WARNING] config : parsing [w.cfg:3] : 'ssl-default-bind-ciphers' is ignored by ordrel",
            "[WARNING] config : parsing [w.cfg:4] : 'tune.ssl.default-dh-param' is ignored by ordrel",
            "[WARNING] config : parsing [w.cfg:6] : 'server-state-file' is ignored by ordrel",
            "[WARNING] config : parsing [w.cfg:7] : 'nbproc 1' is ignored by ordrel (nbproc is not supported since HAProxy 2.5)",
            "[WARNING] config : parsing [w.cfg:8] : 'stats socket' : 'backlog' is ignored by ordrel",
            "[WARNING] config : parsing [w.cfg:17] : 'errorloc' is ignored by ordrel",
            "[WARNING] config : parsing [w.cfg:19] : 'timeout client' will be ignored because backend 'be' has no frontend capability",
            "[WARNING] config : parsing [w.cfg:20] : 'maxconn' ignored because backend 'be' has no frontend capability. Maybe you want 'fullconn' instead ?",
            "[WARNING] config : parsing [w.cfg:21] : 'clitcpka' ignored because backend 'be' has no frontend capability.",
            "[WARNING] config : parsing [w.cfg:22] : backend 'be' : 'option tcplog' directive is ignored in backends.",
            "[WARNING] config : parsing [w.cfg:26] : 'balance' ignored because frontend 'fe' has no backend capability.",
            "[WARNING] config : parsing [w.cfg:27] : 'retries' ignored because frontend 'fe' has no backend capability.",
            "[WARNING] config : parsing [w.cfg:28] : 'srvtcpka' ignored because frontend 'fe' has no backend capability.",
            "[WARNING] config : parsing [w.cfg:29] : 'timeout server' will be ignored because frontend 'fe' has no backend capability",
        ])
    }

    func testSanityWarnings() throws {
        let parsed = try XCTUnwrap(parseOK("frontend fe\nbackend be\n    timeout connect 1s\n    server s 127.0.0.1:1\nbackend empty\n", file: "s.cfg"))
        XCTAssertEqual(parsed.warnings.map(\.description), [
            "[WARNING] config : parsing [s.cfg:1] : frontend 'fe' has no 'bind' directive. Please declare it as a backend if this was intended.",
            "[WARNING] config : parsing [s.cfg:1] : missing timeouts for frontend 'fe' ('client'); unset timeouts never expire.",
            "[WARNING] config : parsing [s.cfg:2] : missing timeouts for backend 'be' ('server'); unset timeouts never expire.",
        ])
    }

    func testGlobalValues() throws {
        let text = """
            global
                uid 99
                gid 98
                tune.maxaccept -1
                grace 2s
                maxconn 0
                maxconnrate 100
                maxsessrate 0
                stats socket /run/o.sock
                stats socket /run/u.sock uid 1 gid 2
                stats socket /run/n.sock user nobody group nogroup
                stats socket /run/x.sock level admin expose-fd listeners
                noreuseport
            """
        let global = try XCTUnwrap(parseOK(text)).configuration.global
        XCTAssertTrue(global.noReusePort)
        XCTAssertTrue(global.statsSockets[3].exposeFDListeners)
        XCTAssertFalse(global.statsSockets[0].exposeFDListeners)
        XCTAssertEqual(global.uid, 99)
        XCTAssertEqual(global.gid, 98)
        XCTAssertEqual(global.tuneMaxaccept, -1)
        XCTAssertEqual(global.graceMs, 2000)
        XCTAssertNil(global.maxconn)
        XCTAssertEqual(global.maxConnRate, 100)
        XCTAssertEqual(global.maxSessRate, 0)
        XCTAssertEqual(global.statsSockets[0].level, .operator, "haproxy's default level")
        XCTAssertNil(global.statsSockets[0].mode)
        XCTAssertEqual(global.statsSockets[1].uid, 1)
        XCTAssertEqual(global.statsSockets[1].gid, 2)
        XCTAssertEqual(global.statsSockets[2].uid, 65534, "user nobody")
        XCTAssertEqual(global.statsSockets[2].gid, 65534, "group nogroup")
    }

    func testPseudoVariablesAndCRLF() throws {
        let text = "global\r\n    pidfile \"/run/${.SECTION}-${.LINE}.pid\"\r\n"
        let global = try XCTUnwrap(parseOK(text)).configuration.global
        XCTAssertEqual(global.pidfile, "/run/global-2.pid")
    }

    /// `show info` names haproxy unless the operator asks for ordrel's own name.
    func testProductName() throws {
        XCTAssertEqual(try XCTUnwrap(parseOK(quietDefaults)).configuration.global.productName, .haproxy)
        let named = try XCTUnwrap(parseOK("global\n    ordrel.product-name ordrel\n"))
        XCTAssertEqual(named.configuration.global.productName, .ordrel)
        XCTAssertEqual(alertLines(diagnostics("global\n    ordrel.product-name nginx\n")),
            ["[ALERT] config : parsing [bad.cfg:2] : 'ordrel.product-name' expects 'HAProxy' or 'ordrel' (got 'nginx')."])
        XCTAssertEqual(alertLines(diagnostics("global\n    ordrel.product-name\n")),
            ["[ALERT] config : parsing [bad.cfg:2] : 'ordrel.product-name' expects 'HAProxy' or 'ordrel'."])
    }
}
