/// Executes one atomic step on a model state; `tl` routines and user operations extend it.
struct Machine {
    /// The state being changed.
    var state: ModelState
    /// The fixed run parameters.
    let configuration: ModelConfiguration
    /// What happened during the step, collected only when narrating a trace.
    private(set) var narration: [String]?
    /// Whether the step took a `tl_merror` (EPROTO) path; a diagnostic, not a violation.
    private(set) var tookErrorPath = false
    /// Whether the step freed user bytes whose reader is not closing; a diagnostic for §7.5's count.
    private(set) var discardedData = false

    init(state: ModelState, configuration: ModelConfiguration, narrating: Bool) {
        self.state = state
        self.configuration = configuration
        narration = narrating ? [] : nil
    }

    var kernel: KernelVariant { configuration.kernel }

    /// Records a narration line; the text is built only when narrating.
    mutating func note(_ text: @autoclosure () -> String) {
        if narration != nil { narration?.append(text()) }
    }

    /// Marks an invariant as violated on this schedule.
    mutating func violate(_ invariant: Invariant, _ why: @autoclosure () -> String) {
        state.violations.insert(ViolationSet(invariant))
        note("VIOLATION \(invariant.label): \(why())")
    }

    /// Notes that an EPROTO path was taken.
    mutating func markErrorPath() {
        tookErrorPath = true
    }

    /// Notes that `message`, on its way from `sender` to the other end, is freed by the transport.
    mutating func discard(_ message: Message, from sender: EndpointID, _ why: @autoclosure () -> String) {
        note("\(why()): freemsg \(message)")
        if !message.payload.isEmpty && !state.endpoints[sender.other].closing { discardedData = true }
    }

    /// `te_conp`, when linked.
    func peer(of id: EndpointID) -> EndpointID? {
        state.endpoints[id].hasPeer ? id.other : nil
    }
}
