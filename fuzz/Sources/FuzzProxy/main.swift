@testable import OrdrelCore
import FuzzSupport

/// Fuzzes the PROXY header parser (`accept-proxy` reads attacker-controlled bytes). Invariants
/// beyond "does not crash":
/// - a header's length is within the input (never past it), at least 16 bytes for v2 and at
///   most 107 for v1;
/// - the header alone parses to the same header: nothing after it was looked at;
/// - every strict prefix of an input that needs more bytes needs more bytes too;
/// - a header naming addresses re-encodes (v2) into bytes that parse back to it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let outcome = ProxyHeaderParser.parse(input, limit: 4096)
    switch outcome {
    case .header(let header, let length):
        check(length <= input.count, "header of \(length) bytes in \(input.count)")
        if input.starts(with: Array("PROXY ".utf8)) {
            check(length <= ProxyHeaderParser.v1MaxLength, "v1 header of \(length) bytes")
        } else {
            check(length >= 16, "v2 header of \(length) bytes")
        }
        check(ProxyHeaderParser.parse(input.prefix(length), limit: 4096) == outcome, "the header alone parses differently")
        if case .proxied(let source, let destination) = header {
            let encoded = ProxyHeaderEncoder.v2(source: source, destination: destination, crc32c: input.count % 2 == 0,
                                                uniqueID: input.count % 3 == 0)
            guard case .header(let again, let count) = ProxyHeaderParser.parse(encoded) else {
                fatalError("re-encoded header \(encoded) does not parse")
            }
            check(again == header && count == encoded.count, "re-encoded header parses as \(again)")
        }
    case .needMore:
        for end in stride(from: 0, to: input.count, by: max(1, input.count / 8)) {
            check(ProxyHeaderParser.parse(input.prefix(end), limit: 4096) == .needMore, "prefix \(end) of a short input decided")
        }
    case .invalid:
        break
    }
    return 0
}
