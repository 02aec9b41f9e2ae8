import OrdrelSystem

/// haproxy 2.6's `_getsocks` wire format (src/cli.c `_getsocks`, src/sock.c `sock_get_old_sockets`),
/// sans IO. The old process sends the fd count as a native 4-byte int in its own message (nothing
/// at all when it has none), then batches of at most 252 fds: each batch is ONE sendmsg whose
/// SCM_RIGHTS message carries the fds and whose data carries one record per fd, in fd order
/// (`u8 ns_len, ns, u8 if_len, if, 4 zero bytes`). The sender waits for a 4-byte ack after each
/// full batch; the receiver acks after every read. Names and fds travel in the same message, so a
/// reader can never get one without the other (the FreeBSD hastd lesson).
public enum SocketTransfer {
    /// haproxy's MAX_SEND_FD (253 failed on musl, haproxy issue #1413).
    public static let maxFDsPerBatch = 252
    /// What the new process sends on the old process's CLI.
    public static let request: [UInt8] = Array("_getsocks\n".utf8)
    /// The size of the count and of an ack: a native int.
    public static let intSize = 4
    /// haproxy's SO_RCVTIMEO on both sides.
    public static let timeoutSeconds = 1.0
    /// Data bytes one batch can carry: 252 records of the longest names (MAXPATHLEN, IFNAMSIZ).
    public static let maxBatchBytes = maxFDsPerBatch * (1 + 4096 + 1 + 16 + 4)

    /// A native-endian int, as haproxy writes `int` with sendmsg.
    public static func encodeInt(_ value: Int32) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }

    static func decodeInt(_ bytes: ArraySlice<UInt8>) -> Int32 {
        var value: Int32 = 0
        withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: bytes.prefix(intSize)) }
        return value
    }

    /// One fd's record: namespace and interface names (at most 255 bytes each), 4 zero bytes.
    public static func record(namespace: String, interface: String) -> [UInt8] {
        let ns = Array(namespace.utf8.prefix(255))
        let iface = Array(interface.utf8.prefix(255))
        return [UInt8(ns.count)] + ns + [UInt8(iface.count)] + iface + [0, 0, 0, 0]
    }

    /// What the old process sends: the count message (none when there is nothing to send), then
    /// batches of at most `maxFDsPerBatch`, each marked with whether the sender then awaits an ack
    /// (after a full batch only, as haproxy 2.6).
    public static func plan(_ sockets: [TransferredSocket]) -> (count: [UInt8]?, batches: [SocketTransferBatch]) {
        guard !sockets.isEmpty else { return (nil, []) }
        var batches: [SocketTransferBatch] = []
        var start = 0
        while start < sockets.count {
            let slice = sockets[start..<min(start + maxFDsPerBatch, sockets.count)]
            let bytes = slice.flatMap { record(namespace: $0.namespace, interface: $0.interface) }
            batches.append(SocketTransferBatch(bytes: bytes, fds: slice.map(\.fd),
                                               awaitsAck: slice.count == maxFDsPerBatch))
            start += slice.count
        }
        return (encodeInt(Int32(sockets.count)), batches)
    }
}

/// One listening socket as `_getsocks` describes it: the fd and its namespace and interface names.
public struct TransferredSocket: Sendable, Equatable {
    public let fd: FD
    public let namespace: String
    public let interface: String

    public init(fd: FD, namespace: String = "", interface: String = "") {
        self.fd = fd
        self.namespace = namespace
        self.interface = interface
    }
}

/// One sendmsg of the sender: the records and, in the same message, their fds.
public struct SocketTransferBatch: Sendable, Equatable {
    public let bytes: [UInt8]
    public let fds: [FD]
    /// A full batch: the sender reads a 4-byte ack before the next one.
    public let awaitsAck: Bool
}

