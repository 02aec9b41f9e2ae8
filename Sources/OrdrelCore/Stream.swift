import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// Where a stream is in its life.
public enum StreamPhase: Sendable, Equatable {
    /// Waiting in the backend's or a server's queue for a connection slot (`timeout queue`).
    case queued
    /// Non-blocking connect to the chosen server in progress.
    case connecting
    /// Waiting the turn-around delay before retrying a failed connect.
    case retryDelay
    /// Both sides connected; each direction follows its own `HalfCloseState`.
    case established
    /// Finished: both fds closed, the stream is out of the table.
    case closed
}

/// What is known of one socket's readiness, so speculative I/O skips calls that would only return
/// EAGAIN: a short read means the receive queue was drained, a short write that the send buffer is
/// full. A watcher event sets the flag again.
struct SocketReadiness {
    /// A read may find data (or EOF).
    var readable: Bool
    /// A write may make progress.
    var writable: Bool
}

/// Which side ended a stream abnormally, for counters and the tcplog termination state.
enum StreamSide {
    case client
    case server
}

/// A client connection and its server connection, forwarding bytes both ways with per-direction
/// half-close. All of it runs on its worker's thread (or on thread 0 while isolated). I/O is
/// speculative: each syscall is tried first and a watcher is armed only for the direction that
/// returned EAGAIN. One timer carries the stream's single deadline. What it shares with other
/// threads (server slots, queues, counters) it changes under `runtime.lock`.
final class Stream {
    let id: StreamID
    unowned(unsafe) let worker: Worker
    unowned(unsafe) let runtime: Runtime
    let frontend: Proxy
    let backend: Proxy
    private(set) var server: Server?
    let client: FD
    let clientAddress: SocketAddress
    private(set) var serverFD: FD?
    private(set) var phase: StreamPhase = .connecting
    /// Client → server.
    private(set) var request = Channel()
    /// Server → client.
    private(set) var response = Channel()

    /// Pipes of the two directions while they move bulk data with splice().
    private var requestPipe: SplicePipe?
    private var responsePipe: SplicePipe?
    private var clientReadiness = SocketReadiness(readable: true, writable: true)
    private var serverReadiness = SocketReadiness(readable: false, writable: false)
    private var clientWatcher: IOWatcher!
    private var serverWatcher: IOWatcher!
    private var timer: TimerWatcher!
    /// When the armed timer fires; the deadline itself may move later without re-arming it.
    private var timerFiresAt = Double.infinity

    private var retriesLeft: Int
    private var redispatched = false
    /// Where the stream waits while `.queued` (under `runtime.lock`: other threads serving the
    /// queues move it).
    var queueTicket: QueueTicket?
    /// Streams served ahead of this one while it waited in a server / the backend queue
    /// (`%sq`/`%bq`; under `runtime.lock`).
    var servedAheadInQueue: (server: Int, backend: Int) = (0, 0)
    /// Loop-clock times (seconds) for timeouts and the tcplog timers.
    let acceptedAt: Double
    let acceptedWallMicros: UInt64
    private var connectStartedAt: Double
    private var connectedAt: Double?
    private var retryAt: Double = 0
    private var queuedAt: Double = 0
    /// When the stream stopped waiting for a server (`%Tw`); nil when it never got that far.
    private var waitEndedAt: Double?
    private var clientActivityAt: Double
    private var serverActivityAt: Double
    /// tcplog `%ts`: who ended the stream, and in which phase.
    private var termination: (cause: Character, phase: Character) = ("-", "-")

    init(id: StreamID, worker: Worker, frontend: Proxy, backend: Proxy, client: FD, clientAddress: SocketAddress) {
        self.id = id
        self.worker = worker
        self.runtime = worker.runtime
        self.frontend = frontend
        self.backend = backend
        self.client = client
        self.clientAddress = clientAddress
        self.retriesLeft = backend.config.retries
        let now = worker.loop.now
        acceptedAt = now
        acceptedWallMicros = runtime.wallClockMicros()
        connectStartedAt = now
        clientActivityAt = now
        serverActivityAt = now
        // Each callback holds the stream for its duration: closing it removes it from the table,
        // which may drop the last other reference while the callback is still running.
        clientWatcher = IOWatcher(loop: worker.loop, fd: client.rawValue) { [unowned(unsafe) self] events in
            withExtendedLifetime(self) {
                if events.contains(.read) { $0.clientReadiness.readable = true }
                if events.contains(.write) { $0.clientReadiness.writable = true }
                $0.process()
            }
        }
        serverWatcher = IOWatcher(loop: worker.loop, fd: -1) { [unowned(unsafe) self] events in
            withExtendedLifetime(self) {
                if events.contains(.read) { $0.serverReadiness.readable = true }
                if events.contains(.write) { $0.serverReadiness.writable = true }
                $0.serverReady()
            }
        }
        timer = TimerWatcher(loop: worker.loop) { [unowned(unsafe) self] in
            withExtendedLifetime(self) { $0.timerFired() }
        }
    }

