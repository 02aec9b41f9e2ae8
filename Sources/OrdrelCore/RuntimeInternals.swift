import OrdrelCLI
import OrdrelEventLoop
import OrdrelSystem

/// `show fd`, `show pools` and `show threads`: snapshots of every thread's fds, pools and loop,
/// taken while the other loops are parked (CLI commands run isolated), rendered by OrdrelCLI.
extension Runtime {
    // MARK: show fd

    public func fileDescriptors() -> [FDInfo] {
        var fds: [FDInfo] = []
        // Every thread watches each bind's one socket; thread 0's listener owns it.
        for (index, first) in workers[0].listeners.enumerated() {
            var info = FDInfo(fd: first.fd.rawValue, kind: .listener(frontend: first.proxy.name, state: Self.state(of: first)),
                              owner: Self.address(first), handler: first.watcher.address, threadMask: 0)
            for worker in workers where index < worker.listeners.count {
                let bit = UInt64(1) << UInt64(worker.index)
                info.threadMask |= bit
                if worker.listeners[index].watcher.events.contains(.read) { info.readPolledMask |= bit }
            }
            Self.addAddresses(first.fd, to: &info, peer: false)
            fds.append(info)
        }
        for socket in statsSockets.filter(\.isListening) + [masterLink].compactMap({ $0 }) {
            var info = FDInfo(fd: socket.fd.rawValue, kind: .listener(frontend: "GLOBAL", state: "RDY"),
                              owner: Self.address(socket), handler: socket.watcher.address, threadMask: 1)
            if socket.watcher.events.contains(.read) { info.readPolledMask = 1 }
            info.family = "unix"
            fds.append(info)
        }
        for connection in cliConnections.values {
            var info = FDInfo(fd: connection.fd.rawValue, kind: .frontendConnection(frontend: "GLOBAL"),
                              owner: Self.address(connection), handler: connection.driver.watcher.address, threadMask: 1)
            Self.addInterest(connection.driver.watcher, bit: 1, to: &info)
            info.family = "unix"
            info.context = Self.address(connection.session)
            fds.append(info)
        }
        for worker in workers {
            let bit = UInt64(1) << UInt64(worker.index)
            for stream in worker.streams.all {
                fds.append(contentsOf: fileDescriptors(of: stream, bit: bit))
            }
        }
        for server in proxies.flatMap(\.servers) {
            guard let check = server.check, let fd = check.fd else { continue }
            var info = FDInfo(fd: fd.rawValue, kind: .serverConnection(backend: server.backend.name, server: server.name),
                              owner: Self.address(check), handler: check.watcher.address, threadMask: 1)
            Self.addInterest(check.watcher, bit: 1, to: &info)
            info.connecting = check.state == .connecting
            info.context = Self.address(check)
            Self.addAddresses(fd, to: &info, peer: true)
            fds.append(info)
        }
        return fds
    }

    /// A stream's client fd and, once it has one, its server fd, with the readiness its tunnel
    /// tracks and the shutdowns its channels went through.
    private func fileDescriptors(of stream: Stream, bit: UInt64) -> [FDInfo] {
        let request = stream.request.state, response = stream.response.state
        var client = FDInfo(fd: stream.client.rawValue, kind: .frontendConnection(frontend: stream.frontend.name),
                            owner: Self.address(stream), handler: stream.clientWatcher.address, threadMask: bit)
        Self.addInterest(stream.clientWatcher, bit: bit, to: &client)
        client.readReady = stream.tunnel.clientReadiness.readable
        client.writeReady = stream.tunnel.clientReadiness.writable
        client.readShut = request != .open
        client.writeShut = response == .closed
        client.context = Self.address(stream)
        Self.addAddresses(stream.client, to: &client, peer: true)
        guard let serverFD = stream.serverFD else { return [client] }
        var server = FDInfo(fd: serverFD.rawValue,
                            kind: .serverConnection(backend: stream.backend.name, server: stream.server?.name ?? "?"),
                            owner: Self.address(stream), handler: stream.serverWatcher.address, threadMask: bit)
        Self.addInterest(stream.serverWatcher, bit: bit, to: &server)
        server.readReady = stream.tunnel.serverReadiness.readable
        server.writeReady = stream.tunnel.serverReadiness.writable
        server.readShut = response != .open
        server.writeShut = request == .closed
        if case .connecting = stream.phase { server.connecting = true }
        server.context = Self.address(stream)
        Self.addAddresses(serverFD, to: &server, peer: true)
        return [client, server]
    }

