import OrdrelSystem
import XCTest
@testable import OrdrelConfig

/// `accept-proxy`, `send-proxy`, `send-proxy-v2`, `proxy-v2-options` and `check-send-proxy`;
/// servers without a port, `source` and `unix-bind`.
final class ProxyProtocolConfigTests: XCTestCase {
    func testKeywordsAndDefaultServer() throws {
        let text = """
            defaults
                mode tcp
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            listen li
                bind 127.0.0.1:18991 accept-proxy tfo
                bind 127.0.0.1:18992
                default-server send-proxy
                server a 127.0.0.1:1
                server b 127.0.0.1:2 send-proxy-v2 proxy-v2-options crc32c,unique-id check-send-proxy
                server c 127.0.0.1:3 no-send-proxy
                server d 127.0.0.1:4 send-proxy-v2 send-proxy
            """
        let proxy = try XCTUnwrap(parseOK(text)).configuration.proxy("li")
        XCTAssertEqual(proxy.binds.map(\.acceptProxy), [true, false])
        XCTAssertEqual(proxy.binds.map(\.tfo), [true, false])
        XCTAssertEqual(proxy.servers.map(\.sendProxy), [.v1, .v2, nil, .v2])
        XCTAssertEqual(proxy.servers.map(\.proxyV2CRC32C), [false, true, false, false])
        XCTAssertEqual(proxy.servers.map(\.proxyV2UniqueID), [false, true, false, false])
        XCTAssertEqual(proxy.servers.map(\.checkSendProxy), [false, true, false, false])
    }

    /// A server without a port takes the client's destination port; a check then needs one.
    func testServersWithoutAPort() throws {
        let text = """
            backend be
                server a 127.0.0.1
                server b 127.0.0.1 check port 22
                server c [::1] check addr 127.0.0.1 port 23
            """
        let proxy = try XCTUnwrap(parseOK(text)).configuration.proxy("be")
        XCTAssertEqual(proxy.servers.map(\.port), [0, 0, 0])
        XCTAssertEqual(proxy.servers.map(\.host), ["127.0.0.1", "127.0.0.1", "::1"])
    }

    func testSource() throws {
        let text = """
            defaults
                source 127.0.0.2
            backend inherits
                server a 127.0.0.1:1
            backend own
                source [::1]:4000
                server a 127.0.0.1:1 source ipv4@127.0.0.3
            """
        let config = try XCTUnwrap(parseOK(text)).configuration
        XCTAssertEqual(config.proxy("inherits").source, SocketAddress(ip: "127.0.0.2", port: 0))
        XCTAssertEqual(config.proxy("own").source, SocketAddress(ip: "::1", port: 4000))
        XCTAssertEqual(config.proxy("own").servers.first?.source, SocketAddress(ip: "127.0.0.3", port: 0))
        let bad = """
            backend be
                source 127.0.0.2 usesrc clientip
                source example.org
                server a 127.0.0.1:1 source 127.0.0.1:1000-2000
            frontend fe
                source 127.0.0.1
            """
        XCTAssertEqual(alertLines(diagnostics(bad)).prefix(3), [
            "[ALERT] config : parsing [bad.cfg:2] : 'source' : 'usesrc' is not supported by ordrel (only 'source <addr>[:<port>]').",
            "[ALERT] config : parsing [bad.cfg:3] : 'source' : invalid source address 'example.org' (ordrel takes an IP address here).",
            "[ALERT] config : parsing [bad.cfg:4] : 'server be/a' : 'source' : invalid source port '1000-2000' (port ranges are not supported by ordrel).",
        ])
    }

    /// As haproxy 2.6.12 with `unix-bind prefix /tmp/p mode 600` and `bind /x.sock`, `bind /y.sock
    /// mode 640`: sockets `/tmp/p/x.sock` (0600) and `/tmp/p/y.sock` (0640); stats sockets keep
    /// their own path.
    func testUnixBindDefaults() throws {
        let text = """
            global
                unix-bind prefix /tmp/p mode 600 uid 12 gid 34
                stats socket /tmp/stats.sock
            defaults
                mode tcp
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            listen li
                bind /x.sock
                bind unix@/y.sock mode 640 gid 7
                bind 127.0.0.1:18993
                server a 127.0.0.1:1
            """
        let config = try XCTUnwrap(parseOK(text)).configuration
        let binds = config.proxy("li").binds
        XCTAssertEqual(binds.map(\.address), [.unix(path: "/tmp/p/x.sock"), .unix(path: "/tmp/p/y.sock"),
                                              .tcp(host: "127.0.0.1", port: 18993)])
        XCTAssertEqual(binds.prefix(2).map(\.mode), [0o600, 0o640])
        XCTAssertEqual(binds.prefix(2).map(\.uid), [12, 12])
        XCTAssertEqual(binds.prefix(2).map(\.gid), [34, 7])
        XCTAssertEqual(config.global.statsSockets.map(\.path), ["/tmp/stats.sock"])
        XCTAssertEqual(alertLines(diagnostics("global\n    unix-bind prefix /a foo bar\n    unix-bind user nosuchuser-ordrel\n")), [
            "[ALERT] config : parsing [bad.cfg:2] : 'unix-bind' only supports the 'prefix', 'mode', 'uid', 'gid', 'user' and 'group' options.",
            "[ALERT] config : parsing [bad.cfg:3] : 'unix-bind' : 'nosuchuser-ordrel' unknown user.",
        ])
    }

    func testTLSAndUnknownOptionsAreRefused() {
        let text = """
            backend be
                server a 127.0.0.1:1 proxy-v2-options cert-cn
                server b 127.0.0.1:2 proxy-v2-options authority
                server c 127.0.0.1:3 proxy-v2-options bogus
                server d 127.0.0.1:4 send-proxy-v2-ssl
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:2] : 'server be/a' : 'proxy-v2-options' : 'cert-cn' needs TLS, which ordrel does not do.",
            "[ALERT] config : parsing [bad.cfg:3] : 'server be/b' : 'proxy-v2-options' : 'authority' needs TLS (haproxy sends the client's SNI), which ordrel does not do.",
            "[ALERT] config : parsing [bad.cfg:4] : 'server be/c' : 'proxy-v2-options' : 'bogus' : unknown option (expects 'ssl', 'cert-cn', 'ssl-cipher', 'cert-sig', 'cert-key', 'authority', 'crc32c' or 'unique-id').",
            "[ALERT] config : parsing [bad.cfg:5] : 'server be/d' : 'send-proxy-v2-ssl' is not supported by ordrel.",
        ])
    }
}
