/// `tcp-request connection|session|content accept|reject|track-sc<n> ... [if|unless <cond>]`,
/// and `tcp-request connection expect-proxy layer4 [if|unless <cond>]`.
public struct TCPRequestRule: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case accept
        case reject
        /// Connection rules only: read a PROXY header first, as `bind ... accept-proxy`; the
        /// rules after it still run (haproxy's `ACT_TCP_EXPECT_PX` is not final).
        case expectProxy
        /// Track an entry in a stick counter and go on with the next rule.
        case track(StickTracking)
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

/// `use_backend <backend> [if|unless <cond>]`.
public struct UseBackendRule: Sendable, Equatable {
    public var backend: String
    public var condition: ACLCondition?
    public var location: SourceLocation

    public init(backend: String, condition: ACLCondition?, location: SourceLocation) {
        self.backend = backend
        self.condition = condition
        self.location = location
    }
}

/// `use-server <server> [if|unless <cond>]`.
public struct UseServerRule: Sendable, Equatable {
    public var server: String
    public var condition: ACLCondition?
    public var location: SourceLocation

    public init(server: String, condition: ACLCondition?, location: SourceLocation) {
        self.server = server
        self.condition = condition
        self.location = location
    }
}

/// What a frontend decides per connection before forwarding: its rules, and whether the decision
/// needs to read the request first.
public struct ConnectionRules: Sendable, Equatable {
    /// `tcp-request connection` rules, at accept, before any read.
    public var connection: [TCPRequestRule] = []
    /// `tcp-request session` rules, once the session exists: after the PROXY header, so they
    /// see the addresses it names.
    public var session: [TCPRequestRule] = []
    /// `tcp-request content` rules, once enough request bytes arrived (or the inspect delay ran out).
    public var content: [TCPRequestRule] = []
    /// `tcp-request inspect-delay`, ms; nil or 0: content rules see whatever has arrived at once.
    public var inspectDelayMs: UInt64?
    /// `use_backend` rules in order; the first whose condition holds wins, then `default_backend`.
    public var useBackends: [UseBackendRule] = []

    public init() {}

    /// Whether a stream of this frontend must pass through content inspection (content rules or
    /// conditional routing); false keeps the hot path as it was.
    public var inspectsContent: Bool {
        !content.isEmpty || useBackends.contains { $0.condition != nil }
    }
}

/// What the content rules and `use_backend` decide about a request so far.
public enum ContentDecision: Sendable, Equatable {
    /// A content rule cannot tell yet: wait for more bytes.
    case wait
    /// `tcp-request content reject`.
    case reject
    /// Accepted: the index of the `use_backend` rule that holds, nil for `default_backend`.
    case forward(useBackend: Int?)
}

/// What the `tcp-request connection` rules decide at accept.
public enum ConnectionVerdict: Sendable, Equatable {
    /// `reject`: closed at once (with a reset), counted in `dcon`.
    case reject
    /// Accepted; `expectProxy`: an `expect-proxy layer4` rule held before the deciding one.
    case accept(expectProxy: Bool)
}

extension ConnectionRules {
    /// `tcp-request connection` rules at accept, as haproxy's `tcp_exec_l4_rules`: in order, an
    /// `expect-proxy` whose condition holds is noted and a `track-sc` tracks, and evaluation goes
    /// on; the first `accept`
    /// or `reject` that holds decides; none accepts. Conditions here read no request bytes (the
    /// parser refuses those).
    public func decideConnection(_ input: ACLInput, _ environment: some ACLEnvironment) -> ConnectionVerdict {
        var expectProxy = false
        for rule in connection where rule.condition?.evaluate(input, environment) ?? .pass == .pass {
            switch rule.action {
            case .accept: return .accept(expectProxy: expectProxy)
            case .reject: return .reject
            case .expectProxy: expectProxy = true
            case .track(let tracking): _ = tracking.apply(input, environment)
            }
        }
        return .accept(expectProxy: expectProxy)
    }

    /// `tcp-request session` rules, as haproxy's `tcp_exec_l5_rules`: the first `accept` or
    /// `reject` whose condition holds decides; none accepts.
    public func acceptsSession(_ input: ACLInput, _ environment: some ACLEnvironment) -> Bool {
        for rule in session where rule.condition?.evaluate(input, environment) ?? .pass == .pass {
            switch rule.action {
            case .accept: return true
            case .reject: return false
            case .expectProxy: continue  // refused by the parser in session rules
            case .track(let tracking): _ = tracking.apply(input, environment)
            }
        }
        return true
    }

    /// haproxy's `tcp_inspect_request` then its switching rules: the content rules in order
    /// (a miss waits unless `input.final`; no rule deciding accepts), then the first
    /// `use_backend` whose condition holds on what arrived, evaluated as final.
    public func decideContent(_ input: ACLInput, _ environment: some ACLEnvironment) -> ContentDecision {
        rules: for rule in content {
            let result = rule.condition?.evaluate(input, environment) ?? .pass
            if result == .miss { return .wait }
            guard result == .pass else { continue }
            switch rule.action {
            // (`expect-proxy` is refused in content rules.)
            case .accept, .expectProxy: break rules
            case .reject: return .reject
            case .track(let tracking): if !tracking.apply(input, environment) { return .wait }
            }
        }
        var final = input
        final.final = true
        let index = useBackends.firstIndex { $0.condition?.evaluate(final, environment) ?? .pass == .pass }
        return .forward(useBackend: index)
    }
}

extension [UseServerRule] {
    /// The servers of the rules whose condition holds, in order (the runtime takes the first that
    /// is not down, as haproxy's `process_server_rules`).
    public func matchingServers(_ input: ACLInput, _ environment: some ACLEnvironment) -> [String] {
        var final = input
        final.final = true
        return filter { $0.condition?.evaluate(final, environment) ?? .pass == .pass }.map(\.server)
    }
}

extension StickTracking {
    /// Tracks the entry of the fetch's key, as haproxy's `tcp_exec_l4_rules` and
    /// `tcp_inspect_request`: false when the key may still change and more bytes can come (the
    /// rule waits); a fetch without a sample tracks nothing.
    func apply(_ input: ACLInput, _ environment: some ACLEnvironment) -> Bool {
        switch fetch.sample(input, environment) {
        case .sample(let key, let mayChange):
            if mayChange && !input.final { return false }
            environment.track(self, key: key)
        case .none(let mayChange):
            if mayChange && !input.final { return false }
        }
        return true
    }
}
