import OrdrelEventLoop
import XCTest

@testable import OrdrelCore

/// How the stats sessions share thread 0's loop iterations (`SessionTurns`).
final class SessionTurnsTests: XCTestCase {
    /// A session that needs `steps` turns, recording who ran in which loop iteration.
    private final class Session: TurnTaking {
        let name: String
        var steps: Int
        let turns: SessionTurns
        let log: Log
        var cost: Duration = .zero

        init(_ name: String, steps: Int, turns: SessionTurns, log: Log) {
            self.name = name
            self.steps = steps
            self.turns = turns
            self.log = log
        }

        func takeTurn() {
            log.ran.append((log.iteration, name))
            if cost > .zero {
                let clock = ContinuousClock()
                let end = clock.now.advanced(by: cost)
                while clock.now < end {}
            }
            steps -= 1
            if steps > 0 { turns.wait(self) }
        }
    }

    private final class Log {
        var iteration = 0
        var ran: [(Int, String)] = []
        func names(in iteration: Int) -> [String] { ran.filter { $0.0 == iteration }.map(\.1) }
    }

    private func runIterations(_ loop: EventLoop, _ log: Log, _ count: Int) {
        for _ in 0..<count {
            log.iteration += 1
            loop.runOnce(block: false)
        }
    }

    /// With room in the budget every waiting session takes one turn per iteration, in the order
    /// they asked, and one that asks again waits for the next iteration.
    func testEachWaitingSessionTakesOneTurnPerIterationInOrder() {
        let loop = EventLoop.makeNew()
        let turns = SessionTurns(loop: loop, budget: .seconds(10))
        let log = Log()
        let sessions = [("a", 3), ("b", 1), ("c", 2)].map { Session($0.0, steps: $0.1, turns: turns, log: log) }
        sessions.forEach { turns.wait($0) }
        turns.wait(sessions[0])
        XCTAssertEqual(turns.count, 3, "a session waits once")
        runIterations(loop, log, 4)
        XCTAssertEqual(log.names(in: 1), ["a", "b", "c"])
        XCTAssertEqual(log.names(in: 2), ["a", "c"])
        XCTAssertEqual(log.names(in: 3), ["a"])
        XCTAssertEqual(log.names(in: 4), [])
        XCTAssertEqual(turns.count, 0)
    }

    /// Once the budget is spent the others keep their place: however many sessions wait, an
    /// iteration runs at least one turn and stops soon after the budget, and none is skipped.
    func testBudgetBoundsAnIterationAndNobodyStarves() {
        let loop = EventLoop.makeNew()
        let turns = SessionTurns(loop: loop, budget: .microseconds(1))
        let log = Log()
        let sessions = ["a", "b", "c"].map { Session($0, steps: 2, turns: turns, log: log) }
        for session in sessions {
            session.cost = .microseconds(50)
            turns.wait(session)
        }
        runIterations(loop, log, 8)
        XCTAssertEqual(log.ran.map(\.1), ["a", "b", "c", "a", "b", "c"])
        XCTAssertEqual(Set(log.ran.map(\.0)).count, 6, "one turn per iteration: \(log.ran)")
    }

    /// A session that ends while it waits (idle timeout, stop) loses its turn.
    func testLeavingDropsTheTurn() {
        let loop = EventLoop.makeNew()
        let turns = SessionTurns(loop: loop, budget: .seconds(10))
        let log = Log()
        let a = Session("a", steps: 1, turns: turns, log: log)
        let b = Session("b", steps: 1, turns: turns, log: log)
        turns.wait(a)
        turns.wait(b)
        turns.leave(a)
        runIterations(loop, log, 2)
        XCTAssertEqual(log.ran.map(\.1), ["b"])
    }
}