/// Where a transfer was when it failed.
public enum SocketTransferStep: Sendable, Equatable, CustomStringConvertible {
    /// Connecting to the old process's socket.
    case connect
    /// Sending `_getsocks`.
    case request
    /// Reading the fd count.
    case count
    /// Reading the fds and their records; `received` fds so far of `expected`.
    case sockets(received: Int, expected: Int)
    /// Sending or reading a 4-byte ack.
    case ack

    public var description: String {
        switch self {
        case .connect: return "connecting to the old process"
        case .request: return "sending _getsocks"
        case .count: return "reading the number of sockets"
        case .sockets(let received, let expected): return "receiving sockets (\(received) of \(expected))"
        case .ack: return "acknowledging a batch"
        }
    }
}

/// Why a transfer failed; each names its step, in haproxy's words where haproxy has some.
public enum SocketTransferError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The peer ended (or sent less than 4 bytes) before the count: also what a socket without
    /// `expose-fd listeners` looks like (0 bytes, then EOF).
    case noCount
    /// A count that cannot be right (negative, or more fds than a process can hold).
    case invalidCount(Int32)
    /// More fds arrived than announced.
    case tooManySockets(expected: Int, got: Int)
    /// The peer ended before every announced fd arrived.
    case missingSockets(expected: Int, got: Int)
    /// The records do not describe the fds: short, or bytes left over.
    case inconsistentRecords(expected: Int, records: Int, extraBytes: Int)
    /// MSG_CTRUNC or a malformed cmsg length: the kernel dropped fds we can never get back.
    case controlTruncated(SocketTransferStep)
    /// 1 s without progress.
    case timedOut(SocketTransferStep)
    /// The peer closed (or a syscall failed) at this step.
    case peerFailed(SocketTransferStep, String)

    public var description: String {
        switch self {
        case .noCount:
            return "Failed to get the number of sockets to be transferred ! (the old process sent no count: is 'expose-fd listeners' set on that socket?)"
        case .invalidCount(let n):
            return "Invalid number of sockets to be transferred (\(n))"
        case .tooManySockets(let expected, let got):
            return "Got too many sockets ! (expecting \(expected) got \(got))"
        case .missingSockets(let expected, let got):
            return "We didn't get the expected number of sockets (expecting \(expected) got \(got))"
        case .inconsistentRecords(let expected, let records, let extra):
            return "Inconsistency while transferring sockets (\(expected) sockets, \(records) complete records, \(extra) bytes left over)"
        case .controlTruncated(let step):
            return "Control data truncated while \(step): sockets were lost"
        case .timedOut(let step):
            return "Timed out (\(Int(SocketTransfer.timeoutSeconds)) s) while \(step)"
        case .peerFailed(let step, let reason):
            return "Failed while \(step): \(reason)"
        }
    }
}

/// What the receiver's driver does next.
public enum SocketTransferReceiverAction: Sendable, Equatable {
    /// Read again (recvmsg, never MSG_WAITALL).
    case read
    /// Send a 4-byte ack, then read again.
    case ackThenRead
    /// Every fd arrived with its record: send a last ack (the sender may not read it; a failure
    /// to send it is harmless), and use the sockets.
    case done([TransferredSocket])
    /// The transfer failed: close every fd listed (all received so far), and report the error.
    case failed(SocketTransferError, closing: [FD])
}

/// The new process's side of `_getsocks` as a state machine: feed it each read (bytes, fds, and
/// whether control data was truncated), EOF or a timeout; it says what to do next. It owns the
/// fds received until it hands them over in `.done` or lists them for closing in `.failed`.
public struct SocketTransferReceiver {
    enum State: Equatable {
        /// Before the 4-byte count; any bytes of it seen so far.
        case awaitingCount
        /// The count is known; records and fds accumulate.
        case receiving(expected: Int)
        /// Handed over or failed; nothing more.
        case finished
    }

    private(set) var state: State = .awaitingCount
    /// Data bytes received and not yet consumed (count, then records).
    private var buffer: [UInt8] = []
    private var fds: [FD] = []
    private var records: [(namespace: String, interface: String)] = []
    /// Longest plausible count: more fds than any process may have open.
    static let maxCount = 1 << 20

