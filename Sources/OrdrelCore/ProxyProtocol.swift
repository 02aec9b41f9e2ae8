import OrdrelConfig
import OrdrelSystem

/// What a PROXY protocol header (v1 or v2) says about the connection it precedes.
enum ProxyHeader: Equatable {
    /// v2 `LOCAL`, v1 `UNKNOWN`, or a v2 family ordrel does not map: the connection's own
    /// addresses stand (haproxy keeps them too).
    case local
    /// The original client (`source`) and the address it connected to (`destination`).
    case proxied(source: SocketAddress, destination: SocketAddress)
}

/// The sans-IO PROXY header parser, as haproxy 2.6's `conn_recv_proxy`: fed the bytes received so
/// far (peeked, not consumed), it says whether more are needed, how long the header is (the only
/// bytes the caller may then consume), or that the header is invalid.
enum ProxyHeaderParser {
    /// The outcome of one look at the received bytes.
    enum Outcome: Equatable {
        /// A prefix of a possible header: wait for more (or, at EOF or timeout, "Truncated").
        case needMore
        /// A complete header of `length` bytes; the payload starts after it.
        case header(ProxyHeader, length: Int)
        /// Not a valid PROXY header: the connection is closed and this is logged.
        case invalid(ProxyHeaderError)
    }

    /// The longest v1 line, CRLF included (doc/proxy-protocol.txt).
    static let v1MaxLength = 107
    /// The 12-byte v2 signature.
    static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    private static let v1Prefix = Array("PROXY ".utf8)

    /// Parses `bytes`; a v2 header longer than `limit` bytes is invalid (haproxy: the buffer size).
    static func parse(_ bytes: some Collection<UInt8>, limit: Int = 16384) -> Outcome {
        let data = Array(bytes.prefix(max(limit, v1MaxLength)))
        if data.starts(with: v1Prefix.prefix(data.count)) && data.count < v1Prefix.count { return .needMore }
        if data.starts(with: v1Prefix) { return parseV1(data) }
        // haproxy waits for the v2 fixed part (16 bytes) before checking its signature.
        if data.count < 16 { return .needMore }
        return parseV2(data, limit: limit)
    }

    // MARK: v1

    private static func parseV1(_ data: [UInt8]) -> Outcome {
        guard let lf = data.prefix(v1MaxLength).firstIndex(of: 0x0A) else {
            return data.count >= v1MaxLength ? .invalid(.badHeader) : .needMore
        }
        guard lf > 0, data[lf - 1] == 0x0D else { return .invalid(.badHeader) }
        let line = data[v1Prefix.count..<(lf - 1)]
        let length = lf + 1
        if line.starts(with: Array("UNKNOWN".utf8)) { return .header(.local, length: length) }
        let fields = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard fields.count == 5, let family = fields.first.map({ String(decoding: $0, as: UTF8.self) }),
              family == "TCP4" || family == "TCP6",
              let sourcePort = port(fields[3]), let destinationPort = port(fields[4]),
              let source = SocketAddress(ip: String(decoding: fields[1], as: UTF8.self), port: sourcePort),
              let destination = SocketAddress(ip: String(decoding: fields[2], as: UTF8.self), port: destinationPort)
        else { return .invalid(.badHeader) }
        let expected: SocketAddress.Family = family == "TCP4" ? .inet : .inet6
        guard source.family == expected, destination.family == expected else { return .invalid(.badHeader) }
        return .header(.proxied(source: source, destination: destination), length: length)
    }

