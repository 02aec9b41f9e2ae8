import OrdrelCLI

/// ordrel's real CLI core, `CLISession`, as a model program: the server end of a stats-socket exchange.
///
/// The model's state must be a hashable value; `CLISession` is a class over a `CLIRuntime` class.
/// So this program stores only what happened to it (`history`: read outcomes, write counts, close
/// steps) and rebuilds a fresh session over a fresh `ModelCLIRuntime` by deterministic replay,
/// driving the pull API exactly as a driver does: one `nextAction()` per completed step, answered
/// with `didWrite`, `receive`/`receiveEOF`, `didShutdownWrite` or `didClose`. Equality and hashing
/// are that history (plus the fixed parameters); the derived `nextAction` is cached.
///
/// Mapping: `.write(bytes)` is one model write (one message) and `didWrite(count)` follows when it
/// completes; `.read` is a model read. The session asks for `.shutdownWrite` only once the whole
/// reply is written; from there `policy` decides the close path, and the session is told
/// `didShutdownWrite()` / `didClose()` as those operations complete.
///
/// ordrel's production policy is `.drainThenShutdown`: wait until nothing written is still queued
/// in the transport, then `shutdown(SHUT_WR)`, then `close()`. The wait is where the model and
/// Linux differ: on Linux, `send()` on an AF_UNIX stream socket appends directly to the peer's
/// receive queue, so the drain condition already holds when `send()` returns and the production
/// driver (`CLIConnection` in OrdrelCore) shuts down right after the last write. In `tl`, written
/// data can still sit in the serializer or on the own `te_wq`; there the wait is what keeps the
/// T_ORDREL_REQ from overtaking it.
///
/// With `drainsInputBeforeClose` the program also mirrors the production driver's linger: after the
/// shutdown, the client's remaining input is read (and discarded) until EOF before `close()`, so
/// that on Linux the close cannot turn into a reset that destroys the unread reply.
public struct CLISessionProgram: SocketProgram {
    /// One completed step, in order.
    public enum Event: Hashable, Sendable {
        /// A read returned this outcome.
        case read(ReadOutcome)
        /// A write of this many reply bytes completed.
        case wrote(Int)
        /// The wait until nothing written is queued in the transport ended.
        case drained
        /// `shutdown(SHUT_WR)` completed.
        case shutDown
        /// `close()` completed.
        case closed
    }

    /// How the session ends once the whole reply is written.
    public let policy: ClosePolicy
    /// Whether the client's input is read until EOF between the shutdown and `close()`.
    public let drainsInputBeforeClose: Bool
    /// The session's privilege level.
    public let level: CLILevel
    /// The session's output chunk size: how much reply it generates before asking for a write.
    public let outputChunkSize: Int
    /// Everything that happened, in order; with the parameters above, the program's identity.
    public private(set) var history: [Event] = []
    /// The operation the session asks for now, derived from `history` by replay.
    public private(set) var nextAction: ProgramAction = .finished

    /// A session that has not read anything yet; `outputChunkSize` defaults to `CLISession`'s.
    public init(
        policy: ClosePolicy = .drainThenShutdown,
        drainsInputBeforeClose: Bool = true,
        level: CLILevel = .admin,
        outputChunkSize: Int = 16384
    ) {
        self.policy = policy
        self.drainsInputBeforeClose = drainsInputBeforeClose
        self.level = level
        self.outputChunkSize = outputChunkSize
        nextAction = replayedAction()
    }

    public mutating func complete(read: ReadOutcome?) {
        let event: Event
        switch nextAction {
        case .read:
            guard let read else { preconditionFailure("a completed read has an outcome") }
            event = .read(read)
        case .write(let bytes): event = .wrote(bytes.count)
        case .awaitDrained: event = .drained
        case .shutdownWrite: event = .shutDown
        case .close: event = .closed
        case .sendRights, .endSession, .finished:
            preconditionFailure("CLISessionProgram never asks for \(nextAction)")
        }
        history.append(event)
        nextAction = replayedAction()
    }

