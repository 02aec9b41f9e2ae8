import XCTest
import UnixStreamModel

/// Shortest counterexamples, replay and the §6/§7.5 schedule of the bug report.
final class CounterexampleTests: XCTestCase {
    private func scenario(
        _ kind: ScenarioKind = .statsQuery,
        kernel: KernelVariant = .illumosPre12694,
        close: CloseMode = .nonblocking,
        notice: Bool = true
    ) -> Scenario {
        Scenario(kind, policy: .writeShutdownClose, configuration: ModelConfiguration(
            kernel: kernel, closeMode: close, sendsUnixCloseNotice: notice))
    }

    /// The §7.5 schedule, step for step: the server's data waits on its `te_wq` while its
    /// T_ORDREL_REQ, processed after `te_closing` is set, overtakes it.
    private let designNoteSchedule: [Step] = [
        .user(.a), .runJob, .user(.a), .runJob, .startService(.a), .runJob,
        .user(.b), .user(.b), .runJob, .user(.b), .startService(.b),
        .user(.b), .user(.b), .user(.b), .runJob, .runJob,
    ]

    func testShortestLossIsObservedAtTheClientsEOFRead() throws {
        for (notice, length) in [(true, 15), (false, 14)] {
            let result = Explorer(scenario: scenario(notice: notice)).explore()
            let counterexample = try XCTUnwrap(result.counterexamples[.completeInOrder])
            XCTAssertEqual(counterexample.steps.count, length, "notice=\(notice)")
            XCTAssertEqual(counterexample.steps.last, .user(.a), "the violation is A's EOF read")
            let replayed = try scenario(notice: notice).replay(counterexample.steps)
            XCTAssertEqual(replayed.firstViolation, .completeInOrder)
            XCTAssertEqual(replayed.finalState?.users.a.sawEOF, true)
        }
    }

    func testShortestDiscardMatchesTheDesignNotesCounts() throws {
        let cases: [(CloseMode, Bool, Int)] = [(.nonblocking, true, 16), (.nonblocking, false, 15), (.blocking, true, 17)]
        for (close, notice, length) in cases {
            let result = Explorer(scenario: scenario(close: close, notice: notice)).explore()
            XCTAssertEqual(result.shortestDataDiscard?.count, length, "\(close) notice=\(notice)")
        }
        for kernel in [KernelVariant.illumos12694, .queueBehind] {
            XCTAssertNil(Explorer(scenario: scenario(kernel: kernel)).explore().shortestDataDiscard, "\(kernel)")
        }
    }

    func testDesignNoteScheduleDropsTheResponseThenTheClientReadsEOF() throws {
        let bug = scenario()
        let dropped = try bug.replay(designNoteSchedule)
        let last = try XCTUnwrap(dropped.rows.last)
        XCTAssertTrue(last.narration.contains { $0.contains("freemsg data(resp)") }, "\(last.narration)")
        XCTAssertEqual(last.state.endpoints.a.state, .idle)
        XCTAssertEqual(last.state.endpoints.b.state, .idle)
        XCTAssertTrue(last.state.heads.a.eof)
        XCTAssertTrue(last.state.heads.a.queue.isEmpty)
        XCTAssertNil(dropped.firstViolation, "nothing observed yet")

        let observed = try bug.replay(designNoteSchedule + [.user(.a)])
        XCTAssertEqual(observed.firstViolation, .completeInOrder)
    }

    func testFixedKernelTakesTheFastPathWhereTheBugQueued() throws {
        let fixed = scenario(kernel: .illumos12694)
        XCTAssertThrowsError(try fixed.replay(designNoteSchedule)) { error in
            XCTAssertEqual(error as? ReplayError, .stepNotEnabled(index: 10, step: .startService(.b)))
        }
        let prefix = try fixed.replay(Array(designNoteSchedule.prefix(9)))
        XCTAssertEqual(prefix.finalState?.heads.a.queue, [Scenario.response])
    }

    func testTraceTableShowsBothEndpointsQueueAndHeads() throws {
        let bug = scenario()
        let result = Explorer(scenario: bug).explore()
        let steps = try XCTUnwrap(result.counterexamples[.completeInOrder]).steps
        let table = TraceRenderer.table(try bug.replay(steps), initialState: bug.initialState)
        let lines = table.split(separator: "\n")
        XCTAssertTrue(lines[0].contains("serializer FIFO"))
        XCTAssertTrue(lines[0].contains("A head") && lines[0].contains("B head"))
        XCTAssertEqual(lines.filter { $0.hasPrefix("| ") }.count, 3 + steps.count, "header, rule, initial, steps")
        XCTAssertTrue(table.contains("violates (a)"))
        XCTAssertTrue(table.contains("WIND,closing") || table.contains("IDLE,closing"))
    }
}
