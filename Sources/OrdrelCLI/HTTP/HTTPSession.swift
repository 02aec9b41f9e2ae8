/// What an HTTP connection's driver does next for its `HTTPSession`.
public enum HTTPAction: Sendable, Equatable {
    /// Write these bytes, then report with `didWrite`.
    case write(ArraySlice<UInt8>)
    /// Wait for input (or the session's timer); report with `receive`, `receiveEOF` or `timedOut`.
    case read
    /// Answer this request with `respond`.
    case handle(HTTPRequest)
    /// The reply is out and the connection ends: shut down the write side.
    case shutdownWrite
    /// Done: drain what the client still sends, then close.
    case close
}

/// Which timeout runs while the session waits.
public enum HTTPTimer: Sendable, Equatable {
    /// `timeout http-request`: the first request, or one whose first bytes arrived.
    case request
    /// `timeout http-keep-alive`: idle between two requests.
    case keepAlive
    /// `timeout client`: a reply is being written.
    case send
}

/// One HTTP/1.x connection of a built-in service, sans-IO: bytes and timer expiries in, actions
/// out. Requests are answered one at a time, in order (pipelined requests wait in the buffer);
/// an invalid or timed-out request gets haproxy's 400/408 and the connection closes.
public final class HTTPSession {
    /// Where the connection is.
    enum Phase: Equatable {
        /// No byte of the next request yet (`first`: none served so far).
        case awaitingRequest(first: Bool)
        /// Part of a request arrived.
        case receivingRequest
        /// A whole request waits for `respond`.
        case handling(HTTPRequest)
        /// Writing a reply.
        case sending(bytes: [UInt8], sent: Int, closeAfter: Bool)
        /// The last reply is out; the write side is being shut down.
        case shuttingDown
        case closed
    }

    private(set) var phase = Phase.awaitingRequest(first: true)
    private var input: [UInt8] = []
    private var inputEOF = false
    private let parser: HTTPRequestParser
    /// Changes whenever the timer must start again (a new wait, a new kind of wait).
    public private(set) var timerEpoch: UInt64 = 0
    /// Requests answered so far.
    public private(set) var requestsServed: UInt64 = 0
    /// The process is stopping: the reply under way is the last.
    private var stopping = false
    /// The status of a request the session rejected itself (invalid, timed out, cut short),
    /// until the host takes it with `takeRejection`.
    private var rejection: Int?

    /// The session's own replies (400, 413, 408) are haproxy's built-in messages: haproxy 2.6
    /// does not use `errorfile`s for errors found before a request exists.
    public init(parser: HTTPRequestParser) {
        self.parser = parser
    }

    /// The timeout that applies now.
    public var timer: HTTPTimer {
        switch phase {
        case .awaitingRequest(first: true), .receivingRequest: return .request
        case .awaitingRequest(first: false): return .keepAlive
        case .handling, .sending, .shuttingDown, .closed: return .send
        }
    }

    /// Most bytes of a reply one `.write` carries: a driver that runs the session in turns
    /// hands its loop back between the parts of a large page or scrape (several MiB with
    /// thousands of servers), whose single write would hold the loop for milliseconds.
    public static let maxWriteBytes = 256 * 1024

    /// Whether the next step may do work (answer a request, write part of a reply), for a
    /// driver that runs the session in turns; false when what is left is a read, the FIN or the
    /// close.
    public var hasWorkLeft: Bool {
        switch phase {
        case .handling: return true
        case .sending(let bytes, let sent, _): return sent < bytes.count
        case .awaitingRequest, .receivingRequest: return !input.isEmpty
        case .shuttingDown, .closed: return false
        }
    }

    public var wantsInput: Bool {
        switch phase {
        case .awaitingRequest, .receivingRequest: return !inputEOF
        default: return false
        }
    }

    public func receive(_ bytes: UnsafeRawBufferPointer) {
        input.append(contentsOf: bytes)
    }

