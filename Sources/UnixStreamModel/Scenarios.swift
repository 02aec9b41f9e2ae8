/// The built-in scenarios.
public enum ScenarioKind: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The bug report's exchange: A writes a command and shuts down; B answers, shuts down, closes.
    case statsQuery = "stats-query"
    /// §7.6(a): A only reads, its stream head holds one message; B writes two.
    case flowControl = "flow-control"
    /// §7.6(b): as stats-query, but B answers with `sendmsg` and SCM_RIGHTS (a T_OPTDATA_REQ).
    case scmRights = "scm-rights"
    /// stats-query with ordrel's real CLI core as B: A sends `show stat`, B is a `CLISession`.
    case statsQueryCLI = "stats-query-cli"

    public var description: String { rawValue }
}

/// A command the CLI scenario's client sends.
public enum CLIQuery: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// `show stat`: the CSV header and the fixture's FRONTEND, server and BACKEND rows.
    case showStat = "show stat"
    /// `show info`: the fixture's process information lines.
    case showInfo = "show info"

    /// The request line the client writes.
    public var request: [UInt8] { Array("\(rawValue)\n".utf8) }

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
    /// `.endSession` into the policy's ending operations. `clientExpects`, when given, is the exact
    /// reply invariant (a) holds the client to (instead of whatever the server wrote).
    public init(
        name: String,
        client: some SocketProgram,
        server: some SocketProgram,
        policy: ClosePolicy,
        clientCapacity: Int? = nil,
        clientExpects: [UInt8]? = nil,
        configuration: ModelConfiguration
    ) {
        self.name = name
        self.configuration = configuration
        var clientHead = StreamHead()
        clientHead.capacity = clientCapacity
        var clientUser = SocketUser(program: client)
        clientUser.expectedInput = clientExpects
        initialState = ModelState(
            heads: PerEndpoint(a: clientHead, b: StreamHead()),
            users: PerEndpoint(a: clientUser,
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
        case .statsQueryCLI:
            self.init(cliQuery: .showStat, policy: policy, configuration: configuration)
        }
    }

    /// stats-query with ordrel's real CLI core as the server: the client writes `query`, shuts down
    /// and reads to EOF; the server is a `CLISessionProgram` ending the session by `policy`.
    /// Invariant (a) holds the client to the exact reply a `CLISession` alone gives to `query`.
    public init(
        cliQuery query: CLIQuery,
        policy: ClosePolicy,
        drainsInputBeforeClose: Bool = true,
        outputChunkSize: Int = 16384,
        configuration: ModelConfiguration
    ) {
        let name = "\(ScenarioKind.statsQueryCLI)[\(query)] \(configuration.kernel) \(policy) \(configuration.closeMode)"
            + (configuration.sendsUnixCloseNotice ? "" : " no-unix-close")
            + (drainsInputBeforeClose ? "" : " no-input-drain")
        let server = CLISessionProgram(policy: policy, drainsInputBeforeClose: drainsInputBeforeClose,
                                       outputChunkSize: outputChunkSize)
        // The server never asks to end the session: it runs `policy` itself, so the wrapper is inert.
        self.init(name: name, client: RequestingClient(request: query.request, shutsDown: true),
                  server: server, policy: policy,
                  clientExpects: CLISessionProgram.standaloneReply(to: query.request),
                  configuration: configuration)
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
