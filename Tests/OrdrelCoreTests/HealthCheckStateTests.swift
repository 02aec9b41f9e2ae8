import OrdrelCLI
import XCTest

@testable import OrdrelCore

final class HealthCheckStateTests: XCTestCase {
    private func status(_ check: HealthCheckState, admin: ServerAdminState = .ready) -> String {
        ServerStatus.string(admin: admin, check: check)
    }

    func testStartsUpAtRiseAndOneResultDecides() {
        var check = HealthCheckState(rise: 2, fall: 3)
        XCTAssertEqual(check.health, 2)
        XCTAssertTrue(check.isUp)
        XCTAssertEqual(check.lastResult.code, "INI")
        XCTAssertEqual(status(check), "UP 1/3")
        XCTAssertEqual(check.record(.layer4OK), .none)
        XCTAssertEqual(check.health, 4)
        XCTAssertEqual(status(check), "UP")

        var failing = HealthCheckState(rise: 2, fall: 3)
        XCTAssertEqual(failing.record(.layer4ConnectionProblem), .wentDown)
        XCTAssertEqual(status(failing), "DOWN")
        XCTAssertEqual(failing.failedChecks, 1)
        XCTAssertEqual(failing.downTransitions, 1)
    }

    func testRiseTwoFallThreeSequence() {
        var check = HealthCheckState(rise: 2, fall: 3)
        _ = check.record(.layer4OK)
        var seen = [status(check)]
        var transitions: [HealthTransition] = []
        for result in [CheckResult.layer4ConnectionProblem, .layer4Timeout, .layer4ConnectionProblem, .layer4OK, .layer4OK] {
            transitions.append(check.record(result))
            seen.append(status(check))
        }
        XCTAssertEqual(seen, ["UP", "UP 2/3", "UP 1/3", "DOWN", "DOWN 1/2", "UP"])
        XCTAssertEqual(transitions, [.none, .none, .wentDown, .none, .wentUp])
        XCTAssertEqual(check.failedChecks, 3)
        XCTAssertEqual(check.downTransitions, 1)
        XCTAssertEqual(check.health, 4)
        XCTAssertEqual(check.lastResult, .layer4OK)
    }

    func testFailuresWhileDownCountOnlyWhenHealthIsAboveZero() {
        var check = HealthCheckState(rise: 3, fall: 2)
        XCTAssertEqual(check.record(.layer4Timeout), .wentDown)
        XCTAssertEqual(check.record(.layer4Timeout), .none)
        XCTAssertEqual(check.failedChecks, 1, "health 0: not counted")
        _ = check.record(.layer4OK)
        _ = check.record(.layer4OK)
        XCTAssertEqual(status(check), "DOWN 2/3")
        XCTAssertEqual(check.record(.socketError), .none)
        XCTAssertEqual(check.health, 0)
        XCTAssertEqual(check.failedChecks, 2)
        XCTAssertEqual(check.downTransitions, 1)
        XCTAssertEqual(check.lastResult.description, "Socket error")
    }

    func testMaintenancePausesAndResumesAtRise() {
        var check = HealthCheckState(rise: 2, fall: 3)
        _ = check.record(.layer4OK)
        check.pause()
        XCTAssertEqual(status(check, admin: .maint), "MAINT")
        XCTAssertEqual(check.downTransitions, 1)
        XCTAssertEqual(check.record(.layer4OK), .none)
        XCTAssertEqual(check.health, 0)
        check.resume()
        XCTAssertEqual(status(check), "UP 1/3")
        XCTAssertTrue(check.isUp)
    }

    func testStatusStringsForAdminAndOperationalStates() {
        var check = HealthCheckState(rise: 2, fall: 3)
        _ = check.record(.layer4OK)
        XCTAssertEqual(status(check, admin: .drain), "DRAIN")
        _ = check.record(.layer4ConnectionProblem)
        XCTAssertEqual(status(check, admin: .drain), "DRAIN 2/3")
        XCTAssertEqual(ServerStatus.string(admin: .ready, operational: .stopping, check: check), "NOLB 2/3")
        XCTAssertEqual(ServerStatus.string(admin: .ready, operational: .stopping, check: nil), "NOLB")
        XCTAssertEqual(ServerStatus.string(admin: .ready, operational: .running, check: nil), "no check")
        XCTAssertEqual(ServerStatus.string(admin: .drain, operational: .running, check: nil), "DRAIN")
        XCTAssertEqual(ServerStatus.string(admin: .ready, operational: .stopped, check: nil), "DOWN")
        XCTAssertEqual(ServerStatus.string(admin: .maint, operational: .running, check: nil), "MAINT")
    }