    /// Applies socket options, picks a server and starts connecting.
    func start() {
        try? client.setNoDelay()
        if frontend.config.options.tcpka || frontend.config.options.clitcpka { try? client.setKeepAlive() }
        dispatch()
        if phase != .closed { process() }
    }

    // MARK: choosing a server

    /// Asks the backend's balancer for a server: connect now, wait in a queue, or close the client
    /// at once when no server is usable (`SC`, `<NOSRV>`). `previous` is the server a redispatch leaves.
    private func dispatch(avoiding previous: Server? = nil) {
        let decision: ServerChoice = runtime.lock.withLock {
            let decision = runtime.chooseServer(for: clientAddress, in: backend, avoiding: previous)
            if let previous {
                if case .connect(let chosen) = decision, chosen === previous {} else {
                    redispatched = true
                    previous.counters.redispatches += 1
                    backend.backendCounters.redispatches += 1
                }
            }
            switch decision {
            case .connect(let chosen):
                chosen.counters.loadBalanced += 1
                backend.backendCounters.loadBalanced += 1
                assign(chosen)
            case .queue(let place):
                phase = .queued
                queuedAt = worker.loop.now
                queueTicket = runtime.enqueue(self, at: place)
            case .noServer:
                backend.backendCounters.connectionErrors += 1
            }
            return decision
        }
        switch decision {
        case .connect(let chosen):
            waitEndedAt = waitEndedAt ?? worker.loop.now
            connect(to: chosen)
        case .queue:
            armTimer()
        case .noServer:
            terminate(cause: "S", phase: "C", reset: false)
        }
    }

    /// A freed slot on `chosen` was given to this queued stream (the runtime already took it out
    /// of its queue and recorded `servedAheadInQueue`). `slotTaken`: another thread counted the
    /// slot for it already, and it must be given back if the stream has gone meanwhile.
    func leftQueue(for chosen: Server, slotTaken: Bool = false) {
        guard phase == .queued else {
            if slotTaken { runtime.releaseSlot(on: chosen) }
            return
        }
        runtime.lock.withLock { queueTicket = nil }
        waitEndedAt = worker.loop.now
        connect(to: chosen, slotTaken: slotTaken)
    }

    /// `timeout queue` expired: the client is closed (`sQ`), counted as a connection error.
    private func queueExpired() {
        runtime.lock.withLock {
            if let ticket = queueTicket, case .server(let waitedFor) = ticket.place {
                waitedFor.counters.connectionErrors += 1
            }
            backend.backendCounters.connectionErrors += 1
        }
        terminate(cause: "s", phase: "Q", reset: false)
    }

    // MARK: connecting

    private func connect(to chosen: Server, slotTaken: Bool = false) {
        // `dispatch` and a retry on the same server have the slot already.
        if server !== chosen { runtime.lock.withLock { assign(chosen, slotTaken: slotTaken) } }
        phase = .connecting
        connectStartedAt = worker.loop.now
        do {
            let fd = try FD.streamSocket(for: chosen.address.family)
            serverFD = fd
            serverWatcher.rebind(fd: fd.rawValue)
            try? fd.setNoDelay()
            if backend.config.options.tcpka || backend.config.options.srvtcpka { try? fd.setKeepAlive() }
            if try fd.connect(to: chosen.address) {
                connected()
            } else {
                serverWatcher.setInterest(.write)
                armTimer()
            }
        } catch {
            connectFailed(timedOut: false)
        }
    }

    /// Takes a slot on `chosen` (under `runtime.lock`) unless another thread took it for this
    /// stream already.
    private func assign(_ chosen: Server, slotTaken: Bool = false) {
        if server === chosen { return }
        releaseServer()
        server = chosen
        if !slotTaken { runtime.takeSlot(on: chosen, nowMs: worker.loop.nowMilliseconds) }
    }

