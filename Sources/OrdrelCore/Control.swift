import OrdrelCLI
import OrdrelConfig
import OrdrelSystem

/// Outcome of a runtime control request; the CLI words it (haproxy's replies in the comments).
public enum ControlResult: Sendable, Equatable {
    /// Applied; nothing to print.
    case done
    /// An absolute weight outside 0...256 ("Absolute weight can only be between 0 and 256 inclusive.").
    case weightOutOfRange
    /// `static-rr`/`source` take only 0% or 100% of the initial weight at runtime
    /// ("Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.").
    case staticAlgorithmWeight
    /// A maxconn below zero.
    case invalidMaxconn
    /// `enable/disable health` on a server declared without `check`.
    case checksNotConfigured
}

/// The runtime API behind `set server`, `set weight`, `set maxconn server`, `enable/disable
/// server`, `enable/disable health` and `shutdown sessions server`. Every change goes through
/// `serverChanged`, so the balancer, the queues and the logs agree. Call on thread 0, isolated
/// (`Runtime.isolated`): the changes reach servers, queues and streams of every thread.
extension Runtime {
    /// `set server <b>/<s> state ready|drain|maint`: drain takes no new streams but keeps open
    /// ones and its checks; maint also pauses the checks; ready resumes (a checked server leaves
    /// maintenance as `UP 1/3`, down at its first failed check).
    @discardableResult
    public func setServerState(_ server: Server, _ state: ServerAdminState) -> ControlResult {
        let old = server.adminState
        // Without an address (`init-addr none`) only `set server ... addr` ends the maintenance.
        guard old != state, server.hasAddress else { return .done }
        let wasDown = server.operationalStateCode == 0
        let resolves = server.maintenanceFromResolution
        server.adminState = state
        server.maintenanceFromConfig = false
        server.maintenanceFromResolution = false
        let name = (server.isBackup ? "Backup " : "") + "Server \(server.qualifiedName)"
        if state == .maint {
            if var health = server.health {
                health.pause()
                server.health = health
            }
            server.check?.stop()
            // A server already DOWN keeps its lastchg; a running one stops now.
            if !wasDown { noteStateChange(server, wasDown: false) }
            let sessions = server.counters.current
            serverChanged(server) { moves in
                logger.warning("\(name) is going DOWN for maintenance\(serversLeft(server, sessions: sessions, requeued: moves.requeued))",
                               metadata: LogMetadata.for(proxy: server.backend, level: .alert))
            }
            if server.config.shutdownSessionsOnMarkedDown { killStreams(of: server, cause: .serverDown) }
            return .done
        }
        if old == .maint {
            if var health = server.health {
                health.resume()
                server.health = health
            }
            if server.checksEnabled && healthChecksStarted, let check = server.check {
                check.schedule(afterMs: check.nextIntervalMs)
            }
            // haproxy restarts lastchg here without adding the maintenance to downtime.
            noteStateChange(server, wasDown: false)
            serverChanged(server) { _ in
                let target = "\(server.isUp ? "UP" : "DOWN")/\(state == .drain ? "DRAIN" : "READY")"
                if resolves {
                    logger.warning("\(name) ('\(server.fqdn ?? server.config.host)') is \(target) (resolves again).",
                                   metadata: LogMetadata.for(proxy: server.backend, level: .notice))
                } else {
                    logger.notice("\(name) is \(target) (leaving forced maintenance).", metadata: LogMetadata.for(proxy: server.backend))
                }
            }
            return .done
        }
        // Entering drain restarts lastchg; leaving it adds the drained time to downtime, a
        // quirk of haproxy 2.6's srv_update_status reproduced for scripts that compare.
        noteStateChange(server, wasDown: state != .drain)
        serverChanged(server) { moves in
            if state == .drain {
                logger.notice("\(name) enters drain state\(serversOnline(server, requeued: moves.requeued))",
                              metadata: LogMetadata.for(proxy: server.backend))
            } else {
                logger.notice("\(name) is \(server.isUp ? "UP" : "DOWN") (leaving forced drain).",
                              metadata: LogMetadata.for(proxy: server.backend))
            }
        }
        return .done
    }

