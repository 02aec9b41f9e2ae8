import OrdrelConfig
import OrdrelSystem

/// One resolution of a name as haproxy 2.6 runs it (resolvers.c), kept pure for tests: every
/// name server is asked at once, the first valid answer wins; when all of them fail, an A query
/// switches to AAAA (or back) once, unless they timed out, then the preferred type is asked
/// again while `resolve_retries` allows.
public struct ResolutionAttempt: Sendable, Equatable {
    /// What the next step is after an answer.
    public enum Step: Sendable, Equatable {
        /// Other name servers have not answered yet.
        case wait
        /// A valid answer: the resolution is over.
        case valid(DNSAnswer)
        /// Ask every name server again, for this type.
        case query(DNSRecordType)
        /// Every try failed; the last name server's failure.
        case failed(DNSFailure)
    }

    /// The type asked first: SRV for a SRV label, else A or AAAA (`resolve-prefer`).
    public let preferred: DNSRecordType
    public private(set) var type: DNSRecordType
    /// Queries still allowed after the one in flight.
    public private(set) var triesLeft: Int
    private var switchedType = false
    /// Name servers that have not answered the query in flight.
    private var pending = 0

    public init(preferred: DNSRecordType, retries: Int) {
        self.preferred = preferred
        type = preferred
        triesLeft = max(1, retries) - 1
    }

    /// A query of `type` went to `nameservers` servers.
    public mutating func sent(to nameservers: Int) { pending = nameservers }

    /// One name server's answer to the query in flight.
    public mutating func receive(_ answer: DNSAnswer) -> Step {
        guard case .failure(let failure) = answer else { return .valid(answer) }
        pending -= 1
        guard pending <= 0 else { return .wait }
        if failure != .timeout && !switchedType && type != .srv {
            switchedType = true
            type = type == .a ? .aaaa : .a
            return .query(type)
        }
        guard triesLeft > 0 else { return .failed(failure) }
        triesLeft -= 1
        switchedType = false
        type = preferred
        return .query(type)
    }
}

/// What a server does with the answers to its name (haproxy 2.6 `resolv_get_ip_from_response`
/// and `snr_resolution_error_cb`), kept pure for tests.
public enum DNSServerDecision {
    /// The address a server takes from A/AAAA records: each record scores 8 for the preferred
    /// family, 4 inside a `resolve-net` network, 2 when no other server of the backend has it
    /// (a taken one is skipped unless `allowDuplicates`), 1 when it is the current address; the
    /// best first one wins. Nil when every record is taken.
    public static func pickAddress(from records: [SocketAddress], current: SocketAddress?, taken: Set<String>,
                                   preferIPv4: Bool, networks: [ACLNetwork], allowDuplicates: Bool) -> SocketAddress? {
        var best: (score: Int, address: SocketAddress)?
        for record in records {
            var score = 0
            if (record.family == .inet) == preferIPv4 { score += 8 }
            let bytes = record.addressBytes
            if networks.contains(where: { $0.contains(bytes) }) { score += 4 }
            if taken.contains(record.host) {
                if !allowDuplicates { continue }
            } else {
                score += 2
            }
            if let current, current.host == record.host { score += 1 }
            if best == nil || score > best!.score { best = (score, record) }
        }
        return best?.address
    }

    /// Whether a failed resolution puts a server in maintenance: only once its name has had no
    /// valid answer for the `hold` period of the failure (counted from the start before the first).
    public static func failureStopsServer(_ failure: DNSFailure, lastValidMs: UInt64, nowMs: UInt64,
                                          hold: ResolverHoldTimes) -> Bool {
        nowMs >= lastValidMs + holdPeriod(failure, hold)
    }

    /// The `hold` period of a failure.
    public static func holdPeriod(_ failure: DNSFailure, _ hold: ResolverHoldTimes) -> UInt64 {
        switch failure {
        case .nx: return hold.nx
        case .refused: return hold.refused
        case .timeout: return hold.timeout
        case .noAnswer, .invalid, .other: return hold.other
        }
    }

    /// haproxy's words for the maintenance a failure causes ("DNS NX status", ...).
    public static func maintenanceReason(_ failure: DNSFailure) -> String {
        switch failure {
        case .nx: return "DNS NX status"
        case .refused: return "DNS refused status"
        case .timeout: return "DNS timeout status"
        case .noAnswer, .invalid, .other: return "unspecified DNS error"
        }
    }

    /// SRV records over a template's servers: a server whose target and port are still
    /// answered keeps them (its weight follows the record), one whose record has been missing
    /// for `hold obsolete` loses it, and records nobody holds go to free servers in order.
    /// `current[i]` is server i's record and when it was last answered; returns the new list.
    public static func assignServices(_ records: [DNSServiceRecord], to current: [(record: DNSServiceRecord, seenMs: UInt64)?],
                                      nowMs: UInt64, obsoleteMs: UInt64) -> [(record: DNSServiceRecord, seenMs: UInt64)?] {
        var slots = current
        var unplaced: [DNSServiceRecord] = []
        for record in records {
            if let index = slots.firstIndex(where: { $0?.record.target == record.target && $0?.record.port == record.port }) {
                slots[index] = (record, nowMs)
            } else if !unplaced.contains(where: { $0.target == record.target && $0.port == record.port }) {
                unplaced.append(record)
            }
        }
        for index in slots.indices {
            if let slot = slots[index], slot.seenMs != nowMs, nowMs >= slot.seenMs + obsoleteMs { slots[index] = nil }
        }
        for record in unplaced {
            guard let free = slots.firstIndex(where: { $0 == nil }) else { break }
            slots[free] = (record, nowMs)
        }
        return slots
    }

    /// A name `set server ... fqdn` takes: dot-separated labels of letters, digits, `-` and `_`,
    /// 1 to 63 bytes each, 255 in all (haproxy's `resolv_hostname_validation`).
    public static func isValidHostName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 255 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.enumerated().allSatisfy { index, label in
            (label.isEmpty && index == labels.count - 1 && index > 0)
                || ((1...63).contains(label.utf8.count) && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        }
    }

    /// The weight haproxy gives a server from its SRV record's weight (0...65535 over 1...256).
    public static func weight(fromSRV weight: Int) -> Int { min(256, weight / 256 + 1) }
}