    /// Gives the server slot back; a queued stream may take it at once.
    private func releaseServer() {
        guard let old = server else { return }
        server = nil
        runtime.releaseSlot(on: old)
    }

    private func serverReady() {
        guard phase == .connecting, let fd = serverFD else {
            process()
            return
        }
        let error = (try? fd.pendingError()) ?? Errno.connectionRefused
        if error == 0 { connected() } else { connectFailed(timedOut: false) }
    }

    private func connected() {
        phase = .established
        // A fresh connection: try both directions at once (the server may speak first).
        serverReadiness = SocketReadiness(readable: true, writable: true)
        let now = worker.loop.now
        connectedAt = now
        serverActivityAt = now
        if let server {
            let ms = UInt64(max(0, now - connectStartedAt) * 1000)
            runtime.lock.withLock {
                server.counters.connectTime.add(ms)
                backend.backendCounters.connectTime.add(ms)
            }
        }
        process()
    }

    /// A connect attempt failed (refused, unreachable, or `timeout connect`): retry, redispatch, or give up.
    private func connectFailed(timedOut: Bool) {
        if let fd = serverFD {
            serverWatcher.rebind(fd: -1)
            fd.close()
            serverFD = nil
        }
        let retrying = retriesLeft > 0
        runtime.lock.withLock {
            server?.counters.connectionErrors += 1
            backend.backendCounters.connectionErrors += 1
            if retrying {
                server?.counters.retries += 1
                backend.backendCounters.retries += 1
            }
        }
        guard retrying else {
            terminate(cause: timedOut ? "s" : "S", phase: "C", reset: false)
            return
        }
        retriesLeft -= 1
        // `option redispatch`: the last retry goes to another server, without the turn-around delay.
        if backend.config.options.redispatch && retriesLeft == 0, let previous = server {
            releaseServer()
            dispatch(avoiding: previous)
            return
        }
        phase = .retryDelay
        retryAt = worker.loop.now + min(Double(backend.config.timeouts.connect ?? 1000), 1000) / 1000
        armTimer()
    }

    // MARK: forwarding

    /// Moves bytes both ways until every due syscall would block, then arms exactly the
    /// watchers for what is still wanted.
    func process() {
        guard phase != .closed else { return }
        let connected = phase == .established
        var rounds = 0
        var progress = true
        while progress && rounds < 8 {
            var outcome = pump(&request, from: client, to: connected ? serverFD : nil, sourceSide: .client,
                               sourceReadiness: &clientReadiness, sinkReadiness: &serverReadiness, pipe: &requestPipe,
                               isLastDirection: response.state == .closed)
            if connected, let serverFD, case .moved(let requestMoved) = outcome {
                outcome = pump(&response, from: serverFD, to: client, sourceSide: .server,
                               sourceReadiness: &serverReadiness, sinkReadiness: &clientReadiness, pipe: &responsePipe,
                               isLastDirection: request.state == .closed)
                if case .moved(let responseMoved) = outcome { outcome = .moved(requestMoved || responseMoved) }
            }
            switch outcome {
            case .moved(let moved):
                progress = moved
            case .failed(let side, let errno):
                runtime.logger.debug("stream \(id): \(side == .client ? "client" : "server") side failed: errno \(errno)")
                terminate(cause: side == .client ? "C" : "S", phase: phaseCode, reset: true)
                return
            }
            rounds += 1
        }
        // A client that shut its side before reaching a server has left when it has nothing left
        // to send, or whatever it sent with `option abortonclose` (haproxy's back_may_abort_req).
        if !connected && request.state != .open && (request.buffered == 0 || backend.config.options.abortonclose) {
            terminate(cause: "C", phase: phaseCode, reset: false)
            return
        }
        if request.state == .closed && response.state == .closed {
            finish()
            return
        }
        var clientInterest: IOEvents = []
        if wantsInput(request, pipe: requestPipe) { clientInterest.insert(.read) }
        if response.wantsWrite { clientInterest.insert(.write) }
        clientWatcher.setInterest(clientInterest)
        if connected {
            var serverInterest: IOEvents = []
            if wantsInput(response, pipe: responsePipe) { serverInterest.insert(.read) }
            if request.wantsWrite { serverInterest.insert(.write) }
            serverWatcher.setInterest(serverInterest)
        }
        armTimer()
    }

