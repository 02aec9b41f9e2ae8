import OrdrelCLI

/// `show sess` and `shutdown session`: streams of every thread, found by their id.
extension Runtime {
    /// Streams of every thread, then the CLI sessions (the asking one too), as haproxy lists its
    /// CLI streams (`fe=GLOBAL`) after the older streams.
    public func sessions() -> any IteratorProtocol<SessionInfo> {
        let now = loop.now
        let streams = workers.flatMap { $0.streams.all }.map { sessionInfo($0, now: now) }
        let cli = cliConnections.values.sorted { $0.serial < $1.serial }.map { sessionInfo($0, now: now) }
        return (streams + cli).makeIterator()
    }

    public func session(id: UInt64) -> SessionInfo? {
        if let connection = cliConnection(id: id) { return sessionInfo(connection, now: loop.now) }
        return stream(id: id).map { sessionInfo($0, now: loop.now) }
    }

    /// CLI sessions' ids: the serial in the high half and thread tag 0xff, which no stream has
    /// (threads are at most 64), so the two kinds never collide.
    private static let cliTag: UInt64 = 0xff << 24

    private func cliConnection(id: UInt64) -> CLIConnection? {
        guard id & 0xffff_ffff == Self.cliTag else { return nil }
        return cliConnections.values.first { $0.serial == id >> 32 }
    }

    private func sessionInfo(_ connection: CLIConnection, now: Double) -> SessionInfo {
        let listener = (statsSockets.firstIndex { $0 === connection.socket } ?? 0) + 1
        var info = SessionInfo(
            id: connection.serial << 32 | Self.cliTag, proto: "unix_stream", source: "unix:\(listener)",
            frontend: "GLOBAL", backend: nil, server: nil,
            ageSeconds: UInt64(max(0, now - connection.acceptedAt)), calls: 0,
            frontendFD: connection.fd.rawValue, backendFD: -1, expiresInSeconds: connection.secondsToIdleTimeout)
        info.acceptDate = TCPLogLine.date(micros: connection.acceptedWallMicros, microseconds: true)
        info.uniqueID = connection.serial
        info.listenerAddress = "unix:\(connection.socket.config.path)"
        return info
    }

    /// The live stream with this id on whichever thread owns it (the id names the thread).
    func stream(id: UInt64) -> Stream? {
        let streamID = StreamID(rawValue: id)
        guard Int(streamID.tag) < workers.count else { return nil }
        return workers[Int(streamID.tag)].streams.lookup(streamID)
    }

    func sessionInfo(_ stream: Stream, now: Double) -> SessionInfo {
        let proto: String
        let source: String
        switch stream.clientAddress.family {
        case .inet: proto = "tcpv4"; source = "\(stream.clientAddress.host):\(stream.clientAddress.port)"
        case .inet6: proto = "tcpv6"; source = "\(stream.clientAddress.host):\(stream.clientAddress.port)"
        case .unix: proto = "unix_stream"; source = "unix:\(stream.frontend.id)"
        }
        var info = SessionInfo(
            id: stream.id.rawValue, proto: proto, source: source, frontend: stream.frontend.name,
            backend: stream.backend.name, server: stream.server?.name,
            ageSeconds: UInt64(max(0, stream.age(now: now))), calls: 0,
            frontendFD: stream.client.rawValue, backendFD: stream.serverFD?.rawValue ?? -1,
            expiresInSeconds: nil)
        info.acceptDate = TCPLogLine.date(micros: stream.acceptedWallMicros, microseconds: true)
        info.listenerAddress = (try? stream.client.localAddress())?.description ?? ""
        info.backendLocalAddress = (try? stream.serverFD?.localAddress())?.description ?? ""
        info.uniqueID = stream.id.rawValue
        info.frontendID = UInt64(stream.frontend.id)
        info.backendID = UInt64(stream.backend.id)
        info.serverID = UInt64(stream.server?.id ?? 0)
        info.serverAddress = stream.server?.address.description ?? ""
        info.bytesIn = stream.request.totalBytes
        info.bytesOut = stream.response.totalBytes
        return info
    }

    public func shutdownSession(id: UInt64) -> SessionShutdownResult {
        // The generation in the id makes a stale id miss, even when its slot holds a new stream.
        guard let stream = stream(id: id) else { return .noSuchSession }
        // haproxy closes the killed stream's connections in order: the client reads an EOF.
        withExtendedLifetime(stream) { $0.end(.closed(.killed, in: $0.phase.terminationPhase)) }
        return .done
    }
}
