import CAres

/// Why a DNS query gave no usable records, in the categories haproxy counts per name server
/// (`show resolvers`).
public enum DNSFailure: Sendable, Equatable {
    /// NXDOMAIN: the name does not exist (`nx`).
    case nx
    /// NOERROR without a record of the asked type (`any_err`).
    case noAnswer
    /// REFUSED (`refused`).
    case refused
    /// No reply within the channel's time-out (`timeout`).
    case timeout
    /// A reply that does not parse (`invalid`).
    case invalid
    /// Anything else: SERVFAIL, a send error, an unreachable server (`other`).
    case other
}

/// One SRV record: where a service runs and how much of it.
public struct DNSServiceRecord: Sendable, Equatable {
    public var priority: Int
    public var weight: Int
    public var port: UInt16
    /// The host name the record points at, without the final dot.
    public var target: String

    public init(priority: Int, weight: Int, port: UInt16, target: String) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.target = target
    }
}

/// A channel that c-ares could not open, in c-ares' words.
public struct DNSChannelError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// What one name server answered to one query.
public enum DNSAnswer: Sendable, Equatable {
    /// A/AAAA records (ports 0), in reply order.
    case addresses([SocketAddress])
    /// SRV records, in reply order.
    case services([DNSServiceRecord])
    case failure(DNSFailure)
}

/// The record types ordrel asks for.
public enum DNSRecordType: Int32, Sendable {
    case a = 1
    case aaaa = 28
    case srv = 33
}

/// A c-ares channel that asks one name server, driven by the caller's event loop: watch
/// `sockets()`, call `process(readable:writable:)` when one is ready and when
/// `nextTimeoutMs()` has passed, then look at `sockets()` again. Nothing here blocks.
public final class DNSChannel {
    private let channel: ares_channel
    /// The name server, for messages.
    public let server: SocketAddress

    /// A channel asking `server` over UDP, one try of `timeoutMs` per query, announcing
    /// `ednsPayload` bytes in an EDNS0 OPT record.
    public init(server: SocketAddress, timeoutMs: Int, ednsPayload: Int) throws {
        Self.initializeLibrary
        let text = server.family == .inet6 ? "[\(server.host)]:\(server.port)" : "\(server.host):\(server.port)"
        var opened: ares_channel?
        let status = ordrel_ares_open(text, Int32(clamping: timeoutMs), Int32(clamping: ednsPayload), &opened)
        guard status == ARES_SUCCESS, let opened else {
            throw DNSChannelError(description: "ares_init_options for \(text): \(String(cString: ordrel_ares_error(status)))")
        }
        channel = opened
        self.server = server
    }

    deinit { ordrel_ares_close(channel) }

    private static let initializeLibrary: Void = { _ = ordrel_ares_library_init() }()

    /// Sends a query for `name`; `completion` runs once, from `process` (or at once when the
    /// query cannot be sent). A channel closed with queries pending never calls them.
    public func query(_ name: String, type: DNSRecordType, completion: @escaping (DNSAnswer) -> Void) {
        let box = Unmanaged.passRetained(QueryBox(type: type, completion: completion)).toOpaque()
        ordrel_ares_query(channel, name, type.rawValue, { context, status, reply, length in
            let box = Unmanaged<QueryBox>.fromOpaque(context!).takeRetainedValue()
            guard status != ARES_EDESTRUCTION else { return }
            box.completion(DNSChannel.answer(status: status, reply: reply, length: length, type: box.type))
        }, box)
    }

    /// The sockets to watch and for what.
    public func sockets() -> [(fd: Int32, read: Bool, write: Bool)] {
        var fds = [Int32](repeating: -1, count: 16)
        var readable = [Int32](repeating: 0, count: 16)
        var writable = [Int32](repeating: 0, count: 16)
        let count = Int(ordrel_ares_sockets(channel, &fds, &readable, &writable, 16))
        return (0..<count).map { (fds[$0], readable[$0] != 0, writable[$0] != 0) }
    }

    /// Reads/writes the ready sockets (nil: none) and expires overdue queries; answers' completions run here.
    public func process(readable: Int32?, writable: Int32?) {
        ordrel_ares_process(channel, readable ?? -1, writable ?? -1)
    }

    /// Milliseconds until `process` must run for a time-out; nil when nothing is pending.
    public func nextTimeoutMs() -> Int? {
        let ms = ordrel_ares_timeout_ms(channel)
        return ms < 0 ? nil : Int(ms)
    }

    private final class QueryBox {
        let type: DNSRecordType
        let completion: (DNSAnswer) -> Void

        init(type: DNSRecordType, completion: @escaping (DNSAnswer) -> Void) {
            self.type = type
            self.completion = completion
        }
    }

    /// The records of a reply, or the category of its failure.
    private static func answer(status: Int32, reply: UnsafePointer<UInt8>?, length: Int32, type: DNSRecordType) -> DNSAnswer {
        switch status {
        case ARES_SUCCESS: break
        case ARES_ENOTFOUND: return .failure(.nx)
        case ARES_ENODATA: return .failure(.noAnswer)
        case ARES_EREFUSED: return .failure(.refused)
        case ARES_ETIMEOUT: return .failure(.timeout)
        case ARES_EFORMERR, ARES_EBADRESP: return .failure(.invalid)
        default: return .failure(.other)
        }
        guard let reply else { return .failure(.invalid) }
        switch type {
        case .a, .aaaa:
            let size = type == .a ? 4 : 16
            let most = 64
            var bytes = [UInt8](repeating: 0, count: size * most)
            var count: Int32 = 0
            let parsed = ordrel_ares_parse_addresses(reply, length, type == .a ? 4 : 6, &bytes, Int32(most), &count)
            if parsed == ARES_ENODATA { return .failure(.noAnswer) }
            guard parsed == ARES_SUCCESS else { return .failure(.invalid) }
            return .addresses((0..<Int(count)).map { SocketAddress(ipBytes: Array(bytes[$0 * size..<($0 + 1) * size]), port: 0) })
        case .srv:
            var records: [DNSServiceRecord] = []
            let parsed = withUnsafeMutablePointer(to: &records) { list in
                ordrel_ares_parse_srv(reply, length, { context, priority, weight, port, target in
                    let list = context!.assumingMemoryBound(to: [DNSServiceRecord].self)
                    list.pointee.append(DNSServiceRecord(priority: Int(priority), weight: Int(weight),
                                                         port: UInt16(truncatingIfNeeded: port),
                                                         target: target.map { String(cString: $0) } ?? ""))
                }, list)
            }
            if parsed == ARES_ENODATA || (parsed == ARES_SUCCESS && records.isEmpty) { return .failure(.noAnswer) }
            guard parsed == ARES_SUCCESS else { return .failure(.invalid) }
            return .services(records)
        }
    }
}
