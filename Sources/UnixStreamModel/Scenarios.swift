/// The built-in scenarios.
public enum ScenarioKind: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The bug report's exchange: A writes a command and shuts down; B answers, shuts down, closes.
    case statsQuery = "stats-query"
    /// §7.6(a): A only reads, its stream head holds one message; B writes two.
    case flowControl = "flow-control"
    /// §7.6(b): as stats-query, but B answers with `sendmsg` and SCM_RIGHTS (a T_OPTDATA_REQ).
    case scmRights = "scm-rights"

    public var description: String { rawValue }
}

/// A runnable model instance: configuration plus initial state.
public struct Scenario: Sendable {
    /// Human-readable name for reports.
    public let name: String
    /// Kernel variant, close mode and notice.
    public let configuration: ModelConfiguration
    /// The state every schedule starts from.
    public let initialState: ModelState

    /// A scenario from any two programs. The server is wrapped by `policy`, which turns its
    /// `.endSession` into the policy's ending operations.
    public init(
        name: String,
        client: some SocketProgram,
        server: some SocketProgram,
        policy: ClosePolicy,
        clientCapacity: Int? = nil,
        configuration: ModelConfiguration
    ) {
        self.name = name
        self.configuration = configuration
        var clientHead = StreamHead()
        clientHead.capacity = clientCapacity
        initialState = ModelState(
            heads: PerEndpoint(a: clientHead, b: StreamHead()),
            users: PerEndpoint(a: SocketUser(program: client),
                               b: SocketUser(program: PolicyEndedProgram(server, policy: policy))))
    }

    /// The stats-socket request the scripted client sends.
    public static let command = Array("cmd".utf8)
    /// The scripted server's answer.
    public static let response = Array("resp".utf8)

    /// A built-in scenario with its scripted client and server.
    public init(_ kind: ScenarioKind, policy: ClosePolicy, configuration: ModelConfiguration) {
        let name = "\(kind) \(configuration.kernel) \(policy) \(configuration.closeMode)"
            + (configuration.sendsUnixCloseNotice ? "" : " no-unix-close")
        switch kind {
        case .statsQuery:
            self.init(name: name, server: RespondingServer(requestLength: Self.command.count,
                                                           response: [.bytes(Self.response)]),
                      policy: policy, configuration: configuration)
        case .flowControl:
            self.init(name: name,
                      client: RequestingClient(request: [], shutsDown: false),
                      server: RespondingServer(requestLength: 0,
                                               response: [.bytes(Array("r1".utf8)), .bytes(Array("r2".utf8))]),
                      policy: policy, clientCapacity: 1, configuration: configuration)
        case .scmRights:
            self.init(name: name, server: RespondingServer(requestLength: Self.command.count,
                                                           response: [.bytesWithRights(Self.response)]),
                      policy: policy, configuration: configuration)
        }
    }

    /// The stats-query exchange with a pluggable server program (e.g. an adapted CLI session).
    public init(
        name: String,
        server: some SocketProgram,
        policy: ClosePolicy,
        configuration: ModelConfiguration
    ) {
        self.init(name: name, client: RequestingClient(request: Self.command, shutsDown: true),
                  server: server, policy: policy, configuration: configuration)
    }

    /// The scheduler for this scenario's configuration.
    public var scheduler: Scheduler { Scheduler(configuration: configuration) }
}
