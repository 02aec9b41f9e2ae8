import OrdrelConfig
import OrdrelSystem

/// What ACL fetches read from the runtime (`nbsrv`, `connslots`, `srv_is_up`), each under
/// `runtime.lock`; evaluate conditions without holding it.
struct RuntimeACLEnvironment: ACLEnvironment {
    unowned let runtime: Runtime
    /// The proxy whose rules run: its stick table is the one fetches and `track-sc` use by default.
    let proxy: Proxy
    /// The stream's backend, for fetches without a backend argument.
    let backend: Proxy?
    /// What the stream tracks; nil when the process has no stick table.
    let counters: StickCounters?
    /// The loop's time, for the tables.
    let nowMs: Int64

    private func backend(named name: String?) -> Proxy? {
        guard let name else { return backend }
        return runtime.proxy(named: name).flatMap { $0.isBackend ? $0 : nil }
    }

    func usableServers(backend name: String?) -> Int? {
        guard let proxy = backend(named: name) else { return nil }
        return runtime.lock.withLock {
            let counts = proxy.usableServerCounts
            return counts.active > 0 ? counts.active : counts.backup
        }
    }

    /// haproxy's `smp_fetch_connslots`: free connections plus free queue places of the servers
    /// that are not down; -1 when one of them is unlimited.
    func connectionSlots(backend name: String?) -> Int? {
        guard let proxy = backend(named: name) else { return nil }
        return runtime.lock.withLock {
            var slots = 0
            for server in proxy.servers where server.isUp {
                if server.maxconn == 0 || server.maxqueue == 0 { return -1 }
                slots += (server.maxconn - server.counters.current) + (server.maxqueue - server.queue.count)
            }
            return slots
        }
    }

    func serverIsUp(backend name: String, server: String) -> Bool? {
        guard let proxy = backend(named: name), let server = proxy.server(named: server) else { return nil }
        return runtime.lock.withLock { server.adminState == .ready && server.isUp }
    }
}

extension Runtime {
    /// The facts of a client connection ACLs see; `dst` is `destination` (a PROXY header's),
    /// else read from the socket.
    func aclInput(client: FD, address: SocketAddress, destination: SocketAddress? = nil, frontend: Proxy, backend: Proxy,
                  payload: UnsafeRawBufferPointer) -> ACLInput {
        let local = destination ?? (try? client.localAddress())
        let isIP = address.family != .unix
        return ACLInput(
            sourceAddress: isIP ? address.addressBytes : [], sourcePort: isIP ? Int(address.port) : 0,
            destinationAddress: local.map { $0.family == .unix ? [] : $0.addressBytes } ?? [],
            destinationPort: local.map { $0.family == .unix ? 0 : Int($0.port) } ?? 0,
            frontendName: frontend.name, backendName: backend.name, payload: payload, final: true)
    }

    /// `tcp-request connection` rules, at accept (on the real peer, before any PROXY header);
    /// their `track-sc` actions track in `counters`.
    func connectionVerdict(client: FD, address: SocketAddress, frontend: Proxy, counters: StickCounters?,
                           nowMs: UInt64) -> ConnectionVerdict {
        guard !frontend.config.rules.connection.isEmpty else { return .accept(expectProxy: false) }
        let input = aclInput(client: client, address: address, frontend: frontend,
                             backend: frontend, payload: UnsafeRawBufferPointer(start: nil, count: 0))
        let environment = RuntimeACLEnvironment(runtime: self, proxy: frontend, backend: frontend.targetBackend,
                                                counters: counters, nowMs: Int64(nowMs))
        return frontend.config.rules.decideConnection(input, environment)
    }

    /// `tcp-request session` rules, on the client's addresses (a PROXY header's, if any).
    func sessionRulesAccept(client: FD, address: SocketAddress, destination: SocketAddress?, frontend: Proxy,
                            counters: StickCounters?, nowMs: UInt64) -> Bool {
        guard !frontend.config.rules.session.isEmpty else { return true }
        let input = aclInput(client: client, address: address, destination: destination, frontend: frontend,
                             backend: frontend, payload: UnsafeRawBufferPointer(start: nil, count: 0))
        let environment = RuntimeACLEnvironment(runtime: self, proxy: frontend, backend: frontend.targetBackend,
                                                counters: counters, nowMs: Int64(nowMs))
        return frontend.config.rules.acceptsSession(input, environment)
    }
}
