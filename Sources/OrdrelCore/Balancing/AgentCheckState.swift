/// One server's agent check as haproxy 2.6 keeps it (`srv->agent`): its own health counter with
/// rise = fall = 1 (haproxy's fixed DEF_AGENT_RISETIME/FALLTIME), last status and description,
/// whether it is enabled (`enable/disable agent`). The agent only takes a server DOWN by answering
/// down/stopped/fail (`L7STS`); failing to reach the agent changes nothing but its status.
public struct AgentCheckState: Sendable, Equatable {
    public let rise = 1
    public let fall = 1
    /// `agent_health`: starts at rise, max rise+fall−1 after `up`, 0 after down/stopped/fail.
    public private(set) var health: Int
    /// Checks run and the columns show (`CHK_ST_ENABLED`).
    public var isEnabled = true
    /// `agent_status` / `agent_desc`.
    public private(set) var lastResult = CheckResult.initializing
    /// `last_agt`: "via agent : up", "Connection refused"...
    public private(set) var lastInfo = ""
    /// `agent_duration` in ms.
    public private(set) var durationMs = 0

    public init() { health = rise }

    public var maxHealth: Int { rise + fall - 1 }

    /// The agent does not hold its server DOWN (haproxy's `agent.health >= agent.rise`).
    public var allowsUp: Bool { !isEnabled || health >= rise }

    /// Records a connection-level result (`L4CON`, `L4TOUT`, `L7TOUT`, `SOCKERR`): status and
    /// info only, never the health (check.c: agent failures below L57DATA are not counted).
    public mutating func recordFailure(_ result: CheckResult, info: String, durationMs: Int) {
        lastResult = result
        lastInfo = info
        self.durationMs = durationMs
    }

    /// haproxy's "Ignoring incomplete line from agent": the status stays, the info changes.
    public mutating func recordIncomplete(durationMs: Int) {
        lastInfo = "Ignoring incomplete line from agent"
        self.durationMs = durationMs
    }

    /// Records a parsed reply's verdict.
    public mutating func record(_ verdict: AgentVerdict, durationMs: Int) {
        switch verdict.health {
        case .up?: health = maxHealth
        case .down?, .stopped?, .fail?: health = 0
        case nil: break
        }
        lastResult = verdict.status
        lastInfo = verdict.description
        self.durationMs = durationMs
    }

    /// `set server <b>/<s> agent up|down`.
    public mutating func force(up: Bool) {
        health = up ? maxHealth : 0
    }
}