    /// A decimal port of 1 to 5 digits, at most 65535.
    private static func port(_ text: ArraySlice<UInt8>) -> UInt16? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let value = text.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return value <= 65535 ? UInt16(value) : nil
    }

    // MARK: v2

    private static func parseV2(_ data: [UInt8], limit: Int) -> Outcome {
        guard data.starts(with: v2Signature), data[12] & 0xF0 == 0x20 else { return .invalid(.notHeader) }
        let length = 16 + Int(data[14]) << 8 + Int(data[15])
        guard length <= limit else { return .invalid(.badHeader) }
        guard data.count >= length else { return .needMore }
        let body = data[16..<length]
        let addressLength: Int
        let header: ProxyHeader
        switch (data[12] & 0x0F, data[13]) {
        case (0x00, _):
            // LOCAL (a health check from the proxy itself): the rest of the header is skipped.
            return .header(.local, length: length)
        case (0x01, 0x11):
            guard body.count >= 12 else { return .invalid(.badHeader) }
            addressLength = 12
            header = .proxied(source: inet(body, at: 0, size: 4, portAt: 8),
                              destination: inet(body, at: 4, size: 4, portAt: 10))
        case (0x01, 0x21):
            guard body.count >= 36 else { return .invalid(.badHeader) }
            addressLength = 36
            header = .proxied(source: inet(body, at: 0, size: 16, portAt: 32),
                              destination: inet(body, at: 16, size: 16, portAt: 34))
        case (0x01, 0x31), (0x01, 0x32), (0x01, 0x00), (0x01, 0x12), (0x01, 0x22):
            // Unix, UNSPEC and datagram families: haproxy keeps the connection's addresses.
            addressLength = data[13] & 0xF0 == 0x30 ? 216 : 0
            guard body.count >= addressLength else { return .invalid(.badHeader) }
            header = .local
        default:
            return .invalid(.badHeader)
        }
        return tlvsAreSound(body, whole: data.prefix(length), skipping: addressLength) ? .header(header, length: length) : .invalid(.badHeader)
    }

    /// The IPv4 or IPv6 address of `size` bytes at `offset` with its port at `portAt`.
    private static func inet(_ body: ArraySlice<UInt8>, at offset: Int, size: Int, portAt: Int) -> SocketAddress {
        let start = body.startIndex
        let port = UInt16(body[start + portAt]) << 8 | UInt16(body[start + portAt + 1])
        return SocketAddress(ipBytes: Array(body[(start + offset)..<(start + offset + size)]), port: port)
    }

    /// The TLVs after the addresses fit the header exactly (haproxy rejects one that overflows),
    /// a CRC32C TLV holds the checksum of the whole header computed with it zeroed, and a
    /// unique-id TLV is at most 128 bytes (haproxy 2.6.12's `UNIQUEID_LEN`: longer is refused).
    private static func tlvsAreSound(_ body: ArraySlice<UInt8>, whole: ArraySlice<UInt8>, skipping: Int) -> Bool {
        var index = body.startIndex + skipping
        while index < body.endIndex {
            guard body.endIndex - index >= 3 else { return false }
            let type = body[index]
            let size = Int(body[index + 1]) << 8 | Int(body[index + 2])
            let value = (index + 3)..<(index + 3 + size)
            guard value.upperBound <= body.endIndex else { return false }
            if type == ProxyHeaderEncoder.uniqueIDType && size > 128 { return false }
            if type == ProxyHeaderEncoder.crc32cType {
                guard size == 4 else { return false }
                var zeroed = Array(whole)
                for position in value { zeroed[position - whole.startIndex] = 0 }
                let sent = body[value].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                guard CRC32C.checksum(zeroed) == sent else { return false }
            }
            index = value.upperBound
        }
        return true
    }
}

/// Why a connection's PROXY header was refused, in haproxy 2.6's log words (`conn_err_code_str`).
enum ProxyHeaderError: String, Equatable {
    /// Neither `PROXY ` nor the v2 signature.
    case notHeader = "Received something which does not look like a PROXY protocol header"
    /// A header whose fields are wrong.
    case badHeader = "Received an invalid PROXY protocol header"
    /// The client closed, or `timeout client` expired, before the header was complete.
    case truncated = "Truncated PROXY protocol header received"
    /// The client closed before sending anything.
    case empty = "Connection closed while waiting for PROXY protocol header"
    /// The client's socket failed.
    case aborted = "Connection error while waiting for PROXY protocol header"
    /// `timeout client` expired before any byte came.
    case timeout = "Timeout while waiting for PROXY protocol header"
}

