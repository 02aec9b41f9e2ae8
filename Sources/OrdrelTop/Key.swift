/// A key press `ordrelctl top` understands, decoded from the terminal's bytes.
public enum Key: Equatable, Sendable {
    case up
    case down
    case pageUp
    case pageDown
    case home
    case end
    /// A printable character (ASCII), e.g. `q`, `d`, `>`.
    case character(Character)
    /// Ctrl-C (byte 3): raw mode turns off signals, so it arrives as a key.
    case interrupt
    /// Anything else: a lone escape, an unknown sequence, a control byte.
    case other
}

/// Bytes in, keys out. Escape sequences (`ESC [ A`, `ESC O A`, `ESC [ 5 ~` ...) arrive whole in one
/// read from a terminal, so each chunk is decoded on its own and a sequence cut off at the end
/// of a chunk decodes as `.other`.
public enum KeyDecoder {
    public static func decode(_ bytes: [UInt8]) -> [Key] {
        var keys: [Key] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x1b:
                guard index < bytes.count, bytes[index] == UInt8(ascii: "[") || bytes[index] == UInt8(ascii: "O") else {
                    keys.append(.other)
                    continue
                }
                index += 1
                // Parameters (digits, `;`), then one final byte in 0x40...0x7e.
                var parameters: [UInt8] = []
                while index < bytes.count, (0x30...0x3f).contains(bytes[index]) {
                    parameters.append(bytes[index])
                    index += 1
                }
                guard index < bytes.count else {
                    keys.append(.other)
                    continue
                }
                let final = bytes[index]
                index += 1
                keys.append(sequence(final: final, parameters: String(decoding: parameters, as: UTF8.self)))
            case 3:
                keys.append(.interrupt)
            case 0x20...0x7e:
                keys.append(.character(Character(Unicode.Scalar(byte))))
            default:
                keys.append(.other)
            }
        }
        return keys
    }

    /// CSI/SS3 final byte and parameters to a key (xterm, VT220 and rxvt spellings).
    private static func sequence(final: UInt8, parameters: String) -> Key {
        switch (final, parameters) {
        case (UInt8(ascii: "A"), _): return .up
        case (UInt8(ascii: "B"), _): return .down
        case (UInt8(ascii: "H"), _): return .home
        case (UInt8(ascii: "F"), _): return .end
        case (UInt8(ascii: "~"), "5"): return .pageUp
        case (UInt8(ascii: "~"), "6"): return .pageDown
        case (UInt8(ascii: "~"), "1"), (UInt8(ascii: "~"), "7"): return .home
        case (UInt8(ascii: "~"), "4"), (UInt8(ascii: "~"), "8"): return .end
        default: return .other
        }
    }
}
