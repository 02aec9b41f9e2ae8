import OrdrelEventLoop

/// A session that runs in bounded steps and waits in `SessionTurns` between them.
protocol TurnTaking: AnyObject {
    /// Runs the next step(s); the session waits for another turn if work is left.
    func takeTurn()
}

/// Hands out turns to the stats sessions of one loop (the CLI thread's), so that however many clients
/// are busy, the CLI adds at most `budgetMicros` (plus one step) to a loop iteration. A session
/// with work left after its step waits here, first come first served; once per loop iteration
/// (a zero-delay timer, run after the streams' I/O events libev collected in that iteration),
/// each waiting session takes one turn until the budget is spent, and the others keep their
/// place for the next iteration. Before, each session yielded on its own timer, so eight busy
/// clients ran eight 16 KiB steps in every iteration.
final class SessionTurns {
    /// Time the waiting sessions may take per loop iteration (at least one turn runs).
    let budget: Duration
    private var waiting: [TurnTaking] = []
    /// While `run` hands out turns: how many of the first `waiting` still have theirs to come.
    private var due = 0
    private var timer: TimerWatcher!
    private let clock = ContinuousClock()

    init(loop: EventLoop, budget: Duration) {
        self.budget = budget
        timer = TimerWatcher(loop: loop) { [unowned(unsafe) self] in self.run() }
    }

    /// `session` has work left: it takes a turn in the next loop iteration, or a later one.
    func wait(_ session: TurnTaking) {
        guard !waiting.contains(where: { $0 === session }) else { return }
        if waiting.isEmpty { timer.schedule(after: 0) }
        waiting.append(session)
    }

    /// `session` ended: it no longer waits.
    func leave(_ session: TurnTaking) {
        guard let index = waiting.firstIndex(where: { $0 === session }) else { return }
        waiting.remove(at: index)
        if index < due { due -= 1 }
        if waiting.isEmpty { timer.cancel() }
    }

    /// Sessions waiting for a turn.
    var count: Int { waiting.count }

    /// One loop iteration's turns: one each for the sessions waiting when it began, in order,
    /// until the budget is spent; a session asking again goes to the back, for the next one.
    private func run() {
        let start = clock.now
        due = waiting.count
        var turns = 0
        while due > 0 {
            if turns > 0 && start.duration(to: clock.now) >= budget { break }
            let session = waiting.removeFirst()
            due -= 1
            turns += 1
            withExtendedLifetime(session) { $0.takeTurn() }
        }
        due = 0
        if !waiting.isEmpty { timer.schedule(after: 0) }
    }
}
