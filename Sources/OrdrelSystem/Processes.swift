#if canImport(Glibc)
import Glibc
#endif
import CLibev

/// How a child process ended, decoded from a wait(2) status.
public enum ChildExit: Sendable, Equatable, CustomStringConvertible {
    /// exit(code).
    case exited(Int32)
    /// Killed by this signal.
    case signaled(Int32)

    /// Decodes a raw wait status (WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift cannot import).
    public init(waitStatus status: Int32) {
        if status & 0x7f == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(status & 0x7f)
        }
    }

    /// haproxy's exit code of a child: the code, or 128 + the signal.
    public var code: Int32 {
        switch self {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }

    /// haproxy's words for it: "Exit", or the signal's name ("Terminated", "Killed").
    public var reason: String {
        switch self {
        case .exited: return "Exit"
        case .signaled(let signal):
            guard let name = strsignal(signal) else { return "Signal \(signal)" }
            return String(cString: name)
        }
    }

    public var description: String { "\(code) (\(reason))" }
}

/// Starting and signalling other processes: the master-worker master's workers.
public enum ChildProcess {
    /// Starts `path` with `arguments` (argv[0] included) and `environment` (`NAME=value`) with
    /// posix_spawn, not fork: the child execs at once, so it reads a new binary and config.
    /// Every fd is close-on-exec except `inherited`, which the child gets at the same numbers.
    /// The child starts with no signal blocked and every signal at its default disposition
    /// (SIGPIPE included), whatever the parent installed. Call only while no other thread
    /// creates fds (the master is single-threaded): `inherited` are exec-visible meanwhile.
    public static func spawn(path: String, arguments: [String], environment: [String], inherited: [FD]) throws -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var everything = sigset_t()
        sigemptyset(&everything)
        for signal in 1..<Int32(32) where signal != SIGKILL && signal != SIGSTOP { sigaddset(&everything, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &everything)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        for fd in inherited { try fd.setCloseOnExec(false) }
        defer { for fd in inherited { try? fd.setCloseOnExec(true) } }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, nil, &attributes, argv, envp)
        guard rc == 0 else { throw SyscallError(call: "posix_spawn(\(path))", errno: rc) }
        return pid
    }

    /// kill(2). A process that is already gone (ESRCH) is not an error: returns false.
    @discardableResult
    public static func signal(_ pid: Int32, _ signal: Signal) -> Bool {
        kill(pid, signal.number) == 0
    }
}

extension FD {
    /// Sets or clears FD_CLOEXEC.
    public func setCloseOnExec(_ on: Bool) throws {
        _ = try syscallBlocking("fcntl(F_SETFD)") { fcntl(rawValue, F_SETFD, on ? FD_CLOEXEC : 0) }
    }
}

extension CurrentProcess {
    /// The path of the running binary (readlink of /proc/self/exe), resolved at start: after an
    /// upgrade replaces the file, spawning this path runs the new binary. nil when unreadable.
    public static var executablePath: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// exit(3): ends the process at once with `code` (a worker whose master is gone).
    public static func exit(_ code: Int32) -> Never {
        Glibc.exit(code)
    }
}

/// systemd's notification protocol (sd_notify(3)) without libsystemd: one datagram of
/// `NAME=value` lines to the Unix datagram socket named by `$NOTIFY_SOCKET`, abstract when the
/// name starts with '@'.
public enum SystemdNotify {
    /// Sends `message` to `socketPath`; throws naming the failing call.
    public static func send(_ message: String, to socketPath: String) throws {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !path.isEmpty, path.count < capacity else {
            throw SyscallError(call: "sendto(\(socketPath))", errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        // Abstract names are not NUL-terminated: the length says where they end.
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count + (path[0] == 0 ? 0 : 1))
        let fd = FD(rawValue: try syscallBlocking("socket(AF_UNIX, SOCK_DGRAM)") {
            socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        })
        defer { fd.close() }
        let bytes = Array(message.utf8)
        _ = try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                try syscallBlocking("sendto(NOTIFY_SOCKET)") {
                    bytes.withUnsafeBytes { sendto(fd.rawValue, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sa, length) }
                }
            }
        }
    }
}
