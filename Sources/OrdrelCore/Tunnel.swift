import OrdrelEventLoop
import OrdrelSystem

/// The socket calls a tunnel makes, each returning would-block as a value. `FD` is the real one;
/// tests script a fake. Only ever a generic constraint: no existential dispatch per syscall.
protocol StreamSocket {
    /// A kernel pipe between two such sockets, for splice().
    associatedtype Pipe
    /// `.processed(0)` is EOF.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> IOResult<Int>
    /// `more`: a FIN follows these bytes at once (MSG_MORE, so both may leave in one segment).
    func write(_ buffer: UnsafeRawBufferPointer, more: Bool) throws -> IOResult<Int>
    /// Moves up to `count` bytes from this socket into the pipe.
    func splice(into pipe: Pipe, count: Int) throws -> IOResult<Int>
    /// Moves up to `count` bytes from the pipe to this socket.
    func splice(from pipe: Pipe, count: Int) throws -> IOResult<Int>
    @discardableResult
    func shutdown(_ how: ShutdownHow) throws -> Bool
    /// Makes `close` send RST and drop unsent data.
    func setLingerZero() throws
    func close()
}

/// Where a tunnel takes a pipe when a direction carries bulk data, and gives it back.
protocol PipeSupply {
    associatedtype Pipe
    /// A pipe, or nil when none is available (the direction stays on its buffer).
    func take() -> Pipe?
    /// `empty`: the pipe holds no bytes and may serve another stream.
    func give(_ pipe: Pipe, empty: Bool)
}

extension FD: StreamSocket {
    func splice(into pipe: SplicePipe, count: Int) throws -> IOResult<Int> {
        try splice(to: pipe.write, count: count)
    }

    func splice(from pipe: SplicePipe, count: Int) throws -> IOResult<Int> {
        try pipe.read.splice(to: self, count: count)
    }
}

extension PipePool: PipeSupply {}

/// What is known of one socket's readiness, so speculative I/O skips calls that would only return
/// EAGAIN: a short read means the receive queue was drained, a short write that the send buffer is
/// full. A watcher event sets the flag again.
struct SocketReadiness {
    /// A read may find data (or EOF).
    var readable: Bool
    /// A write may make progress.
    var writable: Bool
}

/// Which side of a stream: its client or its server.
enum StreamSide: Equatable {
    case client
    case server
}

/// What `Tunnel.forward` did, for the stream's byte counters, timeouts and end.
struct ForwardingReport: Equatable {
    /// A syscall that failed: on which side, with which errno.
    struct Failure: Equatable {
        let side: StreamSide
        let errno: Int32
    }

    /// Bytes read from the client and from the server.
    var fromClient = 0
    var fromServer = 0
    /// Bytes were read from or written to this side: its inactivity timeout starts again.
    var clientActive = false
    var serverActive = false
    /// A socket failed (reset, broken pipe): the stream must end, resetting the other side.
    var failure: Failure?
}

/// Both directions of a stream, client → server (`request`) and server → client (`response`),
/// each a `Channel` with per-direction half-close: bytes move as soon as they come, a FIN is
/// forwarded (shutdown for writing) only after the bytes before it, and the other direction keeps
/// flowing. I/O is speculative: each syscall is tried and, once it would block, the socket's
/// readiness flag says which watcher to arm. Bulk data moves through a pipe with splice().
///
/// The stream passes its sockets in and keeps counters, timeouts and watchers: a tunnel over
/// scripted sockets is fully testable. Nothing here allocates (buffers and pipes are pooled).
struct Tunnel<Socket: StreamSocket, Pipes: PipeSupply> where Pipes.Pipe == Socket.Pipe {
    /// Client → server.
    private(set) var request = Channel()
    /// Server → client.
    private(set) var response = Channel()
    private var requestPipe: Socket.Pipe?
    private var responsePipe: Socket.Pipe?
    private(set) var clientReadiness = SocketReadiness(readable: true, writable: true)
    private(set) var serverReadiness = SocketReadiness(readable: false, writable: false)
    private let pool: BufferPool
    private let pipes: Pipes
    /// `tcp-response` inspection's hook: while set, the server's bytes (and its FIN) stay in the
    /// response buffer, read up to a full buffer, and nothing goes to the client.
    var holdsResponse = false
    /// A short read from the server is followed by one more (`readAhead`) until one would block:
    /// a server that answers then closes has its FIN found in the same wake-up.
    private(set) var readsAheadForServerFIN = true

