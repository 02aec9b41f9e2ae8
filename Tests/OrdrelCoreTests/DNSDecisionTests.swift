import OrdrelConfig
import OrdrelSystem
import XCTest
@testable import OrdrelCore

/// The sans-IO parts of run-time DNS: the retry and type fallback of one resolution, the
/// address a server picks, the hold periods and the SRV slots of a template.
final class DNSDecisionTests: XCTestCase {
    private func ip(_ text: String) -> SocketAddress { SocketAddress(ip: text, port: 0)! }

    /// All name servers are asked; the first valid answer wins even after a failure.
    func testFirstValidAnswerWins() {
        var attempt = ResolutionAttempt(preferred: .a, retries: 3)
        attempt.sent(to: 2)
        XCTAssertEqual(attempt.receive(.failure(.nx)), .wait)
        XCTAssertEqual(attempt.receive(.addresses([ip("10.0.0.1")])), .valid(.addresses([ip("10.0.0.1")])))
    }

    /// haproxy's order: AAAA fails everywhere, A is tried (no try spent), then the preferred
    /// type again while tries last; the last failure is reported.
    func testTypeFallbackThenRetries() {
        var attempt = ResolutionAttempt(preferred: .aaaa, retries: 2)
        attempt.sent(to: 1)
        XCTAssertEqual(attempt.receive(.failure(.noAnswer)), .query(.a))
        attempt.sent(to: 1)
        XCTAssertEqual(attempt.receive(.failure(.nx)), .query(.aaaa))
        attempt.sent(to: 1)
        XCTAssertEqual(attempt.receive(.failure(.nx)), .query(.a))
        attempt.sent(to: 1)
        XCTAssertEqual(attempt.receive(.failure(.nx)), .failed(.nx))
    }

    /// A time-out does not switch the type; SRV never does.
    func testTimeoutsAndSRVOnlyRetry() {
        var attempt = ResolutionAttempt(preferred: .a, retries: 2)
        attempt.sent(to: 2)
        XCTAssertEqual(attempt.receive(.failure(.timeout)), .wait)
        XCTAssertEqual(attempt.receive(.failure(.timeout)), .query(.a))
        attempt.sent(to: 2)
        XCTAssertEqual(attempt.receive(.failure(.refused)), .wait)
        XCTAssertEqual(attempt.receive(.failure(.timeout)), .failed(.timeout))

        var service = ResolutionAttempt(preferred: .srv, retries: 1)
        service.sent(to: 1)
        XCTAssertEqual(service.receive(.failure(.nx)), .failed(.nx))
    }

    func testPickAddressScores() {
        let records = [ip("10.0.0.1"), ip("192.168.1.1"), ip("fd00::1")]
        // Preferred family first.
        XCTAssertEqual(DNSServerDecision.pickAddress(from: records, current: nil, taken: [], preferIPv4: false, networks: [], allowDuplicates: false), ip("fd00::1"))
        XCTAssertEqual(DNSServerDecision.pickAddress(from: records, current: nil, taken: [], preferIPv4: true, networks: [], allowDuplicates: false), ip("10.0.0.1"))
        // resolve-net ranks its networks above the others of the family.
        let net = ACLNetwork(address: [192, 168, 0, 0], prefixLength: 16)
        XCTAssertEqual(DNSServerDecision.pickAddress(from: records, current: nil, taken: [], preferIPv4: true, networks: [net], allowDuplicates: false), ip("192.168.1.1"))
        // The current address is kept when it scores as well as another.
        XCTAssertEqual(DNSServerDecision.pickAddress(from: records, current: ip("192.168.1.1"), taken: [], preferIPv4: true, networks: [], allowDuplicates: false), ip("192.168.1.1"))
        // Another server's address is skipped, or ranked lower with allow-dup-ip.
        XCTAssertEqual(DNSServerDecision.pickAddress(from: records, current: nil, taken: ["10.0.0.1"], preferIPv4: true, networks: [], allowDuplicates: false), ip("192.168.1.1"))
        XCTAssertNil(DNSServerDecision.pickAddress(from: [ip("10.0.0.1")], current: nil, taken: ["10.0.0.1"], preferIPv4: true, networks: [], allowDuplicates: false))
        XCTAssertEqual(DNSServerDecision.pickAddress(from: [ip("10.0.0.1")], current: nil, taken: ["10.0.0.1"], preferIPv4: true, networks: [], allowDuplicates: true), ip("10.0.0.1"))
    }

    /// A failure stops a server only once no valid answer came for its hold period.
    func testHoldPeriods() {
        var hold = ResolverHoldTimes()
        hold.nx = 1000
        hold.timeout = 5000
        XCTAssertFalse(DNSServerDecision.failureStopsServer(.nx, lastValidMs: 10_000, nowMs: 10_999, hold: hold))
        XCTAssertTrue(DNSServerDecision.failureStopsServer(.nx, lastValidMs: 10_000, nowMs: 11_000, hold: hold))
        XCTAssertFalse(DNSServerDecision.failureStopsServer(.timeout, lastValidMs: 10_000, nowMs: 14_000, hold: hold))
        hold.other = 0
        XCTAssertTrue(DNSServerDecision.failureStopsServer(.other, lastValidMs: 10_000, nowMs: 10_000, hold: hold))
        XCTAssertEqual(DNSServerDecision.maintenanceReason(.nx), "DNS NX status")
        XCTAssertEqual(DNSServerDecision.maintenanceReason(.timeout), "DNS timeout status")
        XCTAssertEqual(DNSServerDecision.maintenanceReason(.refused), "DNS refused status")
        XCTAssertEqual(DNSServerDecision.maintenanceReason(.invalid), "unspecified DNS error")
    }

    func testHostNames() {
        for good in ["web.test", "a", "db-1.example.org", "_x.example", "fqdn.example."] {
            XCTAssertTrue(DNSServerDecision.isValidHostName(good), good)
        }
        for bad in ["", "bad_name!", "a..b", ".a", String(repeating: "a", count: 64) + ".test", "sp ace.test"] {
            XCTAssertFalse(DNSServerDecision.isValidHostName(bad), bad)
        }
    }

    /// Records keep their servers, new ones take free slots in order, a missing one is dropped
    /// after `hold obsolete`.
    func testServiceSlots() {
        let a = DNSServiceRecord(priority: 0, weight: 10, port: 8081, target: "a.test")
        let b = DNSServiceRecord(priority: 0, weight: 20, port: 8082, target: "b.test")
        let c = DNSServiceRecord(priority: 0, weight: 512, port: 8083, target: "c.test")
        var slots = DNSServerDecision.assignServices([a, b], to: [nil, nil, nil], nowMs: 100, obsoleteMs: 1000)
        XCTAssertEqual(slots.map { $0?.record.target }, ["a.test", "b.test", nil])
        // b goes away, c comes: c takes the free slot, b stays until obsolete.
        slots = DNSServerDecision.assignServices([c, a], to: slots, nowMs: 600, obsoleteMs: 1000)
        XCTAssertEqual(slots.map { $0?.record.target }, ["a.test", "b.test", "c.test"])
        slots = DNSServerDecision.assignServices([c, a], to: slots, nowMs: 1100, obsoleteMs: 1000)
        XCTAssertEqual(slots.map { $0?.record.target }, ["a.test", nil, "c.test"])
        XCTAssertEqual(DNSServerDecision.weight(fromSRV: 10), 1)
        XCTAssertEqual(DNSServerDecision.weight(fromSRV: 512), 3)
        XCTAssertEqual(DNSServerDecision.weight(fromSRV: 65535), 256)
    }
}
