import Foundation
import XCTest
@testable import OrdrelConfig

/// What start-up would refuse, the parser refuses too (so `ordrel -c` does), with haproxy's words.
final class StartupCheckTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ordrel-startup-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    private func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = directory.appendingPathComponent(name).path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    private func alerts(paths: [String]) -> [String] {
        do {
            _ = try ConfigParser.parse(paths: paths, environment: [:])
            XCTFail("expected alerts")
            return []
        } catch {
            return alertLines(error.diagnostics)
        }
    }

    func testNulStopsTheFileWithHaproxysAlert() {
        let path = write("nul.cfg", Array("global\n  da\0emon\n  bogus\n".utf8))
        XCTAssertEqual(alerts(paths: [path]), ["[ALERT] config : parsing [\(path):2] : Stray NUL character at position 5."])
        XCTAssertEqual(alerts(paths: ["/dev/zero"]), ["[ALERT] config : parsing [/dev/zero:1] : Stray NUL character at position 1."])
    }

    func testMissingFinalLFIsAnAlertAfterTheLineIsRead() {
        let path = write("nolf.cfg", Array("global\n    maxconn 10".utf8))
        XCTAssertEqual(alerts(paths: [path]), [
            "[ALERT] config : parsing [\(path):2] : Missing LF on last line, file might have been truncated at position 15.",
        ])
    }

    func testOverlongLineStopsTheFile() {
        let long = Array("global\n    description ".utf8) + Array(repeating: 0x61, count: ConfigFiles.maxLineLength) + [0x0A]
        let path = write("long.cfg", long + Array("    bogus\n".utf8))
        XCTAssertEqual(alerts(paths: [path]), [
            "[ALERT] config : parsing [\(path):2] : line too long (limit 1048576 bytes), file not read further.",
        ])
    }

    func testCRLFLinesStillParse() throws {
        let path = write("crlf.cfg", Array("global\r\n    maxconn 10\r\n".utf8))
        XCTAssertEqual(try ConfigParser.parse(paths: [path], environment: [:]).configuration.global.maxconn, 10)
    }

    func testDirectoryWithoutCfgFilesIsAnAlert() {
        XCTAssertEqual(alerts(paths: [directory.path]), [
            "[ALERT] config : No configuration file found in \(directory.path) (a directory contributes its *.cfg files).",
        ])
    }

    /// haproxy 2.6.12 on this line: `too many words, truncating after word 64, position 182: <63>.`
    func testMoreThan64WordsIsHaproxysAlert() {
        let line = "    log " + (1...70).map(String.init).joined(separator: " ")
        XCTAssertEqual(alertLines(diagnostics("global\n    maxconn 10\n\(line)\n")), [
            "[ALERT] config : parsing [bad.cfg:3] : too many words, truncating after word 64, position 182: <63>.",
        ])
    }

    func testUnixSocketPathsMustFitTheAtomicBind() {
        let fits = "/tmp/" + String(repeating: "a", count: 90)
        let tooLong = fits + "a"
        XCTAssertNotNil(parseOK("global\n    stats socket \(fits)\n"))
        XCTAssertEqual(alertLines(diagnostics("global\n    stats socket \(tooLong)\nfrontend fe\n    bind unix@\(tooLong)\n    bind \(tooLong)\n")), [
            "[ALERT] config : parsing [bad.cfg:2] : 'stats socket' : socket path '\(tooLong)' too long (max 95)",
            "[ALERT] config : parsing [bad.cfg:4] : 'bind' : socket path 'unix@\(tooLong)' too long (max 95)",
            "[ALERT] config : parsing [bad.cfg:5] : 'bind' : socket path '\(tooLong)' too long (max 95)",
        ])
    }

    func testBindHostNamesMustResolve() {
        XCTAssertNotNil(parseOK("frontend fe\n    bind localhost:8080\n    timeout client 1s\n"))
        XCTAssertEqual(alertLines(diagnostics("frontend fe\n    bind nosuchhost.invalid:8080\n")), [
            "[ALERT] config : parsing [bad.cfg:2] : 'bind' : invalid address: 'nosuchhost.invalid' in 'nosuchhost.invalid:8080'",
        ])
    }

    func testUnknownUserAndGroupNames() {
        XCTAssertEqual(alertLines(diagnostics("global\n    user nosuchuser-ordrel\n    group nosuchgroup-ordrel\n")), [
            "[ALERT] config : parsing [bad.cfg:2] : cannot find user id for 'nosuchuser-ordrel'",
            "[ALERT] config : parsing [bad.cfg:3] : cannot find group id for 'nosuchgroup-ordrel'",
        ])
    }
}
