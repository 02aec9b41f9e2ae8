import OrdrelCLI

/// `show sess` and `shutdown session`: streams of every thread, found by their id.
extension Runtime {
    public func sessions() -> any IteratorProtocol<SessionInfo> {
        let now = loop.now
        return workers.flatMap { $0.streams.all }.map { sessionInfo($0, now: now) }.makeIterator()
    }

    public func session(id: UInt64) -> SessionInfo? {
        stream(id: id).map { sessionInfo($0, now: loop.now) }
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
        info.acceptDate = TCPLogLine.date(micros: stream.acceptedWallMicros)
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
        withExtendedLifetime(stream) { $0.end(.reset(.killed)) }
        return .done
    }
}
