#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What log targets need: datagram sockets that never block the loop, and plain writes to the
/// process's stdout/stderr (pipes, terminals or files, not necessarily sockets).
extension FD {
    /// A non-blocking, close-on-exec datagram socket: UDP for IP families, Unix datagram for `.unix`.
    public static func datagramSocket(for family: SocketAddress.Family) throws -> FD {
        let domain: Int32
        switch family {
        case .inet: domain = AF_INET
        case .inet6: domain = AF_INET6
        case .unix: domain = AF_UNIX
        }
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        return FD(rawValue: try syscallBlocking("socket") { socket(domain, type, 0) })
    }

    /// sendto(2) of one datagram (MSG_DONTWAIT, MSG_NOSIGNAL): `.wouldBlock` when the socket
    /// buffer or a Unix receiver's queue is full.
    public func send(datagram bytes: [UInt8], to address: SocketAddress) throws -> IOResult<Int> {
        try bytes.withUnsafeBytes { buffer in
            try address.withSockAddr { sa, len in
                try syscall("sendto") {
                    sendto(rawValue, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL), sa, len)
                }
            }
        }
    }

    /// write(2), once: for fds that may be pipes, terminals or files.
    public func writeOnce(_ bytes: [UInt8]) throws -> IOResult<Int> {
        try bytes.withUnsafeBytes { buffer in
            try syscall("write") { Glibc.write(rawValue, buffer.baseAddress, buffer.count) }
        }
    }

    /// isatty(3).
    public var isTerminal: Bool { isatty(rawValue) == 1 }

    /// The process's stdout and stderr.
    public static let standardOutput = FD(rawValue: STDOUT_FILENO)
    public static let standardError = FD(rawValue: STDERR_FILENO)
}

extension WallClock {
    /// Seconds east of UTC of the local time zone at `seconds` since the epoch (tm_gmtoff).
    public static func utcOffset(seconds: UInt64) -> Int {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        return Int(parts.tm_gmtoff)
    }
}
