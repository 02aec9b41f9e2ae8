import Foundation
import OrdrelSystem
import XCTest

/// Bounded line reading: every way a file can end or go wrong is a value, and memory stays bounded.
final class LineReaderTests: XCTestCase {
    private func steps(_ bytes: [UInt8], maxLine: Int = 16, maxTotal: Int = 1 << 20) throws -> [TextLine] {
        let path = NSTemporaryDirectory() + "ordrel-lines-\(getpid())-\(UUID().uuidString)"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try LineReader(path: path, maxLineLength: maxLine, maxTotalLength: maxTotal)
        var steps: [TextLine] = []
        while let step = reader.next() { steps.append(step) }
        return steps
    }

    func testLinesAndAnUnterminatedLastLine() throws {
        XCTAssertEqual(try steps(Array("a\n\nbc\n".utf8)), [.line([0x61]), .line([]), .line([0x62, 0x63])])
        XCTAssertEqual(try steps(Array("a\nbc".utf8)), [.line([0x61]), .unterminated([0x62, 0x63])])
        XCTAssertEqual(try steps([]), [])
    }

    func testNulStopsWithItsPositionInTheLine() throws {
        XCTAssertEqual(try steps(Array("ok\nab\0cd\nnever\n".utf8)), [.line([0x6F, 0x6B]), .nul(position: 3)])
    }

    func testLongLineAndLargeFileStopReading() throws {
        XCTAssertEqual(try steps(Array(repeating: 0x61, count: 17) + [0x0A, 0x62, 0x0A]), [.lineTooLong])
        XCTAssertEqual(try steps(Array(repeating: 0x61, count: 16) + [0x0A]), [.line(Array(repeating: 0x61, count: 16))])
        XCTAssertEqual(try steps(Array(repeating: 0x0A, count: 10), maxTotal: 4), [.fileTooLong])
    }

    func testEndlessInputEndsAtTheFirstNul() throws {
        let reader = try LineReader(path: "/dev/zero", maxLineLength: 1 << 20, maxTotalLength: 1 << 26)
        XCTAssertEqual(reader.next(), .nul(position: 1))
        XCTAssertNil(reader.next())
    }

    func testMissingFileThrowsWithErrno() {
        XCTAssertThrowsError(try LineReader(path: "/nonexistent/ordrel.cfg", maxLineLength: 16, maxTotalLength: 16)) {
            XCTAssertEqual(($0 as? SyscallError)?.errno, ENOENT)
        }
    }

    /// The atomic bind's temporary name must fit sun_path (108 bytes) for the largest pid.
    func testUnixListenerPathLimitLeavesRoomForTheTemporaryName() {
        XCTAssertEqual(FD.maxUnixListenerPathLength, 108 - 1 - ".4194304.tmp".utf8.count)
    }
}
