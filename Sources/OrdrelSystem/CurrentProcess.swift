#if canImport(Glibc)
import Glibc
#endif

/// The calling process: its id, host name and environment, stderr, and leaving the terminal.
public enum CurrentProcess {
    /// getpid(2), for log prefixes, `show info` and temporary socket names.
    public static var id: Int32 { getpid() }

    /// gethostname(2); empty if the kernel refuses.
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The environment as `NAME=value` entries, in the process's order (`show env`).
    public static var environment: [String] {
        var entries: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            entries.append(String(cString: entry))
            pointer += 1
        }
        return entries
    }

    /// setenv(3), overwriting: for the variables haproxy exports about itself.
    public static func setEnvironment(_ name: String, _ value: String) throws {
        _ = try syscallBlocking("setenv") { setenv(name, value, 1) }
    }

    /// The environment by name (the first entry wins, as getenv(3)), for `${NAME}` in configs.
    public static var environmentVariables: [String: String] {
        var variables: [String: String] = [:]
        for entry in environment {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            let name = String(entry[..<equals])
            if variables[name] == nil { variables[name] = String(entry[entry.index(after: equals)...]) }
        }
        return variables
    }

    /// Writes `line` to stderr in one write(2) when it fits; a failed write is dropped (there is
    /// nowhere left to report it).
    public static func writeToStandardError(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(STDERR_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// Daemonises without a double fork: fork, the parent exits 0, the child starts a new session
    /// and points stdin, stdout and stderr at /dev/null. Any failing call throws naming itself,
    /// while stderr still reaches the terminal (dup2 comes last).
    public static func detach() throws {
        let pid = fork()
        if pid < 0 { throw SyscallError(call: "fork", errno: errno) }
        if pid > 0 { exit(0) }
        _ = try syscallBlocking("setsid") { setsid() }
        let devnull = try syscallBlocking("open(/dev/null)") { open("/dev/null", O_RDWR) }
        defer { if devnull > STDERR_FILENO { close(devnull) } }
        for target in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where target != devnull {
            _ = try syscallBlocking("dup2") { dup2(devnull, target) }
        }
    }
}

/// The wall clock and its local-time breakdown.
public enum WallClock {
    /// Microseconds since the epoch (gettimeofday(2)).
    public static func micros() -> UInt64 {
        var tv = timeval()
        gettimeofday(&tv, nil)
        return UInt64(tv.tv_sec) * 1_000_000 + UInt64(tv.tv_usec)
    }

    /// localtime_r(3) of `seconds` since the epoch.
    public static func localTime(seconds: UInt64) -> LocalTime {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        return LocalTime(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
                         hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec))
    }
}

/// A calendar date and time of day in the local time zone; `month` is 1...12.
public struct LocalTime: Sendable, Equatable {
    public let year, month, day, hour, minute, second: Int
}
