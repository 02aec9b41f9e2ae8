import XCTest
@testable import OrdrelCLI

final class SessionTests: XCTestCase {
    func testHalfCloseRightAfterCommandStillGetsWholeReplyThenShutdownThenClose() {
        let rt = TestRuntime()
        rt.extraServers = 3000
        let s = CLISession(runtime: rt, level: .admin)
        s.receive(Array("show stat\n".utf8))
        s.receiveEOF()
        var bytes: [UInt8] = []
        var events: [String] = []
        var writes = 0
        loop: while true {
            switch s.nextAction() {
            case .write(let b):
                writes += 1
                if writes % 3 == 0 {
                    s.didWrite(0)
                    continue
                }
                let n = min(1000, b.count)
                bytes.append(contentsOf: b.prefix(n))
                s.didWrite(n)
                events.append("write")
            case .read: XCTFail("must not wait for input after EOF"); break loop
            case .transferListeners: XCTFail("show stat never transfers listeners"); break loop
            case .awaitRows: XCTFail("TestRuntime makes its rows at once unless told"); break loop
            case .shutdownWrite:
                events.append("shutdownWrite")
                s.didShutdownWrite()
            case .close:
                events.append("close")
                s.didClose()
            case .done: break loop
            }
        }
        let expected = StatsColumns.csvHeader + rt.rows().flatMap { row -> [UInt8] in
            var b: [UInt8] = []
            StatsRenderer(format: .plain, withDescriptions: false, showLegends: true).appendRow(row, isFirst: false, into: &b)
            return b
        } + [0x0A]
        XCTAssertEqual(bytes.count, expected.count)
        XCTAssertEqual(bytes, expected)
        XCTAssertEqual(Array(events.suffix(2)), ["shutdownWrite", "close"])
        XCTAssertFalse(events.dropLast(2).contains("shutdownWrite"))
    }

    /// The session reads and changes the runtime only inside `consistently`, in short stretches:
    /// `show sess` pulls `rowsPerPull` rows per stretch, `show stat` (whose rows need no pause)
    /// and commands that read no shared state (unknown ones, `help`, `prompt`) take none, so a
    /// stats client cannot hold up traffic.
    func testRuntimeIsTouchedOnlyInShortConsistentStretches() {
        let rt = TestRuntime()
        rt.extraServers = 3000
        let s = CLISession(runtime: rt, level: .admin)
        func run(_ command: String) -> Int {
            let before = rt.consistentStretches
            s.receive(Array((command + "\n").utf8))
            while case .write(let b) = s.nextAction() { s.didWrite(b.count) }
            return rt.consistentStretches - before
        }
        XCTAssertEqual(run("prompt"), 0)
        XCTAssertEqual(run("no such command"), 0)
        XCTAssertEqual(run("help"), 0)
        XCTAssertEqual(run("show info"), 1)
        XCTAssertEqual(run("set server be_app/s2 state drain"), 1)
        XCTAssertEqual(rt.servers[1].admin, .drain)
        XCTAssertEqual(run("show stat"), 0)
        XCTAssertEqual(run("show stat be_app 4 -1"), 0)
        XCTAssertEqual(run("show sess"), 2)
        XCTAssertEqual(rt.accessesOutsideConsistency, 0)
    }

    /// A pacing driver waits for a turn only while the session has work left: a dump under way
    /// or unparsed input has some; a written last reply does not (the FIN and the close follow
    /// in the same turn). A dump's header leaves in the same write as its first rows.
    func testHasWorkLeftOnlyWhileSomethingRemainsToRun() {
        let rt = TestRuntime()
        rt.extraServers = 3000
        let dump = CLISession(runtime: rt, level: .admin, commandsPerStep: 1)
        dump.receive(Array("show stat\n".utf8))
        guard case .write(let first) = dump.nextAction() else { return XCTFail("no reply") }
        XCTAssertTrue(String(decoding: first, as: UTF8.self).contains("\nfe_main,FRONTEND,"))
        XCTAssertTrue(dump.hasWorkLeft, "a dump under way")
        dump.didWrite(first.count)
        while case .write(let b) = dump.nextAction() { dump.didWrite(b.count) }
        XCTAssertFalse(dump.hasWorkLeft)
        XCTAssertEqual(dump.nextAction(), .shutdownWrite)

        let pipelined = CLISession(runtime: rt, level: .admin, commandsPerStep: 1)
        pipelined.receive(Array("show info\nshow info\n".utf8))
        guard case .write(let reply) = pipelined.nextAction() else { return XCTFail("no reply") }
        pipelined.didWrite(reply.count)
        XCTAssertTrue(pipelined.hasWorkLeft, "the second show info is still to run")
        while case .write(let b) = pipelined.nextAction() { pipelined.didWrite(b.count) }
        XCTAssertFalse(pipelined.hasWorkLeft)
    }

