import XCTest
@testable import OrdrelConfig

/// A stick table in memory: counters by tracked key, connection rates as plain counts.
private final class Tracker: ACLEnvironment {
    var tracked: [Int: [UInt8]] = [:]
    var connections: [[UInt8]: Int64] = [:]

    func usableServers(backend: String?) -> Int? { nil }
    func connectionSlots(backend: String?) -> Int? { nil }
    func serverIsUp(backend: String, server: String) -> Bool? { nil }

    func track(_ tracking: StickTracking, key: ACLSample) {
        guard tracked[tracking.counter] == nil else { return }
        let bytes: [UInt8]
        switch key {
        case .ip(let b): bytes = b
        case .bytes(let b): bytes = Array(b)
        default: return
        }
        tracked[tracking.counter] = bytes
        connections[bytes, default: 0] += 1
    }

    func stickCounter(_ fetch: StickCounterFetch, source: [UInt8]) -> Int64? {
        switch fetch.entry {
        case .tracked(let n):
            guard let key = tracked[n] else { return fetch.operation == .tracked ? 0 : nil }
            return fetch.operation == .tracked ? 1 : connections[key]
        case .source:
            return connections[source] ?? 0
        }
    }

    func tableUsage(_ table: String?, available: Bool) -> Int64? { Int64(available ? 10 - connections.count : connections.count) }
}

/// Rules with `track-sc`: tracking happens in rule order, so later rules see the counter; the
/// first tracking of a counter wins; a key the request may still change waits.
final class StickRuleTests: XCTestCase {
    private func rules(_ lines: String, line: UInt = #line) throws -> ConnectionRules {
        let text = quietDefaults + """
            frontend fe
                bind :1
                stick-table type ip size 10
            \(lines)
                default_backend be
            backend be
                server s1 127.0.0.1:2
            """
        return try XCTUnwrap(parseOK(text, line: line)?.configuration.proxy("fe").rules, line: line)
    }

    func testTrackingBeforeALimitCountsTheConnection() throws {
        let r = try rules("""
                tcp-request connection reject if { sc0_tracked }
                tcp-request connection track-sc0 src
                tcp-request connection track-sc0 dst
                tcp-request connection reject if { sc0_conn_rate gt 2 }
            """)
        let tracker = Tracker()
        var accepted: [Bool] = []
        for _ in 0..<4 {
            tracker.tracked = [:]
            accepted.append(r.decideConnection(aclInput(source: [192, 0, 2, 1]), tracker) != .reject)
            XCTAssertEqual(tracker.tracked[0], [192, 0, 2, 1], "the first track-sc0 wins")
        }
        XCTAssertEqual(accepted, [true, true, false, false])
        XCTAssertEqual(tracker.connections, [[192, 0, 2, 1]: 4], "rejected connections were counted too")
    }

    func testSessionRulesTrackToo() throws {
        let r = try rules("""
                tcp-request session track-sc2 src
                tcp-request session reject if { sc2_conn_cnt gt 1 }
            """)
        let tracker = Tracker()
        XCTAssertTrue(r.acceptsSession(aclInput(source: [192, 0, 2, 1]), tracker))
        tracker.tracked = [:]
        XCTAssertFalse(r.acceptsSession(aclInput(source: [192, 0, 2, 1]), tracker))
        XCTAssertEqual(tracker.tracked[2], [192, 0, 2, 1])
    }

    func testContentTrackingWaitsForItsKey() throws {
        let r = try rules("""
                tcp-request inspect-delay 5s
                tcp-request content track-sc1 req.payload(0,4)
                tcp-request content reject if { sc1_conn_cnt gt 1 } || { table_avl lt 9 }
            """)
        let tracker = Tracker()
        func decide(_ payload: String, final: Bool) -> ContentDecision {
            Array(payload.utf8).withUnsafeBytes { bytes in
                var input = aclInput(source: [192, 0, 2, 1], final: final)
                input.payload = bytes
                return r.decideContent(input, tracker)
            }
        }
        XCTAssertEqual(decide("ab", final: false), .wait, "the key may still change")
        XCTAssertTrue(tracker.tracked.isEmpty)
        XCTAssertEqual(decide("abcd", final: false), .forward(useBackend: nil))
        XCTAssertEqual(tracker.tracked[1], Array("abcd".utf8))
        XCTAssertEqual(decide("wxyz", final: true), .forward(useBackend: nil))
        XCTAssertEqual(tracker.connections[Array("abcd".utf8)], 1, "the stream's counter stays on its first key")
        XCTAssertNil(tracker.connections[Array("wxyz".utf8)])
        // Other streams: too short at the end tracks nothing; a second key passes the limit.
        tracker.tracked = [:]
        XCTAssertEqual(decide("ab", final: true), .forward(useBackend: nil))
        XCTAssertTrue(tracker.tracked.isEmpty)
        XCTAssertEqual(decide("wxyz", final: true), .reject, "a second entry leaves fewer than 9 free")
    }
}
