import Foundation
import Logging
import OrdrelCLI
import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem
import XCTest

@testable import OrdrelCore

/// Log records captured from a runtime under test.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [(level: Logger.Level, message: String)] = []

    func append(_ level: Logger.Level, _ message: String) { lock.withLock { records.append((level, message)) } }

    var all: [(level: Logger.Level, message: String)] { lock.withLock { records } }

    func messages(at level: Logger.Level) -> [String] { all.filter { $0.level == level }.map(\.message) }
}

struct CapturingLogHandler: LogHandler {
    let sink: CapturedLog
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) { sink.append(event.level, event.message.description) }
}

/// The pure pieces of balancing glue: the pending queue and the check schedule.
final class BalancingGlueTests: XCTestCase {
    private final class Item {
        let name: String
        init(_ name: String) { self.name = name }
    }

    func testServesInArrivalOrderAndCountsServed() {
        var queue = PendingQueue<Item>()
        for (sequence, name) in ["a", "b", "c"].enumerated() { queue.append(Item(name), sequence: UInt64(sequence + 1)) }
        XCTAssertEqual(queue.count, 3)
        XCTAssertEqual(queue.popFirst()?.name, "a")
        XCTAssertEqual(queue.popFirst()?.name, "b")
        XCTAssertEqual(queue.servedCount, 2)
        XCTAssertEqual(queue.first?.sequence, 3)
    }

    func testLeavingEarlyRemovesOnlyThatEntryAndIsNotServed() {
        var queue = PendingQueue<Item>()
        for sequence in 1...9 { queue.append(Item("\(sequence)"), sequence: UInt64(sequence * 10)) }
        XCTAssertEqual(queue.remove(sequence: 50)?.name, "5")
        XCTAssertNil(queue.remove(sequence: 50), "already gone")
        XCTAssertNil(queue.remove(sequence: 55), "never queued")
        XCTAssertEqual(queue.remove(sequence: 10)?.name, "1")
        XCTAssertEqual(queue.remove(sequence: 90)?.name, "9")
        XCTAssertEqual(queue.servedCount, 0)
        var order: [String] = []
        while let item = queue.popFirst() { order.append(item.name) }
        XCTAssertEqual(order, ["2", "3", "4", "6", "7", "8"])
    }

    func testMergeKeepsArrivalOrder() {
        var backend = PendingQueue<Item>()
        var server = PendingQueue<Item>()
        for sequence: UInt64 in [1, 4, 6] { backend.append(Item("b\(sequence)"), sequence: sequence) }
        for sequence: UInt64 in [2, 3, 7, 9] { server.append(Item("s\(sequence)"), sequence: sequence) }
        backend.merge(server.removeAll())
        XCTAssertTrue(server.isEmpty)
        var order: [String] = []
        while let item = backend.popFirst() { order.append(item.name) }
        XCTAssertEqual(order, ["b1", "s2", "s3", "b4", "b6", "s7", "s9"])
    }

    func testCheckConnectTimeoutFollowsHaproxy() {
        XCTAssertEqual(CheckSchedule.connectTimeoutMs(inter: 2000, timeoutConnect: 500, timeoutCheck: nil), 2000,
                       "without timeout check, inter bounds the check")
        XCTAssertEqual(CheckSchedule.connectTimeoutMs(inter: 2000, timeoutConnect: 500, timeoutCheck: 100), 500)
        XCTAssertEqual(CheckSchedule.connectTimeoutMs(inter: 300, timeoutConnect: 500, timeoutCheck: 100), 300)
        XCTAssertEqual(CheckSchedule.connectTimeoutMs(inter: 300, timeoutConnect: nil, timeoutCheck: 100), 300)
    }

    func testFirstChecksAreSpreadOverTheShortestInterval() {
        XCTAssertEqual(CheckSchedule.initialDelays(intervals: [1000, 1000, 1000, 1000]), [0, 250, 500, 750])
        XCTAssertEqual(CheckSchedule.initialDelays(intervals: [2000, 400]), [0, 200])
        XCTAssertEqual(CheckSchedule.initialDelays(intervals: []), [])
    }

