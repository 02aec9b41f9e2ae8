import OrdrelConfig
import OrdrelSystem

/// What a backend decided for a stream that needs a server.
enum ServerChoice {
    /// Connect to this server now.
    case connect(Server)
    /// Wait in this queue for a connection slot.
    case queue(QueuePlace)
    /// No usable server: close the client at once (`SC`, `<NOSRV>`).
    case noServer
}

/// How many queued streams a server state change moved.
struct QueueMoves {
    /// Streams moved from the server's own queue to the backend queue (it stopped serving).
    var requeued = 0
    /// Streams taken from the queues by servers that could serve them.
    var served = 0
}

/// Balancing glue: one `Balancer` per backend, kept in sync with its servers through
/// `serverChanged`; the queues; and the streams' server slots. All of it is shared by the
/// threads: call it under `lock` (or isolated).
extension Runtime {
    // MARK: building

    /// A server from its configuration: its address found by `init-addr` (host names through
    /// the system resolver), its check target (`addr`/`port` overrides) and its agent target.
    func makeServer(_ config: ServerConfig, index: Int, backend: Proxy, wallSeconds: UInt64) throws -> Server {
        let label = "'server \(backend.name)/\(config.name)' : "
        let address: SocketAddress?
        // A SRV template server waits for its record: no address to look for before.
        let outcome = config.srvRecord != nil ? .noAddress(warning: nil)
            : InitAddr.resolve(host: config.host, port: config.port, methods: config.initAddr, resolver: SocketAddress.resolve(host:port:))
        switch outcome {
        case .address(let found, let warning):
            address = found
            if let warning { logger.warning("config : parsing [\(config.location)] : \(label)\(warning)") }
        case .noAddress(let warning):
            address = nil
            if let warning { logger.warning("config : parsing [\(config.location)] : \(label)\(warning)") }
        case .failure(let message):
            throw RuntimeSetupError(location: config.location, message: label + message)
        }
        // Without an address the check target keeps the port; it is set with the address later.
        var checkAddress = address ?? SocketAddress(ip: "0.0.0.0", port: config.port)!
        if let host = config.checkAddr {
            guard let resolved = SocketAddress.resolve(host: host, port: config.checkPort ?? config.port) else {
                throw RuntimeSetupError(location: config.location, message: label + "could not resolve check address '\(host)'.")
            }
            checkAddress = resolved
        } else if let port = config.checkPort {
            checkAddress.port = port
        }
        let server = Server(config: config, index: index, backend: backend, address: address,
                            checkAddress: checkAddress, wallSeconds: wallSeconds, threads: workers.count)
        if config.check { server.check = HealthCheck(runtime: self, server: server) }
        if config.agentCheck && config.agentPort != nil { server.agentCheck = AgentCheck(runtime: self, server: server) }
        return server
    }

    /// Builds the balancer of every backend from its servers as configured.
    func buildBalancers() {
        for proxy in proxies where proxy.isBackend {
            let servers = proxy.servers.map { server in
                BalancerServer(index: server.index, id: server.id, weight: server.weight, isBackup: server.isBackup,
                               isUsable: server.isAvailable, maxconn: server.maxconn)
            }
            proxy.balancer = Balancer(algorithm: proxy.config.balance, servers: servers,
                                      allBackups: proxy.config.options.allbackups)
        }
    }

    // MARK: choosing

    /// Which states of a server named directly (not balanced) still take the stream.
    enum DirectPersistence {
        /// `use-server`: ready and up.
        case useServer
        /// A stick table's server: up, draining or not (haproxy keeps persistence in drain).
        case stick
        /// `force-persist` or `option persist`: whatever its state.
        case forced

        func accepts(_ server: Server) -> Bool {
            switch self {
            case .useServer: return server.adminState == .ready && server.isUp
            case .stick: return server.adminState != .maint && server.isUp
            case .forced: return true
            }
        }
    }

    /// Runs the backend's algorithm for a client. A redispatch passes over the server it leaves
    /// while another can serve (a `source` hash cannot: that server stays the last resort).
    /// A server a `use-server` rule named (`direct`) is taken without balancing while it is not
    /// down, as haproxy's `SF_DIRECT`: at once, or in its own queue when full.
    func chooseServer(for client: SocketAddress, in backend: Proxy, avoiding previous: Server?,
                      direct: Server? = nil, persistence: DirectPersistence = .useServer) -> ServerChoice {
        if let direct, persistence.accepts(direct) {
            return direct.hasFreeSlot ? .connect(direct) : .queue(.server(direct))
        }
        guard let balancer = backend.balancer else { return .noServer }
        var hash: UInt64?
        if balancer.algorithm == .source && client.family != .unix {
            hash = client.withAddressBytes { Balancer.hash(addressBytes: $0) }
        }
        switch balancer.pick(clientAddressHash: hash, avoiding: previous?.index) {
        case .server(let index):
            return .connect(backend.servers[index])
        case .allFull:
            return .queue(.backend)
        case .serverFull(let index):
            // Past `maxqueue` the client gives up persistence and waits for any server, as documented.
            let server = backend.servers[index]
            if server.maxqueue > 0 && server.queue.count >= server.maxqueue { return .queue(.backend) }
            return .queue(.server(server))
        case .noServer:
            return .noServer
        }
    }