    public static func == (lhs: CLISessionProgram, rhs: CLISessionProgram) -> Bool {
        lhs.history == rhs.history && lhs.policy == rhs.policy
            && lhs.drainsInputBeforeClose == rhs.drainsInputBeforeClose
            && lhs.level == rhs.level && lhs.outputChunkSize == rhs.outputChunkSize
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(history)
        hasher.combine(policy)
        hasher.combine(drainsInputBeforeClose)
        hasher.combine(level)
        hasher.combine(outputChunkSize)
    }

    /// Rebuilds the session, replays `history`, and returns the action asked for now.
    private func replayedAction() -> ProgramAction {
        var driver = ReplayDriver(
            session: CLISession(runtime: ModelCLIRuntime(), level: level, outputChunkSize: outputChunkSize),
            ending: policy.endingActions, drainsInputBeforeClose: drainsInputBeforeClose)
        for event in history {
            _ = driver.action()
            driver.apply(event)
        }
        return driver.action()
    }

    /// The reply a `CLISession` on a fresh `ModelCLIRuntime` gives to `request` followed by EOF,
    /// driven directly with no model in between: what a client of the CLI must read, exactly.
    public static func standaloneReply(to request: [UInt8], level: CLILevel = .admin) -> [UInt8] {
        let session = CLISession(runtime: ModelCLIRuntime(), level: level)
        session.receive(request)
        var reply: [UInt8] = []
        while true {
            switch session.nextAction() {
            case .write(let bytes):
                reply += bytes
                session.didWrite(bytes.count)
            case .read: session.receiveEOF()
            case .transferListeners: session.didTransferListeners()  // the model has no listeners
            case .awaitRows: preconditionFailure("ModelCLIRuntime makes its rows at once")
            case .shutdownWrite: session.didShutdownWrite()
            case .close: session.didClose()
            case .done: return reply
            }
        }
    }
}

/// Drives a freshly built `CLISession` through a recorded history, as a socket driver would.
private struct ReplayDriver {
    /// The rebuilt session.
    let session: CLISession
    /// The close policy's operations, run once the session asks for `.shutdownWrite`.
    let ending: [ProgramAction]
    /// Whether input is read until EOF before `close()`.
    let drainsInputBeforeClose: Bool
    /// How many ending operations completed; nil while the session is still talking.
    var endingStep: Int?
    /// A read returned EOF.
    var inputEOF = false

    init(session: CLISession, ending: [ProgramAction], drainsInputBeforeClose: Bool) {
        self.session = session
        self.ending = ending
        self.drainsInputBeforeClose = drainsInputBeforeClose
    }

    /// The operation to perform now. Asks the session at most once, as `nextAction()` advances it.
    mutating func action() -> ProgramAction {
        guard let step = endingStep else {
            switch session.nextAction() {
            case .write(let bytes):
                return .write(Array(bytes))
            case .read:
                precondition(session.wantsInput, "CLISession asks for input only while it wants some")
                return .read
            case .transferListeners:
                // The model passes no descriptors: a socket without `expose-fd listeners`.
                session.didTransferListeners()
                return action()
            case .awaitRows:
                preconditionFailure("ModelCLIRuntime makes its rows at once")
            case .shutdownWrite:
                endingStep = 0
                return action()
            case .close, .done:
                preconditionFailure("CLISession closes only after its write side was shut down")
            }
        }
        guard step < ending.count else {
            precondition(session.nextAction() == .done, "the session is over once the close completed")
            return .finished
        }
        let next = ending[step]
        return next == .close && drainsInputBeforeClose && !inputEOF ? .read : next
    }

    /// Feeds one completed step to the session.
    mutating func apply(_ event: CLISessionProgram.Event) {
        switch event {
        case .read(.bytes(let bytes)):
            // While lingering the session is over: what the client still sends is discarded.
            if endingStep == nil { session.receive(bytes) }
        case .read(.endOfFile):
            inputEOF = true
            if endingStep == nil { session.receiveEOF() }
        case .wrote(let count):
            session.didWrite(count)
        case .drained:
            endingStep? += 1
        case .shutDown:
            session.didShutdownWrite()
            endingStep? += 1
        case .closed:
            session.didClose()
            endingStep? += 1
        }
    }
}
