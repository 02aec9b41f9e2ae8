#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a Unix socket could not be bound and listened on at its path (a failing socket() is
/// thrown as its own `SyscallError`).
public struct UnixListenerError: Error, CustomStringConvertible {
    public let description: String
}

extension FD {
    /// The longest path `unixListener` can bind: `sun_path` less its NUL and the temporary
    /// suffix `.<pid>.tmp` for the largest pid Linux hands out (PID_MAX_LIMIT, 7 digits).
    public static let maxUnixListenerPathLength =
        MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1 - temporarySuffix(pid: 4_194_304).utf8.count

    /// What `unixListener` appends to the path for its temporary name.
    private static func temporarySuffix(pid: Int32) -> String { ".\(pid).tmp" }

    /// A listening Unix stream socket at `path`, bound atomically: bound under a temporary name,
    /// given its mode and owner, listening, then renamed over `path`, so a restart never leaves
    /// clients without a socket and never exposes one with the wrong permissions.
    public static func unixListener(path: String, mode: UInt32?, uid: Int?, gid: Int?, backlog: Int32) throws -> FD {
        let temporary = path + temporarySuffix(pid: CurrentProcess.id)
        guard let address = SocketAddress(unixPath: temporary) else {
            throw UnixListenerError(description: "path too long for a Unix socket")
        }
        let fd = try FD.streamSocket(for: .unix)
        do {
            try Files.unlinkIfPresent(temporary)
            try fd.bind(to: address)
            if let mode { try Files.chmod(temporary, mode: mode) }
            if uid != nil || gid != nil { try Files.chown(temporary, uid: Int32(uid ?? -1), gid: Int32(gid ?? -1)) }
            try fd.listen(backlog: backlog)
            try Files.rename(temporary, to: path)
        } catch {
            fd.close()
            try? Files.unlinkIfPresent(temporary)
            throw UnixListenerError(description: "\(error)")
        }
        return fd
    }
}
