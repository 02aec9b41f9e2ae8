import XCTest
@testable import OrdrelConfig

/// `accept-proxy`, `send-proxy`, `send-proxy-v2`, `proxy-v2-options` and `check-send-proxy`.
final class ProxyProtocolConfigTests: XCTestCase {
    func testKeywordsAndDefaultServer() throws {
        let text = """
            defaults
                mode tcp
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            listen li
                bind 127.0.0.1:18991 accept-proxy
                bind 127.0.0.1:18992
                default-server send-proxy
                server a 127.0.0.1:1
                server b 127.0.0.1:2 send-proxy-v2 proxy-v2-options crc32c check-send-proxy
                server c 127.0.0.1:3 no-send-proxy
                server d 127.0.0.1:4 send-proxy-v2 send-proxy
            """
        let proxy = try XCTUnwrap(parseOK(text)).configuration.proxy("li")
        XCTAssertEqual(proxy.binds.map(\.acceptProxy), [true, false])
        XCTAssertEqual(proxy.servers.map(\.sendProxy), [.v1, .v2, nil, .v2])
        XCTAssertEqual(proxy.servers.map(\.proxyV2CRC32C), [false, true, false, false])
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

    func testTLSAndUnknownOptionsAreRefused() {
        let text = """
            backend be
                server a 127.0.0.1:1 proxy-v2-options cert-cn
                server b 127.0.0.1:2 proxy-v2-options unique-id
                server c 127.0.0.1:3 proxy-v2-options bogus
                server d 127.0.0.1:4 send-proxy-v2-ssl
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:2] : 'server be/a' : 'proxy-v2-options' : 'cert-cn' needs TLS, which ordrel does not do.",
            "[ALERT] config : parsing [bad.cfg:3] : 'server be/b' : 'proxy-v2-options' : 'unique-id' is not supported by ordrel.",
            "[ALERT] config : parsing [bad.cfg:4] : 'server be/c' : 'proxy-v2-options' : 'bogus' : unknown option (expects 'ssl', 'cert-cn', 'ssl-cipher', 'cert-sig', 'cert-key', 'authority', 'crc32c' or 'unique-id').",
            "[ALERT] config : parsing [bad.cfg:5] : 'server be/d' : 'send-proxy-v2-ssl' is not supported by ordrel.",
        ])
    }
}
