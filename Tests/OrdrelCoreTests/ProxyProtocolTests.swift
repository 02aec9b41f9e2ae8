@testable import OrdrelCore
import OrdrelSystem
import XCTest

/// The PROXY header parser and encoder against haproxy 2.6.12's own bytes (captured from what a
/// backend received behind `send-proxy`/`send-proxy-v2`) and against malformed input.
final class ProxyProtocolTests: XCTestCase {
    private func address(_ ip: String, _ port: UInt16) -> SocketAddress { SocketAddress(ip: ip, port: port)! }
    private func bytes(_ hex: String) -> [UInt8] {
        hex.split(separator: " ").map { UInt8($0, radix: 16)! }
    }

    /// haproxy 2.6.12, `send-proxy-v2`, client 127.0.0.1:46278 → 127.0.0.1:24001.
    private let capturedV2TCP4 = "0d 0a 0d 0a 00 0d 0a 51 55 49 54 0a 21 11 00 0c 7f 00 00 01 7f 00 00 01 b4 c6 5d c1"
    /// haproxy 2.6.12, `send-proxy-v2`, client [::1]:50658 → [::1]:24002.
    private let capturedV2TCP6 = "0d 0a 0d 0a 00 0d 0a 51 55 49 54 0a 21 21 00 24 "
        + "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 c5 e2 5d c2"

    func testEncodesAsHaproxy() {
        XCTAssertEqual(ProxyHeaderEncoder.v2(source: address("127.0.0.1", 46278), destination: address("127.0.0.1", 24001)),
                       bytes(capturedV2TCP4))
        XCTAssertEqual(ProxyHeaderEncoder.v2(source: address("::1", 50658), destination: address("::1", 24002)),
                       bytes(capturedV2TCP6))
        XCTAssertEqual(ProxyHeaderEncoder.v1(source: address("127.0.0.1", 33174), destination: address("127.0.0.1", 24003)),
                       Array("PROXY TCP4 127.0.0.1 127.0.0.1 33174 24003\r\n".utf8))
        XCTAssertEqual(ProxyHeaderEncoder.v1(source: address("::1", 1), destination: address("127.0.0.1", 2)),
                       Array("PROXY UNKNOWN\r\n".utf8))
        XCTAssertEqual(ProxyHeaderEncoder.v2(source: address("::1", 1), destination: nil),
                       ProxyHeaderParser.v2Signature + [0x20, 0x00, 0x00, 0x00])
        // Mixed families: TCP6 with the IPv4 address mapped.
        let mixed = ProxyHeaderEncoder.v2(source: address("192.0.2.1", 5), destination: address("::1", 6))
        XCTAssertEqual(Array(mixed[12..<16]), [0x21, 0x21, 0x00, 0x24])
        XCTAssertEqual(Array(mixed[16..<32]), Array(repeating: 0, count: 10) + [0xFF, 0xFF, 192, 0, 2, 1])
    }

    func testRoundTripsWithCRC32C() {
        let source = address("192.0.2.7", 40000), destination = address("198.51.100.9", 25)
        let header = ProxyHeaderEncoder.v2(source: source, destination: destination, crc32c: true)
        XCTAssertEqual(header.count, 16 + 12 + 7)
        XCTAssertEqual(ProxyHeaderParser.parse(header + Array("payload".utf8)),
                       .header(.proxied(source: source, destination: destination), length: header.count))
        var corrupted = header
        corrupted[20] ^= 1
        XCTAssertEqual(ProxyHeaderParser.parse(corrupted), .invalid(.badHeader))
    }

    /// haproxy 2.6.12's check header with `send-proxy-v2 check-send-proxy proxy-v2-options crc32c`:
    /// LOCAL, then the CRC32C TLV.
    func testLocalWithCRC32CAsHaproxy() {
        XCTAssertEqual(ProxyHeaderEncoder.v2(source: address("127.0.0.1", 1), destination: nil, crc32c: true),
                       bytes("0d 0a 0d 0a 00 0d 0a 51 55 49 54 0a 20 00 00 07 03 00 04 a9 b8 7e 8f"))
    }

    /// haproxy 2.6.12's stream header with `send-proxy-v2 proxy-v2-options unique-id,crc32c`
    /// (client 127.0.0.1:55916 → 127.0.0.1:29301): the CRC32C TLV, then an empty unique-id TLV
    /// (no `unique-id-format`), the checksum covering both.
    func testUniqueIDAfterCRC32CAsHaproxy() {
        XCTAssertEqual(ProxyHeaderEncoder.v2(source: address("127.0.0.1", 55916), destination: address("127.0.0.1", 29301),
                                             crc32c: true, uniqueID: true),
                       bytes("0d 0a 0d 0a 00 0d 0a 51 55 49 54 0a 21 11 00 16 7f 00 00 01 7f 00 00 01 da 6c 72 75 "
                             + "03 00 04 50 e5 b3 c0 05 00 00"))
        XCTAssertEqual(ProxyHeaderEncoder.header(.v1, source: address("127.0.0.1", 1), destination: address("127.0.0.1", 2),
                                                 crc32c: true, uniqueID: true),
                       Array("PROXY TCP4 127.0.0.1 127.0.0.1 1 2\r\n".utf8), "v1 has no TLVs")
    }

    func testCRC32CKnownValue() {
        // RFC 3720 B.4: 32 bytes of zeros.
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
    }

