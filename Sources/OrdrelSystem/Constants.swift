#if canImport(Glibc)
import Glibc
#endif

/// The signals ordrel watches, so other modules need no libc to name them.
public enum Signal: Sendable {
    /// SIGTERM: hard stop.
    case terminate
    /// SIGINT: hard stop.
    case interrupt
    /// SIGUSR1: soft stop.
    case user1
    /// SIGUSR2: master-worker reload.
    case user2
    /// SIGHUP: master-worker reload.
    case hangUp
    /// SIGTTIN: resume the listeners SIGTTOU paused (a new process that could not bind gave up).
    case ttyInput
    /// SIGTTOU: pause the TCP listeners (a new process that cannot bind asks the old one).
    case ttyOutput
    /// SIGWINCH: the terminal was resized (`ordrelctl top` redraws).
    case windowChange

    /// The signal's number, for libev.
    public var number: Int32 {
        switch self {
        case .terminate: return SIGTERM
        case .interrupt: return SIGINT
        case .user1: return SIGUSR1
        case .user2: return SIGUSR2
        case .hangUp: return SIGHUP
        case .ttyInput: return SIGTTIN
        case .ttyOutput: return SIGTTOU
        case .windowChange: return SIGWINCH
        }
    }
}

/// The errno values other modules test for.
public enum Errno {
    /// ECONNREFUSED: what a connect with no pending error to report counts as.
    public static let connectionRefused = ECONNREFUSED

    /// ECONNRESET, EPIPE: a pending error that says the connection was up before it broke.
    public static func brokeAfterConnecting(_ errno: Int32) -> Bool { errno == ECONNRESET || errno == EPIPE }
}

extension SyscallError {
    /// Out of fds or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM): a process limit, not the peer's fault.
    public var isResourceExhaustion: Bool { [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(errno) }

    /// EADDRINUSE: another socket holds the address (bind may succeed once it lets go).
    public var isAddressInUse: Bool { errno == EADDRINUSE }
}
