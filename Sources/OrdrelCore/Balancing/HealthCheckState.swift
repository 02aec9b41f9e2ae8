import OrdrelConfig

/// Result of a health or agent check: haproxy's `check_status` (HCHK_STATUS_*). Raw values are
/// haproxy's internal numbers, as `show servers state` prints them in `srv_check_status`.
public enum CheckResult: Int, Sendable, CaseIterable {
    /// No check has completed yet (`INI`).
    case initializing = 1
    /// An agent answered without a health word: nothing changes (`CHECKED`, haproxy's neutral result).
    case checked = 3
    /// The check socket could not be created or failed after connecting (`SOCKERR`).
    case socketError = 5
    /// The TCP connection was established (`L4OK`).
    case layer4OK = 6
    /// The TCP connection did not complete in time (`L4TOUT`).
    case layer4Timeout = 7
    /// The TCP connection failed, e.g. refused or unreachable (`L4CON`).
    case layer4ConnectionProblem = 8
    /// Layer 6 (the SSL hello) passed (`L6OK`).
    case layer6OK = 9
    /// Layer 6 timed out (`L6TOUT`).
    case layer6Timeout = 10
    /// Layer 6 answered wrongly (`L6RSP`).
    case layer6Response = 11
    /// Connected, but no complete answer in time (`L7TOUT`).
    case layer7Timeout = 12
    /// The answer is not what the protocol expects (`L7RSP`).
    case layer7Response = 13
    /// The answer is the expected one; an agent answered `up` (`L7OK`).
    case layer7OK = 15
    /// Passed, but the server wants no new traffic: `disable-on-404` saw a 404 (`L7OKC`).
    case layer7OKConditional = 16
    /// A failing status code; an agent answered `down`, `stopped` or `fail` (`L7STS`).
    case layer7WrongStatus = 17

    /// The `check_status` column value.
    public var code: String {
        switch self {
        case .initializing: return "INI"
        case .checked: return "CHECKED"
        case .socketError: return "SOCKERR"
        case .layer4OK: return "L4OK"
        case .layer4Timeout: return "L4TOUT"
        case .layer4ConnectionProblem: return "L4CON"
        case .layer6OK: return "L6OK"
        case .layer6Timeout: return "L6TOUT"
        case .layer6Response: return "L6RSP"
        case .layer7Timeout: return "L7TOUT"
        case .layer7Response: return "L7RSP"
        case .layer7OK: return "L7OK"
        case .layer7OKConditional: return "L7OKC"
        case .layer7WrongStatus: return "L7STS"
        }
    }

    /// The `check_desc` column value and the `reason:` of state-change logs (check.c `check_statuses`).
    public var description: String {
        switch self {
        case .initializing: return "Initializing"
        case .checked: return "No status change"
        case .socketError: return "Socket error"
        case .layer4OK: return "Layer4 check passed"
        case .layer4Timeout: return "Layer4 timeout"
        case .layer4ConnectionProblem: return "Layer4 connection problem"
        case .layer6OK: return "Layer6 check passed"
        case .layer6Timeout: return "Layer6 timeout"
        case .layer6Response: return "Layer6 invalid response"
        case .layer7Timeout: return "Layer7 timeout"
        case .layer7Response: return "Layer7 invalid response"
        case .layer7OK: return "Layer7 check passed"
        case .layer7OKConditional: return "Layer7 check conditionally passed"
        case .layer7WrongStatus: return "Layer7 wrong status"
        }
    }

    /// `srv_check_result` of `show servers state` (CHK_RES_*): 0 unknown, 1 neutral, 2 failed,
    /// 3 passed, 4 conditionally passed.
    public var resultCode: Int {
        switch self {
        case .initializing: return 0
        case .checked: return 1
        case .layer4OK, .layer6OK, .layer7OK: return 3
        case .layer7OKConditional: return 4
        case .socketError, .layer4Timeout, .layer4ConnectionProblem, .layer6Timeout, .layer6Response, .layer7Timeout,
             .layer7Response, .layer7WrongStatus:
            return 2
        }
    }

    /// Whether this result counts as a success for the health counter (conditional passes too).
    public var passed: Bool { resultCode >= 3 }

    /// Statuses past haproxy's `HCHK_STATUS_L57DATA` carry a code (`check_code`/`agent_code`,
    /// `, code: N` in logs): the HTTP status, SMTP reply, MySQL error, LDAP result, or 0.
    public var carriesCode: Bool { rawValue > 14 }

    /// The status an `ok-status` / `error-status` / `tout-status` names.
    public init(_ name: CheckStatusName) {
        switch name {
        case .L4OK: self = .layer4OK
        case .L4TOUT: self = .layer4Timeout
        case .L4CON: self = .layer4ConnectionProblem
        case .L6OK: self = .layer6OK
        case .L6TOUT: self = .layer6Timeout
        case .L6RSP: self = .layer6Response
        case .L7OK: self = .layer7OK
        case .L7OKC: self = .layer7OKConditional
        case .L7RSP: self = .layer7Response
        case .L7STS: self = .layer7WrongStatus
        case .L7TOUT: self = .layer7Timeout
        }
    }
}

