import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// A client connection and its server connection, forwarding bytes both ways through a `Tunnel`.
/// All of it runs on its worker's thread (or on thread 0 while isolated). The phase owns what it
/// needs (queue ticket, server socket, start times); one timer carries the stream's single
/// deadline. What it shares with other threads (server slots, queues, counters) it changes under
/// `runtime.lock`, and no other thread writes its fields.
///
/// Files: this one (life and forwarding), `StreamServer` (choosing, queueing, connecting),
/// `StreamDeadline` (timeouts), `StreamEnding` (the one way to end, and the log line),
/// `StreamInspection` and `StreamResponseInspection` (`tcp-request` and `tcp-response` rules).
final class Stream {
    let id: StreamID
    unowned(unsafe) let worker: Worker
    unowned(unsafe) let runtime: Runtime
    let frontend: Proxy
    /// Where the stream goes: known at accept, or chosen by `use_backend` after inspection.
    var backend: Proxy
    /// The backend's counters include this stream (false while inspecting decides the backend).
    var backendCounted: Bool
    /// The server whose slot the stream holds.
    var server: Server?
    let client: FD
    let clientAddress: SocketAddress
    /// How it was accepted (listener number, sequence number), for its log line.
    let accepted: AcceptedClient
    /// ordrel's end of the last server connection attempt, when the log line shows it.
    var backendSource: SocketAddress?
    var phase: StreamPhase = .dispatching
    /// Both directions and their buffers, pipes and socket readiness.
    var tunnel: Tunnel<FD, PipePool>
    /// The backend's `tcp-response content` rules on the server's first bytes.
    var responseInspection = ResponseInspection.none

    var clientWatcher: IOWatcher!
    var serverWatcher: IOWatcher!
    var timer: TimerWatcher!
    /// When the armed timer fires; the deadline itself may move later without re-arming it.
    var timerFiresAt = Double.infinity

    var retriesLeft: Int
    var redispatched = false
    /// Streams served ahead of this one while it waited in a queue (`%sq`/`%bq`).
    var servedAhead = ServedAhead()
    /// The server whose own queue the stream left unserved, named by its log line.
    var leftQueueOf: Server?
    /// Loop-clock times (seconds) for timeouts and the tcplog timers.
    let acceptedAt: Double
    let acceptedWallMicros: UInt64
    /// How long the successful connect took (`%Tc`); nil when it never connected.
    var connectDuration: Double?
    /// When the stream stopped waiting for a server (`%Tw`); nil when it never got that far.
    var waitEndedAt: Double?
    var clientActivityAt: Double
    var serverActivityAt: Double
    /// tcplog `%ts`.
    var termination = Termination.normal
    /// Keys `stick on|store-request` store the server under once connected.
    var stickStores: [(table: StickTable, key: [UInt8])] = []

    init(id: StreamID, worker: Worker, frontend: Proxy, backend: Proxy, accepted: AcceptedClient) {
        self.id = id
        self.backendCounted = !frontend.inspectsContent
        self.worker = worker
        self.runtime = worker.runtime
        self.frontend = frontend
        self.backend = backend
        self.accepted = accepted
        self.client = accepted.fd
        self.clientAddress = accepted.address
        self.tunnel = Tunnel(pool: worker.pool, pipes: worker.pipes)
        self.retriesLeft = backend.config.retries
        let now = worker.loop.now
        acceptedAt = now
        acceptedWallMicros = runtime.wallClockMicros()
        clientActivityAt = now
        serverActivityAt = now
        // Each callback holds the stream for its duration: closing it removes it from the table,
        // which may drop the last other reference while the callback is still running.
        clientWatcher = IOWatcher(loop: worker.loop, fd: client.rawValue) { [unowned(unsafe) self] events in
            withExtendedLifetime(self) {
                $0.tunnel.noteReady(.client, events)
                $0.process()
            }
        }
        serverWatcher = IOWatcher(loop: worker.loop, fd: -1) { [unowned(unsafe) self] events in
            withExtendedLifetime(self) {
                $0.serverReady(events)
            }
        }
        timer = TimerWatcher(loop: worker.loop) { [unowned(unsafe) self] in
            withExtendedLifetime(self) { $0.timerFired() }
        }
    }

