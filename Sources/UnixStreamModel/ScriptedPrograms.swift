/// A client that optionally sends one request, optionally shuts down, then reads until EOF.
public struct RequestingClient: SocketProgram {
    /// Where the client is in its script.
    enum Phase: Hashable, Sendable {
        /// About to write the request.
        case sending
        /// About to `shutdown(SHUT_WR)`.
        case shuttingDown
        /// Reading until EOF.
        case reading
        /// Read EOF.
        case done
    }

    let request: [UInt8]
    let shutsDown: Bool
    var phase: Phase

    /// `request` empty means the client only reads.
    public init(request: [UInt8], shutsDown: Bool) {
        self.request = request
        self.shutsDown = shutsDown
        phase = request.isEmpty ? (shutsDown ? .shuttingDown : .reading) : .sending
    }

    public var nextAction: ProgramAction {
        switch phase {
        case .sending: .write(request)
        case .shuttingDown: .shutdownWrite
        case .reading: .read
        case .done: .finished
        }
    }

    public mutating func complete(read: ReadOutcome?) {
        switch phase {
        case .sending: phase = shutsDown ? .shuttingDown : .reading
        case .shuttingDown: phase = .reading
        case .reading: if read == .endOfFile { phase = .done }
        case .done: break
        }
    }
}

/// One message of a scripted server's answer.
public enum ResponsePart: Hashable, Sendable {
    /// Plain `write()`.
    case bytes([UInt8])
    /// `sendmsg()` with SCM_RIGHTS.
    case bytesWithRights([UInt8])
}

/// A server that reads a request, answers with scripted messages, then ends the session.
///
/// Like haproxy's CLI, it ends the session without answering when EOF comes before the request.
public struct RespondingServer: SocketProgram {
    /// Where the server is in its script.
    enum Phase: Hashable, Sendable {
        /// Reading until the whole request arrived.
        case reading
        /// Sending response part `index`.
        case responding(Int)
        /// Handed over to the close policy.
        case ended
    }

    let requestLength: Int
    let response: [ResponsePart]
    var received = 0
    var phase: Phase

    /// `requestLength` 0 means the server answers without reading.
    public init(requestLength: Int, response: [ResponsePart]) {
        self.requestLength = requestLength
        self.response = response
        phase = requestLength == 0 ? Self.firstResponsePhase(response) : .reading
    }

    private static func firstResponsePhase(_ response: [ResponsePart]) -> Phase {
        response.isEmpty ? .ended : .responding(0)
    }

    public var nextAction: ProgramAction {
        switch phase {
        case .reading: .read
        case .responding(let index):
            switch response[index] {
            case .bytes(let bytes): .write(bytes)
            case .bytesWithRights(let bytes): .sendRights(bytes)
            }
        case .ended: .endSession
        }
    }

    public mutating func complete(read: ReadOutcome?) {
        switch phase {
        case .reading:
            switch read {
            case .bytes(let bytes):
                received += bytes.count
                if received >= requestLength { phase = Self.firstResponsePhase(response) }
            case .endOfFile, nil:
                phase = .ended
            }
        case .responding(let index):
            phase = index + 1 < response.count ? .responding(index + 1) : .ended
        case .ended:
            break
        }
    }
}
