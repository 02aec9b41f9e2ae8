import OrdrelCLI

/// Operational state of a server (haproxy's `srv_op_state`).
public enum OperationalState: Sendable, Equatable {
    /// Running: UP, or unchecked and not forced down.
    case running
    /// Soft-stopping (`set server ... health stopping`): shown as NOLB, takes no new traffic.
    case stopping
    /// Stopped: DOWN.
    case stopped
}

/// The `status` column of `show stat` for a server (stats.c `srv_hlt_st`, haproxy 2.6).
public enum ServerStatus {
    /// Composes the status string from the admin state, the operational state, the check state
    /// (`nil` when checks are disabled) and the agent state (`nil` when the agent is disabled).
    /// Weight does not appear: in 2.6 a weight-0 server still shows `UP`. Tracking
    /// (`MAINT (via ...)`) is not modelled.
    public static func string(admin: ServerAdminState, operational: OperationalState, check: HealthCheckState?,
                              agent: AgentCheckState? = nil) -> String {
        if admin == .maint { return "MAINT" }
        switch operational {
        case .running:
            if admin == .drain && agent != nil { return "DRAIN (agent)" }
            if let check, check.health < check.maxHealth {
                return (admin == .drain ? "DRAIN " : "UP ") + upFraction(check)
            }
            if admin == .drain { return "DRAIN" }
            return check == nil ? "no check" : "UP"
        case .stopping:
            guard let check, check.health != check.maxHealth else { return "NOLB" }
            return "NOLB \(upFraction(check))"
        case .stopped:
            if let agent, agent.health == 0 { return "DOWN (agent)" }
            guard let check, check.health > 0 else { return "DOWN" }
            return "DOWN \(check.health)/\(check.rise)"
        }
    }

    /// Status of a checked server whose operational state comes from its checks alone.
    public static func string(admin: ServerAdminState, check: HealthCheckState) -> String {
        string(admin: admin, operational: check.isUp ? .running : .stopped, check: check)
    }

    /// "x/y" of a running server: checks left before DOWN out of `fall`.
    private static func upFraction(_ check: HealthCheckState) -> String {
        "\(check.health - check.rise + 1)/\(check.fall)"
    }
}

/// haproxy 2.6's log lines for server state changes (server.c `srv_update_status`,
/// `srv_append_status`; backend.c `set_backend_down`). Lines carry no trailing newline.
public enum ServerStateLog {
    /// What the last check reported, for the `reason: ...` part.
    public struct CheckReport: Sendable, Equatable {
        /// The check status whose description becomes the reason.
        public var result: CheckResult
        /// Extra detail such as "Connection refused"; empty for none.
        public var info: String
        /// Check duration in milliseconds; nil omits "check duration".
        public var durationMs: Int?
        /// The `code: N` part, printed for statuses that carry one (`CheckResult.carriesCode`).
        public var code: Int

        public init(result: CheckResult, info: String = "", durationMs: Int? = nil, code: Int = 0) {
            self.result = result
            self.info = info
            self.durationMs = durationMs
            self.code = code
        }
    }

    /// `[Backup ]Server <be>/<srv> is DOWN, reason: ..., info: "...", check duration: Nms.
    /// A active and B backup servers left.[ Running on backup.] S sessions active, R requeued,
    /// Q remaining in queue.` Counts are after the change (the balancer's usable counts).
    public static func serverDown(
        backend: String, server: String, isBackup: Bool, check: CheckReport?,
        activeServers: Int, backupServers: Int,
        sessionsActive: Int, requeued: Int, remainingInQueue: Int
    ) -> String {
        "\(isBackup ? "Backup " : "")Server \(backend)/\(server) is DOWN" + reason(check)
            + serversLeft(activeServers: activeServers, backupServers: backupServers, sessionsActive: sessionsActive,
                          requeued: requeued, remainingInQueue: remainingInQueue)
    }

