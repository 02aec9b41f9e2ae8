#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Blocking socket helpers for tests: real sockets on 127.0.0.1 and Unix paths.
enum TestSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func check(_ rc: Int32, _ what: String) throws {
        if rc < 0 { throw Failure(description: "\(what): \(String(cString: strerror(errno)))") }
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// A listening TCP socket on 127.0.0.1, on `port` or (0) a kernel-chosen one.
    static func listen(port: UInt16 = 0, backlog: Int32 = 1024) throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try check(fd, "socket")
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if bound < 0 {
            let message = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "bind to port \(port): \(message)")
        }
        try check(Glibc.listen(fd, backlog), "listen")
        return (fd, try localPort(fd))
    }

    static func localPort(_ fd: Int32) throws -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try check(getsockname(fd, $0, &length), "getsockname")
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// A port nothing listens on (bound once, then released).
    static func unusedPort() throws -> UInt16 {
        // ordrel and haproxy bind with SO_REUSEPORT, so two daemons given the same port would
        // both start and split its connections: never hand out a port twice in one run, nor one
        // something already listens on.
        for _ in 0..<100 {
            let (fd, port) = try listen()
            close(fd)
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh && !isListening(port: port) { return port }
        }
        throw Failure(description: "no unused port after 100 tries")
    }

    /// Ports `unusedPort` returned in this test process.
    private static let handedOut = Locked<Set<UInt16>>([])

    /// Whether an IPv4 socket listens on `port`, read from /proc/net/tcp: no connection is made,
    /// so a daemon's balancing and logs start from a clean state.
    static func isListening(port: UInt16) -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return false }
        let suffix = ":" + String(format: "%04X", port)
        return table.split(separator: "\n").dropFirst().contains { line in
            let fields = line.split(separator: " ")
            return fields.count > 3 && fields[1].hasSuffix(suffix) && fields[3] == "0A"
        }
    }

    /// Runs a bind/connect-style call on `fd` with `address` as a `sockaddr`; on failure closes
    /// `fd` and throws "`what`: reason".
    private static func call<Address>(_ fd: Int32, _ address: Address, _ what: String,
                                      _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32) throws {
        var address = address
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(fd, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
        if rc < 0 {
            let message = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "\(what): \(message)")
        }
    }

    /// Connects to 127.0.0.1:`port`, from `source` (another loopback address such as 127.0.0.2) when given.
    static func connect(port: UInt16, from source: String? = nil) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try check(fd, "socket")
        if let source {
            var local = loopback(port: 0)
            local.sin_addr.s_addr = inet_addr(source)
            try call(fd, local, "bind to \(source)") { Glibc.bind($0, $1, $2) }
        }
        try call(fd, loopback(port: port), "connect to port \(port)") { Glibc.connect($0, $1, $2) }
        return fd
    }

    static func connect(unixPath path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try check(fd, "socket")
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        try call(fd, address, "connect to \(path)") { Glibc.connect($0, $1, $2) }
        return fd
    }

    /// Sets SO_RCVTIMEO so a test never hangs on a read.
    static func setReceiveTimeout(_ fd: Int32, seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "send: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// How a read-to-EOF ended.
    enum End: Equatable {
        /// Orderly EOF after the bytes.
        case eof
        /// ECONNRESET or another error.
        case error(Int32)
        /// SO_RCVTIMEO expired.
        case timeout
    }

    /// Reads until EOF, error or timeout.
    static func readAll(_ fd: Int32) -> (bytes: [UInt8], end: End) {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { result.append(contentsOf: buffer[0..<n]); continue }
            if n == 0 { return (result, .eof) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return (result, .timeout) }
            return (result, .error(errno))
        }
    }

    /// Reads exactly `count` bytes (or fewer at EOF/timeout).
    static func read(_ fd: Int32, count: Int) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: min(65536, max(1, count)))
        while result.count < count {
            let want = min(buffer.count, count - result.count)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, want, 0) }
            if n > 0 { result.append(contentsOf: buffer[0..<n]); continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        return result
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { raw in
            var i = 0
            while i + 8 <= raw.count {
                raw.storeBytes(of: generator.next() as UInt64, toByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < raw.count { raw[i] = UInt8.random(in: 0...255); i += 1 }
        }
        return bytes
    }

    /// FNV-1a 64: a checksum to compare large transfers.
    static func checksum(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// Raises this process's fd limit (tests hold thousands of sockets).
    static func raiseFileLimit(_ wanted: Int) {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
