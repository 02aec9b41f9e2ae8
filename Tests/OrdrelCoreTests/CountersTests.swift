import XCTest
@testable import OrdrelCore

final class CountersTests: XCTestCase {
    /// haproxy's swrate: the sum decays by ceil(sum / 1024) per sample; `show stat` divides it by
    /// the samples seen while fewer than 1024 (stats.c `srv_samples_window`), the exporter by 1024.
    func testSlidingAverageDividesByTheSamplesSeenUntilTheWindowIsFull() {
        var average = SlidingAverage()
        XCTAssertEqual(average.average(samples: 0), 0)
        for _ in 0..<3 { average.add(10) }
        // Sum 10, then 10 - 1 + 10 = 19, then 19 - 1 + 10 = 28.
        XCTAssertEqual(average.average(samples: 3), 10)
        XCTAssertEqual(average.average, 1)
        XCTAssertEqual(average.max, 10)
        for _ in 0..<5000 { average.add(10) }
        XCTAssertEqual(average.average(samples: 5003), average.average)
        XCTAssertEqual(average.average, 10)
    }
}
