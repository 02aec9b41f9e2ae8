/// How a userland program ends a session once it has nothing more to send.
public enum ClosePolicy: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// haproxy's: `shutdown(SHUT_WR)` right after the last write, then `close()`.
    case writeShutdownClose = "write-shutdown-close"
    /// `close()` right after the last write.
    case writeClose = "write-close"
    /// Wait until nothing written is queued in the transport, then `shutdown`, then `close()`.
    case drainThenShutdown = "drain-then-shutdown"

    /// The operations that end the session, in order.
    public var endingActions: [ProgramAction] {
        switch self {
        case .writeShutdownClose: [.shutdownWrite, .close]
        case .writeClose: [.close]
        case .drainThenShutdown: [.awaitDrained, .shutdownWrite, .close]
        }
    }

    public var description: String { rawValue }
}

/// Runs an inner program and, when it asks to end the session, the close policy's operations.
public struct PolicyEndedProgram: SocketProgram {
    /// The program doing the talking.
    public private(set) var inner: AnySocketProgram
    /// How the session ends.
    public let policy: ClosePolicy
    /// How many of the policy's ending actions have completed.
    var endingStep = 0

    public init(_ inner: some SocketProgram, policy: ClosePolicy) {
        self.inner = AnySocketProgram(inner)
        self.policy = policy
    }

    public var nextAction: ProgramAction {
        let action = inner.nextAction
        guard action == .endSession else { return action }
        let ending = policy.endingActions
        return endingStep < ending.count ? ending[endingStep] : .finished
    }

    public mutating func complete(read: ReadOutcome?) {
        if inner.nextAction == .endSession {
            endingStep += 1
        } else {
            inner.complete(read: read)
        }
    }
}