    func testParsesV1() {
        let line = Array("PROXY TCP4 192.0.2.7 198.51.100.9 40000 25\r\n".utf8)
        XCTAssertEqual(ProxyHeaderParser.parse(line + Array("hello".utf8)),
                       .header(.proxied(source: address("192.0.2.7", 40000), destination: address("198.51.100.9", 25)),
                               length: line.count))
        let v6 = Array("PROXY TCP6 2001:db8::1 ::1 1 65535\r\n".utf8)
        XCTAssertEqual(ProxyHeaderParser.parse(v6),
                       .header(.proxied(source: address("2001:db8::1", 1), destination: address("::1", 65535)), length: v6.count))
        XCTAssertEqual(ProxyHeaderParser.parse(Array("PROXY UNKNOWN whatever\r\nX".utf8)), .header(.local, length: 24))
        // Every strict prefix waits for more.
        for end in 0..<line.count {
            XCTAssertEqual(ProxyHeaderParser.parse(line.prefix(end)), .needMore, "prefix \(end)")
        }
    }

    func testRefusesBadV1() {
        for text in ["PROXY TCP4 192.0.2.7 198.51.100.9 40000\r\n", "PROXY TCP4 ::1 ::1 1 2\r\n",
                     "PROXY TCP6 1.2.3.4 1.2.3.4 1 2\r\n", "PROXY TCP4 1.2.3.4 1.2.3.4 1 65536\r\n",
                     "PROXY TCP4 1.2.3.4 1.2.3.4 1 2\n", "PROXY TCP4 1.2.3.4  1.2.3.4 1 2\r\n",
                     "PROXY UDP4 1.2.3.4 1.2.3.4 1 2\r\n", "PROXY TCP4 1.2.3.4 1.2.3.4 -1 2\r\n",
                     "PROXY " + String(repeating: "x", count: 120)] {
            XCTAssertEqual(ProxyHeaderParser.parse(Array(text.utf8)), .invalid(.badHeader), text)
        }
        XCTAssertEqual(ProxyHeaderParser.parse(Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8)), .invalid(.notHeader))
        // Fewer than 16 bytes that are not "PROXY ": haproxy waits (and says "Truncated" at EOF).
        XCTAssertEqual(ProxyHeaderParser.parse(Array("GARBAGE\r\nhello".utf8)), .needMore)
    }

    func testParsesV2() {
        let tcp4 = bytes(capturedV2TCP4)
        XCTAssertEqual(ProxyHeaderParser.parse(tcp4 + [1, 2, 3]),
                       .header(.proxied(source: address("127.0.0.1", 46278), destination: address("127.0.0.1", 24001)),
                               length: 28))
        XCTAssertEqual(ProxyHeaderParser.parse(bytes(capturedV2TCP6)),
                       .header(.proxied(source: address("::1", 50658), destination: address("::1", 24002)), length: 52))
        for end in 0..<tcp4.count {
            XCTAssertEqual(ProxyHeaderParser.parse(tcp4.prefix(end)), .needMore, "prefix \(end)")
        }
        // LOCAL, with anything after the addresses skipped.
        let local = ProxyHeaderParser.v2Signature + [0x20, 0x00, 0x00, 0x03, 9, 9, 9]
        XCTAssertEqual(ProxyHeaderParser.parse(local), .header(.local, length: 19))
        // A TLV (PP2_TYPE_NOOP) after the addresses is skipped.
        var withTLV = tcp4
        withTLV[15] = 12 + 5
        withTLV += [0x04, 0x00, 0x02, 0xAA, 0xBB]
        XCTAssertEqual(ProxyHeaderParser.parse(withTLV + [7]),
                       .header(.proxied(source: address("127.0.0.1", 46278), destination: address("127.0.0.1", 24001)),
                               length: 33))
        // AF_UNIX: the connection's own addresses stand.
        let unix = ProxyHeaderParser.v2Signature + [0x21, 0x31, 0x00, 0xD8] + [UInt8](repeating: 0, count: 216)
        XCTAssertEqual(ProxyHeaderParser.parse(unix), .header(.local, length: 232))
    }

    func testRefusesBadV2() {
        let tcp4 = bytes(capturedV2TCP4)
        var version1 = tcp4
        version1[12] = 0x11
        XCTAssertEqual(ProxyHeaderParser.parse(version1), .invalid(.notHeader))
        var shortAddresses = tcp4
        shortAddresses[15] = 8
        XCTAssertEqual(ProxyHeaderParser.parse(shortAddresses), .invalid(.badHeader))
        var overflowingTLV = tcp4
        overflowingTLV[15] = 12 + 4
        overflowingTLV += [0x04, 0x00, 0x09, 0xAA]
        XCTAssertEqual(ProxyHeaderParser.parse(overflowingTLV), .invalid(.badHeader))
        // A received unique-id TLV: up to 128 bytes (haproxy 2.6.12 resets a client sending 129).
        for (size, outcome) in [(128, ProxyHeaderParser.Outcome.header(.proxied(source: address("127.0.0.1", 46278),
                                                                                 destination: address("127.0.0.1", 24001)), length: 16 + 12 + 131)),
                                (129, .invalid(.badHeader))] {
            var uniqueID = tcp4
            uniqueID[15] = UInt8(12 + 3 + size)
            uniqueID += [0x05, 0x00, UInt8(size)] + [UInt8](repeating: 0x75, count: size)
            XCTAssertEqual(ProxyHeaderParser.parse(uniqueID), outcome, "\(size) bytes")
        }
        var badCommand = tcp4
        badCommand[12] = 0x2F
        XCTAssertEqual(ProxyHeaderParser.parse(badCommand), .invalid(.badHeader))
        var tooLong = tcp4
        tooLong[14] = 0xFF
        XCTAssertEqual(ProxyHeaderParser.parse(tooLong, limit: 16384), .invalid(.badHeader))
    }
}
