/// `tcp-response content accept|reject|close [if|unless <cond>]` (backends and `listen`).
public struct TCPResponseRule: Sendable, Equatable {
    public enum Action: String, Sendable, Equatable {
        /// Forward the response; no further rule is evaluated.
        case accept
        /// Drop what the server sent and close both sides, counted in `dresp` (`PD`).
        case reject
        /// Forward what arrived, then close: the server gets a reset, the client a FIN.
        case close
    }

    public var action: Action
    /// nil: the rule always applies.
    public var condition: ACLCondition?
    public var location: SourceLocation

    public init(action: Action, condition: ACLCondition?, location: SourceLocation) {
        self.action = action
        self.condition = condition
        self.location = location
    }
}

/// What a backend decides about its servers' first bytes before the client sees them.
public struct ResponseRules: Sendable, Equatable {
    /// `tcp-response content` rules, in order.
    public var content: [TCPResponseRule] = []
    /// `tcp-response inspect-delay`, ms, from the server connection's establishment; nil or 0:
    /// the rules decide at once on whatever arrived (usually nothing), as haproxy.
    public var inspectDelayMs: UInt64?

    public init() {}
}

/// What the `tcp-response content` rules decide about the server's bytes so far.
public enum ResponseDecision: Sendable, Equatable {
    /// A rule cannot tell yet: hold the bytes and wait for more.
    case wait
    case accept
    case reject
    case close
}

extension ResponseRules {
    /// haproxy's `tcp_inspect_response`: the rules in order; a condition that cannot tell yet
    /// waits (unless `input.final`, when it fails); the first rule that holds decides; none
    /// accepts. `input.payload` is what the server sent so far.
    public func decide(_ input: ACLInput, _ environment: some ACLEnvironment) -> ResponseDecision {
        for rule in content {
            let result = rule.condition?.evaluate(input, environment) ?? .pass
            if result == .miss { return .wait }
            guard result == .pass else { continue }
            switch rule.action {
            case .accept: return .accept
            case .reject: return .reject
            case .close: return .close
            }
        }
        return .accept
    }
}
