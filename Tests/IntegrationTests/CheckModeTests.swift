import Foundation
import XCTest

/// `ordrel -c` with the real binary: it refuses what start-up would refuse, with haproxy's exit codes.
final class CheckModeTests: XCTestCase {
    private func check(_ arguments: [String]) throws -> CommandResult {
        try runCommand(Binaries.path("ordrel"), ["-c"] + arguments)
    }

    /// Debian's packaged haproxy.cfg as installed (`defaults` in `mode http` with `option httplog`
    /// and seven `errorfile`s), where the haproxy package is: valid for both, exit 0.
    func testDebianPackagedHaproxyConfigIsValid() throws {
        let path = "/etc/haproxy/haproxy.cfg"
        try XCTSkipUnless(FileManager.default.isReadableFile(atPath: path) && FileManager.default.fileExists(atPath: "/etc/haproxy/errors/503.http"),
                          "no Debian haproxy package here")
        let result = try check(["-f", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("[ALERT]"), result.stderr)
        XCTAssertTrue(result.stdout.contains("Configuration file is valid"), result.stdout)
    }

    func testEndlessInputIsAnAlertNotACrash() throws {
        let result = try check(["-f", "/dev/zero"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("[ALERT] config : parsing [/dev/zero:1] : Stray NUL character at position 1."), result.stderr)
    }

    func testUnresolvableServerIsAnAlert() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("srv.cfg", """
        frontend fe
            bind 127.0.0.1:1
            timeout client 1s
            default_backend be
        backend be
            timeout connect 1s
            timeout server 1s
            server s1 nosuchhost.invalid:80

        """)
        let result = try check(["-f", path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("parsing [\(path):8] : 'server be/s1' : could not resolve address 'nosuchhost.invalid'."), result.stderr)
        XCTAssertTrue(result.stderr.contains("Fatal errors found in configuration."), result.stderr)
    }

    func testNoListenerExitsTwoAsHaproxy() throws {
        let directory = TemporaryDirectory()
        let empty = directory.write("empty.cfg", "")
        for path in [empty, "/dev/null"] {
            let result = try check(["-f", path])
            XCTAssertEqual(result.status, 2, result.stderr)
            XCTAssertEqual(result.stdout, "Configuration file has no error but will not start (no listener) => exit(2).\n")
        }
        let disabled = directory.write("disabled.cfg", "frontend fe\n    disabled\n    bind 127.0.0.1:1\n    timeout client 1s\n")
        XCTAssertEqual(try check(["-q", "-f", disabled]).status, 2)
        let statsOnly = directory.write("stats.cfg", "global\n    stats socket \(directory.path)/s.sock\n")
        XCTAssertEqual(try check(["-f", statsOnly]).status, 0)
    }

    func testNoConfigurationFileIsAnAlertAndExitOne() throws {
        let none = try check([])
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stderr, "[ALERT] config : No configuration file given (use -f <file|dir>).\n")
        let directory = TemporaryDirectory()
        let emptyDirectory = try check(["-f", directory.path])
        XCTAssertEqual(emptyDirectory.status, 1)
        XCTAssertTrue(emptyDirectory.stderr.contains("No configuration file found in \(directory.path)"), emptyDirectory.stderr)
    }

    func testStrictLimitsAreCheckedWithoutStarting() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("fds.cfg", """
        global
            maxconn 2000000000
        frontend fe
            bind 127.0.0.1:1
            timeout client 1s

        """)
        let result = try check(["-f", path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("Use 'no strict-limits' to start anyway."), result.stderr)
    }

    /// A configured maxconn above the fd limit: fatal by default; with `no strict-limits` kept,
    /// with haproxy 2.6's warning and alert (haproxy printed the same two lines for maxconn 20000
    /// on a 20,000-fd limit and kept `Maxconn: 20000`).
    func testNoStrictLimitsKeepsMaxconnAndWarns() throws {
        let prlimit = "/usr/bin/prlimit"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: prlimit), "prlimit is not installed")
        let directory = TemporaryDirectory()
        func run(_ strict: String) throws -> CommandResult {
            let path = directory.write("\(strict).cfg",
                "global\n    maxconn 20000\n    \(strict)\n    stats socket \(directory.path)/unused.sock\n")
            return try runCommand(prlimit, ["--nofile=4096:4096", Binaries.path("ordrel"), "-c", "-f", path])
        }
        let strict = try run("strict-limits")
        XCTAssertEqual(strict.status, 1, strict.stderr)
        let relaxed = try run("no strict-limits")
        XCTAssertEqual(relaxed.status, 0, relaxed.stderr)
        XCTAssertTrue(relaxed.stderr.contains("Cannot raise FD limit to "), relaxed.stderr)
        XCTAssertTrue(relaxed.stderr.contains("FD limit (4096) too low for maxconn=20000/maxsock="), relaxed.stderr)
        XCTAssertFalse(relaxed.stderr.contains("Lowering maxconn"), relaxed.stderr)
    }
}
