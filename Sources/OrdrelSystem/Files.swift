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

    /// Whether `path` is a directory (following symbolic links).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The names in a directory, without `.` and `..`, in no particular order.
    public static func directoryEntries(_ path: String) throws(SyscallError) -> [String] {
        guard let directory = opendir(path) else { throw SyscallError(call: "opendir(\(path))", errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Writes `contents` to `path`, replacing it (pidfiles).
    public static func write(_ contents: String, to path: String) throws {
        guard let file = fopen(path, "w") else { throw SyscallError(call: "fopen(\(path))", errno: errno) }
        defer { fclose(file) }
        fputs(contents, file)
    }

    /// The first line of a small file (a pidfile), nil if it cannot be read.
    public static func firstLine(of path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 256)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return line.hasSuffix("\n") ? String(line.dropLast()) : line
    }

    /// The whole contents of a small file (`errorfile`), at most `maxBytes`: nil past that size.
    public static func contents(of path: String, maxBytes: Int) throws(SyscallError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SyscallError(call: "open(\(path))", errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SyscallError(call: "read(\(path))", errno: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maxBytes { return nil }
        }
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

    /// A user's uid and primary gid from the user database; nil for an unknown name.
    public static func userIDs(named name: String) -> (uid: UInt32, gid: UInt32)? {
        getpwnam(name).map { ($0.pointee.pw_uid, $0.pointee.pw_gid) }
    }

    /// A group's gid from the group database; nil for an unknown name.
    public static func groupID(named name: String) -> UInt32? {
        getgrnam(name).map { $0.pointee.gr_gid }
    }

    public static func drop(user: String?, uid: Int?, group: String?, gid: Int?, chroot path: String?) throws {
        var targetGID = gid.map { gid_t($0) }
        var targetUID = uid.map { uid_t($0) }
        if let group {
            guard let id = groupID(named: group) else { throw Failure(description: "unknown group '\(group)'") }
            targetGID = id
        }
        if let user {
            guard let ids = userIDs(named: user) else { throw Failure(description: "unknown user '\(user)'") }
            targetUID = ids.uid
            if targetGID == nil { targetGID = ids.gid }
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
