import OrdrelLog
import XCTest

/// Framing as haproxy 2.6 sends it (bytes captured from the installed haproxy 2.6.12 with the
/// same target lines; only the pid, times and ports differ between runs).
final class SyslogFrameTests: XCTestCase {
    /// 2026-12-01 21:36:29.561752 UTC.
    let time = LogTimestamp(micros: 1_796_160_989_561_752, utcOffset: 0)
    let identity = SyslogIdentity(hostname: nil, tag: "haproxy", pid: 12427)
    let message = Array("Server be/s2 is DOWN".utf8)

    func frame(_ target: LogTarget, _ level: SyslogLevel = .alert, identity: SyslogIdentity? = nil,
               message: [UInt8]? = nil) -> String {
        var out: [UInt8] = []
        SyslogFrame.append(message: message ?? self.message, level: level, target: target,
                           identity: identity ?? self.identity, time: time, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func target(_ format: SyslogFormat, facility: String = "local0", len: Int = 1024,
                _ destination: LogTarget.Destination = .udp(host: "127.0.0.1", port: 514)) -> LogTarget {
        LogTarget(destination: destination, format: format, maxLength: len, facility: SyslogFacility.code(facility)!)
    }

    func testTimestampBreakdown() {
        XCTAssertEqual([time.year, time.month, time.day, time.hour, time.minute, time.second], [2026, 12, 1, 21, 36, 29])
        XCTAssertEqual(time.microsecond, 561_752)
        let east = LogTimestamp(micros: time.micros, utcOffset: 5400)
        XCTAssertEqual([east.day, east.hour, east.minute], [1, 23, 6])
        let before = LogTimestamp(micros: 0, utcOffset: -3600)
        XCTAssertEqual([before.year, before.month, before.day, before.hour], [1969, 12, 31, 23])
        XCTAssertEqual(LogTimestamp(micros: 951_782_400_000_000, utcOffset: 0).day, 29)  // 2000-02-29
    }

    func testEachFormat() {
        XCTAssertEqual(frame(target(.local)), "<129>Dec  1 21:36:29 haproxy[12427]: Server be/s2 is DOWN\n")
        XCTAssertEqual(frame(target(.rfc3164)), "<129>Dec  1 21:36:29 haproxy[12427]: Server be/s2 is DOWN\n")
        XCTAssertEqual(frame(target(.rfc5424, facility: "local1")),
                       "<137>1 2026-12-01T21:36:29.561752+00:00 - haproxy 12427 - - Server be/s2 is DOWN\n")
        XCTAssertEqual(frame(target(.short, facility: "local2")), "<1>Server be/s2 is DOWN\n")
        XCTAssertEqual(frame(target(.raw, facility: "local3")), "Server be/s2 is DOWN\n")
        XCTAssertEqual(frame(target(.priority, facility: "local4")), "<161>Server be/s2 is DOWN\n")
        XCTAssertEqual(frame(target(.timed, facility: "local5")), "<1>2026-12-01T21:36:29.561752+00:00 Server be/s2 is DOWN\n")
        XCTAssertEqual(frame(target(.iso, facility: "local6")), "2026-12-01T21:36:29.561752+00:00 Server be/s2 is DOWN\n")
    }

    func testHostnameAndTag() {
        let named = SyslogIdentity(hostname: "myhost", tag: "globtag", pid: 14642)
        XCTAssertEqual(frame(target(.local), identity: named), "<129>Dec  1 21:36:29 myhost globtag[14642]: Server be/s2 is DOWN\n")
        XCTAssertEqual(frame(target(.rfc5424), identity: named),
                       "<129>1 2026-12-01T21:36:29.561752+00:00 myhost globtag 14642 - - Server be/s2 is DOWN\n")
        XCTAssertEqual(frame(target(.iso), identity: named), "2026-12-01T21:36:29.561752+00:00 Server be/s2 is DOWN\n")
    }

    func testPriorityIsFacilityTimesEightPlusLevel() {
        for (index, name) in SyslogFacility.names.enumerated() {
            for level in SyslogLevel.allCases {
                XCTAssertTrue(frame(target(.priority, facility: name), level).hasPrefix("<\(index * 8 + level.rawValue)>"))
            }
        }
        XCTAssertEqual(SyslogFacility.names.count, 24)
        XCTAssertEqual(SyslogFacility.code("local7"), 23)
        XCTAssertNil(SyslogFacility.code("local8"))
    }

    func testLevelFilterAndMinimumLevel() {
        var target = self.target(.local)
        target.maxLevel = .info
        target.minLevel = .err
        XCTAssertNil(target.effectiveLevel(.debug))
        XCTAssertEqual(target.effectiveLevel(.info), .info)
        XCTAssertEqual(target.effectiveLevel(.alert), .err, "more severe than minlevel is capped to it")
        XCTAssertEqual(target.effectiveLevel(.emerg), .err)
        target.maxLevel = .notice
        XCTAssertNil(target.effectiveLevel(.info))
    }

    /// `len 80`: the header and message are cut to 80 bytes, then LF (haproxy sent 81 bytes).
    func testLengthTruncation() {
        let named = SyslogIdentity(hostname: "myhost", tag: "globtag", pid: 14642)
        let long = Array("Server be/s2 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\"".utf8)
        let line = frame(target(.local, len: 80), identity: named, message: long)
        XCTAssertEqual(line, "<129>Dec  1 21:36:29 myhost globtag[14642]: Server be/s2 is DOWN, reason: Layer4\n")
        XCTAssertEqual(line.utf8.count, 81)
        let exact = Array(repeating: UInt8(ascii: "x"), count: 80)
        XCTAssertEqual(frame(target(.raw, len: 80), message: exact).utf8.count, 81)
        XCTAssertEqual(frame(target(.raw, len: 80), message: exact + [0x79]).utf8.count, 81)
        // stdout/stderr are never truncated.
        XCTAssertEqual(frame(target(.raw, len: 80, .standardOutput), message: exact + exact).utf8.count, 161)
    }

    func testSampleParsingAndCycle() throws {
        let sample = try LogSample.parse("1-2,5:6").get()
        XCTAssertEqual(sample.ranges, [1...2, 5...5])
        XCTAssertEqual(sample.size, 6)
        var sampler = LogSampler(sample)
        XCTAssertEqual((0..<12).map { _ in sampler.admits() },
                       [true, true, false, false, true, false, true, true, false, false, true, false])
        var half = LogSampler(try LogSample.parse("1:2").get())
        XCTAssertEqual((0..<5).map { _ in half.admits() }, [true, false, true, false, true])
        for bad in ["1", "0:2", "3:2", "2-1:4", "a:3", "1:0", "1,,2:3", ":3"] {
            XCTAssertThrowsError(try LogSample.parse(bad).get(), bad)
        }
    }
}