    /// At most this many rounds per `forward`, so one busy stream cannot hold the loop.
    static var maxRounds: Int { 8 }

    init(pool: BufferPool, pipes: Pipes) {
        self.pool = pool
        self.pipes = pipes
    }

    // MARK: readiness

    /// A watcher reported `events` on this side's socket.
    mutating func noteReady(_ side: StreamSide, _ events: IOEvents) {
        if side == .client {
            clientReadiness.note(events)
        } else {
            serverReadiness.note(events)
        }
    }

    /// The server socket just connected: write at once; read at once only when the server may
    /// have spoken already (`readable`: the connect's event carried input, or its outcome is not
    /// known from an event), as a connect completed by a lone write event has nothing to read.
    mutating func serverConnected(readable: Bool = true) {
        serverReadiness = SocketReadiness(readable: readable, writable: true)
    }

    // MARK: forwarding

    /// Moves bytes, EOFs and FINs both ways until every due syscall would block. `server` is nil
    /// until connected: the client's bytes then wait in the request buffer.
    mutating func forward(client: Socket, server: Socket?) -> ForwardingReport {
        var report = ForwardingReport()
        var rounds = 0
        var progress = true
        while progress && rounds < Self.maxRounds {
            var traffic = DirectionTraffic()
            var clientReadAhead = false
            progress = Self.pump(&request, pipe: &requestPipe, from: client, &clientReadiness, readAhead: &clientReadAhead,
                                 to: server, &serverReadiness, corksFIN: false, pool: pool, pipes: pipes, traffic: &traffic)
            report.add(traffic, from: .client)
            if report.failure != nil { return report }
            if let server {
                traffic = DirectionTraffic()
                // The server's last bytes may wait for its FIN (MSG_MORE) when a shutdown sends
                // that FIN: not when close() does, which `option nolinger` turns into a reset.
                let moved = Self.pump(&response, pipe: &responsePipe, from: server, &serverReadiness,
                                      readAhead: &readsAheadForServerFIN, to: holdsResponse ? nil : client,
                                      &clientReadiness, corksFIN: request.state != .closed, pool: pool, pipes: pipes,
                                      traffic: &traffic)
                report.add(traffic, from: .server)
                if report.failure != nil { return report }
                progress = progress || moved
                // FINs go after both directions read: when both sources have ended and every
                // byte is out, close() follows at once and sends both FINs itself (typically the
                // client's EOF and the server's in one wake-up: no shutdown at all).
                let responseEnds = response.state == .closed || response.needsShutdown && !holdsResponse
                if Self.forwardFIN(&request, to: server, isLastDirection: responseEnds) { progress = true }
                if !holdsResponse, Self.forwardFIN(&response, to: client, isLastDirection: request.state == .closed) {
                    progress = true
                }
            }
            rounds += 1
        }
        return report
    }

    /// Both directions forwarded their FIN: every byte was delivered.
    var isFinished: Bool { request.state == .closed && response.state == .closed }

    /// What the client's watcher must wait for: room for more request bytes, response bytes to
    /// write (unless held).
    var clientInterest: IOEvents {
        var events = Self.interest(input: request, requestPipe != nil, output: response, pool: pool)
        if holdsResponse { events.remove(.write) }
        return events
    }

    /// What the server's watcher must wait for, once connected.
    var serverInterest: IOEvents { Self.interest(input: response, responsePipe != nil, output: request, pool: pool) }

    private static func interest(input: Channel, _ piped: Bool, output: Channel, pool: BufferPool) -> IOEvents {
        var events: IOEvents = []
        let wantsInput = piped ? input.wantsSpliceIn(pipeCapacity: PipePool.capacity)
            : input.wantsRead(capacity: pool.bufferSize)
        if wantsInput { events.insert(.read) }
        if output.wantsWrite { events.insert(.write) }
        return events
    }

    /// `tcp-response content close`: nothing more is read from the server; what was read goes
    /// to the client, then its FIN.
    mutating func stopReadingServer() {
        response.didReadEOF(pool: pool)
    }

    // MARK: closing

