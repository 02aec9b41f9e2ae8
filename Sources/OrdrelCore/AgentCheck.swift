import OrdrelCLI
import OrdrelEventLoop
import OrdrelSystem

/// What one agent check came to.
enum AgentOutcome {
    /// No usable answer: connect refused or timed out (`L4CON`, `L4TOUT`), no line in time
    /// (`L7TOUT`), no socket (`SOCKERR`); `info` is `last_agt`.
    case failure(CheckResult, info: String)
    /// The agent closed before a line end.
    case incomplete
    /// A line.
    case reply(AgentReply)
}

/// Runs one server's agent checks (`agent-check`) on the event loop, as haproxy's agent
/// ruleset does: connect to `agent-addr`:`agent-port`, write `agent-send`, read one line, close.
/// Every `agent-inter` (default `inter`), whatever the server's state, maintenance included: the
/// agent is how a server asks to leave it.
final class AgentCheck {
    private unowned(unsafe) let runtime: Runtime
    private unowned(unsafe) let server: Server
    private(set) var fd: FD?
    private(set) var watcher: IOWatcher!
    private var clock: CheckClock!
    private var pendingSend: [UInt8] = []
    private var received: [UInt8] = []
    /// haproxy reads an agent's answer into one check buffer (tune.bufsize); ordrel stops at 16 kB.
    private static let maxReply = 16_384

    init(runtime: Runtime, server: Server) {
        self.runtime = runtime
        self.server = server
        watcher = IOWatcher(loop: runtime.loop, fd: -1) { [unowned(unsafe) self] events in self.ready(events) }
        clock = CheckClock(loop: runtime.loop) { [unowned(unsafe) self] state in self.timerFired(state) }
    }

    /// `agent-inter`, else `inter`.
    var intervalMs: UInt64 { server.config.agentInterMs ?? server.config.interMs }

    /// Runs the next check `delayMs` from now; a check in flight is dropped without a result.
    func schedule(afterMs delayMs: UInt64) {
        abandonInFlight()
        clock.wait(afterMs: delayMs)
    }

    /// Stops checking (`disable agent`, process stop).
    func stop() {
        abandonInFlight()
        clock.stop()
    }

    private func timerFired(_ state: CheckRunnerState) {
        switch state {
        case .waiting: begin()
        case .connecting: complete(.failure(.layer4Timeout, info: ""))
        case .exchanging: complete(.failure(.layer7Timeout, info: ""))
        case .stopped: break
        }
    }

    private func begin() {
        clock.began()
        guard let target = server.agentAddress else {
            // No address yet (`init-addr none`): try again next interval.
            schedule(afterMs: intervalMs)
            return
        }
        server.agentInProgress = true
        received.removeAll(keepingCapacity: true)
        pendingSend = server.agentSend
        let socket: FD
        do {
            socket = try FD.streamSocket(for: target.family)
        } catch {
            complete(.failure(.socketError, info: (error as? SyscallError)?.reason ?? ""))
            return
        }
        fd = socket
        watcher.rebind(fd: socket.rawValue)
        let timeouts = server.backend.config.timeouts
        clock.limit(afterMs: CheckSchedule.connectTimeoutMs(inter: intervalMs, timeoutConnect: timeouts.connect,
                                                            timeoutCheck: timeouts.check))
        do {
            if try socket.connect(to: target) {
                connected()
                return
            }
        } catch {
            complete(.failure(.layer4ConnectionProblem, info: (error as? SyscallError)?.reason ?? ""))
            return
        }
        clock.state = .connecting
        watcher.setInterest(.write)
    }

    /// The connection is up: `timeout check` (else what is left of the interval) bounds the rest.
    private func connected() {
        clock.state = .exchanging
        if let check = server.backend.config.timeouts.check { clock.limit(afterMs: check) }
        flushSend()
    }

    private func ready(_ events: IOEvents) {
        guard let fd else { return }
        switch clock.state {
        case .connecting:
            let error: Int32
            do {
                error = try fd.pendingError()
            } catch {
                complete(.failure(.layer4ConnectionProblem, info: (error as? SyscallError)?.reason ?? ""))
                return
            }
            guard error == 0 else {
                complete(.failure(.layer4ConnectionProblem, info: SyscallError.reason(error)))
                return
            }
            connected()
        case .exchanging:
            if pendingSend.isEmpty { readReply() } else { flushSend() }
        case .waiting, .stopped:
            break
        }
    }

    /// Writes what is left of `agent-send`, then waits for the reply.
    private func flushSend() {
        guard let fd else { return }
        while !pendingSend.isEmpty {
            let result = try? pendingSend.withUnsafeBytes { try fd.write($0) }
            switch result {
            case .processed(let count)?:
                pendingSend.removeFirst(count)
            case .wouldBlock?:
                watcher.setInterest(.write)
                return
            case nil:
                // The agent went away; what it may have sent is still readable.
                pendingSend.removeAll()
            }
        }
        watcher.setInterest(.read)
    }

    private func readReply() {
        guard let fd else { return }
        var chunk = [UInt8](repeating: 0, count: 4096)
        var closed = false
        while received.count < Self.maxReply {
            let result = try? chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
            switch result {
            case .processed(let count)? where count > 0:
                received.append(contentsOf: chunk[..<count])
                continue
            case .wouldBlock?:
                break
            case .processed?, nil:
                closed = true
            }
            break
        }
        switch AgentReply.scan(received, closed: closed || received.count >= Self.maxReply) {
        case .needMore: break
        case .incomplete: complete(.incomplete)
        case .line(let reply): complete(.reply(reply))
        }
    }

