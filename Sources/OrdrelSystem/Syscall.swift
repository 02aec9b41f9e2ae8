#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: which call, and the errno it returned.
public struct SyscallError: Error, CustomStringConvertible, Equatable, Sendable {
    public let call: String
    public let errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    public var description: String { "\(call): \(String(cString: strerror(errno))) (errno \(errno))" }

    /// The system's words for the errno alone, e.g. "Connection refused" (haproxy's check info).
    public var reason: String { SyscallError.reason(errno) }

    /// The system's words for `errno`.
    public static func reason(_ errno: Int32) -> String { String(cString: strerror(errno)) }
}

/// The result of a non-blocking call: done, or the kernel would have blocked (EAGAIN).
public enum IOResult<Value> {
    /// The call completed with this value.
    case processed(Value)
    /// The call would block; arm a watcher and retry on readiness.
    case wouldBlock
}

extension IOResult: Sendable where Value: Sendable {}

/// The chokepoint every libc call in ordrel goes through: retries EINTR, returns EAGAIN as
/// `.wouldBlock`, traps on EBADF/EFAULT (those are ordrel bugs), throws the rest as `SyscallError`.
@inline(__always)
func syscall<T: FixedWidthInteger>(_ name: StaticString, _ body: () -> T) throws -> IOResult<T> {
    while true {
        let result = body()
        if result >= 0 { return .processed(result) }
        let err = errno
        switch err {
        case EINTR:
            continue
        case EAGAIN, EWOULDBLOCK:
            return .wouldBlock
        case EBADF, EFAULT:
            preconditionFailure("\(name) failed with \(String(cString: strerror(err))): this is an ordrel bug")
        default:
            throw SyscallError(call: "\(name)", errno: err)
        }
    }
}

/// Like `syscall`, for calls on which "would block" is itself an error (bind, listen, ...).
@inline(__always)
func syscallBlocking<T: FixedWidthInteger>(_ name: StaticString, _ body: () -> T) throws -> T {
    switch try syscall(name, body) {
    case .processed(let value): return value
    case .wouldBlock: throw SyscallError(call: "\(name)", errno: EAGAIN)
    }
}
