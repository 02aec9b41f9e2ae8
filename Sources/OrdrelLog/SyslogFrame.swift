/// What a syslog header says besides the time and the level: haproxy's `log-send-hostname`,
/// `log-tag` (global or the proxy's) and the process id.
public struct SyslogIdentity: Sendable, Equatable {
    /// `log-send-hostname`: nil sends none (and `format local` stays the default).
    public var hostname: String?
    public var tag: String
    public var pid: Int32

    public init(hostname: String?, tag: String, pid: Int32) {
        self.hostname = hostname
        self.tag = tag
        self.pid = pid
    }
}

/// Frames one message for one target as haproxy 2.6's `__do_send_log` does: the header of the
/// target's format, the message, the whole cut to `len` bytes (not for fd targets), then LF.
public enum SyslogFrame {
    /// Appends the framed line to `out` (which the caller reuses across lines).
    public static func append(message: [UInt8], level: SyslogLevel, target: LogTarget,
                              identity: SyslogIdentity, time: LogTimestamp, structuredData: [UInt8]? = nil,
                              to out: inout [UInt8]) {
        let start = out.count
        appendHeader(level: level, target: target, identity: identity, time: time,
                     structuredData: structuredData, to: &out)
        out.append(contentsOf: message)
        if !target.destination.isFileDescriptor && out.count - start > target.maxLength {
            out.removeLast(out.count - start - target.maxLength)
        }
        out.append(0x0A)
    }

    static func appendHeader(level: SyslogLevel, target: LogTarget, identity: SyslogIdentity,
                             time: LogTimestamp, structuredData: [UInt8]?, to out: inout [UInt8]) {
        let priority = target.facility * 8 + level.rawValue
        switch target.format {
        case .local, .rfc3164:
            appendPriority(priority, to: &out)
            time.appendRFC3164(to: &out)
            out.append(0x20)
            // `log-send-hostname` makes the default `local` format `rfc3164`: both carry it then.
            if let host = identity.hostname {
                out.append(contentsOf: host.utf8)
                out.append(0x20)
            }
            out.append(contentsOf: identity.tag.utf8)
            out.append(UInt8(ascii: "["))
            out.appendDecimal(identity.pid)
            out.append(contentsOf: "]: ".utf8)
        case .rfc5424:
            appendPriority(priority, to: &out)
            out.append(contentsOf: "1 ".utf8)
            time.appendISO(to: &out)
            out.append(0x20)
            out.append(contentsOf: (identity.hostname ?? "-").utf8)
            out.append(0x20)
            out.append(contentsOf: identity.tag.utf8)
            out.append(0x20)
            out.appendDecimal(identity.pid)
            out.append(contentsOf: " - ".utf8)
            if let structuredData, !structuredData.isEmpty {
                out.append(contentsOf: structuredData)
            } else {
                out.append(UInt8(ascii: "-"))
            }
            out.append(0x20)
        case .priority:
            appendPriority(priority, to: &out)
        case .short:
            appendPriority(level.rawValue, to: &out)
        case .timed:
            appendPriority(level.rawValue, to: &out)
            time.appendISO(to: &out)
            out.append(0x20)
        case .iso:
            time.appendISO(to: &out)
            out.append(0x20)
        case .raw:
            break
        }
    }

    private static func appendPriority(_ value: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "<"))
        out.appendDecimal(value)
        out.append(UInt8(ascii: ">"))
    }
}
