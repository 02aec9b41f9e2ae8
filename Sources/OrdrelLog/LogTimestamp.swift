/// An instant broken down in the local time zone (`utcOffset` seconds east of UTC), computed
/// without libc so framing and rendering stay pure: the caller supplies the zone's offset.
public struct LogTimestamp: Sendable, Equatable {
    /// Microseconds since the epoch.
    public let micros: UInt64
    public let utcOffset: Int
    public let year, month, day, hour, minute, second: Int

    public init(micros: UInt64, utcOffset: Int) {
        self.micros = micros
        self.utcOffset = utcOffset
        let local = Int(micros / 1_000_000) + utcOffset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        (year, month, day) = Self.civil(daysSinceEpoch: days)
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
    }

    /// The same instant in UTC.
    public var utc: LogTimestamp { LogTimestamp(micros: micros, utcOffset: 0) }

    public var microsecond: Int { Int(micros % 1_000_000) }
    public var millisecond: Int { microsecond / 1000 }
    public var epochSeconds: UInt64 { micros / 1_000_000 }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
    static func civil(daysSinceEpoch: Int) -> (Int, Int, Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension LogTimestamp {
    /// `Dec  1 21:36:29` (RFC 3164; the day padded with a space).
    func appendRFC3164(to out: inout [UInt8]) {
        out.append(contentsOf: Self.monthNames[month - 1].utf8)
        out.append(0x20)
        if day < 10 { out.append(0x20) }
        out.appendDecimal(day)
        out.append(0x20)
        appendClock(to: &out)
    }

    /// `2026-12-01T21:36:29.561752+00:00` (RFC 5424, ISO 8601 with microseconds).
    func appendISO(to out: inout [UInt8]) {
        out.appendDecimal(year, width: 4)
        out.append(UInt8(ascii: "-"))
        out.appendDecimal(month, width: 2)
        out.append(UInt8(ascii: "-"))
        out.appendDecimal(day, width: 2)
        out.append(UInt8(ascii: "T"))
        appendClock(to: &out)
        out.append(UInt8(ascii: "."))
        out.appendDecimal(microsecond, width: 6)
        appendOffset(to: &out, colon: true)
    }

    /// `01/Dec/2026:21:39:03` then `.802` (`%t`) or ` +0000` (`%T`, `%Tl`).
    func appendLogDate(to out: inout [UInt8], milliseconds: Bool) {
        out.appendDecimal(day, width: 2)
        out.append(UInt8(ascii: "/"))
        out.append(contentsOf: Self.monthNames[month - 1].utf8)
        out.append(UInt8(ascii: "/"))
        out.appendDecimal(year, width: 4)
        out.append(UInt8(ascii: ":"))
        appendClock(to: &out)
        if milliseconds {
            out.append(UInt8(ascii: "."))
            out.appendDecimal(millisecond, width: 3)
        } else {
            out.append(0x20)
            appendOffset(to: &out, colon: false)
        }
    }

    private func appendClock(to out: inout [UInt8]) {
        out.appendDecimal(hour, width: 2)
        out.append(UInt8(ascii: ":"))
        out.appendDecimal(minute, width: 2)
        out.append(UInt8(ascii: ":"))
        out.appendDecimal(second, width: 2)
    }

    private func appendOffset(to out: inout [UInt8], colon: Bool) {
        out.append(UInt8(ascii: utcOffset < 0 ? "-" : "+"))
        let minutes = abs(utcOffset) / 60
        out.appendDecimal(minutes / 60, width: 2)
        if colon { out.append(UInt8(ascii: ":")) }
        out.appendDecimal(minutes % 60, width: 2)
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` in decimal, zero-padded to `width` digits, without an intermediate String.
    mutating func appendDecimal<T: BinaryInteger>(_ value: T, width: Int = 1) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            appendDecimal(UInt64(-Int64(value)), width: width)
            return
        }
        let rest = UInt64(value)
        var divisor: UInt64 = 1
        var count = 1
        while rest / divisor >= 10 {
            divisor *= 10
            count += 1
        }
        if width > count { append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - count)) }
        while divisor > 0 {
            append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            divisor /= 10
        }
    }

    /// Appends `value` in upper-case hexadecimal, zero-padded to `width` digits (the `X` flag).
    mutating func appendHex(_ value: UInt64, width: Int) {
        var shift = 60
        var started = false
        var digitsLeft = 16
        while shift >= 0 {
            let nibble = Int((value >> UInt64(shift)) & 0xF)
            if nibble != 0 || digitsLeft <= width || started || shift == 0 {
                append(hexDigits[nibble])
                started = true
            }
            shift -= 4
            digitsLeft -= 1
        }
    }
}

private let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