    /// `set server <b>/<s> health up|stopping|down`: forces the operational state at once, as
    /// haproxy does ("changed from CLI"); with checks, later results count on from the forced
    /// health (top for up and stopping, 0 for down). Stopping is `NOLB`: no new streams.
    @discardableResult
    public func setServerHealth(_ server: Server, _ health: ServerHealthRequest) -> ControlResult {
        let wasDown = server.operationalStateCode == 0
        let before = (up: server.isUp, stopping: server.isStopping)
        // haproxy's srv_set_running/srv_set_stopping override an agent's down.
        if health != .down { server.stoppedByAgent = false }
        if var state = server.health {
            _ = state.force(up: health != .down)
            server.health = state
        }
        server.forcedDown = health == .down
        server.isStopping = health == .stopping
        guard before != (up: server.isUp, stopping: server.isStopping) else { return .done }
        noteStateChange(server, wasDown: wasDown)
        let name = (server.isBackup ? "Backup " : "") + "Server \(server.qualifiedName)"
        let sessions = server.counters.current
        serverChanged(server) { moves in
            switch health {
            case .up:
                logger.warning("\(name) is UP, changed from CLI\(serversOnline(server, requeued: moves.requeued))",
                               metadata: LogMetadata.for(proxy: server.backend, level: .notice))
            case .stopping:
                logger.warning("\(name) is stopping, changed from CLI\(serversOnline(server, requeued: moves.requeued))",
                               metadata: LogMetadata.for(proxy: server.backend, level: .notice))
            case .down:
                logger.warning("\(name) is DOWN, changed from CLI\(serversLeft(server, sessions: sessions, requeued: moves.requeued))",
                               metadata: LogMetadata.for(proxy: server.backend, level: before.stopping ? .notice : .alert))
            }
        }
        if health == .down && server.config.shutdownSessionsOnMarkedDown { killStreams(of: server, cause: .serverDown) }
        return .done
    }

    /// `set server <b>/<s> agent up|down`: the agent's health jumps to its top or to 0, as if the
    /// agent had said so ("changed from CLI"): down holds the server DOWN, up releases that hold
    /// (the server is UP again if its checks agree). `.checksNotConfigured` when the agent is
    /// not enabled.
    @discardableResult
    public func setAgentHealth(_ server: Server, up: Bool) -> ControlResult {
        guard var agent = server.agent, agent.isEnabled else { return .checksNotConfigured }
        agent.force(up: up)
        server.agent = agent
        let wasUp = server.isUp
        server.stoppedByAgent = !up
        guard server.isUp != wasUp else { return .done }
        if !up { server.health?.countDownTransition() }
        noteStateChange(server, wasDown: !wasUp)
        let name = (server.isBackup ? "Backup " : "") + "Server \(server.qualifiedName)"
        let sessions = server.counters.current
        serverChanged(server) { moves in
            if up {
                logger.warning("\(name) is UP, changed from CLI\(serversOnline(server, requeued: moves.requeued))",
                               metadata: LogMetadata.for(proxy: server.backend, level: .notice))
            } else {
                logger.warning("\(name) is DOWN, changed from CLI\(serversLeft(server, sessions: sessions, requeued: moves.requeued))",
                               metadata: LogMetadata.for(proxy: server.backend, level: .alert))
            }
        }
        if !up && server.config.shutdownSessionsOnMarkedDown { killStreams(of: server, cause: .serverDown) }
        return .done
    }

    /// `enable server` / `disable server`: the same as state ready / maint.
    @discardableResult
    public func setServerEnabled(_ server: Server, _ enabled: Bool) -> ControlResult {
        setServerState(server, enabled ? .ready : .maint)
    }