    /// Rows made on another thread (`DeferredRows`): the session hands out what it rendered,
    /// then asks to wait (`.awaitRows`) instead of blocking, and after each delivery goes on
    /// where it stopped; pipelined commands keep their order, and the bytes are the same as
    /// with rows made at once.
    func testShowStatWaitsForDeferredRowsAndGivesTheSameReply() {
        let input = "show stat\nshow info\nshow stat be_app 4 -1\n"
        let direct = TestRuntime()
        direct.extraServers = 100
        let expected = exchange(input, runtime: direct, eof: true)

        let rt = TestRuntime()
        rt.extraServers = 100
        rt.deferredBatch = 7
        let s = CLISession(runtime: rt, level: .admin)
        s.receive(Array(input.utf8))
        s.receiveEOF()
        var t = Transcript()
        var deliveries = 0
        var dumps: [ObjectIdentifier] = []
        drive(s, into: &t)
        while t.events.last == "awaitRows" {
            guard let rows = rt.deferredRows else { return XCTFail("awaitRows without deferred rows") }
            if dumps.last != ObjectIdentifier(rows) { dumps.append(ObjectIdentifier(rows)) }
            XCTAssertEqual(rows.requested, 1, "a waiting session asked for its rows")
            XCTAssertEqual(s.nextAction(), .awaitRows, "nothing moves until the rows come")
            var resumed = false
            s.whenRowsReady { resumed = true }
            XCTAssertTrue(rows.deliver())
            XCTAssertTrue(resumed)
            deliveries += 1
            t.events.removeLast()
            drive(s, into: &t)
        }
        XCTAssertEqual(dumps.count, 2, "both show stat dumps waited")
        // 100 extra servers plus the captured rows, in batches of 7, for two dumps.
        XCTAssertGreaterThan(deliveries, 2 * 100 / 7)
        XCTAssertEqual(t.text, expected.text)
        XCTAssertEqual(t.events, expected.events)
        XCTAssertEqual(t.events, ["shutdownWrite", "close"])
    }

    /// A dump whose rows come from another thread does not send its header alone: the header
    /// waits with the rows, and a small reply goes out in one write.
    func testDeferredRowsGoOutWithTheirHeaderInOneWrite() {
        let expected = exchange("show stat\n", eof: true)
        let rt = TestRuntime()
        rt.deferredBatch = 100
        let s = CLISession(runtime: rt, level: .admin)
        s.receive(Array("show stat\n".utf8))
        s.receiveEOF()
        XCTAssertEqual(s.nextAction(), .awaitRows, "the header is held while the rows are made")
        XCTAssertGreaterThan(s.pendingOutputCount, 0)
        guard let rows = rt.deferredRows else { return XCTFail("awaitRows without deferred rows") }
        s.whenRowsReady {}
        XCTAssertTrue(rows.deliver())
        var writes: [[UInt8]] = []
        while case .write(let b) = s.nextAction() {
            writes.append(Array(b))
            s.didWrite(b.count)
        }
        XCTAssertEqual(writes.count, 1, "header, rows and terminator in one write")
        XCTAssertEqual(String(decoding: writes.joined(), as: UTF8.self), expected.text)
        XCTAssertEqual(s.nextAction(), .shutdownWrite)
    }

    /// A held chunk is handed out once it is full, rows or not: a large pipelined reply before a
    /// dump does not wait for the dump's rows.
    func testFullChunkIsWrittenWhileRowsAreMade() {
        let rt = TestRuntime()
        rt.deferredBatch = 1
        let s = CLISession(runtime: rt, level: .admin, outputChunkSize: 64)
        s.receive(Array("show info\nshow stat\n".utf8))
        s.receiveEOF()
        var sawWrite = false
        loop: while true {
            switch s.nextAction() {
            case .write(let b): sawWrite = true; s.didWrite(b.count)
            case .awaitRows: break loop
            default: return XCTFail("expected writes, then awaitRows")
            }
        }
        XCTAssertTrue(sawWrite, "show info's reply, past the chunk size, went out before the rows")
        XCTAssertLessThan(s.pendingOutputCount, 64)
    }

