import OrdrelConfig
import OrdrelSystem

/// Keys of a stick table from samples, from the CLI and back to text, as haproxy's
/// `smp_to_stkey`, `table_process_entry_per_key` and `table_dump_entry_to_buffer`.
extension StickKeyType {
    private static let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]

    /// The key a fetch's sample gives, nil when it cannot be one (an IPv6 client in an `ip` table).
    func key(_ sample: ACLSample, size: Int) -> [UInt8]? {
        switch (self, sample) {
        case (.ip, .ip(let bytes)):
            if bytes.count == 4 { return bytes }
            guard bytes.count == 16, bytes.prefix(12).elementsEqual(Self.mappedPrefix) else { return nil }
            return Array(bytes.suffix(4))
        case (.ipv6, .ip(let bytes)):
            return bytes.count == 16 ? bytes : Self.mappedPrefix + bytes
        case (.ip, .int(let n)), (.integer, .int(let n)):
            return Self.bigEndian(UInt32(truncatingIfNeeded: n))
        case (.integer, .bool(let b)):
            return Self.bigEndian(b ? 1 : 0)
        case (.integer, .bytes(let text)):
            return Int64(String(decoding: text, as: UTF8.self)).map { Self.bigEndian(UInt32(truncatingIfNeeded: $0)) }
        case (.string, .bytes(let bytes)):
            return Array(bytes.prefix(size))
        case (.string, .int(let n)):
            return Array(String(n).utf8.prefix(size))
        case (.string, .ip(let bytes)):
            return Array(SocketAddress(ipBytes: bytes, port: 0).host.utf8.prefix(size))
        default:
            return nil
        }
    }

    /// What the CLI's `key <k>` means: an `ip` key that does not parse is 0.0.0.0 (haproxy's
    /// `inetaddr_host`); nil is haproxy's "Invalid key".
    func key(cli text: String, size: Int) -> [UInt8]? {
        switch self {
        case .ip:
            guard let address = SocketAddress(ip: text, port: 0), address.family == .inet else { return [0, 0, 0, 0] }
            return address.addressBytes
        case .ipv6:
            guard let address = SocketAddress(ip: text, port: 0), address.family == .inet6 else { return nil }
            return address.addressBytes
        case .integer:
            guard let n = UInt32(text) else { return nil }
            return Self.bigEndian(n)
        case .string:
            return Array(text.utf8.prefix(size))
        }
    }

    /// `key=` text of `show table`.
    func text(_ key: [UInt8]) -> String {
        switch self {
        case .ip, .ipv6:
            return SocketAddress(ipBytes: key, port: 0).host
        case .integer:
            return String(key.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        case .string:
            // haproxy's dump_text: printable bytes as they are, the others escaped.
            var out = ""
            for byte in key.prefix(while: { $0 != 0 }) {
                switch byte {
                case 0x20...0x7e where byte != 0x5c: out.unicodeScalars.append(Unicode.Scalar(byte))
                case 0x5c: out += "\\\\"
                case 0x0a: out += "\\n"
                case 0x0d: out += "\\r"
                case 0x09: out += "\\t"
                default:
                    let digits = Array("0123456789abcdef")
                    out += "\\x\(digits[Int(byte >> 4)])\(digits[Int(byte & 15)])"
                }
            }
            return out
        }
    }

    private static func bigEndian(_ n: UInt32) -> [UInt8] {
        [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
    }
}