    // MARK: server slots

    /// A stream takes a slot on `server`: counted in its sessions and by its balancer.
    func takeSlot(on server: Server, nowMs: UInt64) {
        server.counters.opened(nowMs: nowMs, wallSeconds: wallSeconds)
        server.estimatedNeededConnections = max(server.estimatedNeededConnections, server.counters.current)
        server.backend.balancer?.connectionOpened(server.index)
    }

    /// A stream gave its slot on `server` back. Returns the queued streams given a slot in turn,
    /// for `startDequeued` once the lock is released.
    func releaseSlot(on server: Server, nowMs: UInt64) -> [DequeuedStream] {
        server.counters.current -= 1
        let backend = server.backend
        backend.balancer?.connectionClosed(server.index)
        guard !backend.queue.isEmpty || !server.queue.isEmpty else { return [] }
        return serveQueues(backend, nowMs: nowMs)
    }

    // MARK: queues

    /// Puts a stream at the tail of a queue and returns its ticket.
    func enqueue(_ stream: Stream, at place: QueuePlace) -> QueueTicket {
        let backend = stream.backend
        backend.nextQueueSequence += 1
        let sequence = backend.nextQueueSequence
        switch place {
        case .backend:
            backend.queue.append(QueuedStream(stream: stream, servedAtEntry: backend.queue.servedCount), sequence: sequence)
            backend.backendCounters.maxQueue = max(backend.backendCounters.maxQueue, backend.queue.count)
        case .server(let server):
            server.queue.append(QueuedStream(stream: stream, servedAtEntry: server.queue.servedCount), sequence: sequence)
            server.counters.maxQueue = max(server.counters.maxQueue, server.queue.count)
            backend.balancer?.setQueuedConnections(server.queue.count, of: server.index)
        }
        return QueueTicket(place: place, sequence: sequence)
    }

    /// Takes a stream out of its queue without serving it (client gone, timeout, kill): from the
    /// server queue it joined, or the backend queue it was moved to. nil when a thread already
    /// took it out for service (its `.dequeued` message is on the way).
    func leaveQueue(_ ticket: QueueTicket, of backend: Proxy) -> QueueExit? {
        if let server = ticket.place.server, let waiter = server.queue.remove(sequence: ticket.sequence) {
            backend.balancer?.setQueuedConnections(server.queue.count, of: server.index)
            return QueueExit(place: ticket.place, servedAhead: ServedAhead(
                server: Int(server.queue.servedCount - waiter.servedAtEntry)))
        }
        guard var waiter = backend.queue.remove(sequence: ticket.sequence) else { return nil }
        waiter.servedAhead.backend = Int(backend.queue.servedCount - waiter.servedAtEntry)
        return QueueExit(place: .backend, servedAhead: waiter.servedAhead)
    }

    /// Gives every free slot of the servers in service to the oldest queued stream that may use
    /// it (the server's own queue or the backend's, whichever head arrived first), as haproxy's
    /// `process_srv_queue`. Streams queued on servers out of service go back to the backend queue
    /// first. Each slot is counted at once; the streams themselves start after the lock is
    /// released (`startDequeued`), so no stream runs while the queues are being served.
    func serveQueues(_ backend: Proxy, nowMs: UInt64) -> [DequeuedStream] {
        guard let balancer = backend.balancer else { return [] }
        for server in backend.servers where !server.queue.isEmpty && !balancer.isSelectable(server.index) {
            requeueToBackend(server)
        }
        var dequeued: [DequeuedStream] = []
        for server in backend.servers where balancer.isSelectable(server.index) {
            while server.hasFreeSlot && balancer.isSelectable(server.index), let taken = takeOldest(for: server) {
                takeSlot(on: server, nowMs: nowMs)
                dequeued.append(DequeuedStream(stream: taken.stream, server: server, servedAhead: taken.servedAhead))
            }
        }
        return dequeued
    }

