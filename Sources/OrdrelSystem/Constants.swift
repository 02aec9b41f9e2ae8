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
    /// SIGTTOU: pause the listeners (a new process that cannot bind asks the old one).
    case pause
    /// SIGTTIN: resume paused listeners (the new process gave up).
    case resume

    /// The signal's number, for libev.
    public var number: Int32 {
        switch self {
        case .terminate: return SIGTERM
        case .interrupt: return SIGINT
        case .user1: return SIGUSR1
        case .pause: return SIGTTOU
        case .resume: return SIGTTIN
        }
    }
}

/// The errno values other modules test for.
public enum Errno {
    /// ECONNREFUSED: what a connect with no pending error to report counts as.
    public static let connectionRefused = ECONNREFUSED
}

extension SyscallError {
    /// Out of fds or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM): a process limit, not the peer's fault.
    public var isResourceExhaustion: Bool { [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(errno) }

    /// EADDRINUSE: another socket holds the address (bind may succeed once it lets go).
    public var isAddressInUse: Bool { errno == EADDRINUSE }
}
