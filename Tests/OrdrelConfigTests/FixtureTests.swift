import Foundation
import XCTest
@testable import OrdrelConfig
import OrdrelLog
import OrdrelSystem

/// The realistic haproxy 2.6 configuration: ordrel reads it unchanged, with the values haproxy uses.
final class FixtureTests: XCTestCase {
    private let environment = ["BACKEND_PRIMARY": "be_other"]

    func testHaproxyAcceptsTheFixture() throws {
        let haproxy = "/usr/sbin/haproxy"
        guard FileManager.default.isExecutableFile(atPath: haproxy) else {
            throw XCTSkip("haproxy is not installed")
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ordrel-fixture-\(getpid()).cfg")
        try Fixtures.haproxy26TCP.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: haproxy)
        process.arguments = ["-c", "-q", "-f", url.path]
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "haproxy -c refused the fixture")
    }

    func testGlobal() throws {
        let parsed = try XCTUnwrap(parseOK(Fixtures.haproxy26TCP, file: "fixture.cfg", environment: environment))
        let global = parsed.configuration.global
        XCTAssertTrue(global.daemon)
        XCTAssertEqual(global.maxconn, 4096)
        XCTAssertEqual(global.nbthread, 2)
        XCTAssertEqual(global.pidfile, "/run/ordrel-test.pid")
        XCTAssertEqual(global.logTargets.map(\.destination), [.udp(host: "127.0.0.1", port: 514), .standardError])
        XCTAssertEqual(global.logSendHostname, CurrentProcess.hostName, "without a name: the system's")
        XCTAssertEqual(global.user, "nobody")
        XCTAssertEqual(global.group, "nogroup")
        XCTAssertEqual(global.chroot, "/var/empty")
        XCTAssertFalse(global.strictLimits)
        XCTAssertEqual(global.tuneBufsize, 32768)
        XCTAssertEqual(global.tuneMaxaccept, 16)
        XCTAssertEqual(global.statsTimeoutMs, 30_000)
        XCTAssertEqual(global.statsMaxconn, 20)
        XCTAssertEqual(global.hardStopAfterMs, 300_000)

        XCTAssertEqual(global.statsSockets.count, 2)
        let admin = global.statsSockets[0]
        XCTAssertEqual(admin.path, "/run/hap/admin.sock")
        XCTAssertEqual(admin.mode, 0o600)
        XCTAssertEqual(admin.level, .admin)
        XCTAssertTrue(admin.exposeFDListeners)
        XCTAssertEqual(admin.location, SourceLocation(file: "fixture.cfg", line: 15))
        let user = global.statsSockets[1]
        XCTAssertEqual(user.path, "/run/hap/user.sock")
        XCTAssertEqual(user.mode, 0o666)
        XCTAssertEqual(user.level, .user)
        XCTAssertFalse(user.exposeFDListeners)

        XCTAssertEqual(parsed.warnings.map(\.description), [
            "[WARNING] config : parsing [fixture.cfg:21] : 'spread-checks' is ignored by ordrel",
        ])
    }

    func testFrontend() throws {
        let config = try XCTUnwrap(parseOK(Fixtures.haproxy26TCP, environment: environment)).configuration
        XCTAssertEqual(config.proxies.map(\.name), ["fe_main", "be_app", "be_other", "pg", "parked"])
        let fe = config.proxy("fe_main")
        XCTAssertEqual(fe.kind, .frontend)
        XCTAssertEqual(fe.binds.map(\.address), [
            .tcp(host: "", port: 8080), .tcp(host: "::1", port: 8080),
            .tcp(host: "127.0.0.1", port: 9000), .tcp(host: "127.0.0.1", port: 9001),
            .tcp(host: "127.0.0.1", port: 9002),
            .unix(path: "/run/hap/fe.sock"), .tcp(host: "::", port: 8443),
        ])
        XCTAssertEqual(fe.binds[0].name, "main")
        XCTAssertEqual(fe.binds[1].backlog, 512)
        XCTAssertEqual(fe.binds[2].maxconn, 100)
        XCTAssertNil(fe.binds[0].maxconn)
        XCTAssertEqual(fe.binds[5].mode, 0o660)
        XCTAssertEqual(fe.binds[5].uid, 65534, "user nobody")
        XCTAssertEqual(fe.binds[5].gid, 65534, "group nogroup")
        XCTAssertEqual(fe.binds[6].ipv6Only, true)
        XCTAssertNil(fe.binds[0].ipv6Only)
        XCTAssertEqual(fe.maxconn, 2000)
        XCTAssertEqual(fe.rules.useBackends.map(\.backend), ["be_other"])
        XCTAssertEqual(fe.defaultBackend, "be_app")
        XCTAssertTrue(fe.options.clitcpka)
        XCTAssertTrue(fe.options.tcplog)
        XCTAssertTrue(fe.options.dontlognull)
        XCTAssertEqual(fe.timeouts.client, 60_000)
        XCTAssertEqual(fe.logTargets.map(\.destination), [.udp(host: "127.0.0.1", port: 514), .standardError])
        XCTAssertEqual(fe.logFormat, LogFormat.tcplog)
        XCTAssertEqual(fe.balance, .leastconn, "inherited from the unnamed defaults")
    }

    func testBackendAndServers() throws {
        let config = try XCTUnwrap(parseOK(Fixtures.haproxy26TCP, environment: environment)).configuration
        let be = config.proxy("be_app")
        XCTAssertEqual(be.id, 10)
        XCTAssertTrue(be.forcedID)
        XCTAssertEqual(be.balance, .roundrobin)
        XCTAssertEqual(be.retries, 2)
        XCTAssertTrue(be.options.redispatch && be.options.allbackups && be.options.abortonclose)
        XCTAssertFalse(be.options.srvtcpka, "srvtcpka is only in the 'databases' defaults")
        XCTAssertEqual(be.fullconn, 1000)
        XCTAssertEqual(be.timeouts.connect, 5000)
        XCTAssertEqual(be.timeouts.server, 60_000)
        XCTAssertEqual(be.timeouts.queue, 10_000)
        XCTAssertEqual(be.timeouts.tunnel, 3_600_000)
        XCTAssertEqual(be.timeouts.check, 2000)
        XCTAssertEqual(be.servers.map(\.name), ["app1", "app2", "app3", "spare"])
        XCTAssertEqual(be.servers.map(\.id), [1, 7, 3, 4], "haproxy 2.6.12 numbers them so (IDTests)")

        let app1 = be.servers[0]
        XCTAssertEqual(app1.host, "10.0.0.1")
        XCTAssertEqual(app1.port, 8000)
        XCTAssertEqual(app1.weight, 10)
        XCTAssertEqual(app1.maxconn, 50)
        XCTAssertEqual(app1.maxqueue, 20)
        XCTAssertTrue(app1.check)
        XCTAssertEqual(app1.interMs, 2000, "backend default-server overrides the defaults' inter 3s")
        XCTAssertEqual(app1.fastinterMs, 500)
        XCTAssertEqual(app1.downinterMs, 10_000)
        XCTAssertEqual(app1.rise, 3)
        XCTAssertEqual(app1.fall, 2)

        let app2 = be.servers[1]
        XCTAssertTrue(app2.forcedID)
        XCTAssertEqual(app2.checkPort, 9000)
        XCTAssertEqual(app2.checkAddr, "10.0.1.2")
        XCTAssertEqual(be.servers[2].host, "localhost")
        XCTAssertTrue(be.servers[2].disabled)
        let spare = be.servers[3]
        XCTAssertTrue(spare.backup)
        XCTAssertFalse(spare.check)
        XCTAssertTrue(spare.shutdownBackupSessionsOnMarkedUp)

        let other = config.proxy("be_other")
        XCTAssertEqual(other.servers[0].host, "::1")
        XCTAssertEqual(other.servers[0].port, 7000)
        XCTAssertEqual(other.servers[1].weight, 0)
        XCTAssertEqual(other.servers[0].interMs, 3000)
        XCTAssertFalse(other.servers[0].check)
    }

    func testListenFromNamedDefaults() throws {
        let config = try XCTUnwrap(parseOK(Fixtures.haproxy26TCP, environment: environment)).configuration
        let pg = config.proxy("pg")
        XCTAssertEqual(pg.kind, .listen)
        XCTAssertEqual(pg.defaultBackend, "pg")
        XCTAssertEqual(pg.description, "PostgreSQL primary and replica")
        XCTAssertEqual(pg.balance, .first)
        XCTAssertEqual(pg.timeouts.client, 8 * 3_600_000)
        XCTAssertEqual(pg.timeouts.clientFin, 30_000)
        XCTAssertEqual(pg.timeouts.serverFin, 30_000)
        XCTAssertEqual(pg.timeouts.queue, 2000, "timeout queue defaults to timeout connect")
        XCTAssertNil(pg.timeouts.check)
        XCTAssertTrue(pg.options.srvtcpka)
        XCTAssertFalse(pg.options.tcplog, "the named defaults has no option tcplog")
        XCTAssertEqual(pg.retries, 3)
        XCTAssertEqual(pg.logTargets, [])
        XCTAssertEqual(pg.servers.map(\.maxconn), [100, 100])
        XCTAssertEqual(pg.servers.map(\.check), [true, true])
        XCTAssertEqual(pg.servers.map(\.shutdownSessionsOnMarkedDown), [true, true])
        XCTAssertEqual(pg.servers.map(\.backup), [false, true])

        let parked = config.proxy("parked")
        XCTAssertTrue(parked.disabled)
        XCTAssertEqual(parked.binds.map(\.address), [.unix(path: "/run/hap/parked.sock")])
        XCTAssertEqual(parked.servers, [])
        XCTAssertEqual(parked.defaultBackend, "parked")
        XCTAssertEqual(config.proxies.map(\.id), [2, 10, 4, 5, 6], "the stats socket's GLOBAL frontend takes slot 1")
    }
}