    /// Whether a direction can take more from its source: room in its pipe, or in its buffer.
    private func wantsInput(_ channel: Channel, pipe: SplicePipe?) -> Bool {
        pipe == nil ? channel.wantsRead(capacity: worker.pool.bufferSize) : channel.wantsSpliceIn(pipeCapacity: PipePool.capacity)
    }

    /// What one `pump` round did.
    private enum PumpOutcome {
        /// Whether any byte, EOF or FIN moved.
        case moved(Bool)
        /// A syscall on this side failed (reset, broken pipe): the stream must end.
        case failed(StreamSide, Int32)
    }

    /// One round for one direction: read once if due, write what is pending, forward FIN when
    /// drained. Bulk data moves through a pipe with splice(): a read that fills the whole buffer
    /// takes a pipe once the buffer has drained, and the pipe goes back when empty and idle.
    private func pump(_ channel: inout Channel, from source: FD, to sink: FD?, sourceSide: StreamSide,
                      sourceReadiness: inout SocketReadiness, sinkReadiness: inout SocketReadiness,
                      pipe: inout SplicePipe?, isLastDirection: Bool) -> PumpOutcome {
        var progress = false
        let pool = worker.pool
        var filledBuffer = false
        if sourceReadiness.readable {
            do {
                if let pipe, channel.wantsSpliceIn(pipeCapacity: PipePool.capacity) {
                    switch try source.splice(to: pipe.write, count: PipePool.capacity - channel.piped) {
                    case .processed(0):
                        sourceReadiness.readable = false
                        channel.didReadEOF(pool: pool)
                        progress = true
                    case .processed(let count):
                        channel.didSpliceIn(count)
                        account(count, from: sourceSide)
                        touch(sourceSide)
                        progress = true
                    case .wouldBlock:
                        sourceReadiness.readable = false
                    }
                } else if pipe == nil && channel.wantsRead(capacity: pool.bufferSize) {
                    let space = channel.readSpace(pool: pool)
                    switch try source.read(into: space) {
                    case .processed(0):
                        sourceReadiness.readable = false
                        channel.didReadEOF(pool: pool)
                        progress = true
                    case .processed(let count):
                        if count < space.count { sourceReadiness.readable = false }
                        filledBuffer = count == pool.bufferSize
                        channel.didRead(count, pool: pool)
                        account(count, from: sourceSide)
                        touch(sourceSide)
                        progress = true
                    case .wouldBlock:
                        sourceReadiness.readable = false
                        channel.readFoundNothing(pool: pool)
                    }
                }
            } catch {
                return .failed(sourceSide, (error as? SyscallError)?.errno ?? 0)
            }
        }
        guard let sink else { return .moved(progress) }
        let sinkSide: StreamSide = sourceSide == .client ? .server : .client
        if sinkReadiness.writable && channel.wantsWrite {
            do {
                if channel.buffered > 0 {
                    let pending = channel.pending
                    switch try sink.write(pending) {
                    case .processed(let count):
                        if count < pending.count { sinkReadiness.writable = false }
                        channel.didWrite(count, pool: pool)
                        touch(sinkSide)
                        progress = true
                    case .wouldBlock:
                        sinkReadiness.writable = false
                    }
                } else if let pipe {
                    switch try pipe.read.splice(to: sink, count: channel.piped) {
                    case .processed(let count):
                        channel.didSpliceOut(count)
                        touch(sinkSide)
                        progress = true
                    case .wouldBlock:
                        sinkReadiness.writable = false
                    }
                }
            } catch {
                return .failed(sinkSide, (error as? SyscallError)?.errno ?? 0)
            }
        }
        if pipe == nil && filledBuffer && channel.state == .open {
            pipe = worker.pipes.take()
        } else if let idle = pipe, channel.piped == 0, !sourceReadiness.readable || channel.state != .open {
            worker.pipes.give(idle, empty: true)
            pipe = nil
        }
        if channel.needsShutdown {
            // When the other direction is already closed, this is the stream's last one and
            // close() follows at once: it sends the FIN after the last byte by itself, and with
            // the sink's input read to EOF there is nothing to turn it into a reset.
            if !isLastDirection { _ = try? sink.shutdown(.write) }
            channel.didShutdown()
            progress = true
        }
        return .moved(progress)
    }

