import XCTest
@testable import OrdrelConfig

/// Numeric ids as haproxy 2.6 assigns them: a counter advancing by one per proxy (server), a
/// proxy without `id` taking the first free id at or above it; a stats socket's internal
/// `GLOBAL` frontend advances it first. Expected values are what haproxy 2.6.12's `show stat`
/// printed for the same configurations.
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

    func testCounterAdvancesPastForcedIDs() throws {
        let text = quietDefaults + """
            backend a
                server s1 127.0.0.1:1 id 2
                server s2 127.0.0.1:1
                server s3 127.0.0.1:1
            backend b
                id 1
            backend c
                disabled
            backend e
            """
        let config = try XCTUnwrap(parseOK(text)).configuration
        XCTAssertEqual(config.proxies.map(\.id), [2, 1, 4, 5])
        XCTAssertEqual(config.proxy("a").servers.map(\.id), [2, 3, 4])
    }

    func testStatsSocketTakesTheFirstSlot() throws {
        let text = "global\n    stats socket /tmp/ordrel-ids.sock\n" + quietDefaults + """
            frontend f
                bind 127.0.0.1:18997
                default_backend b
            backend b
            backend c
            """
        XCTAssertEqual(try XCTUnwrap(parseOK(text)).configuration.proxies.map(\.id), [2, 3, 4])
        let forced = "global\n    stats socket /tmp/ordrel-ids.sock\n" + quietDefaults + """
            frontend f
                id 5
                bind 127.0.0.1:18997
                default_backend b
            backend b
            backend c
            """
        XCTAssertEqual(try XCTUnwrap(parseOK(forced)).configuration.proxies.map(\.id), [5, 3, 4])
    }
}
