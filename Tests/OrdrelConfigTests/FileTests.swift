import Foundation
import XCTest
@testable import OrdrelConfig

/// Reading files and directories the way `haproxy -f` does.
final class FileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ordrel-config-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testDirectoryReadsCfgFilesInLexicalOrderAndDefaultsCarryOver() throws {
        _ = try write("20-backend.cfg", "backend be\n    server s 127.0.0.1:80\n")
        _ = try write("10-defaults.cfg", "defaults\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\n    retries 7\n")
        _ = try write("30-frontend.cfg", "frontend fe\n    bind :80\n    default_backend be\n")
        _ = try write("notes.txt", "this is not read\n")
        let parsed = try ConfigParser.parse(paths: [directory.path], environment: [:])
        XCTAssertEqual(parsed.configuration.proxies.map(\.name), ["be", "fe"])
        XCTAssertEqual(parsed.configuration.proxy("be").retries, 7)
        XCTAssertEqual(parsed.configuration.proxy("be").servers[0].location.file, directory.path + "/20-backend.cfg")
        XCTAssertEqual(parsed.warnings, [])
    }

    func testSectionsDoNotContinueIntoTheNextFile() throws {
        let first = try write("a.cfg", "global\n    daemon\n")
        let second = try write("b.cfg", "    maxconn 10\n")
        do {
            _ = try ConfigParser.parse(paths: [first, second], environment: [:])
            XCTFail("expected an alert")
        } catch {
            XCTAssertEqual(error.description, "[ALERT] config : parsing [\(second):1] : unknown keyword 'maxconn' out of section.")
        }
    }

    func testUnreadableFilesAreNamedAndOtherFilesStillChecked() throws {
        let good = try write("good.cfg", "global\n    bogus\n")
        let missing = directory.appendingPathComponent("missing.cfg").path
        do {
            _ = try ConfigParser.parse(paths: [missing, good], environment: [:])
            XCTFail("expected alerts")
        } catch {
            XCTAssertEqual(error.diagnostics.map(\.description), [
                "[ALERT] config : Cannot open configuration file/directory \(missing) : No such file or directory",
                "[ALERT] config : parsing [\(good):2] : unknown keyword 'bogus' in 'global' section",
            ])
        }
    }

    func testEnvironmentParameterIsUsed() throws {
        let path = try write("env.cfg", "global\n    pidfile \"${PIDDIR}/o.pid\"\n")
        let parsed = try ConfigParser.parse(paths: [path], environment: ["PIDDIR": "/var/run/x"])
        XCTAssertEqual(parsed.configuration.global.pidfile, "/var/run/x/o.pid")
    }

    // MARK: bounded reading: what start-up would refuse, with haproxy's words

    private func write(_ name: String, bytes: [UInt8]) -> String {
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
        let path = write("nul.cfg", bytes: Array("global\n  da\0emon\n  bogus\n".utf8))
        XCTAssertEqual(alerts(paths: [path]), ["[ALERT] config : parsing [\(path):2] : Stray NUL character at position 5."])
        XCTAssertEqual(alerts(paths: ["/dev/zero"]), ["[ALERT] config : parsing [/dev/zero:1] : Stray NUL character at position 1."])
    }

    func testMissingFinalLFIsAnAlertAfterTheLineIsRead() {
        let path = write("nolf.cfg", bytes: Array("global\n    maxconn 10".utf8))
        XCTAssertEqual(alerts(paths: [path]), [
            "[ALERT] config : parsing [\(path):2] : Missing LF on last line, file might have been truncated at position 15.",
        ])
    }

    func testOverlongLineStopsTheFile() {
        let long = Array("global\n    description ".utf8) + Array(repeating: 0x61, count: ConfigFiles.maxLineLength) + [0x0A]
        let path = write("long.cfg", bytes: long + Array("    bogus\n".utf8))
        XCTAssertEqual(alerts(paths: [path]), [
            "[ALERT] config : parsing [\(path):2] : line too long (limit 1048576 bytes), file not read further.",
        ])
    }

    func testCRLFLinesStillParse() throws {
        let path = write("crlf.cfg", bytes: Array("global\r\n    maxconn 10\r\n".utf8))
        XCTAssertEqual(try ConfigParser.parse(paths: [path], environment: [:]).configuration.global.maxconn, 10)
    }

    func testDirectoryWithoutCfgFilesIsAnAlert() {
        XCTAssertEqual(alerts(paths: [directory.path]), [
            "[ALERT] config : No configuration file found in \(directory.path) (a directory contributes its *.cfg files).",
        ])
    }
}
