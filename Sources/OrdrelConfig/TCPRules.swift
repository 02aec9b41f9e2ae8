/// `tcp-request connection|content accept|reject [if|unless <cond>]`.
public struct TCPRequestRule: Sendable, Equatable {
    public enum Action: String, Sendable, Equatable {
        case accept
        case reject
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
