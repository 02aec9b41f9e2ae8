@testable import OrdrelConfig

/// An environment with one backend `be` (2 usable servers, 5 free slots, `be/s1` up, `be/s2` down).
struct NoRuntime: ACLEnvironment {
    func usableServers(backend: String?) -> Int? { backend == nil || backend == "be" ? 2 : nil }
    func connectionSlots(backend: String?) -> Int? { backend == nil || backend == "be" ? 5 : nil }
    func serverIsUp(backend: String, server: String) -> Bool? {
        guard backend == "be" else { return nil }
        return server == "s1" ? true : server == "s2" ? false : nil
    }
    /// No stick table: nothing is tracked and no counter has a sample.
    func track(_ tracking: StickTracking, key: ACLSample) {}
    func stickCounter(_ fetch: StickCounterFetch, source: [UInt8]) -> Int64? { nil }
    func tableUsage(_ table: String?, available: Bool) -> Int64? { nil }
}

/// A connection from `source`:40000 to 10.0.0.1:443 on frontend `fe`, backend `be`, no payload.
func aclInput(source: [UInt8], final: Bool = true) -> ACLInput {
    ACLInput(sourceAddress: source, sourcePort: 40000, destinationAddress: [10, 0, 0, 1], destinationPort: 443,
             frontendName: "fe", backendName: "be", payload: UnsafeRawBufferPointer(start: nil, count: 0), final: final)
}

/// A TLS 1.2 record holding a ClientHello with `serverName` in its SNI extension (nil: none),
/// after a padding extension, as OpenSSL sends them.
func clientHello(serverName: String?) -> [UInt8] {
    func u16(_ n: Int) -> [UInt8] { [UInt8(n >> 8), UInt8(n & 0xff)] }
    var extensions: [UInt8] = [0x00, 0x0b] + u16(2) + [0x01, 0x00]   // ec_point_formats
    if let serverName {
        let name = Array(serverName.utf8)
        let entry: [UInt8] = [0x00] + u16(name.count) + name
        extensions += [0x00, 0x00] + u16(entry.count + 2) + u16(entry.count) + entry
    }
    var body: [UInt8] = [0x03, 0x03] + [UInt8](repeating: 7, count: 32)
    body += [0x00]                               // session id
    body += u16(4) + [0x13, 0x01, 0xc0, 0x2f]    // cipher suites
    body += [0x01, 0x00]                         // compression: null
    body += u16(extensions.count) + extensions
    let handshake: [UInt8] = [0x01, 0x00] + u16(body.count) + body
    return [0x16, 0x03, 0x01] + u16(handshake.count) + handshake
}

extension ACLParser {
    /// Parses `if <cond>` from a string with the `acl` lines given.
    static func condition(_ text: String, acls: [String] = []) throws(ACLParser.Failure) -> ACLCondition {
        var parser = ACLParser(readFile: { _ in Array("# comment\n\nexample.com\n  example.org  \n".utf8) })
        for line in acls { try parser.parseACLLine(line.split(separator: " ").map(String.init)[...]) }
        return try parser.parseCondition(text.split(separator: " ").map(String.init)[...])
    }
}

extension ACLCondition {
    /// Evaluates against `payload` from 192.168.1.10.
    func evaluate(payload: [UInt8], final: Bool, source: [UInt8] = [192, 168, 1, 10]) -> ACLResult {
        payload.withUnsafeBytes { bytes in
            var input = aclInput(source: source, final: final)
            input.payload = bytes
            return evaluate(input, NoRuntime())
        }
    }
}
