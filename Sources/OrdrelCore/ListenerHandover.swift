import OrdrelConfig
import OrdrelSystem

/// A listening socket received from the old process, with what the socket itself says it is.
public struct InheritedSocket: Sendable {
    public let fd: FD
    public let namespace: String
    public let interface: String
    public let traits: SocketTraits
}

/// Where the old process's CLI is (`-x`): a Unix socket path, or `sockpair@<fd>`, an fd already
/// connected to the old process's CLI (master-worker mode) through which a fresh connection's end
/// is passed.
public enum OldProcessSocket: Sendable, Equatable, CustomStringConvertible {
    case unixPath(String)
    case socketPair(fd: Int32)

    /// Parses `-x`'s argument; nil for `/dev/null` (transfer disabled).
    public init?(argument: String) {
        if argument == "/dev/null" { return nil }
        if argument.hasPrefix("sockpair@"), let fd = Int32(argument.dropFirst("sockpair@".count)), fd >= 0 {
            self = .socketPair(fd: fd)
        } else {
            self = .unixPath(argument)
        }
    }

    public var description: String {
        switch self {
        case .unixPath(let path): return path
        case .socketPair(let fd): return "sockpair@\(fd)"
        }
    }
}

/// A connection to the old process that failed for a reason no syscall reported.
struct HandoverError: Error, CustomStringConvertible {
    let description: String
}

/// The new process's side of `_getsocks`: connect, ask, and run `SocketTransferReceiver` over
/// blocking reads with 1 s timeouts.
public enum ListenerFetch {
    /// Fetches every listening socket of the old process. On failure nothing received stays open.
    public static func fetch(from source: OldProcessSocket) -> Result<[InheritedSocket], SocketTransferError> {
        let connection: FD
        do {
            connection = try connect(source)
        } catch {
            return .failure(.peerFailed(.connect, "\(error)"))
        }
        defer { connection.close() }
        if let error = sendAll(SocketTransfer.request, on: connection, step: .request) { return .failure(error) }
        var receiver = SocketTransferReceiver()
        var action = SocketTransferReceiverAction.read
        while true {
            switch action {
            case .read:
                action = readOnce(connection, into: &receiver)
            case .ackThenRead:
                // A failed ack is not the error to report: the peer that closed or stalled is
                // seen by the next read (EOF: which fds are missing; timeout: how far it got).
                _ = sendAll(ack(receiver), on: connection, step: .ack)
                action = readOnce(connection, into: &receiver)
            case .done(let sockets):
                // Best effort: haproxy 2.6 never reads the last ack and may have closed already.
                _ = sendAll(ack(receiver), on: connection, step: .ack)
                return describe(sockets)
            case .failed(let error, let fds):
                fds.forEach { $0.close() }
                return .failure(error)
            }
        }
    }

    /// The ack's value: the fds received so far, as haproxy's `got_fd` (the sender ignores it).
    private static func ack(_ receiver: SocketTransferReceiver) -> [UInt8] {
        if case .sockets(let received, _) = receiver.step { return SocketTransfer.encodeInt(Int32(received)) }
        return SocketTransfer.encodeInt(0)
    }

    private static func connect(_ source: OldProcessSocket) throws -> FD {
        switch source {
        case .unixPath(let path):
            return try FD.connectBlocking(unixPath: path, timeoutSeconds: SocketTransfer.timeoutSeconds)
        case .socketPair(let raw):
            // haproxy's `sockpair@`: a new socketpair; one end goes to the old process's CLI over
            // the inherited fd (one byte and the fd in one message), the other is ours.
            let carrier = FD(rawValue: raw)
            guard carrier.isOpen else { throw HandoverError(description: "fd \(raw) is not open") }
            let (ours, theirs) = try FD.socketPair()
            defer { theirs.close() }
            do {
                try carrier.setBlocking(true)
                try carrier.setSendTimeout(seconds: SocketTransfer.timeoutSeconds)
                guard case .processed = try carrier.send([0], passing: [theirs]) else {
                    throw HandoverError(description: "sendmsg on fd \(raw) timed out")
                }
                try ours.setBlocking(true)
                try ours.setReceiveTimeout(seconds: SocketTransfer.timeoutSeconds)
                try ours.setSendTimeout(seconds: SocketTransfer.timeoutSeconds)
            } catch {
                ours.close()
                throw error
            }
            return ours
        }
    }

    /// One recvmsg fed to the receiver: would-block is the 1 s SO_RCVTIMEO running out.
    private static func readOnce(_ connection: FD, into receiver: inout SocketTransferReceiver) -> SocketTransferReceiverAction {
        do {
            switch try connection.receive(maxBytes: SocketTransfer.maxBatchBytes, maxFDs: SocketTransfer.maxFDsPerBatch) {
            case .wouldBlock:
                return receiver.timedOut()
            case .processed(let message):
                if message.bytes.isEmpty && message.fds.isEmpty && !message.controlTruncated {
                    return receiver.receiveEOF()
                }
                return receiver.receive(bytes: message.bytes, fds: message.fds, controlTruncated: message.controlTruncated)
            }
        } catch {
            return receiver.failed("\(error)")
        }
    }

    /// Reads each socket's traits and makes it non-blocking like ours; on failure closes them all.
    private static func describe(_ sockets: [TransferredSocket]) -> Result<[InheritedSocket], SocketTransferError> {
        var described: [InheritedSocket] = []
        for socket in sockets {
            do {
                try socket.fd.setBlocking(false)
                described.append(InheritedSocket(fd: socket.fd, namespace: socket.namespace,
                                                 interface: socket.interface, traits: try socket.fd.traits()))
            } catch {
                sockets.forEach { $0.fd.close() }
                return .failure(.peerFailed(.sockets(received: sockets.count, expected: sockets.count),
                                            "cannot inspect a received socket: \(error)"))
            }
        }
        return .success(described)
    }

