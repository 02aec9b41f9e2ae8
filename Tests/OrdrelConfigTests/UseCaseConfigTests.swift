import Foundation
import XCTest
@testable import OrdrelConfig

/// Configurations of the kinds issue 13 was filed for (TLS passthrough routed by SNI, a
/// single-writer Galera cluster, FTP persistence, mail and game servers behind the PROXY
/// protocol, MQTT with rate limits and DNS-discovered brokers, `log /dev/log`): haproxy 2.6
/// accepts each, and so does ordrel, without a warning (nothing accepted and ignored) and with
/// the meaning the keywords have.
final class UseCaseConfigTests: XCTestCase {
    private static let defaults = """
        global
            log /dev/log local0
            log 127.0.0.1:514 local1 notice
            maxconn 4096
        defaults
            log global
            mode tcp
            option tcplog
            option dontlognull
            timeout connect 5s
            timeout client 50s
            timeout server 50s

        """

    private static let sniproxy = defaults + """
        frontend https_in
            bind *:443
            tcp-request inspect-delay 5s
            tcp-request content accept if { req_ssl_hello_type 1 }
            acl is_app req_ssl_sni -i app.example.com
            acl is_api req.ssl_sni -m end .api.example.com
            use_backend app if is_app
            use_backend api if is_api
            default_backend fallback
        backend app
            server app1 10.0.0.10:443 check
        backend api
            balance source
            server api1 10.0.0.20:443 check
            server api2 10.0.0.21:443 check
        backend fallback
            server fb 10.0.0.30:443

        """

    private static let galera = defaults + """
        listen galera
            bind 127.0.0.1:3306
            balance leastconn
            option tcpka
            option mysql-check user haproxy
            stick-table type ip size 1
            stick on dst
            server db1 10.0.0.1:3306 check
            server db2 10.0.0.2:3306 check backup
            server db3 10.0.0.3:3306 check backup

        """

    private static let ftp = defaults + """
        listen ftp
            bind :21
            bind :10000-10250
            stick-table type ip size 100k expire 30m
            stick on src
            server ftp1 10.0.0.1 check port 21
            server ftp2 10.0.0.2 check port 21

        """

    private static func mail(blocklist: String) -> String {
        defaults + """
        frontend smtp
            bind :25
            bind :587
            tcp-request connection reject if { src -f \(blocklist) }
            default_backend postfix
        backend postfix
            option smtpchk HELO lb.example.com
            server mail1 10.0.0.5:10025 send-proxy check
        frontend minecraft
            bind :25565
            default_backend mc
        backend mc
            server mc1 10.0.0.40:25565 send-proxy-v2 proxy-v2-options crc32c

        """
    }

    private static let mqtt = defaults + """
        global
            unix-bind prefix /run/lb/ mode 660
        resolvers dns
            nameserver dns1 10.0.0.2:53
            hold valid 10s
        frontend mqtt
            bind :1883
            bind 127.0.0.1:8883 accept-proxy
            bind unix@mqtt.sock
            stick-table type ip size 100k expire 30s store conn_rate(10s),conn_cur
            tcp-request connection track-sc0 src
            tcp-request connection reject if { sc0_conn_rate gt 20 }
            tcp-request connection reject if { sc0_conn_cur gt 10 }
            default_backend brokers
        backend brokers
            balance leastconn
            source 10.0.0.100
            server-template broker 3 mqtt.example.internal:1883 resolvers dns init-addr none check

        """

    private func checkedByHaproxy(_ text: String, in directory: URL, line: UInt = #line) throws {
        let haproxy = "/usr/sbin/haproxy"
        guard FileManager.default.isExecutableFile(atPath: haproxy) else { throw XCTSkip("haproxy is not installed") }
        let url = directory.appendingPathComponent("haproxy.cfg")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: haproxy)
        process.arguments = ["-c", "-q", "-f", url.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "haproxy -c refused it", line: line)
    }

    /// ordrel's model of `text`, which must come without a warning.
    private func accepted(_ text: String, line: UInt = #line) throws -> Configuration {
        let parsed = try XCTUnwrap(parseOK(text, line: line), line: line)
        XCTAssertEqual(parsed.warnings.map(\.description), [], line: line)
        return parsed.configuration
    }

    func testBothAcceptEachAndOrdrelReadsItsMeaning() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ordrel-usecases-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let blocklist = directory.appendingPathComponent("blocklist.lst").path
        try "# abusers\n192.0.2.0/24\n2001:db8::/32\n".write(toFile: blocklist, atomically: true, encoding: .utf8)
        for text in [Self.sniproxy, Self.galera, Self.ftp, Self.mail(blocklist: blocklist), Self.mqtt] {
            try checkedByHaproxy(text, in: directory)
        }

        let sni = try accepted(Self.sniproxy)
        XCTAssertEqual(sni.global.logTargets.map(\.destination), [.unixDatagram(path: "/dev/log"), .udp(host: "127.0.0.1", port: 514)])
        XCTAssertEqual(sni.proxy("https_in").rules.useBackends.map(\.backend), ["app", "api"])

        let galera = try accepted(Self.galera)
        XCTAssertEqual(galera.proxy("galera").stickTable?.size, 1)
        XCTAssertEqual(galera.proxy("galera").stickRules.map(\.kind), [.on])

        let ftp = try accepted(Self.ftp)
        XCTAssertEqual(ftp.proxy("ftp").servers.map(\.port), [0, 0], "portless: the port the client connected to")

        let mail = try accepted(Self.mail(blocklist: blocklist))
        XCTAssertEqual(mail.proxy("postfix").servers.map(\.sendProxy), [.v1])
        XCTAssertEqual(mail.proxy("mc").servers.map(\.sendProxy), [.v2])

        let mqtt = try accepted(Self.mqtt)
        XCTAssertEqual(mqtt.proxy("mqtt").binds.map(\.acceptProxy), [false, true, false])
        XCTAssertEqual(mqtt.proxy("brokers").servers.map(\.name), ["broker1", "broker2", "broker3"])
        XCTAssertNotNil(mqtt.proxy("brokers").source)
    }
}
