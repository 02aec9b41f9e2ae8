/// The invariants checked on every explored schedule.
public enum Invariant: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// (a) Every byte written before shutdown/close reaches the reader, in order, before EOF.
    case completeInOrder
    /// (b) Nothing is delivered to a stream head after its EOF, and no read returns data after EOF.
    case noDataAfterEOF
    /// (c) Every maximal schedule ends with both programs finished and the serializer idle.
    case noDeadlock

    /// Short label used in tables.
    public var label: String {
        switch self {
        case .completeInOrder: "(a)"
        case .noDataAfterEOF: "(b)"
        case .noDeadlock: "(c)"
        }
    }

    public var description: String {
        switch self {
        case .completeInOrder: "(a) data lost or reordered before EOF"
        case .noDataAfterEOF: "(b) data after EOF"
        case .noDeadlock: "(c) deadlock"
        }
    }
}

/// A set of violated invariants; sticky once set along a schedule.
public struct ViolationSet: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public init(_ invariant: Invariant) {
        rawValue = 1 << UInt8(invariant.rawValue)
    }

    /// The violated invariants, in order.
    public var invariants: [Invariant] { Invariant.allCases.filter { contains(ViolationSet($0)) } }
}

/// The socket layer above the transport: the user program and what it has sent and read.
public struct SocketUser: Hashable, Sendable {
    /// The program driving this socket end.
    public var program: AnySocketProgram
    /// Every byte this end's program has written, in order (what the peer must read).
    public var written: [UInt8] = []
    /// The exact bytes this end must read before EOF, when the scenario knows them independently of
    /// what the peer wrote (e.g. the CLI's reply computed outside the model); nil means the peer's `written`.
    public var expectedInput: [UInt8]?
    /// How many bytes this end's program has read.
    public var readCount = 0
    /// A read has returned EOF.
    public var sawEOF = false
    /// `shutdown(SHUT_WR)` sent its T_ORDREL_REQ (sockfs sends it only once).
    public var shutdownSent = false

    public init(program: some SocketProgram) {
        self.program = AnySocketProgram(program)
    }
}

/// How `close()` treats `strclose`'s drain wait.
public enum CloseMode: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Blocking fd: `strclose` waits while `te_wq` holds messages (no timeout modelled).
    case blocking
    /// Non-blocking fd (haproxy): no wait.
    case nonblocking

    public var description: String { rawValue }
}

/// The fixed parameters of a model run; not part of the explored state.
public struct ModelConfiguration: Hashable, Sendable {
    /// The `tl` variant.
    public var kernel: KernelVariant
    /// Blocking or non-blocking `close()`.
    public var closeMode: CloseMode
    /// Whether `close()` sends sockfs' SO_UNIX_CLOSE notice first.
    public var sendsUnixCloseNotice: Bool

    public init(kernel: KernelVariant, closeMode: CloseMode, sendsUnixCloseNotice: Bool) {
        self.kernel = kernel
        self.closeMode = closeMode
        self.sendsUnixCloseNotice = sendsUnixCloseNotice
    }
}

/// The complete model state: both endpoints, both stream heads, both users, the serializer.
public struct ModelState: Hashable, Sendable {
    /// The `tl` endpoints.
    public var endpoints = PerEndpoint(a: Endpoint(), b: Endpoint())
    /// The stream heads each end's user reads.
    public var heads: PerEndpoint<StreamHead>
    /// The user programs and their bookkeeping.
    public var users: PerEndpoint<SocketUser>
    /// The shared serializer's FIFO of pending jobs.
    public var serializer: [Job] = []
    /// Invariants violated so far on the way to this state.
    public var violations: ViolationSet = []

    public init(heads: PerEndpoint<StreamHead>, users: PerEndpoint<SocketUser>) {
        self.heads = heads
        self.users = users
    }

    /// Both programs are done and the serializer is idle.
    public var isQuiescent: Bool {
        serializer.isEmpty && EndpointID.allCases.allSatisfy { users[$0].program.nextAction == .finished }
    }
}
