import XCTest
@testable import OrdrelConfig

/// The ClientHello reader on whole, cut and corrupted hellos: it answers from what arrived and
/// never reads past it.
final class ClientHelloTests: XCTestCase {
    private func parse(_ bytes: [UInt8]) -> ClientHello.Outcome<ClientHello.Parsed> {
        bytes.withUnsafeBytes { ClientHello.parse($0) }
    }

    func testServerName() {
        XCTAssertEqual(parse(clientHello(serverName: "backend2.test")), .hello(ClientHello.Parsed(serverName: Array("backend2.test".utf8))))
        XCTAssertEqual(parse(clientHello(serverName: nil)), .hello(ClientHello.Parsed(serverName: nil)))
    }

    func testEveryPrefixIsIncomplete() {
        let hello = clientHello(serverName: "backend2.test")
        for count in 0..<hello.count {
            XCTAssertEqual(parse(Array(hello.prefix(count))), .incomplete, "prefix of \(count) bytes")
        }
    }

    func testNotHandshakes() {
        XCTAssertEqual(parse(Array("GET /".utf8)), .notHandshake)
        XCTAssertEqual(parse([0x16, 0x02, 0x00, 0x00, 0x10]), .notHandshake, "SSLv2-style versions are not TLS records")
        XCTAssertEqual(parse([0x16, 0x03, 0x01, 0xff, 0xff]), .notHandshake, "record longer than haproxy accepts")
        var serverHello = clientHello(serverName: "x")
        serverHello[5] = 2
        XCTAssertEqual(parse(serverHello), .notHandshake)
    }

    func testCorruptedLengthsNeverReadPastTheBytes() {
        let hello = clientHello(serverName: "backend2.test")
        // Every single-byte corruption yields an answer whose name, if any, lies inside the
        // bytes (debug builds also trap on any out-of-bounds read; the fuzz target does the same
        // at volume).
        for index in hello.indices {
            for value: UInt8 in [0x00, 0x7f, 0xff] {
                var corrupted = hello
                corrupted[index] = value
                if case .hello(let parsed) = parse(corrupted), let name = parsed.serverName {
                    XCTAssertLessThan(name.count, corrupted.count)
                    XCTAssertTrue(corrupted.indices.contains { corrupted[$0...].starts(with: name) }, "byte \(index) = \(value)")
                }
            }
        }
        var longName = hello
        longName[longName.count - 14] = 0xff   // the name's length, low byte: past the extension
        XCTAssertEqual(parse(longName), .notHandshake)
    }

    func testVersionAndType() {
        let hello = clientHello(serverName: "x")
        XCTAssertEqual(hello.withUnsafeBytes { ClientHello.recordVersion($0) }, .hello(0x03_0003), "major << 16 | minor")
        XCTAssertEqual(hello.withUnsafeBytes { ClientHello.handshakeType($0) }, .hello(1))
        XCTAssertEqual(Array(hello.dropLast()).withUnsafeBytes { ClientHello.handshakeType($0) }, .incomplete,
                       "the whole handshake message first")
        XCTAssertEqual(Array(hello.prefix(10)).withUnsafeBytes { ClientHello.recordVersion($0) }, .incomplete)
    }
}
