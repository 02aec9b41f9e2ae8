/// One atomic scheduler step (§7.4); the explorer chooses among the enabled ones.
public enum Step: Hashable, Sendable, CustomStringConvertible {
    /// The next step of a user program.
    case user(EndpointID)
    /// Run the job at the head of the serializer FIFO.
    case runJob
    /// Start a qenabled write service procedure: enter `tl_wsrv_ser` into the FIFO.
    case startService(EndpointID)
    /// A drained stream head back-enables: enter `tl_rsrv_ser` into the FIFO.
    case backEnable(EndpointID)

    public var description: String {
        switch self {
        case .user(let id): "user \(id)"
        case .runJob: "run job"
        case .startService(let id): "tl_wsrv(\(id))"
        case .backEnable(let id): "tl_rsrv(\(id))"
        }
    }
}

/// What applying one step did.
public struct Transition: Sendable {
    /// The state after the step.
    public let state: ModelState
    /// What happened, when narration was asked for.
    public let narration: [String]
    /// Whether a `tl_merror` (EPROTO) path was taken.
    public let tookErrorPath: Bool
    /// Whether user bytes were freed while their reader was not closing.
    public let discardedData: Bool
}

/// Enumerates and applies steps for one configuration.
public struct Scheduler: Sendable {
    /// The fixed run parameters.
    public let configuration: ModelConfiguration

    public init(configuration: ModelConfiguration) {
        self.configuration = configuration
    }

    /// Every step enabled in `state`, in a fixed order.
    public func enabledSteps(in state: ModelState) -> [Step] {
        let machine = Machine(state: state, configuration: configuration, narrating: false)
        var steps: [Step] = []
        for id in EndpointID.allCases where machine.userCanStep(id) {
            steps.append(.user(id))
        }
        if !state.serializer.isEmpty { steps.append(.runJob) }
        for id in EndpointID.allCases {
            let endpoint = state.endpoints[id]
            if endpoint.serviceScheduled && !endpoint.serviceActive && !endpoint.proceduresOff {
                steps.append(.startService(id))
            }
        }
        for id in EndpointID.allCases where state.heads[id].backEnablePending {
            steps.append(.backEnable(id))
        }
        return steps
    }

    /// Applies an enabled step.
    public func apply(_ step: Step, to state: ModelState, narrating: Bool = false) -> Transition {
        var machine = Machine(state: state, configuration: configuration, narrating: narrating)
        switch step {
        case .user(let id):
            machine.userStep(id)
        case .runJob:
            let job = machine.state.serializer.removeFirst()
            machine.note("run \(job)")
            machine.run(job)
        case .startService(let id):
            machine.state.endpoints[id].serviceScheduled = false
            let endpoint = machine.state.endpoints[id]
            if !endpoint.writeQueue.isEmpty && !endpoint.noWriteService {
                machine.state.endpoints[id].serviceActive = true
                machine.state.serializer.append(.writeService(id))
                machine.note("tl_wsrv(\(id)) enters wsrv(\(id))")
            } else {
                machine.note("tl_wsrv(\(id)): nothing to do")
            }
        case .backEnable(let id):
            machine.state.heads[id].backEnablePending = false
            machine.state.serializer.append(.readService(id))
            machine.note("\(id) stream head back-enables: rsrv(\(id)) entered")
        }
        return Transition(state: machine.state, narration: machine.narration ?? [],
                          tookErrorPath: machine.tookErrorPath, discardedData: machine.discardedData)
    }

    /// Whether `state` has no enabled step although work remains: invariant (c).
    public func isDeadlocked(_ state: ModelState) -> Bool {
        enabledSteps(in: state).isEmpty && !state.isQuiescent
    }
}
