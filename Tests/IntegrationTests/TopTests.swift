#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// `ordrelctl top` against the real daemon: plain frames through a pipe, and the full-screen view
/// on a real terminal (a detached tmux session) driven by key presses.
final class TopTests: XCTestCase {
    private var backends: [TestBackend] = []
    private var ordrel: OrdrelProcess!
    private var directory: TemporaryDirectory!

    private var socket: String { directory.path + "/admin.sock" }

    override func setUpWithError() throws {
        directory = TemporaryDirectory()
        backends = [try TestBackend(.greetThenEcho(Array("s1\n".utf8))), try TestBackend(.greetThenEcho(Array("s2\n".utf8)))]
        let config = """
        global
            stats socket \(socket) level admin
        defaults
            mode tcp
            timeout connect 2s
            timeout client 30s
            timeout server 30s
        frontend fe_main
            bind 127.0.0.1:\(try TestSocket.unusedPort())
            default_backend be_app
        backend be_app
            server s1 127.0.0.1:\(backends[0].port) check inter 500ms
            server s2 127.0.0.1:\(backends[1].port)

        """
        ordrel = try OrdrelProcess(config: config, readySocket: socket)
    }

    override func tearDown() {
        ordrel?.stop()
        backends.forEach { $0.stop() }
    }

    private func top(_ arguments: [String]) throws -> CommandResult {
        try runCommand(Binaries.path("ordrelctl"), ["top"] + arguments)
    }

