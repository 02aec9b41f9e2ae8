/// A bounds-checked reader of the start of a TLS connection: the record header and the
/// ClientHello in the first record, for `req.ssl_sni`, `req.ssl_hello_type` and `req.ssl_ver`
/// (haproxy's payload.c). The bytes are the client's, so every length is checked against what
/// arrived and nothing past `bytes.count` is ever read.
public enum ClientHello {
    /// What the bytes so far say.
    public enum Outcome<Value: Equatable>: Equatable {
        /// Not enough bytes yet to tell.
        case incomplete
        /// Not a TLS handshake record (or a malformed one): more bytes will not change that.
        case notHandshake
        case hello(Value)
    }

    /// What ordrel reads from a ClientHello.
    public struct Parsed: Equatable {
        /// The `host_name` of the server_name extension, as sent.
        public var serverName: [UInt8]?
    }

    /// The largest record haproxy accepts (2^14 plus 2048 for compression/encryption).
    static let maxRecordLength = (1 << 14) + 2048

    /// The handshake record's body bounds, or why not: `0x16`, version 3.x, a sane length.
    private static func record(_ bytes: UnsafeRawBufferPointer) -> Outcome<Int> {
        guard bytes.count >= 5 else {
            // A first byte that is no handshake is known at once.
            if let first = bytes.first, first != 0x16 { return .notHandshake }
            return .incomplete
        }
        guard bytes[0] == 0x16, bytes[1] >= 3 else { return .notHandshake }
        let length = Int(bytes[3]) << 8 | Int(bytes[4])
        guard length >= 4, length <= maxRecordLength else { return .notHandshake }
        return .hello(length)
    }

    /// `req.ssl_hello_type`, `res.ssl_hello_type`: the handshake type of the first message (1
    /// ClientHello, 2 ServerHello), once that whole message arrived (its 24-bit length at bytes
    /// 6–8), as haproxy's `smp_fetch_ssl_hello_type` (checked with 2.6.12: six bytes of a
    /// ClientHello leave `req.ssl_hello_type 1` waiting for the inspect delay).
    public static func handshakeType(_ bytes: UnsafeRawBufferPointer) -> Outcome<Int> {
        switch record(bytes) {
        case .incomplete: return .incomplete
        case .notHandshake: return .notHandshake
        case .hello:
            guard bytes.count >= 9 else { return .incomplete }
            let messageLength = Int(bytes[6]) << 16 | Int(bytes[7]) << 8 | Int(bytes[8])
            guard bytes.count >= 9 + messageLength else { return .incomplete }
            return .hello(Int(bytes[5]))
        }
    }

    /// `req.ssl_ver`: the ClientHello's version as `major << 16 | minor` (as haproxy, the hello's
    /// version, not the record layer's).
    public static func recordVersion(_ bytes: UnsafeRawBufferPointer) -> Outcome<Int> {
        switch record(bytes) {
        case .incomplete: return .incomplete
        case .notHandshake: return .notHandshake
        case .hello(let length):
            guard length >= 6 else { return .notHandshake }
            guard bytes.count >= 11 else { return .incomplete }
            return .hello(Int(bytes[9]) << 16 | Int(bytes[10]))
        }
    }