    /// Starts the streams a queue gave a slot to, with `lock` released: a stream of this thread
    /// connects at once, another thread's through its mailbox.
    func startDequeued(_ dequeued: [DequeuedStream]) {
        for entry in dequeued {
            if entry.stream.worker.isCurrentThread {
                entry.stream.leftQueue(entry)
            } else {
                entry.stream.worker.post(.dequeued(entry))
            }
        }
    }

    /// Pops the older of the server's queue head and the backend queue head.
    private func takeOldest(for server: Server) -> QueuedStream? {
        let backend = server.backend
        let own = server.queue.first?.sequence
        let shared = backend.queue.first?.sequence
        if let own, shared.map({ own < $0 }) ?? true {
            guard var waiter = server.queue.popFirst() else { return nil }
            backend.balancer?.setQueuedConnections(server.queue.count, of: server.index)
            waiter.servedAhead.server = Int(server.queue.servedCount - 1 - waiter.servedAtEntry)
            return waiter
        }
        guard shared != nil, var waiter = backend.queue.popFirst() else { return nil }
        waiter.servedAhead.backend = Int(backend.queue.servedCount - 1 - waiter.servedAtEntry)
        return waiter
    }

    /// Moves a server's own queue to the backend queue in arrival order; returns how many moved.
    @discardableResult
    private func requeueToBackend(_ server: Server) -> Int {
        let backend = server.backend
        let entries = server.queue.removeAll()
        guard !entries.isEmpty else { return 0 }
        let moved = entries.map { entry in
            var waiter = QueuedStream(stream: entry.element.stream, servedAtEntry: backend.queue.servedCount)
            waiter.servedAhead.server = Int(server.queue.servedCount - entry.element.servedAtEntry)
            return PendingQueue<QueuedStream>.Entry(sequence: entry.sequence, element: waiter)
        }
        backend.queue.merge(moved)
        backend.backendCounters.maxQueue = max(backend.backendCounters.maxQueue, backend.queue.count)
        backend.balancer?.setQueuedConnections(0, of: server.index)
        return entries.count
    }

    // MARK: the one place server state reaches the balancer

    /// Pushes a server's weight, usability and maxconn to its backend's balancer, moves its own
    /// queue to the backend when it stops serving, lets servers in service take queued streams,
    /// and tracks the backend losing (alert) or regaining its last usable server. Every server
    /// state change ends here. `announce` runs once the balancer is current and before the
    /// backend alert, so the change's own log line comes first, as in haproxy.
    func serverChanged(_ server: Server, announce: (QueueMoves) -> Void = { _ in }) {
        let backend = server.backend
        guard let balancer = backend.balancer else { return }
        let hadServer = backend.hasUsableServer
        balancer.setWeight(server.weight, of: server.index)
        balancer.setUsable(server.isAvailable, of: server.index)
        balancer.setMaxconn(server.maxconn, of: server.index)
        var moves = QueueMoves()
        if !balancer.isSelectable(server.index) { moves.requeued = requeueToBackend(server) }
        let dequeued = serveQueues(backend, nowMs: nowMs)
        moves.served = dequeued.count
        startDequeued(dequeued)
        announce(moves)
        let hasServer = backend.hasUsableServer
        guard hadServer != hasServer else { return }
        let wall = wallSeconds
        if hasServer {
            backend.downtimeSeconds += wall >= backend.lastChangeWallSeconds ? wall - backend.lastChangeWallSeconds : 0
        } else {
            backend.downTransitions += 1
            let type = backend.isFrontend ? "proxy" : "backend"
            // haproxy's syslog line does not quote the name.
            logger.error("\(ServerStateLog.noServerAvailable(proxyType: type, proxy: backend.name))",
                         metadata: LogMetadata.for(proxy: backend, level: .emerg, text: "\(type) \(backend.name) has no server available!"))
        }
        backend.lastChangeWallSeconds = wall
    }

    /// Records an UP/DOWN boundary for `lastchg` and `downtime`; `wasDown` is the state it leaves.
    func noteStateChange(_ server: Server, wasDown: Bool) {
        let wall = wallSeconds
        if wasDown { server.downtimeSeconds += server.secondsSinceLastChange(wallSeconds: wall) }
        server.lastChangeWallSeconds = wall
    }

    /// Kills the streams using `server` on every thread (`cause`: it went DOWN, an active server
    /// came back, the operator asked). Returns how many. Runs isolated.
    @discardableResult
    func killStreams(of server: Server, cause: TerminationCause) -> Int {
        var killed = 0
        for worker in workers {
            for stream in worker.streams.all where stream.server === server {
                stream.end(.reset(cause))
                killed += 1
            }
        }
        return killed
    }
}