    /// Adds to this thread's byte counters: no lock on the forwarding path.
    private func account(_ count: Int, from side: StreamSide) {
        let bytes = UInt64(count)
        let thread = worker.index
        if side == .client {
            frontend.frontendBytes.addIn(bytes, thread: thread)
            backend.backendBytes.addIn(bytes, thread: thread)
            server?.bytes.addIn(bytes, thread: thread)
        } else {
            frontend.frontendBytes.addOut(bytes, thread: thread)
            backend.backendBytes.addOut(bytes, thread: thread)
            server?.bytes.addOut(bytes, thread: thread)
        }
    }

    private func touch(_ side: StreamSide) {
        if side == .client { clientActivityAt = worker.loop.now } else { serverActivityAt = worker.loop.now }
    }

    // MARK: the deadline

    /// The one instant at which this stream must be looked at again.
    private var deadline: Double {
        let timeouts = (client: frontend.config.timeouts, server: backend.config.timeouts)
        switch phase {
        case .queued:
            return min(queuedAt + seconds(queueTimeout), clientActivityAt + seconds(timeouts.client.client))
        case .connecting:
            return connectStartedAt + seconds(timeouts.server.connect)
        case .retryDelay:
            return retryAt
        case .established:
            return min(clientActivityAt + seconds(clientTimeoutInEffect), serverActivityAt + seconds(serverTimeoutInEffect))
        case .closed:
            return .infinity
        }
    }

    /// `timeout queue`, which defaults to `timeout connect` as in haproxy.
    private var queueTimeout: UInt64? { backend.config.timeouts.queue ?? backend.config.timeouts.connect }

    private func seconds(_ ms: UInt64?) -> Double { ms.map { Double($0) / 1000 } ?? .infinity }

    /// Arms the timer only when the deadline moved earlier than the armed instant ("be smart about
    /// timeouts"): activity pushes the deadline later without touching libev.
    private func armTimer() {
        let due = deadline
        if due == .infinity {
            if timerFiresAt != .infinity { timer.cancel(); timerFiresAt = .infinity }
            return
        }
        if due < timerFiresAt || !timer.isActive {
            timer.schedule(after: due - worker.loop.now)
            timerFiresAt = due
        }
    }

    private func timerFired() {
        timerFiresAt = .infinity
        let now = worker.loop.now
        let due = deadline
        if now + 0.0005 < due {
            armTimer()
            return
        }
        switch phase {
        case .queued:
            if now + 0.0005 >= queuedAt + seconds(queueTimeout) {
                queueExpired()
            } else {
                terminate(cause: "c", phase: "Q", reset: false)
            }
        case .connecting:
            connectFailed(timedOut: true)
        case .retryDelay:
            retryAfterDelay()
        case .established:
            let clientSideExpired = now + 0.0005 >= clientActivityAt + seconds(clientTimeoutInEffect)
            terminate(cause: clientSideExpired ? "c" : "s", phase: "D", reset: false)
        case .closed:
            break
        }
    }

    /// Once established: `timeout tunnel` if set, else the client (server) timeout, replaced by
    /// client-fin (server-fin) when set once either direction is half-closed.
    private var clientTimeoutInEffect: UInt64? {
        let timeouts = frontend.config.timeouts
        return backend.config.timeouts.tunnel ?? (isHalfClosed ? timeouts.clientFin ?? timeouts.client : timeouts.client)
    }

    private var serverTimeoutInEffect: UInt64? {
        let timeouts = backend.config.timeouts
        return timeouts.tunnel ?? (isHalfClosed ? timeouts.serverFin ?? timeouts.server : timeouts.server)
    }

    private var isHalfClosed: Bool { request.state != .open || response.state != .open }

    /// A retry after the turn-around delay: the same server while it is still usable, else
    /// another one with `option redispatch`, else the client is closed.
    private func retryAfterDelay() {
        guard let previous = server else {
            dispatch()
            return
        }
        if previous.isUsable {
            connect(to: previous)
        } else if backend.config.options.redispatch {
            releaseServer()
            dispatch(avoiding: previous)
        } else {
            terminate(cause: "S", phase: "C", reset: false)
        }
    }

    // MARK: ending

    /// Both directions closed in order: close both fds; every byte was delivered.
    private func finish() {
        close(reset: backend.config.options.nolinger || frontend.config.options.nolinger)
    }

