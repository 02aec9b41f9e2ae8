import FuzzSupport
import OrdrelConfig

/// Fuzzes `ClientHello`, which reads the client's bytes: the input is the first bytes of a
/// connection. Invariants beyond "does not crash" (and, in this build, never reading past the
/// buffer, which the sanitizer instrumentation catches):
/// - a decided answer (hello or not a handshake) stays the same when more bytes follow;
/// - the server name, when found, is a run of bytes inside the input;
/// - every strict prefix of a complete hello is "incomplete";
/// - the RDP cookie reader (`RDPCookie`, same input) keeps a decided answer when more bytes
///   follow and finds its value inside the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let whole = parse(input)
    if whole != .incomplete {
        check(parse(input + [0x00, 0xff, 0x16]) == whole, "more bytes changed a decided answer")
        check(type(input + [0x01]) == type(input) || type(input) == .incomplete, "more bytes changed the hello type")
        check(version(input + [0x01]) == version(input) || version(input) == .incomplete, "more bytes changed the version")
    }
    if case .hello(let parsed) = whole, let name = parsed.serverName {
        check(name.count <= input.count && input.indices.contains { input[$0...].starts(with: name) }, "name not in the input")
    }
    for name in [nil, "mstshash"] {
        let cookie = rdp(input, name)
        if cookie != .incomplete { check(rdp(input + [0x0d, 0x0a], name) == cookie, "more bytes changed the RDP cookie") }
        if case .hello(let range) = cookie { check(range.lowerBound >= 11 && range.upperBound <= input.count, "cookie \(range) outside the input") }
    }
    if case .hello = whole {
        let end = 9 + (Int(input[6]) << 16 | Int(input[7]) << 8 | Int(input[8]))
        for cut in stride(from: 0, to: end, by: max(1, end / 32)) {
            check(parse(Array(input.prefix(cut))) == .incomplete, "a prefix of \(cut) bytes of a hello is not incomplete")
        }
    }
    return 0
}

private func parse(_ bytes: [UInt8]) -> ClientHello.Outcome<ClientHello.Parsed> { bytes.withUnsafeBytes { ClientHello.parse($0) } }
private func type(_ bytes: [UInt8]) -> ClientHello.Outcome<Int> { bytes.withUnsafeBytes { ClientHello.handshakeType($0) } }
private func rdp(_ bytes: [UInt8], _ name: String?) -> ClientHello.Outcome<Range<Int>> {
    bytes.withUnsafeBytes { RDPCookie.value($0, name: name) }
}
private func version(_ bytes: [UInt8]) -> ClientHello.Outcome<Int> { bytes.withUnsafeBytes { ClientHello.recordVersion($0) } }
