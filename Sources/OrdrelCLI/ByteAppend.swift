/// Allocation-free appends used by every renderer (no Foundation formatting on hot paths).
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func append(_ s: String) {
        append(contentsOf: s.utf8)
    }
}

/// Numbers in decimal and hexadecimal, into any `ByteSink`.
extension ByteSink {
    /// Appends `v` in decimal.
    mutating func appendDecimal(_ v: UInt64) {
        if v < 10 {
            append(UInt8(truncatingIfNeeded: v) &+ 0x30)
            return
        }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let n = Swift.withUnsafeMutableBytes(of: &tmp) { raw -> Int in
            var v = v
            var i = 24
            while v != 0 {
                i -= 1
                raw[i] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
                v /= 10
            }
            return i
        }
        Swift.withUnsafeBytes(of: &tmp) { raw in
            append(bytes: UnsafeBufferPointer(rebasing: raw.assumingMemoryBound(to: UInt8.self)[n..<24]))
        }
    }

    /// Appends `v` in decimal with a leading `-` when negative.
    mutating func appendDecimal(_ v: Int64) {
        if v < 0 {
            append(UInt8(ascii: "-"))
            appendDecimal(v.magnitude)
        } else {
            appendDecimal(UInt64(v))
        }
    }

    /// Appends `v` in hexadecimal without prefix, lowercase unless `uppercase`.
    mutating func appendHex(_ v: UInt64, uppercase: Bool = false) {
        let digits: StaticString = uppercase ? "0123456789ABCDEF" : "0123456789abcdef"
        var shift = 60
        while shift > 0 && (v >> UInt64(shift)) & 0xf == 0 { shift -= 4 }
        digits.withUTF8Buffer { d in
            while shift >= 0 {
                append(d[Int((v >> UInt64(shift)) & 0xf)])
                shift -= 4
            }
        }
    }
}

extension ByteSink {
    /// Appends a CSV cell: quoted (quotes doubled) only when it holds `,`, `"`, CR or LF, like haproxy's csv_enc.
    mutating func appendCSV(_ s: String) {
        var s = s
        s.withUTF8 { text in
            guard text.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                return append(bytes: text)
            }
            append(0x22)
            for b in text {
                if b == 0x22 { append(0x22) }
                append(b)
            }
            append(0x22)
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends a JSON string literal (with quotes), escaping `"`, `\` and control bytes.
    mutating func appendJSONString(_ s: String) {
        append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: append(contentsOf: [0x5C, 0x22])
            case 0x5C: append(contentsOf: [0x5C, 0x5C])
            case 0x0A: append(contentsOf: [0x5C, 0x6E])
            case 0x0D: append(contentsOf: [0x5C, 0x72])
            case 0x09: append(contentsOf: [0x5C, 0x74])
            case 0..<0x20:
                append(contentsOf: Array("\\u00".utf8))
                appendHexDigit(b >> 4)
                appendHexDigit(b & 0xf)
            default: append(b)
            }
        }
        append(0x22)
    }

    @inline(__always)
    private mutating func appendHexDigit(_ d: UInt8) {
        append(d < 10 ? d &+ 0x30 : d &+ 0x57)
    }
}
