import OrdrelConfig
import OrdrelSystem

/// Outcome of a runtime control request; the CLI words it (haproxy's replies in the comments).
public enum ControlResult: Sendable, Equatable {
    /// Applied; nothing to print.
    case done
    /// Applied; haproxy prints this line (`set server ... addr`).
    case doneWithMessage(String)
    /// An absolute weight outside 0...256 ("Absolute weight can only be between 0 and 256 inclusive.").
    case weightOutOfRange
    /// A percentage below zero ("Relative weight must be positive.").
    case negativeRelativeWeight
    /// `static-rr`/`source` take only 0% or 100% of the initial weight at runtime
    /// ("Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.").
    case staticAlgorithmWeight
    /// A maxconn below zero.
    case invalidMaxconn
    /// `enable/disable health` on a server declared without `check`.
    case checksNotConfigured
    /// Not a numeric IPv4/IPv6 address ("Invalid addr '<text>'").
    case invalidAddress(String)
}

/// The operational state `set server ... health` forces.
public enum ForcedHealth: Sendable, Equatable {
    /// Running: takes traffic again.
    case up
    /// Running but `NOLB`: keeps its streams, takes no new load-balanced ones.
    case stopping
    /// Stopped: no traffic.
    case down
}

/// A weight as `set weight` / `set server ... weight` take it.
public enum WeightRequest: Sendable, Equatable {
    /// An absolute weight, valid within 0...256.
    case absolute(Int)
    /// A percentage of the initial weight; the result is capped at 256.
    case percentOfInitial(Int)
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
        guard old != state else { return .done }
        let wasDown = server.operationalStateCode == 0
        server.adminState = state
        server.maintenanceFromConfig = false
        let name = (server.isBackup ? "Backup " : "") + "Server \(server.qualifiedName)"
        if state == .maint {
            if var health = server.health {
                health.pause()
                server.health = health
            }
            server.check?.stop()
            noteStateChange(server, wasDown: wasDown)
            let sessions = server.counters.current
            serverChanged(server) { moves in
                logger.warning("\(name) is going DOWN for maintenance\(serversLeft(server, sessions: sessions, requeued: moves.requeued))")
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
            noteStateChange(server, wasDown: wasDown)
            serverChanged(server) { _ in
                let target = "\(server.isUp ? "UP" : "DOWN")/\(state == .drain ? "DRAIN" : "READY")"
                logger.notice("\(name) is \(target) (leaving forced maintenance).")
            }
            return .done
        }
        serverChanged(server) { moves in
            if state == .drain {
                logger.notice("\(name) enters drain state\(serversOnline(server, requeued: moves.requeued))")
            } else {
                logger.notice("\(name) is \(server.isUp ? "UP" : "DOWN") (leaving forced drain).")
            }
        }
        return .done
    }

    /// `set server <b>/<s> health up|stopping|down`: forces the operational state at once, as
    /// haproxy does ("changed from CLI"); with checks, later results count on from the forced
    /// health (top for up and stopping, 0 for down). Stopping is `NOLB`: no new streams.
    @discardableResult
    public func setServerHealth(_ server: Server, _ health: ForcedHealth) -> ControlResult {
        let wasDown = server.operationalStateCode == 0
        let before = (up: server.isUp, stopping: server.isStopping)
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
                logger.warning("\(name) is UP, changed from CLI\(serversOnline(server, requeued: moves.requeued))")
            case .stopping:
                logger.warning("\(name) is stopping, changed from CLI\(serversOnline(server, requeued: moves.requeued))")
            case .down:
                logger.warning("\(name) is DOWN, changed from CLI\(serversLeft(server, sessions: sessions, requeued: moves.requeued))")
            }
        }
        if health == .down && server.config.shutdownSessionsOnMarkedDown { killStreams(of: server, cause: .serverDown) }
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
            guard (0...256).contains(value) else { return .weightOutOfRange }
            weight = value
        case .percentOfInitial(let percent):
            guard percent >= 0 else { return .negativeRelativeWeight }
            weight = min(256, server.initialWeight * min(percent, 25_600) / 100)
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
    /// `addr`/`port`) go to the new address; open streams keep theirs. Returns haproxy's message.
    @discardableResult
    public func setServerAddress(_ server: Server, address: String?, port: UInt16?,
                                 updater: String = "stats socket command") -> ControlResult {
        var updated = server.address
        var parts: [String] = []
        if let address {
            guard let parsed = SocketAddress(ip: address, port: server.address.port) else {
                return .invalidAddress(address)
            }
            if parsed == server.address {
                parts.append("no need to change the addr")
            } else {
                parts.append("IP changed from '\(server.address.host)' to '\(parsed.host)'")
            }
            updated = parsed
        }
        if let port {
            if port == server.address.port {
                parts.append("no need to change the port")
            } else {
                parts.append("port changed from '\(server.address.port)' to '\(port)'")
            }
            updated.port = port
        }
        server.address = updated
        if server.config.checkAddr == nil {
            var check = updated
            check.port = server.config.checkPort ?? updated.port
            server.checkAddress = check
        }
        return .doneWithMessage(parts.joined(separator: ", ") + " by '\(updater)'")
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
    private func serversLeft(_ server: Server, sessions: Int, requeued: Int) -> String {
        let (active, backup) = server.backend.usableServerCounts
        return ". \(active) active and \(backup) backup servers left.\(runningOnBackup(active, backup))"
            + " \(sessions) sessions active, \(requeued) requeued, \(server.queue.count) remaining in queue."
    }

    /// haproxy's `srv_append_status` tail for a server still running.
    private func serversOnline(_ server: Server, requeued: Int) -> String {
        let (active, backup) = server.backend.usableServerCounts
        return ". \(active) active and \(backup) backup servers online.\(runningOnBackup(active, backup))"
            + " \(requeued) sessions requeued, \(server.queue.count) total in queue."
    }

    private func runningOnBackup(_ active: Int, _ backup: Int) -> String {
        backup > 0 && active == 0 ? " Running on backup." : ""
    }
}
