import OrdrelSystem

/// Where a stream is in its life, with what that phase owns.
enum StreamPhase {
    /// Reading the client's first bytes for `tcp-request content` rules (and, at the frontend
    /// stage, `use_backend` conditions), until a decision or this loop time (`inspect-delay`).
    case inspecting(InspectionStage, until: Double)
    /// Choosing a server or opening a socket to it: no server socket yet.
    case dispatching
    /// Waiting in a queue for a connection slot (`timeout queue`), since this loop time.
    case queued(QueueTicket, since: Double)
    /// Non-blocking connect on this server socket in progress, started at this loop time.
    case connecting(FD, startedAt: Double)
    /// Waiting the turn-around delay before retrying a failed connect, until this loop time; the
    /// retry then goes to another server when `redispatch` is set.
    case retryDelay(until: Double, redispatch: Bool)
    /// Connected through this server socket; each direction follows its own `HalfCloseState`.
    case established(FD)
    /// Finished: both fds closed, the stream is out of the table.
    case closed

    /// The server socket, while the phase has one.
    var serverSocket: FD? {
        switch self {
        case .connecting(let fd, _), .established(let fd): return fd
        case .inspecting, .dispatching, .queued, .retryDelay, .closed: return nil
        }
    }

    var isClosed: Bool {
        if case .closed = self { return true }
        return false
    }

    /// The tcplog phase letter of an end now.
    var terminationPhase: TerminationPhase {
        switch self {
        case .inspecting: return .request
        case .queued: return .queue
        case .dispatching, .connecting, .retryDelay: return .connect
        case .established, .closed: return .data
        }
    }
}

/// Whose `tcp-request content` rules inspect a stream.
enum InspectionStage {
    /// The frontend's, then `use_backend`: the stream has no backend yet.
    case frontend
    /// The chosen backend's own (haproxy's `AN_REQ_INSPECT_BE`), when it is not the frontend.
    case backend
}

/// Who or what ended a stream: the first letter of the tcplog `%ts`.
enum TerminationCause: Character {
    /// Ended normally.
    case none = "-"
    /// The client aborted, failed, or left before a server answered.
    case client = "C"
    /// The server refused, failed or aborted, or none was usable.
    case server = "S"
    /// A proxy rule refused it (`tcp-request content reject`).
    case proxy = "P"
    /// Killed by the operator (`shutdown session(s)`) or a hard stop.
    case killed = "K"
    /// Killed because its server went DOWN (`on-marked-down shutdown-sessions`).
    case serverDown = "D"
    /// Killed because an active server came back while it used a backup (`on-marked-up`).
    case serverUp = "U"
    /// A client-side timeout expired.
    case clientTimeout = "c"
    /// A server-side timeout (`connect`, `queue`, `server`) expired.
    case serverTimeout = "s"
}

/// The phase a stream ended in: the second letter of the tcplog `%ts`.
enum TerminationPhase: Character {
    /// Ended normally.
    case none = "-"
    /// Waiting for (or inspecting) the client's request.
    case request = "R"
    /// Waiting in a queue.
    case queue = "Q"
    /// Connecting to a server (retries included).
    case connect = "C"
    /// Forwarding data.
    case data = "D"
}

/// The tcplog `%ts` of a stream.
struct Termination: Equatable {
    var cause: TerminationCause
    var phase: TerminationPhase

    /// `--`: nothing went wrong.
    static let normal = Termination(cause: .none, phase: .none)
}

/// Why a stream ends: its tcplog `%ts`, and whether its peers see a reset.
enum StreamEnd: Equatable {
    /// Both directions closed in order: every byte was delivered (`--`).
    case completed
    /// Closed without a reset, for this cause in this phase (no server, a timeout, a client
    /// leaving before it reached a server).
    case closed(TerminationCause, in: TerminationPhase)
    /// Both peers reset (SO_LINGER 0), so they learn promptly that the stream did not complete:
    /// a socket failed or ordrel killed the stream. A nil phase is the one the stream is in.
    case reset(TerminationCause, in: TerminationPhase? = nil)

    /// Whether closing sends RST to both peers: always for `reset`, else with `option nolinger`.
    func resetsPeers(nolinger: Bool) -> Bool {
        if case .reset = self { return true }
        return nolinger
    }

    /// The `%ts` it logs for a stream in `phase`.
    func termination(in phase: StreamPhase) -> Termination {
        switch self {
        case .completed: return .normal
        case .closed(let cause, let when): return Termination(cause: cause, phase: when)
        case .reset(let cause, let when): return Termination(cause: cause, phase: when ?? phase.terminationPhase)
        }
    }
}
