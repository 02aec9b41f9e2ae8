/// The next socket operation a user program asks for.
public enum ProgramAction: Hashable, Sendable, CustomStringConvertible {
    /// Blocking `read()` of one delivered message (or EOF).
    case read
    /// `write()` of one message.
    case write([UInt8])
    /// `sendmsg()` of bytes with SCM_RIGHTS.
    case sendRights([UInt8])
    /// `shutdown(SHUT_WR)`.
    case shutdownWrite
    /// Block until nothing this end wrote is still queued in the transport (own `te_wq` and FIFO).
    case awaitDrained
    /// `close()`, carried out in its steps.
    case close
    /// The program is done talking: the scenario's close policy decides how to end.
    case endSession
    /// Nothing more to do.
    case finished

    public var description: String {
        switch self {
        case .read: "read"
        case .write(let bytes): "write(\(bytes.text))"
        case .sendRights(let bytes): "sendmsg(\(bytes.text)+fds)"
        case .shutdownWrite: "shutdown"
        case .awaitDrained: "await-drained"
        case .close: "close"
        case .endSession: "end-session"
        case .finished: "finished"
        }
    }
}

/// What a `read()` returned.
public enum ReadOutcome: Hashable, Sendable {
    /// One delivered message's bytes.
    case bytes([UInt8])
    /// 0: end of file.
    case endOfFile
}

/// A user program driving one socket end, stepped by the scheduler.
///
/// The value is part of the model state, so it must be hashable and must change only through
/// `complete(_:)`. A sans-IO protocol session (e.g. the CLI core) plugs in by conforming: feed read
/// results in, expose the writes it wants to make as `nextAction`, and end with `.endSession`.
public protocol SocketProgram: Hashable, Sendable {
    /// The operation this program performs next.
    var nextAction: ProgramAction { get }
    /// Records that `nextAction` completed; `read` is the outcome when the action was `.read`.
    mutating func complete(read: ReadOutcome?)
}

/// A type-erased `SocketProgram`, so scenarios can mix scripted and adapted programs.
public struct AnySocketProgram: SocketProgram {
    /// The wrapped program.
    public private(set) var base: any SocketProgram

    public init(_ base: some SocketProgram) {
        self.base = (base as? AnySocketProgram)?.base ?? base
    }

    public var nextAction: ProgramAction { base.nextAction }

    public mutating func complete(read: ReadOutcome?) {
        base.complete(read: read)
    }

    public static func == (lhs: AnySocketProgram, rhs: AnySocketProgram) -> Bool {
        AnyHashable(lhs.base) == AnyHashable(rhs.base)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(AnyHashable(base))
    }
}