    func testIntervalChoice() {
        var check = HealthCheckState(rise: 2, fall: 3)
        XCTAssertEqual(check.nextCheckInterval(inter: 2000, fastinter: 500, downinter: 10_000), 500, "not yet checked")
        _ = check.record(.layer4OK)
        XCTAssertEqual(check.nextCheckInterval(inter: 2000, fastinter: 500, downinter: 10_000), 2000)
        _ = check.record(.layer4ConnectionProblem)
        XCTAssertEqual(check.nextCheckInterval(inter: 2000, fastinter: 500, downinter: 10_000), 500, "UP 2/3")
        _ = check.record(.layer4ConnectionProblem)
        _ = check.record(.layer4ConnectionProblem)
        XCTAssertEqual(check.nextCheckInterval(inter: 2000, fastinter: 500, downinter: 10_000), 10_000, "DOWN")
        XCTAssertEqual(check.nextCheckInterval(inter: 2000), 2000, "unset downinter falls back to inter")
        _ = check.record(.layer4OK)
        XCTAssertEqual(check.nextCheckInterval(inter: 2000, fastinter: 500, downinter: 10_000), 500, "DOWN 1/2")
        XCTAssertEqual(check.nextCheckInterval(inter: 2000, fastinter: 0), 2000, "zero fastinter falls back to inter")
    }

    func testSpreadInitialDelay() {
        let delays = (0..<4).map { HealthCheckState.spreadInitialDelay(index: $0, count: 4, inter: 2000) }
        XCTAssertEqual(delays, [0, 500, 1000, 1500])
        XCTAssertEqual(HealthCheckState.spreadInitialDelay(index: 0, count: 0, inter: 2000), 0)
    }

    func testCheckResultCodesAndDescriptions() {
        XCTAssertEqual(CheckResult.allCases.map(\.code),
                       ["INI", "CHECKED", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK", "L6TOUT", "L6RSP", "L7TOUT", "L7RSP", "L7OK",
                        "L7OKC", "L7STS"])
        XCTAssertEqual(CheckResult.allCases.map(\.rawValue), [1, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17])
        XCTAssertEqual(CheckResult.allCases.map(\.resultCode), [0, 1, 2, 3, 2, 2, 3, 2, 2, 2, 2, 3, 4, 2])
        XCTAssertEqual(CheckResult.allCases.filter(\.carriesCode), [.layer7OK, .layer7OKConditional, .layer7WrongStatus])
        XCTAssertEqual(CheckResult.checked.description, "No status change")
        XCTAssertEqual(CheckResult.layer7WrongStatus.description, "Layer7 wrong status")
        XCTAssertEqual(CheckResult.layer6Response.description, "Layer6 invalid response")
        XCTAssertEqual(CheckResult.layer4OK.description, "Layer4 check passed")
        XCTAssertEqual(CheckResult.layer4ConnectionProblem.description, "Layer4 connection problem")
        XCTAssertEqual(CheckResult.layer4Timeout.description, "Layer4 timeout")
    }

    func testStateChangeLogLines() {
        let down = ServerStateLog.serverDown(
            backend: "be", server: "s1", isBackup: false,
            check: .init(result: .layer4ConnectionProblem, info: "Connection refused", durationMs: 0),
            activeServers: 1, backupServers: 0, sessionsActive: 0, requeued: 0, remainingInQueue: 0)
        XCTAssertEqual(down, "Server be/s1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", "
            + "check duration: 0ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.")
        let up = ServerStateLog.serverUp(
            backend: "app", server: "app1", isBackup: false,
            check: .init(result: .layer4OK, durationMs: 0),
            activeServers: 1, backupServers: 0, requeued: 0, totalInQueue: 0)
        XCTAssertEqual(up, "Server app/app1 is UP, reason: Layer4 check passed, check duration: 0ms. "
            + "1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.")
        let backupDown = ServerStateLog.serverDown(
            backend: "be", server: "b1", isBackup: true,
            check: .init(result: .layer4Timeout, info: "a<\"b\">", durationMs: 2002),
            activeServers: 0, backupServers: 1, sessionsActive: 10, requeued: 2, remainingInQueue: 3)
        XCTAssertEqual(backupDown, "Backup Server be/b1 is DOWN, reason: Layer4 timeout, info: \"a<3C><22>b<22><3E>\", "
            + "check duration: 2002ms. 0 active and 1 backup servers left. Running on backup. "
            + "10 sessions active, 2 requeued, 3 remaining in queue.")
        XCTAssertEqual(ServerStateLog.noServerAvailable(proxy: "be"), "backend 'be' has no server available!")
        XCTAssertEqual(ServerStateLog.noServerAvailable(proxyType: "proxy", proxy: "mqtt"), "proxy 'mqtt' has no server available!")
        XCTAssertEqual(ServerStateLog.noServerAvailableSyslog(proxy: "app"), "backend app has no server available!")
    }
}
