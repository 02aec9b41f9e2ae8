#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system and process calls used at start-up (socket files, pidfiles, signals, limits).
public enum Files {
    /// Removes a file; a missing file is not an error.
    public static func unlinkIfPresent(_ path: String) throws {
        if Glibc.unlink(path) != 0 && errno != ENOENT {
            throw SyscallError(call: "unlink(\(path))", errno: errno)
        }
    }

    /// Atomically replaces `to` with `from` (same file system).
    public static func rename(_ from: String, to: String) throws {
        _ = try syscallBlocking("rename") { Glibc.rename(from, to) }
    }

    public static func chmod(_ path: String, mode: UInt32) throws {
        _ = try syscallBlocking("chmod") { Glibc.chmod(path, mode_t(mode)) }
    }

    /// Changes owner and/or group; -1 leaves one unchanged.
    public static func chown(_ path: String, uid: Int32, gid: Int32) throws {
        _ = try syscallBlocking("chown") { Glibc.chown(path, uid_t(bitPattern: uid), gid_t(bitPattern: gid)) }
    }

    /// Writes `contents` to `path`, replacing it (pidfiles).
    public static func write(_ contents: String, to path: String) throws {
        guard let file = fopen(path, "w") else { throw SyscallError(call: "fopen(\(path))", errno: errno) }
        defer { fclose(file) }
        fputs(contents, file)
    }

    /// Ignores SIGPIPE process-wide: a write to a closed peer must be EPIPE, never a crash.
    public static func ignoreSIGPIPE() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// The soft RLIMIT_NOFILE, raised to the hard limit when asked.
    public static func raiseOpenFileLimit(to wanted: Int) -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if wanted > 0, rlim_t(wanted) > limit.rlim_cur {
            limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(limit.rlim_cur)
    }
}

/// Privilege dropping after the sockets are bound, as haproxy's `chroot`, `group`/`gid`,
/// `user`/`uid` do: chroot first, then the group, then the user (after which none can change).
public enum Privileges {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func drop(user: String?, uid: Int?, group: String?, gid: Int?, chroot path: String?) throws {
        var targetGID = gid.map { gid_t($0) }
        var targetUID = uid.map { uid_t($0) }
        if let group {
            guard let entry = getgrnam(group) else { throw Failure(description: "unknown group '\(group)'") }
            targetGID = entry.pointee.gr_gid
        }
        if let user {
            guard let entry = getpwnam(user) else { throw Failure(description: "unknown user '\(user)'") }
            targetUID = entry.pointee.pw_uid
            if targetGID == nil { targetGID = entry.pointee.pw_gid }
        }
        if let path {
            _ = try syscallBlocking("chroot") { Glibc.chroot(path) }
            _ = try syscallBlocking("chdir") { Glibc.chdir("/") }
        }
        if let targetGID {
            _ = try syscallBlocking("setgroups") { setgroups(0, nil) }
            _ = try syscallBlocking("setgid") { setgid(targetGID) }
        }
        if let targetUID {
            _ = try syscallBlocking("setuid") { setuid(targetUID) }
        }
    }
}
