/// A step sequence from the initial state that reaches a violation.
public struct Counterexample: Hashable, Sendable {
    /// The invariant the last step violates.
    public let invariant: Invariant
    /// The steps, in order, from the scenario's initial state.
    public let steps: [Step]
}

/// Numbers of complete schedules (paths from the initial state to a terminal state).
public struct ScheduleCounts: Hashable, Sendable {
    /// All complete schedules.
    public var total: Int
    /// Complete schedules that violate each invariant.
    public var violating: [Invariant: Int]
    /// Some count overflowed `Int` and is a lower bound.
    public var saturated: Bool
}

/// The outcome of exhausting one scenario's state space.
public struct ExplorationResult: Sendable {
    /// Distinct reachable states.
    public let distinctStates: Int
    /// Reachable states with no enabled step.
    public let terminalStates: Int
    /// Edges of the state graph.
    public let transitions: Int
    /// Edges that take a `tl_merror` (EPROTO) path; diagnostic only.
    public let errorPathTransitions: Int
    /// Terminal states that violate each invariant.
    public let violatingTerminalStates: [Invariant: Int]
    /// Complete schedules, or nil when the state graph has a cycle.
    public let schedules: ScheduleCounts?
    /// A shortest counterexample per violated invariant (breadth-first).
    public let counterexamples: [Invariant: Counterexample]
    /// A shortest schedule whose last step frees user bytes the reader is still waiting for.
    /// §7.5 of the design note counts its counterexample up to this point.
    public let shortestDataDiscard: [Step]?
    /// Wall time of the exploration.
    public let duration: Duration

    /// The invariants violated on some schedule.
    public var violated: [Invariant] { Invariant.allCases.filter { counterexamples[$0] != nil } }
}

/// Breadth-first exploration of every reachable state, with path counting over the state graph.
public struct Explorer: Sendable {
    /// The scenario to exhaust.
    public let scenario: Scenario

    public init(scenario: Scenario) {
        self.scenario = scenario
    }

    /// Visits every reachable state once and classifies the terminal ones.
    public func explore() -> ExplorationResult {
        let clock = ContinuousClock()
        let start = clock.now
        let scheduler = scenario.scheduler
        var graph = StateGraph()
        var firstViolation: [Invariant: Int] = [:]
        var errorPathTransitions = 0
        var transitions = 0
        var terminalViolations: [ViolationSet] = []
        var firstDiscard: (state: Int, step: Step)?

        _ = graph.insert(scenario.initialState, parent: nil)
        var next = 0
        while next < graph.states.count {
            let current = next
            next += 1
            let state = graph.states[current]
            let steps = scheduler.enabledSteps(in: state)
            var violations = state.violations
            if steps.isEmpty {
                if !state.isQuiescent { violations.insert(ViolationSet(.noDeadlock)) }
                graph.terminal[current] = true
                terminalViolations.append(violations)
            }
            for invariant in violations.invariants where firstViolation[invariant] == nil {
                firstViolation[invariant] = current
            }
            var successors: [Int] = []
            successors.reserveCapacity(steps.count)
            for step in steps {
                let transition = scheduler.apply(step, to: state)
                if transition.tookErrorPath { errorPathTransitions += 1 }
                if transition.discardedData && firstDiscard == nil { firstDiscard = (current, step) }
                successors.append(graph.insert(transition.state, parent: (current, step)))
            }
            transitions += successors.count
            graph.successors[current] = successors
        }

        var violatingTerminals: [Invariant: Int] = [:]
        for invariant in Invariant.allCases {
            violatingTerminals[invariant] = terminalViolations.filter { $0.contains(ViolationSet(invariant)) }.count
        }
        let counterexamples = firstViolation.reduce(into: [Invariant: Counterexample]()) { result, entry in
            result[entry.key] = Counterexample(invariant: entry.key, steps: graph.path(to: entry.value))
        }
        return ExplorationResult(
            distinctStates: graph.states.count,
            terminalStates: terminalViolations.count,
            transitions: transitions,
            errorPathTransitions: errorPathTransitions,
            violatingTerminalStates: violatingTerminals,
            schedules: graph.countSchedules(isQuiescent: { $0.isQuiescent }),
            counterexamples: counterexamples,
            shortestDataDiscard: firstDiscard.map { graph.path(to: $0.state) + [$0.step] },
            duration: clock.now - start)
    }
}

/// The explored state graph: states in BFS order, their parents and successors.
struct StateGraph {
    /// States in discovery (breadth-first) order.
    var states: [ModelState] = []
    /// Index of each state in `states`.
    var index: [ModelState: Int] = [:]
    /// The BFS tree edge that discovered each state.
    var parents: [(state: Int, step: Step)?] = []
    /// Successor indices per state (filled when the state is expanded).
    var successors: [[Int]] = []
    /// Whether each state has no enabled step.
    var terminal: [Bool] = []

    /// Adds `state` if new; returns its index.
    mutating func insert(_ state: ModelState, parent: (state: Int, step: Step)?) -> Int {
        if let known = index[state] { return known }
        let id = states.count
        states.append(state)
        index[state] = id
        parents.append(parent)
        successors.append([])
        terminal.append(false)
        return id
    }

    /// The BFS-tree step sequence from the initial state to `target`.
    func path(to target: Int) -> [Step] {
        var steps: [Step] = []
        var cursor = target
        while let parent = parents[cursor] {
            steps.append(parent.step)
            cursor = parent.state
        }
        return steps.reversed()
    }

    /// Counts complete schedules by dynamic programming over the acyclic graph, memoised per state.
    /// Returns nil if the graph has a cycle.
    func countSchedules(isQuiescent: (ModelState) -> Bool) -> ScheduleCounts? {
        let invariants = Invariant.allCases
        let width = invariants.count + 1
        var memo = [[Int]?](repeating: nil, count: states.count)
        var onPath = [Bool](repeating: false, count: states.count)
        var saturated = false

        func add(_ lhs: Int, _ rhs: Int) -> Int {
            let (sum, overflow) = lhs.addingReportingOverflow(rhs)
            if overflow { saturated = true }
            return overflow ? Int.max : sum
        }

        // Iterative post-order DFS: a state's counts are the sums of its successors' counts.
        var stack: [(node: Int, nextChild: Int)] = [(0, 0)]
        onPath[0] = true
        while let top = stack.last {
            let children = successors[top.node]
            if top.nextChild < children.count {
                stack[stack.count - 1].nextChild += 1
                let child = children[top.nextChild]
                if memo[child] != nil { continue }
                if onPath[child] { return nil }
                onPath[child] = true
                stack.append((child, 0))
                continue
            }
            stack.removeLast()
            onPath[top.node] = false
            var counts = [Int](repeating: 0, count: width)
            if terminal[top.node] {
                var violations = states[top.node].violations
                if !isQuiescent(states[top.node]) { violations.insert(ViolationSet(.noDeadlock)) }
                counts[0] = 1
                for (offset, invariant) in invariants.enumerated() where violations.contains(ViolationSet(invariant)) {
                    counts[offset + 1] = 1
                }
            } else {
                for child in children {
                    guard let childCounts = memo[child] else { continue }
                    for slot in 0..<width { counts[slot] = add(counts[slot], childCounts[slot]) }
                }
            }
            memo[top.node] = counts
        }
        guard let root = memo[0] else { return nil }
        var violating: [Invariant: Int] = [:]
        for (offset, invariant) in invariants.enumerated() { violating[invariant] = root[offset + 1] }
        return ScheduleCounts(total: root[0], violating: violating, saturated: saturated)
    }
}