    /// Closes the connection, hands the outcome to the runtime and schedules the next check.
    private func complete(_ outcome: AgentOutcome) {
        watcher.rebind(fd: -1)
        fd?.close()
        fd = nil
        server.agentInProgress = false
        clock.finished(report: { durationMs in
            runtime.isolated { runtime.agentCompleted(server, outcome, durationMs: durationMs) }
        }, nextMs: { intervalMs })
    }

    private func abandonInFlight() {
        guard fd != nil else { return }
        watcher.rebind(fd: -1)
        fd?.close()
        fd = nil
        server.agentInProgress = false
    }
}

extension Runtime {
    /// Starts every enabled agent, first checks spread over the shortest interval like checks.
    func startAgentChecks() {
        let agents = proxies.flatMap(\.servers).filter { $0.agent?.isEnabled == true }.compactMap(\.agentCheck)
        let delays = CheckSchedule.initialDelays(intervals: agents.map(\.intervalMs))
        for (agent, delay) in zip(agents, delays) { agent.schedule(afterMs: delay) }
    }

    /// Stops every agent (the process is stopping).
    func stopAgentChecks() {
        for server in proxies.flatMap(\.servers) { server.agentCheck?.stop() }
    }

    /// An agent check finished: apply the reply in haproxy's order (admin state, weight, maxconn,
    /// then health) and take the server DOWN or UP as `check_notify_failure/success` do.
    /// A reply that arrives after `disable agent` is ignored, as haproxy does. Runs isolated.
    func agentCompleted(_ server: Server, _ outcome: AgentOutcome, durationMs: Int) {
        guard var agent = server.agent, agent.isEnabled else { return }
        let reply: AgentReply
        switch outcome {
        case .failure(let result, let info):
            agent.recordFailure(result, info: info, durationMs: durationMs)
            server.agent = agent
            return
        case .incomplete:
            agent.recordIncomplete(durationMs: durationMs)
            server.agent = agent
            return
        case .reply(let line):
            reply = line
        }
        let staticWeights = server.backend.balancer.map { $0.algorithm == .staticRR || $0.algorithm == .source } ?? false
        let verdict = AgentVerdict(reply, initialWeight: server.initialWeight, dynamicWeights: !staticWeights)
        switch verdict.admin {
        case .ready?: setServerState(server, .ready)
        case .drain?: setServerState(server, .drain)
        case .maint?: setServerState(server, .maint)
        case nil: break
        }
        if let weight = verdict.weight { setServerWeight(server, .absolute(UInt32(weight))) }
        if let maxconn = verdict.maxconn { setServerMaxconn(server, maxconn) }
        agent.record(verdict, durationMs: durationMs)
        server.agent = agent
        let report = ServerStateLog.CheckReport(result: verdict.status, info: verdict.description, durationMs: durationMs)
        if verdict.status == .layer7WrongStatus && agent.health == 0 {
            let wasUp = server.isUp
            server.stoppedByAgent = true
            if wasUp {
                server.health?.countDownTransition()
                markDown(server, check: report)
            }
        } else if verdict.status.passed {
            releaseAgentHold(server, report: report)
        }
    }

    /// A passing check or agent lets a server the agent held DOWN come back, when every check
    /// agrees (haproxy's `check_notify_success`); `report` is the reason logged.
    func releaseAgentHold(_ server: Server, report: ServerStateLog.CheckReport) {
        guard server.stoppedByAgent, server.adminState != .maint, server.agent?.allowsUp ?? true else { return }
        server.stoppedByAgent = false
        if server.isUp { markUp(server, check: report) }
    }

    /// `set server <b>/<s> agent-addr <ip> [port <p>]` / `agent-port <p>` (server.c
    /// `srv_update_agent_addr_port`): nothing changes unless all of it is valid; the refusal
    /// in haproxy's words otherwise. The address may be a host name, resolved now as haproxy does.
    public func setAgentTarget(_ server: Server, address: String?, port: String?) -> String? {
        guard server.agent?.isEnabled == true else { return "agent checks are not enabled on this server" }
        var resolved: String?
        if let address {
            guard let found = SocketAddress.resolve(host: address, port: 0) else { return "invalid addr '\(address)'" }
            resolved = found.host
        }
        var newPort: UInt16?
        if let port {
            guard let value = Int(port) else { return "provided port is not an integer" }
            guard (0...65535).contains(value) else { return "provided port is invalid" }
            newPort = UInt16(value)
        }
        if let resolved { server.agentAddrOverride = resolved }
        if let newPort { server.agentPort = newPort }
        return nil
    }

    /// `set server <b>/<s> agent-send <string>`: what the next agent checks write; false when
    /// the agent is not enabled.
    public func setAgentSend(_ server: Server, _ text: String) -> Bool {
        guard server.agent?.isEnabled == true else { return false }
        server.agentSend = Array(text.utf8)
        return true
    }

    /// `enable agent` / `disable agent`: a disabled agent's columns go blank and a reply in
    /// flight is ignored; the server keeps its state until a check or the agent changes it.
    public func setAgentChecks(_ server: Server, enabled: Bool) -> HealthChecksOutcome {
        guard var agent = server.agent, let runner = server.agentCheck else { return .notConfigured }
        guard agent.isEnabled != enabled else { return .done }
        agent.isEnabled = enabled
        server.agent = agent
        if !enabled {
            runner.stop()
        } else if healthChecksStarted {
            runner.schedule(afterMs: runner.intervalMs)
        }
        return .done
    }
}