    /// Ends the stream now: on an error or reset the other side is reset too (SO_LINGER 0), so the
    /// peer learns promptly that the stream did not complete.
    func terminate(cause: Character, phase: Character, reset: Bool) {
        guard self.phase != .closed else { return }
        termination = (cause, phase)
        runtime.lock.withLock {
            switch cause {
            case "C": backend.backendCounters.clientAborts += 1; server?.counters.clientAborts += 1
            case "S" where phase == "D":
                backend.backendCounters.serverAborts += 1; server?.counters.serverAborts += 1
            default: break
            }
        }
        close(reset: reset || frontend.config.options.nolinger || backend.config.options.nolinger)
    }

    /// `shutdown session`: the operator killed this stream.
    func kill() {
        kill(cause: "K")
    }

    /// Killed by ordrel: `K` operator, `D` its server went DOWN, `U` an active server came back
    /// while this stream used a backup.
    func kill(cause: Character) {
        terminate(cause: cause, phase: phaseCode, reset: true)
    }

    /// The tcplog phase letter for an end now: `Q` queued, `C` connecting, `D` data.
    private var phaseCode: Character {
        switch phase {
        case .queued: return "Q"
        case .connecting, .retryDelay: return "C"
        case .established, .closed: return "D"
        }
    }

    private func close(reset: Bool) {
        let finalPhase = phase
        var waitedFor: Server?
        runtime.lock.withLock {
            if let ticket = queueTicket {
                if case .server(let queuedOn) = ticket.place { waitedFor = queuedOn }
                runtime.leaveQueue(self, ticket: ticket)
                queueTicket = nil
                waitEndedAt = worker.loop.now
            }
        }
        phase = .closed
        clientWatcher.setInterest([])
        serverWatcher.setInterest([])
        timer.cancel()
        if let pipe = requestPipe { worker.pipes.give(pipe, empty: request.piped == 0) }
        if let pipe = responsePipe { worker.pipes.give(pipe, empty: response.piped == 0) }
        requestPipe = nil
        responsePipe = nil
        request.abort(pool: worker.pool)
        response.abort(pool: worker.pool)
        if reset { try? client.setLingerZero() }
        client.close()
        if let serverFD {
            if reset { try? serverFD.setLingerZero() }
            serverFD.close()
            self.serverFD = nil
        }
        let now = worker.loop.now
        let totalMs = UInt64(max(0, now - acceptedAt) * 1000)
        if finalPhase == .connecting || finalPhase == .retryDelay, connectedAt == nil, termination.cause == "-" {
            termination = ("S", "C")
        }
        let line = runtime.lock.withLock {
            backend.backendCounters.totalTime.add(totalMs)
            server?.counters.totalTime.add(totalMs)
            if let waitEndedAt {
                let waitMs = UInt64(max(0, waitEndedAt - acceptedAt) * 1000)
                backend.backendCounters.queueTime.add(waitMs)
                server?.counters.queueTime.add(waitMs)
            }
            let line = logLine(totalMs: totalMs, serverName: (server ?? waitedFor)?.name)
            releaseServer()
            return line
        }
        runtime.streamClosed(self, log: line)
    }

    /// The haproxy `option tcplog` line for this stream.
    private func logLine(totalMs: UInt64, serverName: String?) -> TCPLogLine {
        TCPLogLine(
            clientAddress: clientAddress,
            acceptedWallMicros: acceptedWallMicros,
            frontend: frontend.name,
            backend: backend.name,
            server: serverName,
            waitMs: waitEndedAt.map { Int64(max(0, $0 - acceptedAt) * 1000) } ?? -1,
            connectMs: connectedAt.map { Int64(max(0, $0 - connectStartedAt) * 1000) } ?? -1,
            totalMs: Int64(totalMs),
            bytesRead: response.totalBytes,
            termination: termination,
            retries: backend.config.retries - retriesLeft,
            redispatched: redispatched,
            carriedData: request.totalBytes + response.totalBytes > 0,
            serverConnections: server?.counters.current ?? 0,
            serverQueue: servedAheadInQueue.server,
            backendQueue: servedAheadInQueue.backend
        )
    }

    // MARK: introspection for `show sess`

    /// Age in seconds, for `show sess`.
    func age(now: Double) -> Double { now - acceptedAt }
}