    /// `set weight` / `set server ... weight`: takes effect for the next stream. Weight 0 takes
    /// no new streams and keeps the open ones.
    @discardableResult
    public func setServerWeight(_ server: Server, _ request: WeightRequest) -> ControlResult {
        let weight: Int
        switch request {
        case .absolute(let value):
            guard value <= 256 else { return .weightOutOfRange }
            weight = Int(value)
        case .relative(let percent):
            weight = min(256, server.initialWeight * Int(min(percent, 25_600)) / 100)
        }
        if let algorithm = server.backend.balancer?.algorithm, algorithm == .staticRR || algorithm == .source,
           weight != 0 && weight != server.initialWeight {
            return .staticAlgorithmWeight
        }
        server.weight = weight
        serverChanged(server)
        return .done
    }

    /// `set maxconn server`: 0 = unlimited; a higher limit lets queued streams in at once.
    @discardableResult
    public func setServerMaxconn(_ server: Server, _ maxconn: Int) -> ControlResult {
        guard maxconn >= 0 else { return .invalidMaxconn }
        server.maxconn = maxconn
        serverChanged(server)
        return .done
    }

    /// `set server <b>/<s> addr <ip> [port <port>]`: new streams (and checks without their own
    /// `addr`/`port`) go to the new address; open streams keep theirs. Nothing changes when the
    /// address does not parse or the port is an offset (a port map, which checks cannot follow).
    public func setServerAddress(_ server: Server, address: String, port: PortRequest?) -> SetAddressOutcome {
        var newPort = server.address.port
        var portOutcome: PortOutcome?
        switch port {
        case nil:
            break
        case .absolute(let value):
            portOutcome = value == newPort ? .unchanged : .changed(from: newPort, to: value)
            newPort = value
        case .offset:
            return .updated(address: .unchanged, port: .incompatibleWithCheckPort)
        case .invalid(let text):
            portOutcome = .invalid(text)
        }
        guard let updated = SocketAddress(ip: address, port: newPort) else { return .invalidAddress }
        let previous = server.hasAddress ? server.address.host : ""
        let change: AddressOutcome = updated.host == previous ? .unchanged : .changed(from: previous, to: updated.host)
        server.address = updated
        if server.config.checkAddr == nil {
            var check = updated
            check.port = server.config.checkPort ?? updated.port
            server.checkAddress = check
        }
        if !server.hasAddress {
            // `init-addr none`: the server leaves its maintenance now that it has an address.
            // (haproxy 2.6 refuses the address here yet clears the maintenance, leaving a
            // server UP with no address; ordrel takes the address.)
            server.hasAddress = true
            if server.maintenanceFromResolution { setServerState(server, .ready) }
        }
        return .updated(address: change, port: portOutcome)
    }

    /// `enable health` / `disable health`: resumes or stops the checks. The server keeps its
    /// operational state meanwhile (a DOWN server stays DOWN), as in haproxy.
    @discardableResult
    public func setHealthChecks(_ server: Server, enabled: Bool) -> ControlResult {
        guard server.health != nil, let check = server.check else { return .checksNotConfigured }
        guard server.checksEnabled != enabled else { return .done }
        server.checksEnabled = enabled
        if !enabled {
            check.stop()
        } else if healthChecksStarted && server.adminState != .maint {
            check.schedule(afterMs: check.nextIntervalMs)
        }
        return .done
    }

    /// `shutdown sessions server <b>/<s>`: kills every stream on the server (`K` termination).
    @discardableResult
    public func shutdownSessions(of server: Server) -> Int {
        killStreams(of: server, cause: .killed)
    }

    /// haproxy's `srv_append_status` tail for a server leaving service.
    func serversLeft(_ server: Server, sessions: Int, requeued: Int) -> String {
        let (active, backup) = server.backend.usableServerCounts
        return ServerStateLog.serversLeft(activeServers: active, backupServers: backup, sessionsActive: sessions,
                                          requeued: requeued, remainingInQueue: server.queue.count)
    }

    /// haproxy's `srv_append_status` tail for a server still running.
    private func serversOnline(_ server: Server, requeued: Int) -> String {
        let (active, backup) = server.backend.usableServerCounts
        return ServerStateLog.serversOnline(activeServers: active, backupServers: backup, requeued: requeued,
                                            totalInQueue: server.queue.count)
    }
}
