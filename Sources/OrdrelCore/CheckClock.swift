import OrdrelEventLoop

/// What a check runner (health check or agent) is doing.
enum CheckRunnerState: Equatable {
    /// Not scheduled: checks disabled, server in maintenance, or not started yet.
    case stopped
    /// Waiting for the next check.
    case waiting
    /// A non-blocking connect is in flight.
    case connecting
    /// Connected: sending the request and reading the answer.
    case exchanging
}

/// The schedule both check runners share: what the runner is doing, one timer for both the
/// interval and the timeouts of the check in flight, and when that check began.
final class CheckClock {
    /// Runners set `.connecting` and `.exchanging`; the clock sets the rest.
    var state = CheckRunnerState.stopped
    private let loop: EventLoop
    private var timer: TimerWatcher!
    private var startedAt: Double = 0

    /// `expired` runs when the timer fires, with the state it fired in: `.waiting` means the
    /// next check is due, `.connecting` and `.exchanging` that the check in flight timed out.
    init(loop: EventLoop, expired: @escaping (CheckRunnerState) -> Void) {
        self.loop = loop
        timer = TimerWatcher(loop: loop) { [unowned(unsafe) self] in expired(self.state) }
    }

    /// Waits `delayMs` for the next check.
    func wait(afterMs delayMs: UInt64) {
        state = .waiting
        timer.schedule(after: Double(delayMs) / 1000)
    }

    /// No further check until the next `wait`.
    func stop() {
        timer.cancel()
        state = .stopped
    }

    /// A check begins now (its duration counts from here).
    func began() {
        loop.updateNow()
        startedAt = loop.now
    }

    /// The check in flight times out `ms` from now.
    func limit(afterMs ms: UInt64) {
        timer.schedule(after: Double(ms) / 1000)
    }

    /// The check in flight ended: `report` gets its duration (and may stop or reschedule the
    /// runner); unless it did, the next check waits `nextMs()`, asked after the report.
    func finished(report: (_ durationMs: Int) -> Void, nextMs: () -> UInt64) {
        loop.updateNow()
        let durationMs = Int(max(0, loop.now - startedAt) * 1000)
        state = .waiting
        report(durationMs)
        if state == .waiting { wait(afterMs: nextMs()) }
    }
}