/// Operational change caused by a check result; the runtime logs it and updates the balancer.
public enum HealthTransition: Sendable, Equatable {
    /// The operational state did not change (the health counter may have moved).
    case none
    /// The server became UP: log "Server be/s is UP, ..." and make it usable.
    case wentUp
    /// The server became DOWN (chkdown was incremented): log "Server be/s is DOWN, ...".
    case wentDown
}

/// haproxy 2.6's health counter for one server with `check` (check.c `set_server_check_status`).
///
/// `health` runs from 0 to rise+fall−1. A failure while health > 0 counts in `failedChecks`
/// (chkfail) and decrements it; falling below `rise` resets it to 0 and the server goes DOWN
/// (`downTransitions`, chkdown). A success increments it; reaching `rise` jumps to the maximum
/// and the server goes UP.
///
/// Start-up, as in haproxy 2.6 (server.c `srv_settings_cpy`: "up, but will fall down at first
/// failure"): the server is UP with health = rise, check status `INI`, shown as `UP 1/3` for
/// rise 2 / fall 3 until the first check; one success makes it `UP`, one failure makes it `DOWN`.
/// Leaving maintenance restarts the same way (captured: `UP 1/3` after `state ready`).
public struct HealthCheckState: Sendable, Equatable {
    /// Consecutive successes needed to go UP.
    public let rise: Int
    /// Consecutive failures needed to go DOWN.
    public let fall: Int
    /// The `check_health` column: 0...rise+fall−1.
    public private(set) var health: Int
    /// Operationally UP (haproxy's running state) as decided by the checks.
    public private(set) var isUp: Bool
    /// `chkfail`: failed checks counted while health > 0.
    public private(set) var failedChecks = 0
    /// `chkdown`: UP→DOWN transitions.
    public private(set) var downTransitions = 0
    /// The last check result (`check_status` / `check_desc`).
    public private(set) var lastResult = CheckResult.initializing
    /// Checks are paused (server in maintenance); results are ignored until `resume()`.
    public private(set) var isPaused = false

    /// A checked server at start-up: UP with health = rise.
    public init(rise: Int = 2, fall: Int = 3) {
        precondition(rise >= 1 && fall >= 1, "rise and fall must be at least 1")
        self.rise = rise
        self.fall = fall
        health = rise
        isUp = true
    }

    /// The top of the health range: rise+fall−1, fully UP.
    public var maxHealth: Int { rise + fall - 1 }

    /// Feeds a finished check's result and reports whether the server changed state.
    public mutating func record(_ result: CheckResult) -> HealthTransition {
        guard !isPaused, result != .initializing, result != .checked else { return .none }
        lastResult = result
        if result.passed {
            if health < maxHealth {
                health += 1
                if health >= rise { health = maxHealth }
            }
            guard !isUp, health >= rise else { return .none }
            isUp = true
            return .wentUp
        }
        if health > 0 {
            failedChecks += 1
            health -= 1
            if health < rise { health = 0 }
        }
        guard isUp, health == 0 else { return .none }
        isUp = false
        downTransitions += 1
        return .wentDown
    }

    /// `set server ... health up|down` from the CLI: health jumps to the top or to 0 and the
    /// server is UP or DOWN at once; later checks count on from there, as in haproxy.
    public mutating func force(up: Bool) -> HealthTransition {
        health = up ? maxHealth : 0
        guard isUp != up else { return .none }
        isUp = up
        if !up { downTransitions += 1 }
        return up ? .wentUp : .wentDown
    }

    /// Something else (an agent) took the running server DOWN: haproxy's chkdown counts every
    /// UP→DOWN change of the server, whatever its cause.
    public mutating func countDownTransition() {
        downTransitions += 1
    }

    /// `clear counters all`: chkfail and chkdown start again from zero.
    public mutating func clearCounters() {
        failedChecks = 0
        downTransitions = 0
    }

    /// Entering maintenance: checks pause and health drops to 0. A server that was UP counts a
    /// DOWN transition, as haproxy's "is going DOWN for maintenance" does.
    public mutating func pause() {
        guard !isPaused else { return }
        isPaused = true
        health = 0
        if isUp {
            isUp = false
            downTransitions += 1
        }
    }

    /// Leaving maintenance: checks resume from health = rise, UP until the first failure.
    public mutating func resume() {
        guard isPaused else { return }
        isPaused = false
        health = rise
        isUp = true
    }

    /// Delay before the next check (server.c `srv_getinter`): `inter` when fully UP,
    /// `downinter` when fully DOWN, `fastinter` while in between (including before the first
    /// check). An unset or zero `fastinter`/`downinter` falls back to `inter`.
    public func nextCheckInterval(inter: UInt64, fastinter: UInt64? = nil, downinter: UInt64? = nil) -> UInt64 {
        if health == maxHealth { return inter }
        if !isUp && health == 0 { return Self.orInter(downinter, inter) }
        return Self.orInter(fastinter, inter)
    }

    /// Delay of the first check of server `index` among `count` checked servers, so checks do
    /// not fire in bursts (check.c `start_checks`: interval × position / number of checks).
    public static func spreadInitialDelay(index: Int, count: Int, inter: UInt64) -> UInt64 {
        guard count > 0, index > 0 else { return 0 }
        return inter * UInt64(index) / UInt64(count)
    }

    private static func orInter(_ value: UInt64?, _ inter: UInt64) -> UInt64 {
        guard let value, value > 0 else { return inter }
        return value
    }
}