    /// Drops what is still buffered or piped and closes both sockets with `closing`; with
    /// `reset`, each peer gets an RST instead of a FIN.
    mutating func close(client: Socket, server: Socket?, reset: Bool, closing: (Socket) -> Void = { $0.close() }) {
        if let pipe = requestPipe { pipes.give(pipe, empty: request.piped == 0) }
        if let pipe = responsePipe { pipes.give(pipe, empty: response.piped == 0) }
        requestPipe = nil
        responsePipe = nil
        request.abort(pool: pool)
        response.abort(pool: pool)
        if reset { try? client.setLingerZero() }
        closing(client)
        if let server {
            if reset { try? server.setLingerZero() }
            closing(server)
        }
    }
}

extension SocketReadiness {
    mutating func note(_ events: IOEvents) {
        if events.contains(.read) { readable = true }
        if events.contains(.write) { writable = true }
    }
}

/// What one direction's round moved, relative to that direction.
private struct DirectionTraffic {
    var bytesRead = 0
    var sourceActive = false
    var sinkActive = false
    /// The source (`false`) or the sink (`true`) failed with this errno.
    var failure: (atSink: Bool, errno: Int32)?
    /// A read ahead failed after bytes came: the failure counts once they are written.
    var failureAfterWrite: Int32?
}

extension ForwardingReport {
    fileprivate mutating func add(_ traffic: DirectionTraffic, from source: StreamSide) {
        let sink: StreamSide = source == .client ? .server : .client
        if source == .client {
            fromClient += traffic.bytesRead
            clientActive = clientActive || traffic.sourceActive
            serverActive = serverActive || traffic.sinkActive
        } else {
            fromServer += traffic.bytesRead
            serverActive = serverActive || traffic.sourceActive
            clientActive = clientActive || traffic.sinkActive
        }
        if let failure = traffic.failure {
            self.failure = Failure(side: failure.atSink ? sink : source, errno: failure.errno)
        }
    }
}

// MARK: one direction's round

extension Tunnel {
    /// One round for one direction: read once if due (and `readAhead`, once more), write what is
    /// pending, take or return the pipe (the FIN is `forward`'s, once both directions have
    /// read). `corksFIN`: the last bytes before a FIN go with MSG_MORE, as a shutdown follows.
    /// Returns whether any byte or EOF moved.
    private static func pump(_ channel: inout Channel, pipe: inout Socket.Pipe?,
                             from source: Socket, _ sourceReadiness: inout SocketReadiness, readAhead: inout Bool,
                             to sink: Socket?, _ sinkReadiness: inout SocketReadiness, corksFIN: Bool,
                             pool: BufferPool, pipes: Pipes, traffic: inout DirectionTraffic) -> Bool {
        var filledBuffer = false
        var progress = false
        do {
            progress = try readSource(&channel, pipe: pipe, from: source, &sourceReadiness, readAhead: &readAhead,
                                      pool: pool, traffic: &traffic, filledBuffer: &filledBuffer)
        } catch {
            traffic.failure = (false, errnoOf(error))
            return progress
        }
        defer {
            if traffic.failure == nil, let errno = traffic.failureAfterWrite { traffic.failure = (false, errno) }
        }
        guard let sink else { return progress }
        do {
            if try writeSink(&channel, pipe: pipe, to: sink, &sinkReadiness, corksFIN: corksFIN, pool: pool) {
                traffic.sinkActive = true
                progress = true
            }
        } catch {
            traffic.failure = (true, errnoOf(error))
            return progress
        }
        managePipe(&pipe, of: channel, filledBuffer: filledBuffer, sourceReadable: sourceReadiness.readable,
                   pipes: pipes)
        return progress
    }

    /// Reads once from the source if it may have something: into the pipe while the direction
    /// holds one, else into the buffer. Returns whether bytes or EOF came; `filledBuffer` tells a
    /// read that filled a whole buffer (bulk data: time for a pipe).
    private static func readSource(_ channel: inout Channel, pipe: Socket.Pipe?, from source: Socket,
                                   _ readiness: inout SocketReadiness, readAhead: inout Bool, pool: BufferPool,
                                   traffic: inout DirectionTraffic, filledBuffer: inout Bool) throws -> Bool {
        guard readiness.readable else { return false }
        let result: IOResult<Int>
        var space = 0
        if let pipe, channel.wantsSpliceIn(pipeCapacity: PipePool.capacity) {
            result = try source.splice(into: pipe, count: PipePool.capacity - channel.piped)
        } else if pipe == nil && channel.wantsRead(capacity: pool.bufferSize) {
            let buffer = channel.readSpace(pool: pool)
            space = buffer.count
            result = try source.read(into: buffer)
        } else {
            return false
        }
        switch result {
        case .processed(0):
            readiness.readable = false
            channel.didReadEOF(pool: pool)
            return true
        case .processed(let count):
            if pipe != nil {
                channel.didSpliceIn(count)
            } else {
                filledBuffer = count == pool.bufferSize
                channel.didRead(count, pool: pool)
                if count < space {
                    readiness.readable = false
                    if readAhead { Self.readAhead(&channel, from: source, &readiness, &readAhead, pool: pool, traffic: &traffic) }
                }
            }
            traffic.bytesRead += count
            traffic.sourceActive = true
            return true
        case .wouldBlock:
            readiness.readable = false
            if pipe == nil { channel.readFoundNothing(pool: pool) }
            return false
        }
    }