    /// The ClientHello in the first record, once all of it arrived.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Outcome<Parsed> {
        guard case .hello(let recordLength) = record(bytes) else {
            return record(bytes) == .incomplete ? .incomplete : .notHandshake
        }
        guard bytes.count >= 9 else { return .incomplete }
        guard bytes[5] == 1 else { return .notHandshake }
        let helloLength = Int(bytes[6]) << 16 | Int(bytes[7]) << 8 | Int(bytes[8])
        // The hello must fit in its record (haproxy reads no further than the first record).
        guard helloLength + 4 <= recordLength else { return .notHandshake }
        let end = 9 + helloLength
        guard bytes.count >= end else { return .incomplete }
        var reader = Reader(bytes: bytes, position: 9, end: end)
        guard reader.skip(2 + 32),                       // client_version, random
              reader.skipVector(lengthBytes: 1),         // session_id
              reader.skipVector(lengthBytes: 2),         // cipher_suites
              reader.skipVector(lengthBytes: 1) else {   // compression_methods
            return .notHandshake
        }
        // No extensions at all: a valid hello without a name.
        guard reader.position < end else { return .hello(Parsed(serverName: nil)) }
        guard let extensionsLength = reader.integer(2), reader.position + extensionsLength <= end else {
            return .notHandshake
        }
        var extensions = Reader(bytes: bytes, position: reader.position, end: reader.position + extensionsLength)
        while extensions.position < extensions.end {
            guard let type = extensions.integer(2), let length = extensions.integer(2),
                  extensions.position + length <= extensions.end else { return .notHandshake }
            if type == 0 {
                var names = Reader(bytes: bytes, position: extensions.position, end: extensions.position + length)
                guard let listLength = names.integer(2), names.position + listLength <= names.end else { return .notHandshake }
                names.end = names.position + listLength
                while names.position < names.end {
                    guard let nameType = names.integer(1), let nameLength = names.integer(2),
                          names.position + nameLength <= names.end else { return .notHandshake }
                    if nameType == 0 {
                        let start = names.position
                        return .hello(Parsed(serverName: Array(bytes[start..<(start + nameLength)])))
                    }
                    _ = names.skip(nameLength)
                }
                return .hello(Parsed(serverName: nil))
            }
            _ = extensions.skip(length)
        }
        return .hello(Parsed(serverName: nil))
    }

    /// A cursor that never moves past `end` (itself never past the bytes).
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var position: Int
        var end: Int

        mutating func skip(_ count: Int) -> Bool {
            guard count >= 0, position + count <= end else { return false }
            position += count
            return true
        }

        /// A big-endian integer of `size` bytes.
        mutating func integer(_ size: Int) -> Int? {
            guard position + size <= end else { return nil }
            var value = 0
            for index in position..<(position + size) { value = value << 8 | Int(bytes[index]) }
            position += size
            return value
        }

        mutating func skipVector(lengthBytes: Int) -> Bool {
            guard let length = integer(lengthBytes) else { return false }
            return skip(length)
        }
    }
}

/// The `Cookie: <name>=<value>\r\n` line of an RDP connection request (after its 11-byte TPKT and
/// X.224 headers), as haproxy's `fetch_rdp_cookie_name`; bounds-checked like `ClientHello`.
public enum RDPCookie {
    /// Where the value lies in `bytes`, or why not (`notHandshake`: no such cookie).
    public static func value(_ bytes: UnsafeRawBufferPointer, name: String?) -> ClientHello.Outcome<Range<Int>> {
        var at = 11
        let prefix = Array("cookie:".utf8)
        guard bytes.count > at + prefix.count else { return .incomplete }
        for (offset, expected) in prefix.enumerated() where lower(bytes[at + offset]) != expected {
            return .notHandshake
        }
        at += prefix.count
        while at < bytes.count && bytes[at] == 0x20 { at += 1 }
        if let name {
            let wanted = Array(name.utf8)
            guard bytes.count - at > wanted.count else { return .incomplete }
            guard bytes[at + wanted.count] == 0x3d,
                  wanted.indices.allSatisfy({ lower(bytes[at + $0]) == lower(wanted[$0]) }) else { return .notHandshake }
            at += wanted.count + 1
        } else {
            while at < bytes.count && bytes[at] != 0x3d {
                if bytes[at] == 0x0d || bytes[at] == 0x0a { return .notHandshake }
                at += 1
            }
            guard at < bytes.count else { return .incomplete }
            at += 1
        }
        let start = at
        while at < bytes.count && bytes[at] != 0x0d { at += 1 }
        guard bytes.count - at >= 2 else { return .incomplete }
        guard bytes[at + 1] == 0x0a else { return .notHandshake }
        return .hello(start..<at)
    }

    private static func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }
}
