import XCTest
import UnixStreamModel

/// The results matrix, each cell from an exhausted state space.
final class MatrixTests: XCTestCase {
    /// Whether invariant (a) must be violated in a cell: the reference model's findings (§7.5, §7.6).
    private func expectsDataLoss(_ kind: ScenarioKind, _ policy: ClosePolicy, _ kernel: KernelVariant) -> Bool {
        guard policy == .writeShutdownClose else { return false }
        switch kind {
        case .statsQuery, .statsQueryCLI: return kernel == .illumosPre12694
        case .flowControl, .scmRights: return kernel != .queueBehind
        }
    }

    func testEveryCellMatchesTheExpectedVerdictAndReplays() throws {
        for (kind, policy, configuration) in Matrix.configurations() {
            let entry = Matrix.run(kind, policy, configuration)
            let result = entry.result
            let cell = "\(kind) \(policy) \(configuration.kernel) \(configuration.closeMode) notice=\(configuration.sendsUnixCloseNotice)"
            let schedules = try XCTUnwrap(result.schedules, "state graph must be acyclic: \(cell)")
            // The smallest cells (~50 states) are the CLI under write-close: its close waits for the client's EOF.
            XCTAssertGreaterThan(result.distinctStates, 40, cell)
            XCTAssertGreaterThan(result.terminalStates, 0, cell)
            XCTAssertFalse(schedules.saturated, cell)

            let losesData = expectsDataLoss(kind, policy, configuration.kernel)
            XCTAssertEqual(result.violated, losesData ? [.completeInOrder] : [], cell)
            XCTAssertEqual(schedules.violating[.noDataAfterEOF], 0, cell)
            XCTAssertEqual(schedules.violating[.noDeadlock], 0, cell)
            if losesData {
                let violating = try XCTUnwrap(schedules.violating[.completeInOrder])
                XCTAssertGreaterThan(violating, 0, cell)
                XCTAssertLessThan(violating, schedules.total, "only some schedules lose data: \(cell)")
                let counterexample = try XCTUnwrap(result.counterexamples[.completeInOrder], cell)
                let replayed = try Scenario(kind, policy: policy, configuration: configuration)
                    .replay(counterexample.steps)
                XCTAssertEqual(replayed.firstViolation, .completeInOrder, cell)
                XCTAssertEqual(replayed.rows.count, counterexample.steps.count, cell)
            } else {
                XCTAssertEqual(schedules.violating[.completeInOrder], 0, cell)
            }
        }
    }

    func testMatrixTableHasOneRowPerCell() {
        let cells = Matrix.configurations(kinds: [.statsQuery], policies: [.writeClose], notices: [false])
        let table = Matrix.table(cells.map { Matrix.run($0.0, $0.1, $0.2) })
        XCTAssertEqual(table.split(separator: "\n").count, 2 + cells.count)
        XCTAssertTrue(table.contains("| stats-query | write-close | illumos-pre-12694 | blocking | no |"))
    }
}
