/// One cell of the kernels × scenarios × policies × close modes table.
public struct MatrixEntry: Sendable {
    /// The scenario.
    public let kind: ScenarioKind
    /// The server's close policy.
    public let policy: ClosePolicy
    /// Kernel, close mode and notice.
    public let configuration: ModelConfiguration
    /// The exhaustive exploration.
    public let result: ExplorationResult
}

/// Runs and formats the whole results table.
public enum Matrix {
    /// Every configuration: kernels × scenarios × policies × close modes × with/without the notice.
    public static func configurations(
        kinds: [ScenarioKind] = ScenarioKind.allCases,
        policies: [ClosePolicy] = ClosePolicy.allCases,
        kernels: [KernelVariant] = KernelVariant.all,
        closeModes: [CloseMode] = CloseMode.allCases,
        notices: [Bool] = [true, false]
    ) -> [(ScenarioKind, ClosePolicy, ModelConfiguration)] {
        var cells: [(ScenarioKind, ClosePolicy, ModelConfiguration)] = []
        for kind in kinds {
            for policy in policies {
                for kernel in kernels {
                    for closeMode in closeModes {
                        for notice in notices {
                            cells.append((kind, policy, ModelConfiguration(
                                kernel: kernel, closeMode: closeMode, sendsUnixCloseNotice: notice)))
                        }
                    }
                }
            }
        }
        return cells
    }

    /// Explores one cell.
    public static func run(_ kind: ScenarioKind, _ policy: ClosePolicy, _ configuration: ModelConfiguration) -> MatrixEntry {
        let scenario = Scenario(kind, policy: policy, configuration: configuration)
        return MatrixEntry(kind: kind, policy: policy, configuration: configuration,
                           result: Explorer(scenario: scenario).explore())
    }

    /// A Markdown table of the entries.
    public static func table(_ entries: [MatrixEntry]) -> String {
        var lines = [
            "| scenario | policy | kernel | close | notice | states | terminal | schedules | (a) | (b) | (c) | shortest (a) | EPROTO edges | ms |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for entry in entries {
            let result = entry.result
            let schedules = result.schedules
            func violating(_ invariant: Invariant) -> String {
                let count = schedules.map { "\($0.violating[invariant] ?? 0)" } ?? "?"
                return "\(count) (\(result.violatingTerminalStates[invariant] ?? 0) st)"
            }
            let shortest = result.counterexamples[.completeInOrder].map { "\($0.steps.count)" } ?? "–"
            let cells = [
                "\(entry.kind)", "\(entry.policy)", "\(entry.configuration.kernel)",
                "\(entry.configuration.closeMode)", entry.configuration.sendsUnixCloseNotice ? "yes" : "no",
                "\(result.distinctStates)", "\(result.terminalStates)",
                schedules.map { "\($0.total)" + ($0.saturated ? "+" : "") } ?? "cyclic",
                violating(.completeInOrder), violating(.noDataAfterEOF), violating(.noDeadlock),
                shortest, "\(result.errorPathTransitions)", "\(result.duration.milliseconds)",
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}

extension Duration {
    /// Whole milliseconds.
    public var milliseconds: Int64 {
        let parts = components
        return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
    }
}
