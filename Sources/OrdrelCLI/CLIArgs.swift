/// Argument conversions with the C library semantics haproxy 2.6 relies on (atoi, strtol,
/// strtoul), made explicit so no input can alias another value silently.
enum CLIArgs {
    /// Outcome of reading a session id.
    enum SessionIDParse: Equatable {
        /// No number at all (`foo`, `0`): haproxy's "null pointer" case.
        case zero
        /// Garbage after digits, a sign, or overflow: it can never name a session.
        case unmatchable
        /// A full, exact id.
        case value(UInt64)
    }

    /// Session ids as `strtoul(s, NULL, 0)` reads them (`0x` hex, leading-0 octal, decimal),
    /// except that partial parses and overflows never match instead of being truncated/clamped.
    static func sessionID(_ s: String) -> SessionIDParse {
        var b = Substring(s).utf8[...]
        while let c = b.first, c == 0x20 || c == 0x09 { b = b.dropFirst() }
        if b.first == UInt8(ascii: "+") || b.first == UInt8(ascii: "-") {
            return b.dropFirst().contains(where: { $0 >= 0x31 && $0 <= 0x39 }) ? .unmatchable : .zero
        }
        var base: UInt64 = 10
        if b.count >= 2, b.first == 0x30, let x = b.dropFirst().first, x == 0x78 || x == 0x58 {
            let rest = b.dropFirst(2)
            if let f = rest.first, hexValue(f) != nil {
                base = 16
                b = rest
            } else {
                b = b.prefix(1)
                if rest.isEmpty { return .zero }
                return .unmatchable
            }
        } else if b.first == 0x30 {
            base = 8
        }
        var v: UInt64 = 0
        var digits = 0
        for c in b {
            guard let d = hexValue(c), d < base else { return digits == 0 ? .zero : .unmatchable }
            let (m, o1) = v.multipliedReportingOverflow(by: base)
            let (n, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return .unmatchable }
            v = n
            digits += 1
        }
        return v == 0 ? .zero : .value(v)
    }

    private static func hexValue(_ c: UInt8) -> UInt64? {
        switch c {
        case 0x30...0x39: return UInt64(c - 0x30)
        case 0x61...0x66: return UInt64(c - 0x61 + 10)
        case 0x41...0x46: return UInt64(c - 0x41 + 10)
        default: return nil
        }
    }

    /// `strtol(s, &end, 10)`: nil when no digits; otherwise the value (saturated) and whether
    /// the whole string was consumed.
    static func strtol(_ s: String) -> (Int64, Bool)? {
        var b = Substring(s).utf8[...]
        while let c = b.first, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D {
            b = b.dropFirst()
        }
        var negative = false
        if let c = b.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            negative = c == UInt8(ascii: "-")
            b = b.dropFirst()
        }
        var v: Int64 = 0
        var digits = 0
        while let c = b.first, c >= 0x30 && c <= 0x39 {
            let d = Int64(c - 0x30)
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (n, o2) = m.addingReportingOverflow(d)
            v = (o1 || o2) ? Int64.max : n
            digits += 1
            b = b.dropFirst()
        }
        if digits == 0 { return nil }
        return (negative ? (v == Int64.max ? Int64.min : -v) : v, b.isEmpty)
    }

    /// `atoi`: leading number or 0, truncated to 32 bits.
    static func atoi(_ s: String) -> Int32 {
        guard let (v, _) = strtol(s) else { return 0 }
        return Int32(truncatingIfNeeded: v)
    }

    /// haproxy's `server_parse_weight_change_request` checks and messages (some lack their LF in 2.6).
    static func weight(_ s: String) -> Result<WeightRequest, WeightError> {
        if s.isEmpty { return .failure(WeightError("Require <weight> or <weight%>.\n")) }
        guard let (v, whole) = strtol(s) else {
            return .failure(WeightError("Empty weight string empty or preceded by garbage"))
        }
        if !whole && s.hasSuffix("%") && strtol(String(s.dropLast()))?.1 == true {
            if v < 0 { return .failure(WeightError("Relative weight must be positive.\n")) }
            return .success(.relative(UInt32(min(v, 25600))))
        }
        if v < 0 || v > 256 {
            return .failure(WeightError("Absolute weight can only be between 0 and 256 inclusive.\n"))
        }
        if !whole { return .failure(WeightError("Trailing garbage in weight string")) }
        return .success(.absolute(UInt32(v)))
    }

    /// Error text of a weight request.
    struct WeightError: Error, Equatable {
        let text: String
        init(_ t: String) { text = t }
    }

    /// Port argument of `set server ... addr ... port`.
    static func port(_ s: String) -> PortRequest {
        if let c = s.utf8.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            guard let (v, whole) = strtol(s), whole, s.utf8.count > 1 else { return .invalid(s) }
            return .offset(Int32(clamping: v))
        }
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let (v, _) = strtol(s) else {
            return .invalid(s)
        }
        return .absolute(UInt16(truncatingIfNeeded: v))
    }

    /// `set timeout cli` value: seconds, optionally suffixed with s/m/h/d.
    static func timeSeconds(_ s: String) -> UInt32? {
        var digits = Substring(s)
        var mult: UInt64 = 1
        switch digits.last {
        case "s": digits = digits.dropLast()
        case "m": mult = 60; digits = digits.dropLast()
        case "h": mult = 3600; digits = digits.dropLast()
        case "d": mult = 86400; digits = digits.dropLast()
        default: break
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let v = UInt64(digits), v <= UInt64(UInt32.max) / mult else { return nil }
        return UInt32(v * mult)
    }
}
