import XCTest
@testable import OrdrelCLI

/// A master with a current worker 4242 and an old one 4100.
private final class FakeMaster: MasterCLIRuntime {
    var version = "0.1.0"
    var currentWorkerPID: Int32? = 4242
    var oldWorkers: [Int32] = [4100]
    var lastReloadFailed = false
    func showProc() -> String { "#<PID> ...\n# programs\n" }
    func isWorker(_ pid: Int32) -> Bool { pid == currentWorkerPID || oldWorkers.contains(pid) }
}

/// Runs a session over `input` (then EOF) to its end, answering each forward with `reply`.
/// Returns the bytes written, the forwards asked for, the reloads, and the closing steps seen.
private func converse(_ input: String, level: CLILevel = .admin, master: FakeMaster = FakeMaster(),
                 reply: (Int32, String) -> String? = { _, _ in "admin\n\n" })
    -> (output: String, forwards: [String], reloads: Int, ending: [String]) {
    let session = MasterCLISession(runtime: master, level: level)
    session.receive(Array(input.utf8))
    session.receiveEOF()
    var output: [UInt8] = []
    var forwards: [String] = []
    var reloads = 0
    var ending: [String] = []
    loop: for _ in 0..<1000 {
        switch session.nextAction() {
        case .write(let bytes):
            output += bytes
            session.didWrite(bytes.count)
        case .read:
            XCTFail("waits for input after EOF")
            break loop
        case .forward(let pid, let command, let forwardLevel):
            let text = String(decoding: command, as: UTF8.self)
            forwards.append("\(pid) \(forwardLevel.name) \(text)")
            if let answer = reply(pid, text) {
                session.forwardFinished(reply: Array(answer.utf8))
            } else {
                session.forwardFailed()
            }
        case .awaitForward:
            XCTFail("a forward was not answered")
            break loop
        case .reload:
            reloads += 1
        case .shutdownWrite:
            ending.append("shutdownWrite")
            session.didShutdownWrite()
        case .close:
            ending.append("close")
            session.didClose()
        case .done:
            break loop
        }
    }
    return (String(decoding: output, as: UTF8.self), forwards, reloads, ending)
}

final class MasterSessionTests: XCTestCase {
    /// haproxy 2.6.12's transcript of `prompt | show version | @1 | show cli level | @ | quit`
    /// (runtime-api §3.4): the bare `@1` switches the prompt, `@` switches back, quit prints one.
    func testPromptTranscriptMatchesHaproxy() {
        let result = converse("prompt\nshow version\n@1\nshow cli level\n@\nquit\n")
        XCTAssertEqual(result.output, "master> 0.1.0\n\nmaster> 4242> admin\n\n4242> master> master> ")
        XCTAssertEqual(result.forwards, ["4242 admin show cli level"])
        XCTAssertEqual(result.ending, ["shutdownWrite", "close"])
    }

    /// Without prompt every line runs, each reply ends with an empty line, until the client's EOF.
    func testNonInteractiveRunsEveryLineUntilEOF() {
        let result = converse("show version\nshow cli level\nshow version;show cli level\n")
        XCTAssertEqual(result.output, "0.1.0\n\nadmin\n\n0.1.0\n\nadmin\n\n")
    }

    /// A prefixed line goes to the worker whole, `;` included; the reply is relayed as is.
    func testForwardingRelaysTheWholeLineAndReply() {
        let result = converse("@1 show info; show cli level\n@!4100 show version\n") { pid, _ in
            pid == 4242 ? "Name: ordrel\n\nadmin\n\n" : "0.0.9\n\n"
        }
        XCTAssertEqual(result.forwards, ["4242 admin show info; show cli level", "4100 admin show version"])
        XCTAssertEqual(result.output, "Name: ordrel\n\nadmin\n\n0.0.9\n\n")
    }

    /// The session's level travels with the forward (haproxy: `user` then `@1 show cli level` says user).
    func testLoweredLevelIsForwarded() {
        let result = converse("user\n@1 show cli level\n") { _, _ in "user\n\n" }
        XCTAssertEqual(result.forwards, ["4242 user show cli level"])
        XCTAssertEqual(result.output, "user\n\n")
    }