    /// The `status` cell of a server's `show stat` row.
    private func status(_ server: String) throws -> String? {
        let reply = try runCommand(Binaries.path("ordrelctl"), ["-s", socket, "show", "stat"]).stdout
        let lines = reply.split(separator: "\n")
        guard let header = lines.first?.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false),
              let column = header.firstIndex(of: "status"),
              let row = lines.first(where: { $0.hasPrefix("be_app,\(server),") }) else { return nil }
        return String(row.split(separator: ",", omittingEmptySubsequences: false)[column])
    }

    func testPlainFramesWhenStdoutIsNoTerminal() throws {
        let one = try top(["-s", socket])
        XCTAssertEqual(one.status, 0, one.stderr)
        let lines = one.stdout.split(separator: "\n")
        XCTAssertTrue(lines.first?.contains("pid \(ordrel.pid)") ?? false, one.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("PROXY ") && $0.contains(" STATUS ") && $0.contains(" CHECK ") }, one.stdout)
        for prefix in ["fe_main FRONTEND   OPEN", "be_app    s1", "be_app    s2       no check", "be_app  BACKEND    UP"] {
            XCTAssertTrue(lines.contains { $0.hasPrefix(prefix) }, "no row \(prefix) in:\n\(one.stdout)")
        }
        XCTAssertFalse(one.stdout.contains("\u{1b}"), "no escapes in plain output")

        let two = try top(["-s", socket, "-n", "2", "-d", "0.2"])
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertEqual(two.stdout.components(separatedBy: "\nPROXY ").count - 1, 2, two.stdout)

        let away = try top(["-s", directory.path + "/none.sock"])
        XCTAssertEqual(away.status, 1)
        XCTAssertTrue(away.stdout.hasPrefix("unreachable since "), away.stdout)
        XCTAssertTrue(away.stdout.contains("\(directory.path)/none.sock: connect: No such file or directory"), away.stdout)

        let refused = try top(["-s", socket, "-n", "0"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("-n must be positive"), refused.stderr)
    }

    func testFullScreenInTmux() throws {
        let tmuxPath = "/usr/bin/tmux"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: tmuxPath), "tmux is not installed")
        let tmuxSocket = directory.path + "/tmux.sock"
        func tmux(_ arguments: [String]) throws -> CommandResult {
            try runCommand(tmuxPath, ["-S", tmuxSocket] + arguments)
        }
        defer { _ = try? tmux(["kill-server"]) }
        func screen() -> String { (try? tmux(["capture-pane", "-p", "-t", "top"]).stdout) ?? "" }
        func screenLines() -> [Substring] {
            var lines = screen().split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            return lines
        }
        /// Line `index` of the screen; empty when the capture has fewer.
        func screenLine(_ index: Int) -> Substring {
            let lines = screenLines()
            return lines.indices.contains(index) ? lines[index] : ""
        }

        // The shell records top's exit status and whether the terminal got its line mode back.
        let exitFile = directory.path + "/exit"
        let command = "\(Binaries.path("ordrelctl")) top -s \(socket) -d 0.3; echo $? > \(exitFile).tmp; "
            + "stty -a >> \(exitFile).tmp; mv \(exitFile).tmp \(exitFile); sleep 60"
        // The server this starts keeps its stdout and stderr: a file, not runCommand's pipes,
        // whose EOF would never come.
        let log = directory.path + "/tmux.log"
        let started = spawnAndWait(tmuxPath, ["-S", tmuxSocket, "new-session", "-d", "-s", "top", "-x", "150", "-y", "20", command],
                                   logPath: log)
        XCTAssertEqual(started, 0, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")

        // Every row of the daemon's, under the header and the key help.
        XCTAssertTrue(waitUntil(10) { screenLines().contains { $0.hasPrefix("be_app    s2") } }, screen())
        let lines = screenLines()
        guard lines.count == 20 else { return XCTFail("not a 20-line screen:\n\(screen())") }
        XCTAssertTrue(lines[0].contains("pid \(ordrel.pid)"), screen())
        XCTAssertTrue(lines[1].hasPrefix("sort: config order"), screen())
        for prefix in ["fe_main FRONTEND   OPEN", "be_app    s1", "be_app    s2       no check", "be_app  BACKEND    UP"] {
            XCTAssertTrue(lines.contains { $0.hasPrefix(prefix) }, "no row \(prefix) on:\n\(screen())")
        }
        XCTAssertTrue(lines[19].hasPrefix("row 1/4"), screen())

        // Down twice to s2 (config order: FRONTEND, s1, s2, BACKEND), then d drains it.
        _ = try tmux(["send-keys", "-t", "top", "j", "j"])
        XCTAssertTrue(waitUntil(10) { screenLine(19).hasPrefix("row 3/4") }, screen())
        _ = try tmux(["send-keys", "-t", "top", "d"])
        XCTAssertTrue(try waitUntil(10) { try status("s2") == "DRAIN" }, screen())
        XCTAssertEqual(try status("s1"), "UP")
        XCTAssertTrue(waitUntil(10) { screenLine(19).hasPrefix("be_app/s2: state set to drain") }, screen())
        XCTAssertTrue(waitUntil(10) { screenLines().contains { $0.hasPrefix("be_app    s2       DRAIN") } }, screen())

        // The arrow keys (escape sequences) move too: m puts s1 into maintenance, r makes s2 ready.
        _ = try tmux(["send-keys", "-t", "top", "Up", "m"])
        XCTAssertTrue(try waitUntil(10) { try status("s1") == "MAINT" }, screen())
        _ = try tmux(["send-keys", "-t", "top", "Down", "r"])
        XCTAssertTrue(try waitUntil(10) { try status("s2") == "no check" }, screen())
        XCTAssertEqual(try status("s1"), "MAINT")

        // A narrower window: every line cut to its width, the rows still there.
        _ = try tmux(["resize-window", "-t", "top", "-x", "40", "-y", "10"])
        XCTAssertTrue(waitUntil(10) {
            let lines = screenLines()
            return lines.count == 10 && lines.contains { $0.hasPrefix("be_app    s2") } && lines.allSatisfy { $0.count <= 40 }
        }, screen())

        // The daemon goes away: top says so and keeps the last rows.
        ordrel.stop()
        XCTAssertTrue(waitUntil(10) { screenLine(0).hasPrefix("unreachable since") }, screen())
        XCTAssertTrue(screenLines().contains { $0.hasPrefix("be_app    s1") }, screen())

        // q quits with 0 and the terminal is back in line mode.
        _ = try tmux(["send-keys", "-t", "top", "q"])
        XCTAssertTrue(waitUntil(10) { FileManager.default.fileExists(atPath: exitFile) }, screen())
        let recorded = try String(contentsOfFile: exitFile, encoding: .utf8)
        XCTAssertTrue(recorded.hasPrefix("0\n"), recorded)
        let modes = Set(recorded.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }))
        XCTAssertTrue(modes.isSuperset(of: ["icanon", "echo", "isig", "icrnl"]), recorded)
    }
}
