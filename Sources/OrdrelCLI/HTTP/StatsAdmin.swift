/// A POST of the stats page's server action form: `s=<server>` (repeated), `action=<action>`,
/// `b=#<backend id>` (or a name), urlencoded.
public struct StatsAdminRequest: Sendable {
    public let page: StatsPageRequest
    /// The form; nil when it came chunked (haproxy answers `st=IVAL`).
    public let body: [UInt8]?

    public init(page: StatsPageRequest, body: [UInt8]?) {
        self.page = page
        self.body = body
    }

    /// The form's actions, haproxy's `ST_ADM_ACTION_*` names.
    enum Action: String {
        case ready, drain, maint
        case disableHealth = "dhlth", enableHealth = "ehlth"
        case healthUp = "hrunn", healthNoLB = "hnolb", healthDown = "hdown"
        case disableAgent = "dagent", enableAgent = "eagent", agentUp = "arunn", agentDown = "adown"
        case shutdown
    }

    /// Applies the form as haproxy's `stats_process_http_post` does and returns its status
    /// code for the redirect (`DONE`, `PART`, `NONE`, `ERRP`, `DENY`, `IVAL`): a server counts
    /// when the action applies to it (enabling or disabling checks needs checks, agent actions an
    /// (enabled) agent; forcing a health state applies to any server, none tracks another in
    /// ordrel), and counts as altered when it was changed. The lookups and changes run `consistently`.
    public func apply(to runtime: CLIRuntime) -> String {
        guard page.adminAllowed else { return "DENY" }
        guard let body else { return "IVAL" }
        return runtime.consistently { apply(body, to: runtime) }
    }

    private func apply(_ body: [UInt8], to runtime: CLIRuntime) -> String {
        var backend: String?
        var action: Action?
        var servers: [String] = []
        for pair in body.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.urlDecode(parts[0])
            let value = parts.count > 1 ? Self.urlDecode(parts[1]) : ""
            switch key {
            case "b":
                guard let name = Self.backendName(value, runtime) else { return "ERRP" }
                backend = name
            case "action":
                guard let known = Action(rawValue: value) else { return "ERRP" }
                action = known
            case "s":
                servers.append(value)
            default:
                break
            }
        }
        guard !servers.isEmpty else { return "NONE" }
        guard let backend, let action else { return "ERRP" }
        let known = Self.serverNames(backend, runtime)
        var total = 0
        var altered = 0
        for server in servers {
            guard known.contains(server) else {
                // Unknown (or ambiguous) name: counted, never altered.
                total += 1
                continue
            }
            let changed: Bool?
            switch action {
            case .ready: changed = Self.done(runtime.setServerAdminState(backend: backend, server: server, state: .ready))
            case .drain: changed = Self.done(runtime.setServerAdminState(backend: backend, server: server, state: .drain))
            case .maint: changed = Self.done(runtime.setServerAdminState(backend: backend, server: server, state: .maint))
            case .disableHealth, .enableHealth:
                changed = Self.applies(runtime.setHealthChecks(backend: backend, server: server, enabled: action == .enableHealth))
            case .healthUp, .healthNoLB, .healthDown:
                let health: ServerHealthRequest = action == .healthUp ? .up : action == .healthNoLB ? .stopping : .down
                changed = Self.done(runtime.setServerHealth(backend: backend, server: server, health: health))
            case .disableAgent, .enableAgent:
                changed = Self.applies(runtime.setAgentChecks(backend: backend, server: server, enabled: action == .enableAgent))
            case .agentUp, .agentDown:
                changed = Self.applies(runtime.setAgentHealth(backend: backend, server: server, up: action == .agentUp))
            case .shutdown:
                changed = Self.done(runtime.shutdownSessions(backend: backend, server: server))
            }
            guard let changed else { continue }
            total += 1
            if changed { altered += 1 }
        }
        if total == 0 { return "NONE" }
        if altered == 0 { return "ERRP" }
        return altered == total ? "DONE" : "PART"
    }

    /// The 303 reply pointing back at the page with the result.
    public func redirect(status: String) -> HTTPReply {
        HTTPReply.make(status: 303, reason: "See Other",
                       headers: [("cache-control", "no-cache"), ("content-type", "text/plain"), ("content-length", "0"),
                                 ("location", "\(page.config.uriPrefix);st=\(status)\(page.linkSuffix)")],
                       body: [], close: page.closes)
    }

    private static func done<T>(_ result: ServerResult<T>) -> Bool {
        if case .success = result { return true }
        return false
    }

    /// Whether a checks or agent action changed the server; nil when it has no such check (the
    /// server does not count, as in haproxy).
    private static func applies(_ result: ServerResult<HealthChecksOutcome>) -> Bool? {
        switch result {
        case .success(.done): return true
        case .success(.notConfigured): return nil
        case .failure: return false
        }
    }

    /// `#<id>` or a name, resolved to a backend's name.
    private static func backendName(_ value: String, _ runtime: CLIRuntime) -> String? {
        if value.hasPrefix("#"), let id = UInt64(value.dropFirst()) {
            return runtime.backendNames().first { runtime.proxyID(named: $0) == id }
        }
        return runtime.backendNames().contains(value) ? value : nil
    }

    /// The backend's server names; a name used twice is left out (ambiguous, as haproxy).
    private static func serverNames(_ backend: String, _ runtime: CLIRuntime) -> Set<String> {
        guard var rows = runtime.serversState(backend: backend) else { return [] }
        var names: Set<String> = []
        var duplicates: Set<String> = []
        while let row = rows.next() {
            if !names.insert(row.serverName).inserted { duplicates.insert(row.serverName) }
        }
        return names.subtracting(duplicates)
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte.
    static func urlDecode(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(0x20)
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                      let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
