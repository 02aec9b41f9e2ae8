/// haproxy time values (configuration.txt §2.5): an unsigned integer with an optional unit
/// `us`, `ms`, `s`, `m`, `h` or `d`; no unit means milliseconds.
public enum DurationParser {
    /// Milliseconds for `text`, or nil when it is not a valid time value.
    /// Microseconds round up to the next millisecond (`100us` is 1), like haproxy.
    public static func milliseconds(_ text: String) -> UInt64? {
        if case .success(let ms) = parse(text) { return ms }
        return nil
    }

    /// Why a time value was refused, so callers can word haproxy's messages.
    enum Failure: Error, Equatable {
        /// No digits at all (empty value).
        case empty
        /// The first character that is not a digit nor a known unit.
        case unexpectedCharacter(Character)
        /// A valid unit followed by more text (`1m30s`): haproxy only reads one number.
        case trailingCharacter(Character)
        /// The value does not fit in 64 bits of milliseconds.
        case overflow
    }

    /// The largest timer haproxy accepts in proxies (`TICK_ETERNITY` aside): 2^31-1 ms, ~24.8 days.
    static let maximumTimerMs: UInt64 = 2_147_483_647

    static func parse(_ text: String) -> Result<UInt64, Failure> {
        var value: UInt64 = 0
        var index = text.startIndex
        var sawDigit = false
        while index < text.endIndex, let digit = text[index].wholeNumberValue, text[index].isASCII {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
            if o1 || o2 { return .failure(.overflow) }
            value = sum
            sawDigit = true
            index = text.index(after: index)
        }
        if !sawDigit {
            if let first = text.first { return .failure(.unexpectedCharacter(first)) }
            return .failure(.empty)
        }
        let unit = text[index...]
        let result: UInt64
        let rest: Substring
        switch true {
        case unit.isEmpty:
            return .success(value)
        case unit.hasPrefix("us"):
            result = value / 1000 + (value % 1000 == 0 ? 0 : 1)
            rest = unit.dropFirst(2)
        case unit.hasPrefix("ms"):
            result = value
            rest = unit.dropFirst(2)
        case unit.hasPrefix("s"):
            guard let r = scaled(value, 1000) else { return .failure(.overflow) }
            result = r
            rest = unit.dropFirst()
        case unit.hasPrefix("m"):
            guard let r = scaled(value, 60_000) else { return .failure(.overflow) }
            result = r
            rest = unit.dropFirst()
        case unit.hasPrefix("h"):
            guard let r = scaled(value, 3_600_000) else { return .failure(.overflow) }
            result = r
            rest = unit.dropFirst()
        case unit.hasPrefix("d"):
            guard let r = scaled(value, 86_400_000) else { return .failure(.overflow) }
            result = r
            rest = unit.dropFirst()
        default:
            return .failure(.unexpectedCharacter(unit.first!))
        }
        if let extra = rest.first { return .failure(.trailingCharacter(extra)) }
        return .success(result)
    }

    private static func scaled(_ value: UInt64, _ factor: UInt64) -> UInt64? {
        let (r, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : r
    }
}