    public func receiveEOF() { inputEOF = true }

    public func didWrite(_ count: Int) {
        guard case .sending(let bytes, let sent, let closeAfter) = phase else { return }
        phase = .sending(bytes: bytes, sent: sent + count, closeAfter: closeAfter)
    }

    /// The driver sent the FIN that `.shutdownWrite` asked for: nothing is left but closing.
    public func didShutdownWrite() {
        if phase == .shuttingDown { phase = .closed }
    }

    /// The driver closed the connection (also valid at any time on a socket error): the
    /// buffered input is dropped.
    public func didClose() {
        phase = .closed
        input = []
    }

    /// The host's answer to `.handle`; the connection closes after it when the reply or the
    /// request says so.
    public func respond(_ reply: HTTPReply) {
        guard case .handling(let request) = phase else { return }
        let close = reply.closesConnection || !request.wantsKeepAlive || request.hasUnreadBody || stopping
        phase = .sending(bytes: reply.bytes, sent: 0, closeAfter: close)
        restartTimer()
    }

    /// The process is stopping: an idle connection closes now, one with a request under way
    /// closes after its reply.
    public func stop() {
        stopping = true
        switch phase {
        case .awaitingRequest where input.isEmpty:
            phase = .closed
        case .sending(let bytes, let sent, _):
            phase = .sending(bytes: bytes, sent: sent, closeAfter: true)
        default:
            break
        }
    }

    /// The current timer expired: a request not (fully) received gets a 408, an idle keep-alive
    /// connection or a client that stopped reading is closed.
    public func timedOut() {
        switch phase {
        case .awaitingRequest(first: true), .receivingRequest:
            // With the head in, the body is what is late: haproxy answers in its generated form.
            let headIn = HTTPRequestParser.endOfHead(input[...]) != nil
            rejection = 408
            send(HTTPErrors.reply(408, generated: headIn), closeAfter: true)
        default:
            phase = .closed
        }
    }

    /// The status of the request the session last rejected, once: haproxy counts it as a
    /// request (`req_tot`), a request error (`ereq`) and a response of that status, also when
    /// the client closed before any byte of a first request (a 400 nobody reads).
    public func takeRejection() -> Int? {
        defer { rejection = nil }
        return rejection
    }

    /// The next thing to do.
    public func nextAction() -> HTTPAction {
        while true {
            switch phase {
            case .awaitingRequest, .receivingRequest:
                if !input.isEmpty {
                    switch parser.parse(input[...]) {
                    case .request(let request, let consumed):
                        input.removeFirst(consumed)
                        phase = .handling(request)
                        return .handle(request)
                    case .invalid(let status):
                        input.removeAll()
                        rejection = status
                        send(HTTPErrors.reply(status), closeAfter: true)
                        continue
                    case .incomplete:
                        if case .awaitingRequest(first: false) = phase {
                            phase = .receivingRequest
                            restartTimer()
                        }
                    }
                }
                if inputEOF {
                    if phase != .awaitingRequest(first: false) { rejection = 400 }
                    phase = .closed
                    continue
                }
                return .read
            case .handling(let request):
                return .handle(request)
            case .sending(let bytes, let sent, let closeAfter):
                if sent < bytes.count { return .write(bytes[sent..<min(bytes.count, sent + Self.maxWriteBytes)]) }
                requestsServed += 1
                if closeAfter {
                    phase = .shuttingDown
                    return .shutdownWrite
                }
                phase = .awaitingRequest(first: false)
                restartTimer()
            case .shuttingDown:
                phase = .closed
            case .closed:
                return .close
            }
        }
    }

    private func send(_ reply: HTTPReply, closeAfter: Bool) {
        phase = .sending(bytes: reply.bytes, sent: 0, closeAfter: closeAfter || reply.closesConnection)
        restartTimer()
    }

    private func restartTimer() { timerEpoch &+= 1 }
}