    /// Writes all of `bytes` on a blocking socket with SO_SNDTIMEO (would-block is the timeout).
    static func sendAll(_ bytes: [UInt8], on fd: FD, step: SocketTransferStep) -> SocketTransferError? {
        var sent = 0
        while sent < bytes.count {
            do {
                let result = try bytes[sent...].withUnsafeBytes { try fd.write($0) }
                guard case .processed(let n) = result else { return .timedOut(step) }
                sent += n
            } catch {
                return .peerFailed(step, "\(error)")
            }
        }
        return nil
    }
}

/// The old process's side of `_getsocks`, as haproxy 2.6 does it: the connection is made blocking
/// with 1 s timeouts for the transfer, the count goes in its own message, each batch in one
/// sendmsg, an ack is awaited after each full batch only, and non-blocking mode is restored.
enum ListenerExport {
    static func send(_ sockets: [TransferredSocket], over fd: FD) -> SocketTransferError? {
        let plan = SocketTransfer.plan(sockets)
        guard let count = plan.count else { return nil }
        do {
            try fd.setBlocking(true)
            try fd.setReceiveTimeout(seconds: SocketTransfer.timeoutSeconds)
            try fd.setSendTimeout(seconds: SocketTransfer.timeoutSeconds)
        } catch {
            return .peerFailed(.count, "\(error)")
        }
        defer { try? fd.setBlocking(false) }
        // The count in its own sendmsg without control data, as haproxy.
        do {
            guard case .processed(let n) = try fd.send(count, passing: []) else { return .timedOut(.count) }
            if n < count.count, let error = ListenerFetch.sendAll(Array(count[n...]), on: fd, step: .count) { return error }
        } catch {
            return .peerFailed(.count, "\(error)")
        }
        var done = 0
        for batch in plan.batches {
            let step = SocketTransferStep.sockets(received: done, expected: sockets.count)
            do {
                guard case .processed(let n) = try fd.send(batch.bytes, passing: batch.fds) else { return .timedOut(step) }
                // The fds went with the first byte; a short send only leaves bytes to write.
                if n < batch.bytes.count, let error = ListenerFetch.sendAll(Array(batch.bytes[n...]), on: fd, step: step) {
                    return error
                }
            } catch {
                return .peerFailed(step, "\(error)")
            }
            done += batch.fds.count
            if batch.awaitsAck, let error = readAck(fd) { return error }
        }
        return nil
    }

    /// Reads one 4-byte ack (its value is unused, as in haproxy).
    private static func readAck(_ fd: FD) -> SocketTransferError? {
        var ack = [UInt8](repeating: 0, count: SocketTransfer.intSize)
        var got = 0
        while got < ack.count {
            do {
                let result = try ack.withUnsafeMutableBytes { try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[got...])) }
                switch result {
                case .wouldBlock: return .timedOut(.ack)
                case .processed(0): return .peerFailed(.ack, "the new process closed the connection")
                case .processed(let n): got += n
                }
            } catch {
                return .peerFailed(.ack, "\(error)")
            }
        }
        return nil
    }
}

/// The sockets received from the old process, waiting to be matched to `bind` and `stats socket`
/// lines (haproxy's `sock_find_compatible_fd`): a match is used as is, the rest are closed once
/// everything is bound.
final class InheritedListeners {
    private var sockets: [InheritedSocket]

    init(_ sockets: [InheritedSocket]) { self.sockets = sockets }

    var isEmpty: Bool { sockets.isEmpty }

    /// A listening TCP socket bound to `address` (same family, address and port), with the
    /// bind's v6only when it names one.
    func take(tcp address: SocketAddress, ipv6Only: Bool?) -> FD? {
        take { traits in
            traits.address.family == address.family && traits.address.host == address.host
                && traits.address.port == address.port
                && (address.family != .inet6 || ipv6Only == nil || traits.isV6Only == ipv6Only)
        }
    }

    /// A listening Unix socket for `path`, whose name may carry the `.<pid>.tmp` suffix it was
    /// bound under before the rename (`FD.unixListener`, haproxy's `.tmp` dance).
    func take(unixPath path: String) -> FD? {
        take { traits in
            traits.address.family == .unix && Self.stripTemporarySuffix(traits.address.host) == path
        }
    }

    private func take(where matches: (SocketTraits) -> Bool) -> FD? {
        guard let index = sockets.firstIndex(where: {
            $0.traits.isStream && $0.traits.isListening && $0.namespace.isEmpty && $0.interface.isEmpty && matches($0.traits)
        }) else { return nil }
        return sockets.remove(at: index).fd
    }

    /// `/run/a.sock.1234.tmp` → `/run/a.sock`; other names unchanged.
    static func stripTemporarySuffix(_ name: String) -> String {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.last == "tmp", let pid = parts.dropLast().last,
              !pid.isEmpty, pid.allSatisfy(\.isNumber) else { return name }
        return parts.dropLast(2).joined(separator: ".")
    }

    /// Closes every socket nothing matched (binds removed from the configuration).
    func closeLeftovers() -> Int {
        let count = sockets.count
        sockets.forEach { $0.fd.close() }
        sockets.removeAll()
        return count
    }
}
