#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibev

/// What a listening socket handed over by another process is, read from the socket itself
/// (haproxy's `sock_get_old_sockets` reads the same: getsockname, SO_TYPE, IPV6_V6ONLY).
public struct SocketTraits: Sendable, Equatable {
    /// getsockname(): for a Unix socket the path it was bound under (`<path>.<pid>.tmp`).
    public let address: SocketAddress
    /// SO_TYPE is SOCK_STREAM.
    public let isStream: Bool
    /// SO_ACCEPTCONN: listen() was called on it.
    public let isListening: Bool
    /// IPV6_V6ONLY, for IPv6 sockets (false otherwise).
    public let isV6Only: Bool
}

extension FD {
    /// A blocking Unix stream socket connected to `path`, with 1 s (`timeoutSeconds`) send and
    /// receive timeouts set before the connect, so a stuck peer can never block the caller for ever.
    public static func connectBlocking(unixPath path: String, timeoutSeconds: Double) throws -> FD {
        guard let address = SocketAddress(unixPath: path) else {
            throw SyscallError(call: "connect", errno: ENAMETOOLONG)
        }
        let fd = try FD.streamSocket(for: .unix)
        do {
            try fd.setBlocking(true)
            try fd.setReceiveTimeout(seconds: timeoutSeconds)
            try fd.setSendTimeout(seconds: timeoutSeconds)
            _ = try address.withSockAddr { sa, len in
                try syscallBlocking("connect") { Glibc.connect(fd.rawValue, sa, len) }
            }
        } catch {
            fd.close()
            throw error
        }
        return fd
    }

    /// SO_SNDTIMEO: a blocking write gives up after `seconds` (as would-block).
    public func setSendTimeout(seconds: Double) throws {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        _ = try syscallBlocking("setsockopt(SO_SNDTIMEO)") {
            setsockopt(rawValue, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// SO_REUSEPORT: a new process can bind next to the old one during a plain `-sf` reload.
    public func setReusePort() throws { try setOption(level: SOL_SOCKET, name: SO_REUSEPORT, value: 1) }

    /// IPV6_V6ONLY on an IPv6 socket (`v6only` / `v4v6`).
    /// TCP_FASTOPEN on a listening socket: accept data in the SYN, with at most `queueLength`
    /// such connections pending (haproxy uses the listen backlog).
    public func setFastOpen(queueLength: Int32) throws {
        try setOption(level: Int32(IPPROTO_TCP), name: TCP_FASTOPEN, value: queueLength)
    }

    /// The TCP_FASTOPEN queue length of a listening socket (0: off).
    public func fastOpenQueueLength() throws -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = try syscallBlocking("getsockopt(TCP_FASTOPEN)") {
            getsockopt(rawValue, Int32(IPPROTO_TCP), TCP_FASTOPEN, &value, &length)
        }
        return value
    }

    public func setIPv6Only(_ on: Bool) throws {
        try setOption(level: Int32(IPPROTO_IPV6), name: IPV6_V6ONLY, value: on ? 1 : 0)
    }

    /// Whether O_NONBLOCK is set.
    public func isNonBlocking() throws -> Bool {
        try syscallBlocking("fcntl(F_GETFL)") { fcntl(rawValue, F_GETFL) } & O_NONBLOCK != 0
    }

    /// Whether the descriptor is open in this process (fcntl F_GETFD), e.g. an inherited `sockpair@<fd>`.
    public var isOpen: Bool { fcntl(rawValue, F_GETFD) >= 0 }

    /// The address this socket is bound to (getsockname).
    public func localAddress() throws -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutableBytes(of: &storage) { raw in
            try syscallBlocking("getsockname") {
                getsockname(rawValue, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
            }
        }
        return SocketAddress(storage: storage, length: length)
    }

    /// The address of this socket's peer (getpeername).
    public func peerAddress() throws -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutableBytes(of: &storage) { raw in
            try syscallBlocking("getpeername") {
                getpeername(rawValue, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
            }
        }
        return SocketAddress(storage: storage, length: length)
    }

    /// What descriptor `number`, named by the operator (`bind fd@<n>`), is. Unlike ordrel's own
    /// descriptors it may be closed: that is an error (EBADF) to report, not a bug to trap on.
    public static func inheritedTraits(_ number: Int32) throws -> SocketTraits {
        let fd = FD(rawValue: number)
        guard fd.isOpen else { throw SyscallError(call: "fcntl(F_GETFD)", errno: EBADF) }
        return try fd.traits()
    }

    /// Reads what a socket received from another process is: address, type, listening, v6only.
    public func traits() throws -> SocketTraits {
        let address = try localAddress()
        let type = try intOption(level: SOL_SOCKET, name: SO_TYPE, call: "getsockopt(SO_TYPE)")
        let listening = try intOption(level: SOL_SOCKET, name: SO_ACCEPTCONN, call: "getsockopt(SO_ACCEPTCONN)")
        let v6only = address.family == .inet6
            ? try intOption(level: Int32(IPPROTO_IPV6), name: IPV6_V6ONLY, call: "getsockopt(IPV6_V6ONLY)") != 0
            : false
        return SocketTraits(address: address, isStream: type == Int32(SOCK_STREAM.rawValue),
                            isListening: listening != 0, isV6Only: v6only)
    }

    private func intOption(level: Int32, name: Int32, call: StaticString) throws -> Int32 {
        var value: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        _ = try syscallBlocking(call) { getsockopt(rawValue, level, name, &value, &len) }
        return value
    }
}

extension CurrentProcess {
    /// kill(pid, signal). Returns the errno when the process cannot be signalled (ESRCH, EPERM).
    @discardableResult
    public static func send(_ signal: Signal, to pid: Int32) -> Int32? {
        Glibc.kill(pid, signal.number) == 0 ? nil : errno
    }
}
