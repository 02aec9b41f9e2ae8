import ArgumentParser
import UnixStreamModel

/// Command-line front end of the `tl` loopback transport model.
struct OrdrelModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ordrel-model",
        abstract: "Exhaustively explore the illumos tl AF_UNIX stream model (bug #12694).",
        subcommands: [Check.self, MatrixCommand.self])
}

extension CloseMode: ExpressibleByArgument {}
extension ClosePolicy: ExpressibleByArgument {}
extension ScenarioKind: ExpressibleByArgument {}

/// Explores one scenario and reports violations with the shortest counterexample.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explore one scenario; exit 1 if an invariant is violated.")

    @Option(help: "Kernel variant: \(KernelVariant.all.map(\.name).joined(separator: ", ")).")
    var kernel: String

    @Option(help: "Scenario: \(ScenarioKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenario: ScenarioKind

    @Option(help: "Server close policy: \(ClosePolicy.allCases.map(\.rawValue).joined(separator: ", ")).")
    var policy: ClosePolicy = .writeShutdownClose

    @Option(help: "blocking or nonblocking close.")
    var close: CloseMode = .nonblocking

    @Flag(help: "Do not send sockfs' SO_UNIX_CLOSE notice on close.")
    var noUnixClose = false

    func run() throws {
        guard let variant = KernelVariant.named(kernel) else {
            throw ValidationError("unknown kernel \(kernel)")
        }
        let scenario = Scenario(self.scenario, policy: policy, configuration: ModelConfiguration(
            kernel: variant, closeMode: close, sendsUnixCloseNotice: !noUnixClose))
        let result = Explorer(scenario: scenario).explore()
        print("scenario: \(scenario.name)")
        print("states explored: \(result.distinctStates) (terminal \(result.terminalStates), transitions \(result.transitions))")
        if let schedules = result.schedules {
            print("complete schedules: \(schedules.total)\(schedules.saturated ? " (saturated)" : "")")
        } else {
            print("complete schedules: not counted, the state graph has a cycle")
        }
        print("EPROTO (tl_merror) transitions: \(result.errorPathTransitions)")
        for invariant in Invariant.allCases {
            let schedules = result.schedules.map { "\($0.violating[invariant] ?? 0)" } ?? "?"
            print("\(invariant): \(schedules) schedules, \(result.violatingTerminalStates[invariant] ?? 0) terminal states")
        }
        if let discard = result.shortestDataDiscard {
            print("shortest schedule that frees undelivered user data: \(discard.count) steps")
        }
        print("time: \(result.duration.milliseconds) ms")
        guard !result.violated.isEmpty else {
            print("no invariant violated")
            return
        }
        for invariant in result.violated {
            guard let counterexample = result.counterexamples[invariant] else { continue }
            let outcome = try scenario.replay(counterexample.steps)
            print("\nshortest counterexample for \(invariant) (\(counterexample.steps.count) steps):\n")
            print(TraceRenderer.table(outcome, initialState: scenario.initialState))
        }
        throw ExitCode(1)
    }
}

/// Explores every kernel × scenario × policy × close mode × notice combination.
struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix", abstract: "Print the whole results table.")

    func run() {
        let entries = Matrix.configurations().map { Matrix.run($0.0, $0.1, $0.2) }
        print(Matrix.table(entries))
    }
}

OrdrelModel.main()