    func testSelectableServersFollowBackupRules() {
        let servers = [
            BalancerServer(index: 0, id: 1),
            BalancerServer(index: 1, id: 2, isBackup: true),
            BalancerServer(index: 2, id: 3, isBackup: true),
        ]
        let balancer = Balancer(algorithm: .roundrobin, servers: servers)
        XCTAssertEqual((0..<3).map(balancer.isSelectable), [true, false, false])
        balancer.setUsable(false, of: 0)
        XCTAssertEqual((0..<3).map(balancer.isSelectable), [false, true, false], "only the first backup")
        let all = Balancer(algorithm: .roundrobin, servers: servers, allBackups: true)
        all.setUsable(false, of: 0)
        XCTAssertEqual((0..<3).map(all.isSelectable), [false, true, true])
        all.setWeight(0, of: 1)
        XCTAssertEqual((0..<3).map(all.isSelectable), [false, false, true])
    }
}

/// The runtime control API and the check-driven state machine, on a runtime that is built but
/// not started (nothing is bound; no check runs on its own).
final class ControlTests: XCTestCase {
    private func runtime(_ backend: String, balance: String = "roundrobin") throws -> (Runtime, CapturedLog) {
        let text = """
        global
            maxconn 100
        defaults
            mode tcp
            timeout connect 1s
        backend be
            balance \(balance)
        \(backend)

        """
        let parsed = try ConfigParser.parse(text: text, file: "test.cfg")
        let sink = CapturedLog()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(sink: sink) }
        return (try Runtime(configuration: parsed.configuration, logger: logger, loop: .makeNew()), sink)
    }

    /// `show info` prints exactly haproxy's fields: a key outside them would be silently dropped
    /// by the renderer, and a missing one would break parsers that expect it.
    func testShowInfoKeysAreExactlyHaproxyFields() throws {
        let (runtime, _) = try runtime("    server s1 127.0.0.1:1")
        XCTAssertEqual(runtime.info().names, InfoField.names)
    }

    private func picks(_ runtime: Runtime, _ count: Int) -> [String] {
        let backend = runtime.proxy(named: "be")!
        let client = SocketAddress(ip: "127.0.0.1", port: 5000)!
        return (0..<count).map { _ in
            switch runtime.chooseServer(for: client, in: backend, avoiding: nil) {
            case .connect(let server): return server.name
            case .queue: return "queue"
            case .noServer: return "none"
            }
        }
    }

    func testDrainTakesNoNewStreamsAndReadyResumes() throws {
        let (runtime, log) = try runtime("    server s1 127.0.0.1:1\n    server s2 127.0.0.1:2")
        let s1 = runtime.proxy(named: "be")!.server(named: "s1")!
        XCTAssertEqual(s1.statusText, "no check")
        XCTAssertEqual(runtime.setServerState(s1, .drain), .done)
        XCTAssertEqual(s1.statusText, "DRAIN")
        XCTAssertEqual(s1.adminStateBits, 0x08)
        XCTAssertEqual(picks(runtime, 4), ["s2", "s2", "s2", "s2"])
        XCTAssertEqual(log.messages(at: .notice),
                       ["Server be/s1 enters drain state. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue."])
        XCTAssertEqual(runtime.setServerState(s1, .ready), .done)
        XCTAssertEqual(s1.statusText, "no check")
        XCTAssertEqual(Set(picks(runtime, 4)), ["s1", "s2"])
        XCTAssertEqual(log.messages(at: .notice).last, "Server be/s1 is UP (leaving forced drain).")
    }

    func testMaintenanceOfTheLastServerAlertsAndReadyResumesAsUpOneOfThree() throws {
        let (runtime, log) = try runtime("    server s1 127.0.0.1:1 check inter 100 rise 2 fall 3")
        let backend = runtime.proxy(named: "be")!
        let s1 = backend.server(named: "s1")!
        XCTAssertEqual(s1.statusText, "UP 1/3", "a checked server starts at health = rise")
        XCTAssertEqual(runtime.setServerEnabled(s1, false), .done)
        XCTAssertEqual(s1.statusText, "MAINT")
        XCTAssertEqual(s1.adminStateBits, 0x01)
        XCTAssertEqual(s1.checkStateBits, 0x0E, "configured, enabled, paused")
        XCTAssertEqual(s1.health?.downTransitions, 1)
        XCTAssertFalse(backend.hasUsableServer)
        XCTAssertEqual(backend.downTransitions, 1)
        XCTAssertEqual(picks(runtime, 1), ["none"])
        XCTAssertEqual(log.all.map(\.message), [
            "Server be/s1 is going DOWN for maintenance. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
            "backend 'be' has no server available!",
        ])
        XCTAssertEqual(log.all.map(\.level), [.warning, .error])

        XCTAssertEqual(runtime.setServerEnabled(s1, true), .done)
        XCTAssertEqual(s1.statusText, "UP 1/3")
        XCTAssertTrue(backend.hasUsableServer)
        XCTAssertEqual(log.all.last?.message, "Server be/s1 is UP/READY (leaving forced maintenance).")
        XCTAssertEqual(picks(runtime, 1), ["s1"])
    }

    func testCheckResultsDriveStatusCountersAndHaproxyLogLines() throws {
        let (runtime, log) = try runtime("    server s1 127.0.0.1:1 check rise 2 fall 3\n    server s2 127.0.0.1:2")
        let s1 = runtime.proxy(named: "be")!.server(named: "s1")!
        var statuses: [String] = []
        func feed(_ result: CheckResult, _ info: String = "") {
            runtime.checkCompleted(s1, verdict: CheckVerdict(result, info: info), durationMs: 1)
            statuses.append(s1.statusText)
        }
        feed(.layer4OK)
        feed(.layer4ConnectionProblem, "Connection refused")
        feed(.layer4ConnectionProblem, "Connection refused")
        feed(.layer4ConnectionProblem, "Connection refused")
        XCTAssertEqual(s1.checkStatusText, "L4CON")
        XCTAssertEqual(s1.lastCheckInfo, "Connection refused")
        XCTAssertEqual(s1.lastCheckDurationMs, 1)
        XCTAssertEqual(s1.health?.failedChecks, 3)
        XCTAssertEqual(s1.health?.downTransitions, 1)
        XCTAssertEqual(s1.operationalStateCode, 0)
        XCTAssertEqual(picks(runtime, 3), ["s2", "s2", "s2"])
        feed(.layer4OK)
        feed(.layer4OK)
        XCTAssertEqual(statuses, ["UP", "UP 2/3", "UP 1/3", "DOWN", "DOWN 1/2", "UP"])
        XCTAssertEqual(log.all.map(\.message), [
            "Server be/s1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 1ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
            "Server be/s1 is UP, reason: Layer4 check passed, check duration: 1ms. 2 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
        ])
        XCTAssertEqual(log.all.map(\.level), [.warning, .notice])
        XCTAssertEqual(Set(picks(runtime, 2)), ["s1", "s2"])
    }

    /// `disable-on-404`: L7OKC puts a running server in NOLB, a full pass lifts it, a failure
    /// takes it DOWN and back UP without NOLB; `log-health-checks` logs each check that changes
    /// something and the state lines then carry no reason (check.c `set_server_check_status`).
    func testConditionalPassAndHealthCheckLog() throws {
        let (runtime, log) = try runtime("""
                option httpchk
                option log-health-checks
                http-check disable-on-404
                server s1 127.0.0.1:1 check rise 1 fall 1
                server s2 127.0.0.1:2
            """)
        let s1 = runtime.proxy(named: "be")!.server(named: "s1")!
        var statuses: [String] = []
        func feed(_ verdict: CheckVerdict) {
            runtime.checkCompleted(s1, verdict: verdict, durationMs: 2)
            statuses.append(s1.statusText)
        }
        feed(CheckVerdict(.layer7OKConditional, code: 404))
        XCTAssertEqual(picks(runtime, 2), ["s2", "s2"], "NOLB takes no new streams")
        feed(CheckVerdict(.layer7OK, code: 200))
        feed(CheckVerdict(.layer7OKConditional, code: 404))
        feed(CheckVerdict(.layer7WrongStatus, code: 503, info: "Service Unavailable"))
        feed(CheckVerdict(.layer7OK, code: 200))
        XCTAssertEqual(statuses, ["NOLB", "UP", "NOLB", "DOWN", "UP"])
        XCTAssertEqual(s1.lastCheckCode, 200)
        XCTAssertEqual(log.all.map(\.message).filter { $0.hasPrefix("Health check") }, [
            "Health check for server be/s1 conditionally succeeded, reason: Layer7 check conditionally passed, code: 404, check duration: 2ms, status: 1/1 UP.",
            "Health check for server be/s1 succeeded, reason: Layer7 check passed, code: 200, check duration: 2ms, status: 1/1 UP.",
            "Health check for server be/s1 conditionally succeeded, reason: Layer7 check conditionally passed, code: 404, check duration: 2ms, status: 1/1 UP.",
            "Health check for server be/s1 failed, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\", check duration: 2ms, status: 0/1 DOWN.",
            "Health check for server be/s1 succeeded, reason: Layer7 check passed, code: 200, check duration: 2ms, status: 1/1 UP.",
        ])
        XCTAssertTrue(log.all.contains { $0.message == "Server be/s1 is DOWN. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue." },
                      "\(log.all.map(\.message))")
    }

    /// haproxy's LDAP and MySQL checks set their status twice per success, so the health moves
    /// twice and log-health-checks logs twice (captured from haproxy 2.6.12, rise 3 fall 1).
    func testLDAPSuccessCountsTwiceAsInHaproxy() throws {
        let (runtime, log) = try runtime("""
                option ldap-check
                option log-health-checks
                server s 127.0.0.1:1 check rise 3 fall 1
            """)
        let server = runtime.proxy(named: "be")!.server(named: "s")!
        runtime.checkCompleted(server, verdict: CheckVerdict(.layer4ConnectionProblem, info: "Connection refused"), durationMs: 0)
        runtime.checkCompleted(server, verdict: CheckVerdict(.layer7OK, interimInfo: "Success"), durationMs: 1)
        XCTAssertEqual(server.statusText, "DOWN 2/3")
        XCTAssertEqual(server.lastCheckInfo, "")
        runtime.checkCompleted(server, verdict: CheckVerdict(.layer7OK, interimInfo: "Success"), durationMs: 1)
        XCTAssertEqual(log.all.map(\.message).filter { !$0.contains("no server available") }, [
            "Health check for server be/s failed, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms, status: 0/3 DOWN.",
            "Server be/s is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
            "Health check for server be/s succeeded, reason: Layer7 check passed, code: 0, info: \"Success\", check duration: 1ms, status: 1/3 DOWN.",
            "Health check for server be/s succeeded, reason: Layer7 check passed, code: 0, check duration: 1ms, status: 2/3 DOWN.",
            "Health check for server be/s succeeded, reason: Layer7 check passed, code: 0, info: \"Success\", check duration: 1ms, status: 1/1 UP.",
            "Server be/s is UP. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
        ])
    }

    func testWeightRequestsAreValidatedLikeHaproxy() throws {
        let (runtime, _) = try runtime("    server s1 127.0.0.1:1\n    server s2 127.0.0.1:2 weight 50")
        let backend = runtime.proxy(named: "be")!
        let s2 = backend.server(named: "s2")!
        XCTAssertEqual(runtime.setServerWeight(s2, .absolute(300)), .weightOutOfRange)
        XCTAssertEqual(runtime.setServerWeight(s2, .relative(200)), .done)
        XCTAssertEqual(s2.weight, 100)
        XCTAssertEqual(backend.balancer?.lbWeight(1), 100)
        XCTAssertEqual(runtime.setServerWeight(s2, .relative(1000)), .done)
        XCTAssertEqual(s2.weight, 256, "capped")
        XCTAssertEqual(runtime.setServerWeight(s2, .absolute(0)), .done)
        XCTAssertFalse(s2.isUsable)
        XCTAssertEqual(s2.statusText, "no check", "weight 0 still shows UP-like status in 2.6")
        XCTAssertEqual(picks(runtime, 3), ["s1", "s1", "s1"])

        let (staticRuntime, _) = try self.runtime("    server s1 127.0.0.1:1 weight 4\n    server s2 127.0.0.1:2", balance: "static-rr")
        let s1 = staticRuntime.proxy(named: "be")!.server(named: "s1")!
        XCTAssertEqual(staticRuntime.setServerWeight(s1, .relative(50)), .staticAlgorithmWeight)
        XCTAssertEqual(staticRuntime.setServerWeight(s1, .absolute(0)), .done)
        XCTAssertEqual(staticRuntime.setServerWeight(s1, .relative(100)), .done)
        XCTAssertEqual(s1.weight, 4)
    }

    func testMaxconnAndAddressChanges() throws {
        let (runtime, _) = try runtime("    server s2 127.0.0.1:15102 check\n    server s4 127.0.0.1:15104 check port 9000")
        let backend = runtime.proxy(named: "be")!
        let s2 = backend.server(named: "s2")!
        let s4 = backend.server(named: "s4")!
        XCTAssertEqual(runtime.setServerMaxconn(s2, -1), .invalidMaxconn)
        XCTAssertEqual(runtime.setServerMaxconn(s2, 10), .done)
        XCTAssertEqual(s2.maxconn, 10)
        XCTAssertEqual(backend.balancer?.server(0).maxconn, 10)

        XCTAssertEqual(runtime.setServerAddress(s2, address: "127.0.0.1", port: .absolute(15109)),
                       .updated(address: .unchanged, port: .changed(from: 15102, to: 15109)))
        XCTAssertEqual(s2.address.description, "127.0.0.1:15109")
        XCTAssertEqual(s2.checkAddress.description, "127.0.0.1:15109", "checks follow the server")
        XCTAssertEqual(runtime.setServerAddress(s4, address: "127.0.0.2", port: nil),
                       .updated(address: .changed(from: "127.0.0.1", to: "127.0.0.2"), port: nil))
        XCTAssertEqual(runtime.setServerAddress(s4, address: "127.0.0.1", port: .absolute(15104)),
                       .updated(address: .changed(from: "127.0.0.2", to: "127.0.0.1"), port: .unchanged))
        XCTAssertEqual(s4.checkAddress.description, "127.0.0.1:9000", "a check port of its own stays")
        XCTAssertEqual(runtime.setServerAddress(s4, address: "foo", port: .absolute(1)), .invalidAddress)
        XCTAssertEqual(runtime.setServerAddress(s4, address: "127.0.0.9", port: .offset(1)),
                       .updated(address: .unchanged, port: .incompatibleWithCheckPort))
        XCTAssertEqual(s4.address.description, "127.0.0.1:15104", "nothing changes on a refused request")
    }

    func testHealthChecksCanBeTurnedOffAndOn() throws {
        let (runtime, _) = try runtime("    server s1 127.0.0.1:1 check\n    server s2 127.0.0.1:2")
        let backend = runtime.proxy(named: "be")!
        let s1 = backend.server(named: "s1")!
        XCTAssertEqual(runtime.setHealthChecks(backend.server(named: "s2")!, enabled: false), .checksNotConfigured)
        XCTAssertEqual(s1.checkStatusText, "INI")
        XCTAssertEqual(runtime.setHealthChecks(s1, enabled: false), .done)
        XCTAssertEqual(s1.statusText, "no check")
        XCTAssertNil(s1.checkResult)
        XCTAssertEqual(s1.checkStateBits, 0x02)
        XCTAssertEqual(runtime.setHealthChecks(s1, enabled: true), .done)
        XCTAssertEqual(s1.statusText, "UP 1/3")
        XCTAssertEqual(s1.checkStateBits, 0x06)
    }

    func testBackupsServeOnlyWhenNoActiveServerIsUsable() throws {
        let servers = "    server a1 127.0.0.1:1\n    server b1 127.0.0.1:2 backup\n    server b2 127.0.0.1:3 backup"
        let (runtime, log) = try runtime(servers)
        let a1 = runtime.proxy(named: "be")!.server(named: "a1")!
        XCTAssertEqual(picks(runtime, 2), ["a1", "a1"])
        runtime.setServerState(a1, .maint)
        XCTAssertEqual(picks(runtime, 3), ["b1", "b1", "b1"], "only the first backup without option allbackups")
        XCTAssertEqual(log.all.first?.message,
                       "Server be/a1 is going DOWN for maintenance. 0 active and 2 backup servers left. Running on backup. 0 sessions active, 0 requeued, 0 remaining in queue.")
        XCTAssertEqual(log.messages(at: .error), [], "backups remain: no alert")

        let (allRuntime, _) = try self.runtime("    option allbackups\n" + servers)
        allRuntime.setServerState(allRuntime.proxy(named: "be")!.server(named: "a1")!, .maint)
        XCTAssertEqual(picks(allRuntime, 4), ["b1", "b2", "b1", "b2"])
    }
}
