#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibev

/// An IPv4, IPv6 or Unix-domain socket address, stored as a `sockaddr_storage`.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// Which family the address belongs to.
    public enum Family: Sendable, Hashable {
        case inet
        case inet6
        case unix
    }

    var storage: sockaddr_storage
    var length: socklen_t

    /// Wraps raw storage filled in by the kernel (accept, getsockname, getpeername).
    init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    /// A sockaddr_storage whose first bytes are `address` (a sockaddr_in, _in6 or _un).
    private static func storage<Address>(holding address: Address) -> sockaddr_storage {
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { dst in
            withUnsafeBytes(of: address) { dst.copyMemory(from: $0) }
        }
        return storage
    }

    /// An IPv4 or IPv6 address from its numeric text form (no name lookup).
    public init?(ip: String, port: UInt16) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, ip, &v4) == 1 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr = v4
            self.init(storage: Self.storage(holding: sin), length: socklen_t(MemoryLayout<sockaddr_in>.size))
        } else if inet_pton(AF_INET6, ip, &v6) == 1 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            sin6.sin6_addr = v6
            self.init(storage: Self.storage(holding: sin6), length: socklen_t(MemoryLayout<sockaddr_in6>.size))
        } else {
            return nil
        }
    }

    /// An IPv4 (4 bytes) or IPv6 (16 bytes) address from its network-order bytes, as a PROXY v2
    /// header carries them.
    public init(ipBytes: [UInt8], port: UInt16) {
        precondition(ipBytes.count == 4 || ipBytes.count == 16, "an IP address has 4 or 16 bytes")
        if ipBytes.count == 4 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: ipBytes) }
            self.init(storage: Self.storage(holding: sin), length: socklen_t(MemoryLayout<sockaddr_in>.size))
        } else {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: ipBytes) }
            self.init(storage: Self.storage(holding: sin6), length: socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
    }

    /// A Unix-domain stream address; nil when the path does not fit in `sun_path`.
    public init?(unixPath path: String) {
        var sun = sockaddr_un()
        sun.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: sun.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else { return nil }
        withUnsafeMutableBytes(of: &sun.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let storage = Self.storage(holding: sun)
        let length = MemoryLayout<sa_family_t>.size + bytes.count + 1
        self.init(storage: storage, length: socklen_t(length))
    }

    /// Resolves `host` (a literal or a name, looked up once at start-up) with the system
    /// resolver: its first IPv4 address, as haproxy's default `gethostbyname` lookup gives, else
    /// its first address of any family (a name with only IPv6 addresses).
    public static func resolve(host: String, port: UInt16) -> SocketAddress? {
        if let literal = SocketAddress(ip: host, port: port) { return literal }
        return lookup(host, port: port, family: AF_INET) ?? lookup(host, port: port, family: AF_UNSPEC)
    }

    private static func lookup(_ host: String, port: UInt16, family: Int32) -> SocketAddress? {
        var hints = addrinfo()
        hints.ai_family = family
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return nil }
        defer { freeaddrinfo(result) }
        var storage = sockaddr_storage()
        let length = first.pointee.ai_addrlen
        withUnsafeMutableBytes(of: &storage) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(length)))
        }
        var address = SocketAddress(storage: storage, length: length)
        address.port = port
        return address
    }

    public var family: Family {
        switch Int32(storage.ss_family) {
        case AF_INET: return .inet
        case AF_INET6: return .inet6
        default: return .unix
        }
    }

    /// The TCP port (0 for Unix addresses).
    public var port: UInt16 {
        get {
            withUnsafeBytes(of: storage) { raw in
                switch family {
                case .inet: return UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
                case .inet6: return UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
                case .unix: return 0
                }
            }
        }
        set {
            let family = self.family
            withUnsafeMutableBytes(of: &storage) { raw in
                switch family {
                case .inet:
                    var sin = raw.load(as: sockaddr_in.self)
                    sin.sin_port = newValue.bigEndian
                    raw.storeBytes(of: sin, as: sockaddr_in.self)
                case .inet6:
                    var sin6 = raw.load(as: sockaddr_in6.self)
                    sin6.sin6_port = newValue.bigEndian
                    raw.storeBytes(of: sin6, as: sockaddr_in6.self)
                case .unix:
                    break
                }
            }
        }
    }

    /// The address without the port: `127.0.0.1`, `::1`, or the socket path.
    public var host: String {
        withUnsafeBytes(of: storage) { raw -> String in
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            switch family {
            case .inet:
                var addr = raw.load(as: sockaddr_in.self).sin_addr
                inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count))
            case .inet6:
                var addr = raw.load(as: sockaddr_in6.self).sin6_addr
                inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count))
            case .unix:
                let sun = raw.load(as: sockaddr_un.self)
                return withUnsafeBytes(of: sun.sun_path) { path in
                    String(decoding: path.prefix { $0 != 0 }, as: UTF8.self)
                }
            }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Bytes of the address, for hashing the client address (`balance source`).
    public var addressBytes: [UInt8] {
        withUnsafeBytes(of: storage) { raw -> [UInt8] in
            switch family {
            case .inet:
                return withUnsafeBytes(of: raw.load(as: sockaddr_in.self).sin_addr) { Array($0) }
            case .inet6:
                return withUnsafeBytes(of: raw.load(as: sockaddr_in6.self).sin6_addr) { Array($0) }
            case .unix:
                return Array(host.utf8)
            }
        }
    }

    /// Calls `body` with the address bytes in place (IPv4: 4, IPv6: 16, Unix: the path), without
    /// allocating: `balance source` hashes them for every new stream.
    public func withAddressBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: storage) { raw in
            switch family {
            case .inet:
                let offset = MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)!
                return try body(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + 4]))
            case .inet6:
                let offset = MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!
                return try body(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + 16]))
            case .unix:
                let path = raw[MemoryLayout<sa_family_t>.size...]
                let end = path.firstIndex(of: 0) ?? path.endIndex
                return try body(UnsafeRawBufferPointer(rebasing: raw[path.startIndex..<end]))
            }
        }
    }

    /// `127.0.0.1:80`, `[::1]:80` or `unix@/path`, as haproxy prints addresses.
    public var description: String {
        switch family {
        case .inet: return "\(host):\(port)"
        case .inet6: return "[\(host)]:\(port)"
        case .unix: return "unix@\(host)"
        }
    }

    public static func == (lhs: SocketAddress, rhs: SocketAddress) -> Bool {
        lhs.length == rhs.length && lhs.bytes == rhs.bytes
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    private var bytes: [UInt8] {
        withUnsafeBytes(of: storage) { Array($0.prefix(Int(length))) }
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: storage) { raw in
            try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
    }
}