    /// An unknown target ends the session after haproxy's error, in either mode; the master's
    /// own pid is not a worker.
    func testUnknownTargetEndsTheSession() {
        XCTAssertEqual(converse("@7 show info\nshow version\n").output, "Can't find the target PID matching the prefix '@7'\n")
        XCTAssertEqual(converse("prompt\n@!1 show info\nshow version\n").output,
                       "master> Can't find the target PID matching the prefix '@!1'\n")
        let noWorker = FakeMaster()
        noWorker.currentWorkerPID = nil
        XCTAssertEqual(converse("@1\n", master: noWorker).output, "Can't find the target PID matching the prefix '@1'\n")
    }

    func testUnreachableWorkerEndsTheSession() {
        let result = converse("@1 show info\nshow version\n") { _, _ in nil }
        XCTAssertEqual(result.output, "Can't connect to the target CLI!\n")
        XCTAssertEqual(result.ending, ["shutdownWrite", "close"])
    }

    /// `reload` closes the connection with no output (2.6); it needs operator level.
    func testReloadClosesWithNoOutput() {
        let result = converse("reload\nshow version\n")
        XCTAssertEqual(result.output, "")
        XCTAssertEqual(result.reloads, 1)
        XCTAssertEqual(result.ending, ["shutdownWrite", "close"])
        let denied = converse("user\nreload\n")
        XCTAssertEqual(denied.output, "Permission denied\n\n")
        XCTAssertEqual(denied.reloads, 0)
        XCTAssertEqual(converse("operator\nreload\n").reloads, 1)
    }

    func testLevels() {
        XCTAssertEqual(converse("show cli level\noperator\nshow cli level\nuser\nshow cli level\noperator\n").output,
                       "admin\n\noperator\n\nuser\n\nPermission denied\n\n")
    }

    func testPromptAfterFailedReload() {
        let master = FakeMaster()
        master.lastReloadFailed = true
        XCTAssertEqual(converse("prompt\n", master: master).output, "master[ReloadFailed]> ")
    }

    /// haproxy 2.6.12's reply to `bogus` on its master CLI, less `show cli sockets` (not implemented).
    func testUnknownCommandSuggestionsMatchHaproxy() {
        XCTAssertEqual(converse("bogus\n").output, """
            Unknown command, but maybe one of the following ones is a better match:
              @!<pid>                                 : send a command to the <pid> process
              @master                                 : send a command to the master process
              operator                                : lower the level of the current CLI session to operator
              reload                                  : reload haproxy
              user                                    : lower the level of the current CLI session to user
              help [<command>]                        : list matching or all commands
              prompt                                  : toggle interactive mode with prompt
              quit                                    : disconnect


            """)
    }

    func testHelpListsTheMasterCommands() {
        let help = converse("help\n").output
        XCTAssertTrue(help.hasPrefix("The following commands are valid at this level:\n  @!<pid>  "))
        for command in ["@<relative pid>", "@master", "operator", "reload", "show cli level", "show proc",
                        "show version", "user", "help [<command>]", "prompt", "quit"] {
            XCTAssertTrue(help.contains("\n  \(command) "), "help lacks \(command)")
        }
        XCTAssertTrue(help.hasSuffix(": disconnect\n\n"))
        XCTAssertTrue(converse("\n").output.hasPrefix("Unknown command. Please enter one of the following commands only:\n"))
    }

    func testShowProcEndsWithAnEmptyLine() {
        XCTAssertEqual(converse("show proc\n").output, "#<PID> ...\n# programs\n\n")
    }

    /// Input that arrives while a forward runs waits for it; a line longer than the buffer ends the session.
    func testInputDuringForwardAndOverlongLine() {
        let session = MasterCLISession(runtime: FakeMaster(), level: .admin)
        session.receive(Array("@1 show info\n".utf8))
        guard case .forward = session.nextAction() else { return XCTFail("expected a forward") }
        XCTAssertEqual(session.nextAction(), .awaitForward)
        XCTAssertTrue(session.wantsInput)
        session.receive(Array("show version\n".utf8))
        session.forwardFinished(reply: Array("x\n\n".utf8))
        guard case .write(let bytes) = session.nextAction() else { return XCTFail("expected a write") }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "x\n\n0.1.0\n\n")
        session.didWrite(bytes.count)
        XCTAssertEqual(session.nextAction(), .read)
        session.receive([UInt8](repeating: 0x61, count: RequestParser.maxLineBytes + 1))
        XCTAssertEqual(session.nextAction(), .shutdownWrite)
    }
}
