import XCTest
@testable import OrdrelConfig
import OrdrelLog

/// `defaults` inheritance and the values resolved after parsing, as haproxy 2.6 does them.
final class InheritanceTests: XCTestCase {
    func testBuiltinDefaults() throws {
        let config = try XCTUnwrap(parseOK("listen l\n    bind :1\n")).configuration
        let l = config.proxy("l")
        XCTAssertEqual(l.mode, .tcp)
        XCTAssertEqual(l.balance, .roundrobin)
        XCTAssertEqual(l.retries, 3)
        XCTAssertEqual(l.timeouts, Timeouts())
        XCTAssertEqual(l.options, ProxyOptions())
        XCTAssertNil(l.maxconn)
        XCTAssertEqual(l.defaultBackend, "l")
        XCTAssertNil(config.global.maxconn)
        XCTAssertEqual(config.global.statsTimeoutMs, 10_000)
        XCTAssertEqual(config.global.statsMaxconn, 10)
        XCTAssertTrue(config.global.strictLimits)
    }

    func testLastDefaultsApplies() throws {
        let text = """
            defaults
                balance source
                retries 5
                maxconn 100
                timeout connect 1s
                timeout client 2s
                timeout server 3s
                option redispatch
                option nolinger
                option tcpka
                log 10.0.0.1 local1
                default-server weight 7 check
            backend a
                server s 1.1.1.1:1
            defaults
                timeout connect 9s
                timeout client 9s
                timeout server 9s
            backend b
                server s 1.1.1.1:1
            """
        let config = try XCTUnwrap(parseOK(text)).configuration
        let a = config.proxy("a")
        XCTAssertEqual(a.balance, .source)
        XCTAssertEqual(a.retries, 5)
        XCTAssertNil(a.maxconn, "maxconn is a frontend setting, a backend does not take it")
        XCTAssertEqual(a.timeouts.connect, 1000)
        XCTAssertEqual(a.timeouts.server, 3000)
        XCTAssertEqual(a.timeouts.client, 2000, "copied from defaults like haproxy, unused by a backend")
        XCTAssertEqual(a.timeouts.queue, 1000)
        XCTAssertTrue(a.options.redispatch && a.options.nolinger && a.options.tcpka)
        XCTAssertEqual(a.logTargets.map(\.destination), [.udp(host: "10.0.0.1", port: 514)])
        XCTAssertEqual(a.servers[0].weight, 7)
        XCTAssertTrue(a.servers[0].check)

        // A second unnamed defaults starts again from haproxy's built-in values.
        let b = config.proxy("b")
        XCTAssertEqual(b.balance, .roundrobin)
        XCTAssertEqual(b.retries, 3)
        XCTAssertEqual(b.timeouts.connect, 9000)
        XCTAssertFalse(b.options.redispatch)
        XCTAssertEqual(b.logTargets, [])
        XCTAssertEqual(b.servers[0].weight, 1)
        XCTAssertFalse(b.servers[0].check)
    }

    func testProxyOverridesAndNegations() throws {
        let text = quietDefaults.replacingOccurrences(of: "defaults\n", with: "defaults\n    option redispatch\n    option dontlognull\n    maxconn 50\n") + """
            listen l
                bind :1
                no option redispatch
                no option dontlognull
                option redispatch 0
                maxconn 0
                timeout queue 4s
            frontend f
                bind :2
                maxconn 60
            """
        let config = try XCTUnwrap(parseOK(text)).configuration
        let l = config.proxy("l")
        XCTAssertFalse(l.options.redispatch)
        XCTAssertFalse(l.options.dontlognull)
        XCTAssertNil(l.maxconn, "maxconn 0 means the global limit")
        XCTAssertEqual(l.timeouts.queue, 4000, "an explicit timeout queue wins over timeout connect")
        XCTAssertEqual(config.proxy("f").maxconn, 60)
    }

    func testDefaultServerAppliesToLaterServersOnly() throws {
        let text = quietDefaults + """
            backend be
                server early 1.1.1.1:1
                default-server rise 5 fall 6 maxconn 9 inter 1s
                server late 1.1.1.1:2 fall 1
            """
        let be = try XCTUnwrap(parseOK(text)).configuration.proxy("be")
        XCTAssertEqual(be.servers[0].rise, 2)
        XCTAssertEqual(be.servers[0].fall, 3)
        XCTAssertEqual(be.servers[0].interMs, 2000)
        XCTAssertEqual(be.servers[1].rise, 5)
        XCTAssertEqual(be.servers[1].fall, 1)
        XCTAssertEqual(be.servers[1].maxconn, 9)
        XCTAssertEqual(be.servers[1].interMs, 1000)
    }

    func testNamedDefaultsAndFrom() throws {
        let text = """
            defaults slow
                timeout connect 30s
                timeout client 1h
                timeout server 1h
                balance static-rr
            defaults fast from slow
                timeout connect 1s
            defaults
                timeout connect 5s
                timeout client 5s
                timeout server 5s
            backend b1 from fast
            backend b2 from slow
            backend b3
            """
        let config = try XCTUnwrap(parseOK(text)).configuration
        XCTAssertEqual(config.proxy("b1").timeouts.connect, 1000)
        XCTAssertEqual(config.proxy("b1").timeouts.server, 3_600_000)
        XCTAssertEqual(config.proxy("b1").balance, .staticRR)
        XCTAssertEqual(config.proxy("b2").timeouts.connect, 30_000)
        XCTAssertEqual(config.proxy("b3").timeouts.connect, 5000)
        XCTAssertEqual(config.proxy("b3").balance, .roundrobin)
    }

    func testFromErrors() {
        let text = """
            defaults a
                timeout client 1s
            frontend f
                bind :3
            backend b from a
            backend c from nope
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:5] : defaults section 'a' (declared at bad.cfg:1) is explicitly referenced by another proxy and implicitly used here. To avoid any ambiguity don't mix both usage. Add a last defaults section not explicitly used or always use explicit references.",
            "[ALERT] config : parsing [bad.cfg:6] : defaults section 'nope' not found for backend 'c'.",
        ])
    }

    func testLogGlobalUsesGlobalTargetsWhereverGlobalIs() throws {
        let text = quietDefaults + """
            frontend f
                bind :1
                log global
                log 127.0.0.1:515 len 2048 format rfc5424 local2 info
            frontend g
                bind :2
                log global
                no log
            global
                log /dev/log local0
            """
        let config = try XCTUnwrap(parseOK(text)).configuration
        XCTAssertEqual(config.proxy("f").logTargets, [
            LogTarget(destination: .unixDatagram(path: "/dev/log"), facility: 16),
            LogTarget(destination: .udp(host: "127.0.0.1", port: 515), format: .rfc5424, maxLength: 2048, facility: 18,
                      maxLevel: .info),
        ])
        XCTAssertEqual(config.proxy("g").logTargets, [])
    }

    func testListenKeepsExplicitDefaultBackend() throws {
        let text = quietDefaults + """
            listen l
                bind :1
                default_backend be
            backend be
            """
        let config = try XCTUnwrap(parseOK(text)).configuration
        XCTAssertEqual(config.proxy("l").defaultBackend, "be")
        XCTAssertNil(config.proxy("be").defaultBackend)
    }
}