    /// `[Backup ]Server <be>/<srv> is UP, reason: ..., check duration: Nms. A active and B backup
    /// servers online.[ Running on backup.] R sessions requeued, Q total in queue.`
    public static func serverUp(
        backend: String, server: String, isBackup: Bool, check: CheckReport?,
        activeServers: Int, backupServers: Int, requeued: Int, totalInQueue: Int
    ) -> String {
        "\(isBackup ? "Backup " : "")Server \(backend)/\(server) is UP" + reason(check)
            + serversOnline(activeServers: activeServers, backupServers: backupServers, requeued: requeued,
                            totalInQueue: totalInQueue)
    }

    /// haproxy's `srv_append_status` tail for a server leaving service: `. A active and B backup
    /// servers left.[ Running on backup.] S sessions active, R requeued, Q remaining in queue.`
    public static func serversLeft(activeServers: Int, backupServers: Int, sessionsActive: Int, requeued: Int,
                                   remainingInQueue: Int) -> String {
        ". \(activeServers) active and \(backupServers) backup servers left."
            + runningOnBackup(activeServers: activeServers, backupServers: backupServers)
            + " \(sessionsActive) sessions active, \(requeued) requeued, \(remainingInQueue) remaining in queue."
    }

    /// haproxy's `srv_append_status` tail for a server still running: `. A active and B backup
    /// servers online.[ Running on backup.] R sessions requeued, Q total in queue.`
    public static func serversOnline(activeServers: Int, backupServers: Int, requeued: Int, totalInQueue: Int) -> String {
        ". \(activeServers) active and \(backupServers) backup servers online."
            + runningOnBackup(activeServers: activeServers, backupServers: backupServers)
            + " \(requeued) sessions requeued, \(totalInQueue) total in queue."
    }

    /// The alert when the last server goes: `backend 'be' has no server available!`.
    /// `proxyType` is "backend", or "proxy" for a `listen` section (haproxy's `proxy_type_str`).
    public static func noServerAvailable(proxyType: String = "backend", proxy: String) -> String {
        "\(proxyType) '\(proxy)' has no server available!"
    }

    /// The same event as sent to syslog, where haproxy omits the quotes.
    public static func noServerAvailableSyslog(proxyType: String = "backend", proxy: String) -> String {
        "\(proxyType) \(proxy) has no server available!"
    }

    /// `option log-health-checks` (check.c `set_server_check_status`): `Health check for [backup ]
    /// server <be>/<srv> succeeded|failed|conditionally succeeded, reason: ..., status: X/Y UP|DRAIN|DOWN`.
    public static func healthCheck(backend: String, server: String, isBackup: Bool, check: CheckReport,
                                   health: HealthCheckState, weight: Int) -> String {
        let outcome = check.result == .layer7OKConditional ? "conditionally succeeded"
            : check.result.passed ? "succeeded" : "failed"
        let up = health.health >= health.rise
        let status = up ? "\(health.health - health.rise + 1)/\(health.fall) \(weight > 0 ? "UP" : "DRAIN")"
            : "\(health.health)/\(health.rise) DOWN"
        return "Health check for \(isBackup ? "backup " : "")server \(backend)/\(server) \(outcome)"
            + reason(check) + ", status: \(status)."
    }

    /// `, reason: ..., code: N, info: "...", check duration: Nms`, or nothing without a report.
    public static func reasonText(_ check: CheckReport?) -> String { reason(check) }

    private static func reason(_ check: CheckReport?) -> String {
        guard let check else { return "" }
        var text = ", reason: \(check.result.description)"
        if check.result.carriesCode { text += ", code: \(check.code)" }
        if !check.info.isEmpty { text += ", info: \"\(asciiEncoded(check.info))\"" }
        if let duration = check.durationMs { text += ", check duration: \(duration)ms" }
        return text
    }

    private static func runningOnBackup(activeServers: Int, backupServers: Int) -> String {
        backupServers > 0 && activeServers == 0 ? " Running on backup." : ""
    }

    /// chunk_asciiencode with '"' as the quote: non-printable bytes, '<', '>' and '"' become `<HH>`.
    private static func asciiEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if byte < 0x20 || byte > 0x7E || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || byte == UInt8(ascii: "\"") {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "<" + (hex.count == 1 ? "0" + hex : hex) + ">"
            } else {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }
}