    public init() {}

    /// The step the transfer is at, for errors.
    public var step: SocketTransferStep {
        switch state {
        case .awaitingCount: return .count
        case .receiving(let expected): return .sockets(received: fds.count, expected: expected)
        case .finished: return .ack
        }
    }

    /// One read's data and fds. `controlTruncated` is fatal: fds were lost.
    public mutating func receive(bytes: [UInt8], fds received: [FD], controlTruncated: Bool) -> SocketTransferReceiverAction {
        guard state != .finished else { return .failed(.peerFailed(.ack, "data after the end"), closing: received) }
        fds += received
        buffer += bytes
        if case .awaitingCount = state, buffer.count >= SocketTransfer.intSize {
            let count = SocketTransfer.decodeInt(buffer[0..<SocketTransfer.intSize])
            buffer.removeFirst(SocketTransfer.intSize)
            guard count >= 0, Int(count) <= Self.maxCount else { return fail(.invalidCount(count)) }
            state = .receiving(expected: Int(count))
            // The count read alone is not acked: the sender only reads acks after batches.
            if buffer.isEmpty && fds.isEmpty && count > 0 && !controlTruncated { return .read }
        }
        // Checked once the count (if in this read) is known, so the error says how far it got.
        if controlTruncated { return fail(.controlTruncated(step)) }
        guard case .receiving(let expected) = state else { return .read }
        if fds.count > expected { return fail(.tooManySockets(expected: expected, got: fds.count)) }
        parseRecords()
        if records.count > expected || (records.count == expected && !buffer.isEmpty) {
            return fail(.inconsistentRecords(expected: expected, records: records.count, extraBytes: buffer.count))
        }
        if records.count == expected && fds.count == expected {
            state = .finished
            let sockets = zip(fds, records).map { TransferredSocket(fd: $0, namespace: $1.namespace, interface: $1.interface) }
            fds = []
            return .done(sockets)
        }
        return .ackThenRead
    }

    /// The peer ended its side (a read returned 0 bytes).
    public mutating func receiveEOF() -> SocketTransferReceiverAction {
        switch state {
        case .awaitingCount:
            return fail(.noCount)
        case .receiving(let expected):
            if fds.count < expected { return fail(.missingSockets(expected: expected, got: fds.count)) }
            return fail(.inconsistentRecords(expected: expected, records: records.count, extraBytes: buffer.count))
        case .finished:
            return .failed(.peerFailed(.ack, "ended after the transfer"), closing: [])
        }
    }

    /// A read or an ack timed out (SO_RCVTIMEO/SO_SNDTIMEO, 1 s).
    public mutating func timedOut() -> SocketTransferReceiverAction { fail(.timedOut(step)) }

    /// A read or an ack failed with `reason` (ECONNRESET, EPIPE, ...).
    public mutating func failed(_ reason: String) -> SocketTransferReceiverAction { fail(.peerFailed(step, reason)) }

    private mutating func fail(_ error: SocketTransferError) -> SocketTransferReceiverAction {
        let closing = fds
        fds = []
        state = .finished
        return .failed(error, closing: closing)
    }

    /// Consumes every complete record at the front of `buffer`.
    private mutating func parseRecords() {
        var at = 0
        while true {
            guard at < buffer.count else { break }
            let nsLength = Int(buffer[at])
            let ifAt = at + 1 + nsLength
            guard ifAt < buffer.count else { break }
            let ifLength = Int(buffer[ifAt])
            let end = ifAt + 1 + ifLength + 4
            guard end <= buffer.count else { break }
            records.append((String(decoding: buffer[(at + 1)..<ifAt], as: UTF8.self),
                            String(decoding: buffer[(ifAt + 1)..<(ifAt + 1 + ifLength)], as: UTF8.self)))
            at = end
        }
        buffer.removeFirst(at)
    }
}