    /// After a short read, reads once more into what is left of the buffer: a source that closed
    /// right behind its bytes (a server answering, then closing) shows its EOF now, and its FIN
    /// can leave with those bytes (haproxy learns the same from EPOLLRDHUP, which libev does not
    /// pass on). The first read ahead that would block ends it for the stream, so a stream pays
    /// one such syscall at most. A failure waits until the bytes before it are written.
    private static func readAhead(_ channel: inout Channel, from source: Socket, _ readiness: inout SocketReadiness,
                                  _ readAhead: inout Bool, pool: BufferPool, traffic: inout DirectionTraffic) {
        guard channel.wantsRead(capacity: pool.bufferSize) else { return }
        let buffer = channel.readSpace(pool: pool)
        do {
            switch try source.read(into: buffer) {
            case .processed(0):
                channel.didReadEOF(pool: pool)
            case .processed(let count):
                channel.didRead(count, pool: pool)
                traffic.bytesRead += count
                if count == buffer.count { readiness.readable = true }
            case .wouldBlock:
                readAhead = false
            }
        } catch {
            readAhead = false
            traffic.failureAfterWrite = errnoOf(error)
        }
    }

    /// Writes what is pending to the sink if it may take it: the buffer first, then the pipe.
    /// With `corksFIN`, bytes that end a direction whose source has ended go with MSG_MORE: the
    /// FIN's shutdown follows in the same round and sends both in one segment. Returns whether
    /// bytes went out.
    private static func writeSink(_ channel: inout Channel, pipe: Socket.Pipe?, to sink: Socket,
                                  _ readiness: inout SocketReadiness, corksFIN: Bool, pool: BufferPool) throws -> Bool {
        guard readiness.writable && channel.wantsWrite else { return false }
        if channel.buffered > 0 {
            let pending = channel.pending
            let more = corksFIN && channel.state == .draining && channel.piped == 0
            switch try sink.write(pending, more: more) {
            case .processed(let count):
                if count < pending.count { readiness.writable = false }
                channel.didWrite(count, pool: pool)
                return true
            case .wouldBlock:
                readiness.writable = false
                return false
            }
        }
        guard let pipe else { return false }
        switch try sink.splice(from: pipe, count: channel.piped) {
        case .processed(let count):
            channel.didSpliceOut(count)
            return true
        case .wouldBlock:
            readiness.writable = false
            return false
        }
    }

    /// Takes a pipe once a read filled a whole buffer (and the buffer has drained, which
    /// `wantsSpliceIn` waits for); gives it back once empty and the source is idle or ended.
    private static func managePipe(_ pipe: inout Socket.Pipe?, of channel: Channel, filledBuffer: Bool,
                                   sourceReadable: Bool, pipes: Pipes) {
        if pipe == nil {
            if filledBuffer && channel.state == .open { pipe = pipes.take() }
        } else if let idle = pipe, channel.piped == 0, !sourceReadable || channel.state != .open {
            pipes.give(idle, empty: true)
            pipe = nil
        }
    }

    /// Shuts the sink for writing once the source's FIN and every byte before it were forwarded.
    /// When the other direction is closed or closes in the same round, this is the stream's last
    /// one and close() follows at once: it sends the FIN after the last byte by itself, and with
    /// the sink's input read to EOF there is nothing to turn it into a reset, so the shutdown is
    /// skipped.
    private static func forwardFIN(_ channel: inout Channel, to sink: Socket, isLastDirection: Bool) -> Bool {
        guard channel.needsShutdown else { return false }
        if !isLastDirection { _ = try? sink.shutdown(.write) }
        channel.didShutdown()
        return true
    }

    private static func errnoOf(_ error: any Error) -> Int32 { (error as? SyscallError)?.errno ?? 0 }
}
