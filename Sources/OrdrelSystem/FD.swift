#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibev

/// A file descriptor owned by ordrel. Every operation on it goes through `syscall`.
public struct FD: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    public var description: String { "fd \(rawValue)" }

    // MARK: creation

    /// A non-blocking, close-on-exec stream socket of the address's family.
    public static func streamSocket(for family: SocketAddress.Family) throws -> FD {
        let domain: Int32
        switch family {
        case .inet: domain = AF_INET
        case .inet6: domain = AF_INET6
        case .unix: domain = AF_UNIX
        }
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        return FD(rawValue: try syscallBlocking("socket") { socket(domain, type, 0) })
    }

    /// A connected pair of non-blocking Unix stream sockets.
    public static func socketPair() throws -> (FD, FD) {
        var fds: [Int32] = [0, 0]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        _ = try syscallBlocking("socketpair") { socketpair(AF_UNIX, type, 0, &fds) }
        return (FD(rawValue: fds[0]), FD(rawValue: fds[1]))
    }

    /// A non-blocking pipe, for splice().
    public static func pipe() throws -> (read: FD, write: FD) {
        var fds: [Int32] = [0, 0]
        _ = try syscallBlocking("pipe2") { ordrel_pipe2_nonblock(&fds) }
        return (FD(rawValue: fds[0]), FD(rawValue: fds[1]))
    }

    // MARK: socket options

    public func setOption(level: Int32, name: Int32, value: Int32) throws {
        var v = value
        _ = try syscallBlocking("setsockopt") {
            setsockopt(rawValue, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    public func setReuseAddress() throws { try setOption(level: SOL_SOCKET, name: SO_REUSEADDR, value: 1) }
    public func setNoDelay() throws { try setOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1) }
    public func setKeepAlive() throws { try setOption(level: SOL_SOCKET, name: SO_KEEPALIVE, value: 1) }

    /// SO_RCVTIMEO: a blocking read gives up after `seconds` (as would-block).
    public func setReceiveTimeout(seconds: Double) throws {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        _ = try syscallBlocking("setsockopt(SO_RCVTIMEO)") {
            setsockopt(rawValue, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// SO_LINGER {1, 0}: close() sends RST and discards unsent data (`option nolinger`).
    public func setLingerZero() throws {
        var l = linger(l_onoff: 1, l_linger: 0)
        _ = try syscallBlocking("setsockopt") {
            setsockopt(rawValue, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        }
    }

    /// The pending error of a socket (SO_ERROR), 0 when none: how a non-blocking connect reports.
    public func pendingError() throws -> Int32 {
        var value: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        _ = try syscallBlocking("getsockopt") { getsockopt(rawValue, SOL_SOCKET, SO_ERROR, &value, &len) }
        return value
    }

    // MARK: listening and connecting

    public func bind(to address: SocketAddress) throws {
        _ = try address.withSockAddr { sa, len in
            try syscallBlocking("bind") { Glibc.bind(rawValue, sa, len) }
        }
    }

    public func listen(backlog: Int32) throws {
        _ = try syscallBlocking("listen") { Glibc.listen(rawValue, backlog) }
    }

    /// Takes a listening TCP socket out of the LISTEN state without closing it, as haproxy's
    /// `tcp_suspend_receiver` does for `disable frontend`: `connect()` to an `AF_UNSPEC` address
    /// disconnects it, so new clients are refused and those waiting in the accept queue are reset
    /// (none is served later by a connection its client gave up on). `listen()` again resumes.
    public func stopListening() throws {
        var address = sockaddr()
        address.sa_family = sa_family_t(AF_UNSPEC)
        _ = try syscallBlocking("connect(AF_UNSPEC)") {
            Glibc.connect(rawValue, &address, socklen_t(MemoryLayout<sockaddr>.size))
        }
    }

    /// Accepts one connection as a non-blocking, close-on-exec fd with its peer address.
    public func accept() throws -> IOResult<(FD, SocketAddress)> {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = try withUnsafeMutableBytes(of: &storage) { raw in
            try syscall("accept4") {
                ordrel_accept4_nonblock(rawValue, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
            }
        }
        switch result {
        case .processed(let fd): return .processed((FD(rawValue: fd), SocketAddress(storage: storage, length: length)))
        case .wouldBlock: return .wouldBlock
        }
    }

    /// Starts a non-blocking connect. Returns true when already connected, false when in progress.
    public func connect(to address: SocketAddress) throws -> Bool {
        while true {
            let rc = address.withSockAddr { sa, len in Glibc.connect(rawValue, sa, len) }
            if rc == 0 { return true }
            let err = errno
            switch err {
            case EINTR: continue
            case EINPROGRESS, EAGAIN: return false
            case EBADF, EFAULT: preconditionFailure("connect failed with errno \(err): this is an ordrel bug")
            default: throw SyscallError(call: "connect", errno: err)
            }
        }
    }

    // MARK: data

    /// Reads up to `buffer.count` bytes. `.processed(0)` is EOF.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> IOResult<Int> {
        try syscall("read") { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Copies up to `buffer.count` received bytes without consuming them (MSG_PEEK), so a
    /// PROXY header can be measured before exactly its bytes are read. `.processed(0)` is EOF.
    public func peek(into buffer: UnsafeMutableRawBufferPointer) throws -> IOResult<Int> {
        try syscall("recv(MSG_PEEK)") { Glibc.recv(rawValue, buffer.baseAddress, buffer.count, Int32(MSG_PEEK)) }
    }

    /// Writes up to `buffer.count` bytes; MSG_NOSIGNAL so a closed peer is EPIPE, never SIGPIPE.
    /// `more` (MSG_MORE): the kernel may hold a last partial segment until the next write or the
    /// FIN, which a shutdown or close() must then follow at once.
    public func write(_ buffer: UnsafeRawBufferPointer, more: Bool = false) throws -> IOResult<Int> {
        let flags = Int32(MSG_NOSIGNAL) | (more ? Int32(MSG_MORE) : 0)
        return try syscall("send") { Glibc.send(rawValue, buffer.baseAddress, buffer.count, flags) }
    }

    /// Grows a pipe to `bytes` (F_SETPIPE_SZ); returns the size granted.
    public func setPipeSize(_ bytes: Int) throws -> Int {
        Int(try syscallBlocking("fcntl(F_SETPIPE_SZ)") { ordrel_set_pipe_size(rawValue, Int32(bytes)) })
    }

    /// Moves up to `count` bytes between a socket and a pipe without copying to user space.
    public func splice(to destination: FD, count: Int) throws -> IOResult<Int> {
        try syscall("splice") {
            ordrel_splice(rawValue, destination.rawValue, count)
        }
    }

    /// shutdown(2). ENOTCONN (the peer already reset) is returned as false, not thrown.
    @discardableResult
    public func shutdown(_ how: ShutdownHow) throws -> Bool {
        do {
            _ = try syscallBlocking("shutdown") { Glibc.shutdown(rawValue, how.rawValue) }
            return true
        } catch let error as SyscallError where error.errno == ENOTCONN {
            return false
        }
    }

    /// close(2). On Linux the fd is gone even when close reports EINTR, so it is never retried.
    public func close() {
        let rc = Glibc.close(rawValue)
        if rc != 0 && errno == EBADF {
            preconditionFailure("close(\(rawValue)) failed with EBADF: this is an ordrel bug")
        }
    }

    // MARK: descriptor passing

    /// Sends `bytes` and, in the same sendmsg, the descriptors in one SCM_RIGHTS message.
    /// The payload and its control message always travel together, so the reader gets both at once.
    public func send(_ bytes: [UInt8], passing fds: [FD]) throws -> IOResult<Int> {
        var payload = bytes
        let space = ordrel_cmsg_space_fds(Int32(fds.count))
        var control = [UInt8](repeating: 0, count: space)
        let raw = fds.map(\.rawValue)
        return try Self.withMessage(payload: &payload, control: &control) { msg, ctl in
            if !raw.isEmpty {
                guard ordrel_cmsg_put_rights(&msg, ctl.baseAddress, ctl.count, raw, Int32(raw.count)) == 0 else {
                    preconditionFailure("control buffer sized by CMSG_SPACE is too small")
                }
            }
            return try syscall("sendmsg") { sendmsg(rawValue, &msg, Int32(MSG_NOSIGNAL)) }
        }
    }

    /// Runs `body` with a msghdr whose single iovec covers `payload`; `control` is the buffer for
    /// its control messages (the body decides whether the header points at it).
    private static func withMessage<T>(payload: inout [UInt8], control: inout [UInt8],
                                       _ body: (inout msghdr, UnsafeMutableRawBufferPointer) throws -> T) rethrows -> T {
        try payload.withUnsafeMutableBytes { data in
            var iov = iovec(iov_base: data.baseAddress, iov_len: data.count)
            return try withUnsafeMutablePointer(to: &iov) { iovp in
                try control.withUnsafeMutableBytes { ctl in
                    var msg = msghdr()
                    msg.msg_iov = iovp
                    msg.msg_iovlen = 1
                    return try body(&msg, ctl)
                }
            }
        }
    }

    /// Receives up to `maxBytes` and any descriptors sent with them (up to `maxFDs`), close-on-exec.
    /// Never uses MSG_WAITALL: a control message must not be split from its bytes by a partial wait.
    /// Reports MSG_CTRUNC and a malformed SCM_RIGHTS length (`controlTruncated`): descriptors were
    /// lost, so the caller must treat the transfer as failed.
    public func receive(maxBytes: Int, maxFDs: Int) throws -> IOResult<ReceivedMessage> {
        var payload = [UInt8](repeating: 0, count: maxBytes)
        var control = [UInt8](repeating: 0, count: ordrel_cmsg_space_fds(Int32(maxFDs)))
        var received = [Int32](repeating: -1, count: maxFDs)
        var fdCount: Int32 = 0
        var malformed: Int32 = 0
        var flags: Int32 = 0
        let result = try Self.withMessage(payload: &payload, control: &control) { msg, ctl -> IOResult<Int> in
            msg.msg_control = ctl.baseAddress
            msg.msg_controllen = ctl.count
            let r = try syscall("recvmsg") { recvmsg(rawValue, &msg, Int32(MSG_CMSG_CLOEXEC)) }
            if case .processed = r {
                fdCount = ordrel_cmsg_get_rights(&msg, &received, Int32(maxFDs), &malformed)
                flags = msg.msg_flags
            }
            return r
        }
        switch result {
        case .wouldBlock:
            return .wouldBlock
        case .processed(let n):
            let kept = received.prefix(min(Int(fdCount), maxFDs)).map(FD.init(rawValue:))
            let truncated = flags & Int32(MSG_CTRUNC) != 0 || malformed != 0 || Int(fdCount) > maxFDs
            return .processed(ReceivedMessage(bytes: Array(payload.prefix(n)), fds: kept, controlTruncated: truncated))
        }
    }

    // MARK: blocking mode, for the command-line client

    /// Switches the fd between blocking and non-blocking mode.
    public func setBlocking(_ blocking: Bool) throws {
        let flags = try syscallBlocking("fcntl") { fcntl(rawValue, F_GETFL) }
        let updated = blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK
        _ = try syscallBlocking("fcntl") { fcntl(rawValue, F_SETFL, updated) }
    }
}

/// What one `recvmsg` delivered.
public struct ReceivedMessage: Sendable {
    /// The data bytes; empty at EOF.
    public let bytes: [UInt8]
    /// The descriptors of its SCM_RIGHTS messages, close-on-exec, now owned by the caller.
    public let fds: [FD]
    /// MSG_CTRUNC, a malformed cmsg length, or more descriptors than asked for: some were lost.
    public let controlTruncated: Bool
}

/// Which direction(s) `shutdown` closes.
public enum ShutdownHow: Sendable {
    /// No more reads (SHUT_RD).
    case read
    /// No more writes: the peer reads EOF after our last byte (SHUT_WR).
    case write
    /// Both directions (SHUT_RDWR).
    case both

    var rawValue: Int32 {
        switch self {
        case .read: return Int32(SHUT_RD)
        case .write: return Int32(SHUT_WR)
        case .both: return Int32(SHUT_RDWR)
        }
    }
}
