import XCTest
@testable import OrdrelCLI

final class ProtocolTests: XCTestCase {
    private func words(_ s: String) -> [String] {
        RequestParser.parse(line: Array(s.utf8)[...]).words.map { String(decoding: $0, as: UTF8.self) }
    }

    func testWordSplittingAndEscapes() {
        XCTAssertEqual(words("  show \t stat  typed "), ["show", "stat", "typed"])
        XCTAssertEqual(words(#"set map a\ b\;c\\d"#), ["set", "map", "a b;c\\d"])
        XCTAssertEqual(words(#""quoted 'x'"#), ["\"quoted", "'x'"])
    }

    func testAtMost64Words() {
        let line = (1...70).map { "w\($0)" }.joined(separator: " ")
        let w = words(line)
        XCTAssertEqual(w.count, 64)
        XCTAssertEqual(w.last, "w64")
    }

    func testNulBytesFollowHaproxyPointerWalk() {
        XCTAssertEqual(RequestParser.parse(line: Array("show\0version".utf8)[...]).words.count, 2)
        XCTAssertEqual(words("show \0version"), ["show"])
        XCTAssertEqual(exchange("show\0version\n").text, "2.6.12-1+deb12u4\n\n")
    }

    func testLineScanSemicolonCRAndEscapedDelimiters() {
        let buf = Array("show info\r\nx".utf8)
        XCTAssertEqual(RequestParser.scanLine(buf, from: 0, payloadMode: false, room: 16383),
                       .line(Array("show info".utf8)[...], consumed: 11))
        let esc = Array("a\\;b\\\nc;d".utf8)
        guard case .line(let l, let n) = RequestParser.scanLine(esc, from: 0, payloadMode: false, room: 16383) else {
            return XCTFail("no line")
        }
        XCTAssertEqual(String(decoding: l, as: UTF8.self), "a\\;b\\\nc")
        XCTAssertEqual(n, 8)
        XCTAssertEqual(RequestParser.scanLine(Array("abc".utf8), from: 0, payloadMode: false, room: 16383), .needMore)
    }

    func testSemicolonPipelining() {
        let t = exchange("show version;show cli level;show backend\n")
        XCTAssertEqual(t.text, "2.6.12-1+deb12u4\n\nadmin\n\n# name\nbe_app\n\n")
        XCTAssertEqual(t.events, ["shutdownWrite", "close"])
    }

    func testLongestAcceptedLineAndOverflow() {
        let pad16383 = "show version " + String(repeating: "x", count: 16383 - 14) + "\n"
        XCTAssertEqual(pad16383.utf8.count, 16383)
        XCTAssertEqual(exchange(pad16383).text, "2.6.12-1+deb12u4\n\n")
        let pad16384 = "show version " + String(repeating: "x", count: 16384 - 14) + "\n"
        let t = exchange(pad16384)
        XCTAssertEqual(t.bytes, [])
        XCTAssertEqual(t.events, ["shutdownWrite", "close"])
    }

    func testBinaryGarbageDoesNotCrash() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var bytes = (0..<Int.random(in: 0..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            bytes.append(0x0A)
            let s = CLISession(runtime: TestRuntime(), level: .user)
            s.receive(bytes)
            s.receiveEOF()
            var t = Transcript()
            drive(s, slice: 7, into: &t)
            XCTAssertEqual(t.events, ["shutdownWrite", "close"])
            XCTAssertEqual(s.state, .closed)
        }
    }

    func testPartialLineThenEOFClosesWithoutReply() {
        let t = exchange("show version", eof: true)
        XCTAssertEqual(t.bytes, [])
        XCTAssertEqual(t.events, ["shutdownWrite", "close"])
    }

    func testPayloadIsCollectedUntilEmptyLine() {
        let r = RequestParser.parse(line: Array("add map #0 <<".utf8)[...], payload: Array("k1 v1\nk2 v2".utf8))
        XCTAssertEqual(r.words.map { String(decoding: $0, as: UTF8.self) }, ["add", "map", "#0"])
        XCTAssertEqual(r.payload.map { String(decoding: $0, as: UTF8.self) }, "k1 v1\nk2 v2")
        let glued = RequestParser.parse(line: Array("add map #0 k6 v6<<".utf8)[...], payload: Array("k7".utf8))
        XCTAssertNil(glued.payload)
        XCTAssertEqual(glued.words.map { String(decoding: $0, as: UTF8.self) }, ["add", "map", "#0", "k6", "v6<<", "k7"])
        XCTAssertEqual(exchange("show version <<\nk1 v1\nk2 v2\n\n").text, "2.6.12-1+deb12u4\n\n")
        let s = CLISession(runtime: TestRuntime(), level: .admin)
        s.receive(Array("show version <<\nk1\n".utf8))
        var t = Transcript()
        drive(s, into: &t)
        XCTAssertEqual(s.state, .awaitingPayload)
        s.receiveEOF()
        drive(s, into: &t)
        XCTAssertEqual(t.bytes, [])
        XCTAssertEqual(t.events, ["shutdownWrite", "close"])
    }

    func testPromptModeMatchesCapturedByteStream() {
        let s = CLISession(runtime: TestRuntime(), level: .admin)
        var t = Transcript()
        for chunk in ["prompt\n", "show version\n", "quit\n"] {
            s.receive(Array(chunk.utf8))
            drive(s, into: &t)
        }
        XCTAssertEqual(t.text, "\n> 2.6.12-1+deb12u4\n\n> ")
        XCTAssertEqual(t.events, ["shutdownWrite", "close"])

        let s2 = CLISession(runtime: TestRuntime(), level: .admin)
        var t2 = Transcript()
        for chunk in ["prompt\n", "show cli level\n", "prompt\n"] {
            s2.receive(Array(chunk.utf8))
            drive(s2, into: &t2)
        }
        XCTAssertEqual(t2.text, "\n> admin\n\n> \n")
        XCTAssertEqual(t2.events, ["shutdownWrite", "close"])

        let s3 = CLISession(runtime: TestRuntime(), level: .admin)
        var t3 = Transcript()
        for chunk in ["prompt\n", "show version <<\n", "k3 v3\n", "k4 v4\n", "\n"] {
            s3.receive(Array(chunk.utf8))
            drive(s3, into: &t3)
        }
        XCTAssertEqual(t3.text, "\n> + + + 2.6.12-1+deb12u4\n\n> ")
        XCTAssertEqual(s3.state, .awaitingCommand)
        XCTAssertTrue(s3.interactive)
    }

    func testOneShotEndsAfterLineEvenWithoutEOF() {
        let s = CLISession(runtime: TestRuntime(), level: .admin)
        s.receive(Array("show cli level\n".utf8))
        var t = Transcript()
        drive(s, into: &t)
        XCTAssertEqual(t.text, "admin\n\n")
        XCTAssertEqual(t.events, ["shutdownWrite", "close"])
        XCTAssertEqual(s.nextAction(), .done)
    }

    func testEmptyLineGivesFullUsageAfterPreviousReply() {
        let usage = implementedSubset(of: Captured.emptyLine, level: .admin)
        XCTAssertEqual(exchange("\n").text, usage)
        XCTAssertEqual(exchange("show version\n\n").text, "2.6.12-1+deb12u4\n\n" + usage)
    }
}
