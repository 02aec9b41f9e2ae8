import FuzzSupport
import OrdrelLog

/// Fuzzes the `log-format` compiler on one string, then renders and frames what compiles.
/// Invariants beyond "does not crash":
/// - compiling twice gives the same result (nodes or reason), and a refusal gives a reason;
/// - a string without `%` compiles to itself with runs of spaces merged;
/// - the nodes, written back (`%` doubled in literals, every variable with explicit flags),
///   compile to the same nodes;
/// - rendering is deterministic, and framing in every format ends with one LF and, for network
///   targets, stays within `len` + 1 bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    let first = Result { () throws(LogFormatError) in try LogFormat(text) }
    let second = Result { () throws(LogFormatError) in try LogFormat(text) }
    switch (first, second) {
    case (.success(let format), .success(let again)):
        check(format == again, "compiling twice differs")
        if !text.utf8.contains(UInt8(ascii: "%")) {
            check(format.render(fields) == mergedSpaces(text), "plain text rendered as \(format.render(fields))")
        }
        let encoded = encode(format)
        guard let reparsed = try? LogFormat(encoded) else { fatalError("re-encoded \(encoded) does not compile") }
        check(reparsed == format, "re-encoded \(encoded) compiles to other nodes")
        let message = format.render(fields)
        check(message == format.render(fields), "rendering twice differs")
        for target in targets {
            var out: [UInt8] = []
            SyslogFrame.append(message: message, level: .info, target: target, identity: identity, time: fields.accepted,
                               structuredData: message, to: &out)
            check(out.last == 0x0A, "frame without its final LF")
            if !target.destination.isFileDescriptor {
                check(out.count <= target.maxLength + 1, "frame of \(out.count) bytes for len \(target.maxLength)")
            }
        }
    case (.failure(let error), .failure(let again)):
        check(error == again && !error.reason.isEmpty, "refusals differ or say nothing")
    default:
        fatalError("compiling twice gives different outcomes")
    }
    return 0
}

/// `text` with every run of spaces as one.
private func mergedSpaces(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    for byte in text.utf8 where !(byte == 0x20 && out.last == 0x20) { out.append(byte) }
    return out
}

/// The nodes written back as a format string.
private func encode(_ format: LogFormat) -> String {
    var out = ""
    for node in format.nodes {
        switch node {
        case .literal(let bytes):
            out += String(decoding: bytes, as: UTF8.self).replacingPercent()
        case .variable(let variable, let flags):
            out += "%{\(flags.quote ? "+" : "-")Q,\(flags.hex ? "+" : "-")X,\(flags.escape ? "+" : "-")E}\(variable.rawValue)"
        }
    }
    return out
}

private extension String {
    func replacingPercent() -> String {
        var out = ""
        for c in unicodeScalars { if c == "%" { out += "%%" } else { out.unicodeScalars.append(c) } }
        return out
    }
}

private let fields: LogFields = {
    var f = LogFields(client: LogEndpoint(host: "192.0.2.7", hostBytes: [192, 0, 2, 7], port: 51234),
                      accepted: LogTimestamp(micros: 1_796_161_143_802_123, utcOffset: 3600),
                      frontend: "fe\"]\\", backend: "be")
    f.frontendAddress = LogEndpoint(host: "unix", hostBytes: [], port: 1)
    f.serverAddress = LogEndpoint(host: "::1", hostBytes: Array(repeating: 0, count: 15) + [1], port: 8080)
    f.server = "s1"
    f.waitMs = -1
    f.totalMs = 12
    f.retries = 2
    f.redispatched = true
    f.hostname = "host"
    f.pid = 4242
    return f
}()

private let identity = SyslogIdentity(hostname: "host", tag: "tag", pid: 4242)

private let targets: [LogTarget] = SyslogFormat.allCases.map {
    LogTarget(destination: .udp(host: "127.0.0.1", port: 514), format: $0, maxLength: 80, facility: 23)
} + [LogTarget(destination: .standardError, format: .raw, maxLength: 80, facility: 0)]