    /// Client → server.
    var request: Channel { tunnel.request }
    /// Server → client.
    var response: Channel { tunnel.response }
    /// The server socket while connecting or connected (`show sess`).
    var serverFD: FD? { phase.serverSocket }
    /// What its `track-sc` rules track; nil without stick tables.
    var stickCounters: StickCounters? { accepted.stickCounters }

    /// Applies socket options, picks a server and starts connecting.
    func start() {
        try? client.setNoDelay()
        if frontend.config.options.tcpka || frontend.config.options.clitcpka { try? client.setKeepAlive() }
        if frontend.inspectsContent {
            let delay = frontend.config.rules.content.isEmpty ? 0 : frontend.config.rules.inspectDelayMs ?? 0
            phase = .inspecting(.frontend, until: acceptedAt + Double(delay) / 1000)
        } else if backend !== frontend && backend.inspectsAsBackend {
            phase = .inspecting(.backend, until: acceptedAt + Double(backend.config.rules.inspectDelayMs ?? 0) / 1000)
        } else {
            dispatch()
        }
        process()
    }

    // MARK: forwarding

    /// Moves bytes both ways until every due syscall would block, then arms exactly the
    /// watchers for what is still wanted.
    func process() {
        worker.streamCalls &+= 1
        let server: FD?
        switch phase {
        case .closed: return
        case .established(let fd): server = fd
        case .inspecting, .dispatching, .queued, .connecting, .retryDelay: server = nil
        }
        let report = tunnel.forward(client: client, server: server)
        account(report)
        if let failure = report.failure {
            runtime.logger.debug("stream \(id): \(failure.side == .client ? "client" : "server") side failed: errno \(failure.errno)")
            end(.reset(failure.side == .client ? .client : .server))
            return
        }
        if case .inspecting = phase {
            // Decides at once when no more bytes can come: client EOF or a full buffer.
            inspect(final: request.state != .open || request.buffered >= worker.pool.bufferSize)
            if case .inspecting = phase {
                clientWatcher.setInterest(tunnel.clientInterest)
                armTimer()
                return
            }
            // Decided: forward with the phase dispatching reached (or stop if it ended).
            return process()
        }
        switch responseInspection {
        case .holding:
            inspectResponse()
            if phase.isClosed { return }
            // Decided: forward what was held (or its close).
            if case .holding = responseInspection {} else { return process() }
        case .closing where response.state == .closed:
            // `tcp-response content close`: the held bytes and the FIN reached the client.
            end(.completed)
            return
        case .closing, .none:
            break
        }
        // A client that shut its side before reaching a server has left when it has nothing left
        // to send, or whatever it sent with `option abortonclose` (haproxy's back_may_abort_req).
        if server == nil && request.state != .open && (request.buffered == 0 || backend.config.options.abortonclose) {
            end(.closed(.client, in: phase.terminationPhase))
            return
        }
        if tunnel.isFinished {
            end(.completed)
            return
        }
        clientWatcher.setInterest(tunnel.clientInterest)
        if server != nil { serverWatcher.setInterest(tunnel.serverInterest) }
        armTimer()
    }

    /// Adds to this thread's byte counters (no lock on the forwarding path) and restarts the
    /// inactivity timeout of each side that moved bytes.
    private func account(_ report: ForwardingReport) {
        let thread = worker.index
        if report.fromClient > 0 {
            let bytes = UInt64(report.fromClient)
            frontend.frontendBytes.addIn(bytes, thread: thread)
            backend.backendBytes.addIn(bytes, thread: thread)
            server?.bytes.addIn(bytes, thread: thread)
        }
        if report.fromServer > 0 {
            let bytes = UInt64(report.fromServer)
            frontend.frontendBytes.addOut(bytes, thread: thread)
            backend.backendBytes.addOut(bytes, thread: thread)
            server?.bytes.addOut(bytes, thread: thread)
        }
        if let counters = stickCounters, report.fromClient + report.fromServer > 0, !counters.isEmpty {
            counters.countBytes(in: report.fromClient, out: report.fromServer, nowMs: Int64(worker.loop.nowMilliseconds))
        }
        let now = worker.loop.now
        if report.clientActive { clientActivityAt = now }
        if report.serverActive { serverActivityAt = now }
    }

    // MARK: introspection for `show sess`

    /// Age in seconds, for `show sess`.
    func age(now: Double) -> Double { now - acceptedAt }
}