    /// haproxy's `l.st`: RDY accepting, PAU disabled or suspended, FUL at maxconn, LIM held back
    /// by a rate limit or a lack of resources.
    private static func state(of listener: Listener) -> String {
        if listener.suspended { return "PAU" }
        switch listener.pause {
        case nil: return "RDY"
        case .disabled: return "PAU"
        case .limit: return "FUL"
        case .rateLimited, .resources: return "LIM"
        }
    }

    private static func address(_ object: AnyObject) -> UInt { UInt(bitPattern: ObjectIdentifier(object)) }

    private static func addInterest(_ watcher: IOWatcher, bit: UInt64, to info: inout FDInfo) {
        if watcher.events.contains(.read) { info.readPolledMask = bit }
        if watcher.events.contains(.write) { info.writePolledMask = bit }
    }

    /// `fam`, `lport` and `rport` as haproxy reads them (getsockname, getpeername).
    private static func addAddresses(_ fd: FD, to info: inout FDInfo, peer: Bool) {
        guard let local = try? fd.localAddress() else { return }
        switch local.family {
        case .inet: info.family = "ipv4"
        case .inet6: info.family = "ipv6"
        case .unix: info.family = "unix"; return
        }
        info.localPort = local.port
        if peer, let remote = try? fd.peerAddress() { info.remotePort = remote.port }
    }

    // MARK: show pools

    /// The buffer and splice pipe pools, each summed over the threads' own pools. Idle objects
    /// sit in per-thread free lists, as haproxy's thread caches, so they count as used and cached.
    public func pools() -> [PoolInfo] {
        let buffers = workers.map(\.pool), pipes = workers.map(\.pipes)
        let bufferCount = buffers.reduce(0) { $0 + $1.inUse + $1.idleCount }
        let pipeCount = pipes.reduce(0) { $0 + $1.inUse + $1.idleCount }
        return [
            PoolInfo(name: "buffer", size: buffers[0].bufferSize, allocated: bufferCount, used: bufferCount,
                     cached: buffers.reduce(0) { $0 + $1.idleCount },
                     neededAverage: buffers.reduce(0) { $0 + PoolAverage.average($1.neededSum) }, failures: 0,
                     address: Self.address(buffers[0])),
            PoolInfo(name: "pipe", size: MemoryLayout<SplicePipe>.size, allocated: pipeCount, used: pipeCount,
                     cached: pipes.reduce(0) { $0 + $1.idleCount },
                     neededAverage: pipes.reduce(0) { $0 + PoolAverage.average($1.neededSum) },
                     failures: pipes.reduce(0) { $0 + $1.failures }, address: Self.address(pipes[0])),
        ]
    }

    // MARK: show threads

    /// Thread 0 runs the command (calling: the CLI thread hands it there, and is no loop thread
    /// of haproxy's kind, so it is not listed); the others are parked between two iterations
    /// meanwhile.
    public func threads() -> [ThreadInfo] {
        workers.map { worker in
            let timers = worker.streams.all.contains { $0.timer.isActive }
                || (worker.index == 0 && (healthChecksStarted || !httpConnections.isEmpty))
            return ThreadInfo(pthreadID: worker.threadID, isCalling: worker.index == 0, hasQueuedWork: worker.hasMail,
                              hasTimers: timers, pendingEvents: worker.loop.pendingCount,
                              isParked: worker.index != 0 && isIsolating,
                              cpuNanoseconds: worker.threadID == 0 ? nil : Threads.cpuNanoseconds(ofThread: worker.threadID))
        }
    }
}
