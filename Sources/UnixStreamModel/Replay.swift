/// One executed step of a replayed schedule and the state it left.
public struct TraceRow: Sendable {
    /// 1-based position in the schedule.
    public let number: Int
    /// The step taken.
    public let step: Step
    /// What the step did.
    public let narration: [String]
    /// The state after the step.
    public let state: ModelState
}

/// The result of re-executing a step list from the initial state.
public struct ReplayOutcome: Sendable {
    /// Every executed step.
    public let rows: [TraceRow]
    /// The first invariant the schedule violates, if any (deadlock counts when the end is stuck).
    public let firstViolation: Invariant?
    /// The state after the last step.
    public var finalState: ModelState? { rows.last?.state }
}

/// Why a step list could not be replayed.
public enum ReplayError: Error, Equatable, Sendable {
    /// Step `index` (0-based) was not enabled in the state reached before it.
    case stepNotEnabled(index: Int, step: Step)
}

extension Scenario {
    /// Re-executes `steps` from the initial state, checking each is enabled, narrating every step.
    public func replay(_ steps: [Step]) throws(ReplayError) -> ReplayOutcome {
        let scheduler = self.scheduler
        var state = initialState
        var rows: [TraceRow] = []
        var firstViolation: Invariant?
        for (index, step) in steps.enumerated() {
            guard scheduler.enabledSteps(in: state).contains(step) else {
                throw .stepNotEnabled(index: index, step: step)
            }
            let transition = scheduler.apply(step, to: state, narrating: true)
            if firstViolation == nil {
                firstViolation = transition.state.violations.subtracting(state.violations).invariants.first
            }
            state = transition.state
            rows.append(TraceRow(number: index + 1, step: step, narration: transition.narration, state: state))
        }
        if firstViolation == nil && scheduler.isDeadlocked(state) { firstViolation = .noDeadlock }
        return ReplayOutcome(rows: rows, firstViolation: firstViolation)
    }
}