    func testLargeDumpIsProducedIncrementally() {
        let rt = TestRuntime()
        rt.extraServers = 5000
        let s = CLISession(runtime: rt, level: .admin, outputChunkSize: 4096)
        s.receive(Array("show stat typed\n".utf8))
        var maxPending = 0
        var total: [UInt8] = []
        var sawStreaming = false
        while case .write(let b) = s.nextAction() {
            maxPending = max(maxPending, b.count)
            if s.state == .streaming { sawStreaming = true }
            let n = min(b.count, 333)
            total.append(contentsOf: b.prefix(n))
            s.didWrite(n)
        }
        XCTAssertTrue(sawStreaming)
        XCTAssertLessThan(maxPending, 4096 + 8192)
        XCTAssertGreaterThan(total.count, 1_000_000)
        let text = String(decoding: total, as: UTF8.self)
        let lastCapturedLine = Captured.statTyped.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertEqual(lastCapturedLine, "B.3.0.126.h1_spliced_bytes_out.1:MCP:u64:0")
        XCTAssertTrue(text.hasSuffix(lastCapturedLine + "\n\n"))
        XCTAssertTrue(text.contains("S.9.5000.17.status.1:SGP:str:no check\n"))
        XCTAssertTrue(text.contains("S.9.4321.7.stot.1:MCP:u64:4320000\n"))
        XCTAssertEqual(s.state, .awaitingShutdownWrite)
    }

    func testStaleSessionIdAndIdForms() {
        let rt = TestRuntime()
        rt.liveSessions = [SessionInfo(id: 0x55a2_0fad_7e50, proto: "tcpv4", source: "127.0.0.1:60776", frontend: "fe_main",
                                       backend: "be_app", server: "s2", ageSeconds: 61, calls: 2, frontendFD: 16,
                                       backendFD: 18, expiresInSeconds: 1)]
        XCTAssertEqual(exchange("show sess\n", runtime: rt).text,
                       "0x55a20fad7e50: proto=tcpv4 src=127.0.0.1:60776 fe=fe_main be=be_app srv=s2 ts=00 epoch=0 age=1m1s "
                       + "calls=2 rate=0 cpu=0 lat=0 rq[f=0h,i=0,an=00h,rx=,wx=,ax=] rp[f=0h,i=0,an=00h,rx=,wx=,ax=] "
                       + "scf=[8,0h,fd=16] scb=[8,1h,fd=18] exp=1s rc=0 c_exp=\n\n")
        XCTAssertEqual(exchange("shutdown session 0x1234\n", runtime: rt).text, "No such session (use 'show sess').\n\n")
        XCTAssertEqual(exchange("shutdown session\n", runtime: rt).text, "Session pointer expected (use 'show sess').\n\n")
        XCTAssertEqual(exchange("shutdown session foo\n", runtime: rt).text, "Session pointer expected (use 'show sess').\n\n")
        XCTAssertEqual(exchange("shutdown session 0x55a20fad7e50zz\n", runtime: rt).text,
                       "No such session (use 'show sess').\n\n")
        XCTAssertEqual(exchange("shutdown session 0x155a20fad7e50ffffffff\n", runtime: rt).text,
                       "No such session (use 'show sess').\n\n")
        XCTAssertEqual(rt.killed, [])
        XCTAssertEqual(exchange("show sess 0x55a20fad7e51\n", runtime: rt).text, "Session not found.\n\n")
        XCTAssertEqual(exchange("shutdown session 94154536091216\n", runtime: rt).text, "\n")
        XCTAssertEqual(rt.killed, [0x55a2_0fad_7e50])
        XCTAssertEqual(exchange("shutdown session 0x55a20fad7e50\n", runtime: rt).text,
                       "No such session (use 'show sess').\n\n")
        XCTAssertEqual(CLIArgs.sessionID("0X1f"), .value(31))
        XCTAssertEqual(CLIArgs.sessionID("017"), .value(15))
        XCTAssertEqual(CLIArgs.sessionID("0"), .zero)
        XCTAssertEqual(CLIArgs.sessionID("-5"), .unmatchable)
    }

    func testSetTimeoutIsExposedToDriver() {
        let s = CLISession(runtime: TestRuntime(), level: .user)
        s.receive(Array("prompt;set timeout cli 2\n".utf8))
        var t = Transcript()
        drive(s, into: &t)
        XCTAssertEqual(t.text, "\n> \n> ")
        XCTAssertEqual(s.idleTimeoutSeconds, 2)
        XCTAssertTrue(s.wantsInput)
    }

    /// `_getsocks` (hidden, any level): the driver transfers the listeners (or not, per the
    /// socket's `expose-fd listeners`), then the session ends without a byte, as haproxy's.
    func testGetsocksAsksTheDriverThenEndsWithoutOutput() {
        for level in [CLILevel.user, .admin] {
            let t = exchange("_getsocks\n", level: level)
            XCTAssertEqual(t.bytes, [])
            XCTAssertEqual(t.events, ["transferListeners", "shutdownWrite", "close"])
        }
        let afterPrompt = exchange("prompt\n_getsocks\n")
        XCTAssertEqual(afterPrompt.text, "\n> ", "the prompt's output is written before the transfer")
        XCTAssertEqual(afterPrompt.events, ["transferListeners", "shutdownWrite", "close"])
        XCTAssertEqual(exchange("help\n").text.contains("_getsocks"), false, "hidden from help")
    }
}
