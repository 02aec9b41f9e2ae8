import XCTest
@testable import OrdrelConfig

final class DurationTests: XCTestCase {
    func testEveryUnit() {
        XCTAssertEqual(DurationParser.milliseconds("500"), 500)
        XCTAssertEqual(DurationParser.milliseconds("0"), 0)
        XCTAssertEqual(DurationParser.milliseconds("250ms"), 250)
        XCTAssertEqual(DurationParser.milliseconds("10s"), 10_000)
        XCTAssertEqual(DurationParser.milliseconds("1m"), 60_000)
        XCTAssertEqual(DurationParser.milliseconds("1h"), 3_600_000)
        XCTAssertEqual(DurationParser.milliseconds("1d"), 86_400_000)
    }

    func testMicrosecondsRoundUp() {
        XCTAssertEqual(DurationParser.milliseconds("100us"), 1)
        XCTAssertEqual(DurationParser.milliseconds("1000us"), 1)
        XCTAssertEqual(DurationParser.milliseconds("1001us"), 2)
        XCTAssertEqual(DurationParser.milliseconds("0us"), 0)
    }

    func testRejects() {
        for text in ["", "s", "1.5s", "10S", "-1", "1x", "1m30s", "10 s", "99999999999999999999"] {
            XCTAssertNil(DurationParser.milliseconds(text), text)
        }
        XCTAssertEqual(DurationParser.parse("1m30s"), .failure(.trailingCharacter("3")))
        XCTAssertEqual(DurationParser.parse("5q"), .failure(.unexpectedCharacter("q")))
        XCTAssertEqual(DurationParser.parse("213503982334602d"), .failure(.overflow))
    }

    func testTimerLimitInConfig() {
        let lines = alertLines(diagnostics("defaults\n  timeout client 25d\n  timeout server 5q\n"))
        XCTAssertEqual(lines, [
            "[ALERT] config : parsing [bad.cfg:2] : timer overflow in argument '25d' to 'timeout client' (maximum value is 2147483647 ms or ~24.8 days)",
            "[ALERT] config : parsing [bad.cfg:3] : unexpected character 'q' in 'timeout server'",
        ])
    }
}
