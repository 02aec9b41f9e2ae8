import XCTest
@testable import OrdrelConfig

/// Numeric ids: explicit ones first, then 1, 2, ... in file order skipping used ones
/// (matches `show stat` iid/sid of haproxy 2.6 for the same configuration).
final class IDTests: XCTestCase {
    func testProxyAndServerIDs() throws {
        let text = quietDefaults + """
            backend a
                server s1 127.0.0.1:1
                server s2 127.0.0.1:1 id 1
                server s3 127.0.0.1:1
                server s4 127.0.0.1:1 id 3
            backend b
                id 1
            frontend c
                bind 127.0.0.1:18999
            listen d
                id 3
                bind 127.0.0.1:18998
            """
        let config = try XCTUnwrap(parseOK(text)).configuration
        XCTAssertEqual(config.proxies.map(\.name), ["a", "b", "c", "d"])
        XCTAssertEqual(config.proxies.map(\.id), [2, 1, 4, 3])
        XCTAssertEqual(config.proxies.map(\.forcedID), [false, true, false, true])
        let a = config.proxy("a")
        XCTAssertEqual(a.servers.map(\.id), [2, 1, 4, 3])
        XCTAssertEqual(a.servers.map(\.forcedID), [false, true, false, true])
    }

    func testServerIDsArePerBackend() throws {
        let text = quietDefaults + """
            backend a
                server x 127.0.0.1:1
                server y 127.0.0.1:2
            backend b
                server x 127.0.0.1:3
            """
        let config = try XCTUnwrap(parseOK(text)).configuration
        XCTAssertEqual(config.proxy("a").servers.map(\.id), [1, 2])
        XCTAssertEqual(config.proxy("b").servers.map(\.id), [1])
    }
}