/// PROXY headers as haproxy 2.6 writes them towards a server (`make_proxy_line_v1/v2`); the bytes
/// match captures of haproxy 2.6.12 (`Tests/OrdrelCoreTests/ProxyProtocolTests.swift`).
enum ProxyHeaderEncoder {
    /// `PP2_TYPE_CRC32C`.
    static let crc32cType: UInt8 = 0x03
    /// `PP2_TYPE_UNIQUE_ID`.
    static let uniqueIDType: UInt8 = 0x05

    /// The header of `version` for a connection from `source` to `destination` (nil when unknown);
    /// `uniqueID` adds the empty unique-id TLV to a v2 header (streams only: haproxy sends none
    /// on checks).
    static func header(_ version: ProxyProtocolVersion, source: SocketAddress, destination: SocketAddress?,
                       crc32c: Bool, uniqueID: Bool = false) -> [UInt8] {
        switch version {
        case .v1: return v1(source: source, destination: destination)
        case .v2: return v2(source: source, destination: destination, crc32c: crc32c, uniqueID: uniqueID)
        }
    }

    /// `PROXY TCP4|TCP6 <src> <dst> <sport> <dport>\r\n`, or `PROXY UNKNOWN\r\n` when the two
    /// addresses are not both IPv4 or both IPv6.
    static func v1(source: SocketAddress, destination: SocketAddress?) -> [UInt8] {
        guard let destination, source.family == destination.family, source.family != .unix else {
            return Array("PROXY UNKNOWN\r\n".utf8)
        }
        let family = source.family == .inet ? "TCP4" : "TCP6"
        return Array("PROXY \(family) \(source.host) \(destination.host) \(source.port) \(destination.port)\r\n".utf8)
    }

    /// The binary v2 header: `PROXY` over TCP4 when both addresses are IPv4, over TCP6 (IPv4
    /// mapped) when either is IPv6, `LOCAL` otherwise; then, in haproxy's order, a CRC32C TLV
    /// (`crc32c`) and an empty unique-id TLV (`uniqueID`), the checksum covering both.
    static func v2(source: SocketAddress, destination: SocketAddress?, crc32c: Bool = false, uniqueID: Bool = false) -> [UInt8] {
        var header = ProxyHeaderParser.v2Signature
        var body: [UInt8] = []
        switch (source.family, destination?.family) {
        case (.inet, .inet?):
            guard let destination else { break }
            header += [0x21, 0x11]
            body = source.addressBytes + destination.addressBytes
            body += bigEndian(source.port) + bigEndian(destination.port)
        case (.inet, .inet6?), (.inet6, .inet?), (.inet6, .inet6?):
            guard let destination else { break }
            header += [0x21, 0x21]
            body = mapped(source) + mapped(destination) + bigEndian(source.port) + bigEndian(destination.port)
        default:
            header += [0x20, 0x00]
        }
        let crcOffset = header.count + 2 + body.count + 3
        if crc32c { body += [crc32cType, 0, 4, 0, 0, 0, 0] }
        if uniqueID { body += [uniqueIDType, 0, 0] }
        header += bigEndian(UInt16(body.count)) + body
        if crc32c {
            let sum = CRC32C.checksum(header)
            header.replaceSubrange(crcOffset..<(crcOffset + 4), with: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: sum >> $0) })
        }
        return header
    }

    private static func bigEndian(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    /// The 16 bytes of an IPv6 address, or of an IPv4 one mapped (`::ffff:a.b.c.d`).
    private static func mapped(_ address: SocketAddress) -> [UInt8] {
        address.family == .inet6 ? address.addressBytes : Array(repeating: 0, count: 10) + [0xFF, 0xFF] + address.addressBytes
    }
}

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as the v2 `PP2_TYPE_CRC32C` TLV uses.
enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { index in
        (0..<8).reduce(UInt32(index)) { crc, _ in crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        ~bytes.reduce(UInt32.max) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
}
