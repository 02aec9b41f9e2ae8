import OrdrelCLI
import UnixStreamModel
import XCTest

/// ordrel's real `CLISession` as the stats-query server over the `tl` model.
final class CLIOverModelTests: XCTestCase {
    private func configuration(_ kernel: KernelVariant, _ close: CloseMode, notice: Bool) -> ModelConfiguration {
        ModelConfiguration(kernel: kernel, closeMode: close, sendsUnixCloseNotice: notice)
    }

    /// Every configuration of the model: kernels × close modes × with/without SO_UNIX_CLOSE.
    private var everyConfiguration: [ModelConfiguration] {
        KernelVariant.all.flatMap { kernel in
            CloseMode.allCases.flatMap { close in
                [true, false].map { configuration(kernel, close, notice: $0) }
            }
        }
    }

    /// Runs the first enabled step until none is left; the final state.
    private func runToEnd(_ scenario: Scenario) -> ModelState {
        let scheduler = scenario.scheduler
        var state = scenario.initialState
        while let step = scheduler.enabledSteps(in: state).first {
            state = scheduler.apply(step, to: state).state
        }
        return state
    }

    func testStandaloneRepliesAreTheCLIRenderersOutputForTheFixture() {
        let stat = String(decoding: CLISessionProgram.standaloneReply(to: CLIQuery.showStat.request), as: UTF8.self)
        let lines = stat.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 6, "header, three rows, the empty terminator line, end")
        XCTAssertTrue(lines[0].hasPrefix("# pxname,svname,qcur,qmax,"))
        XCTAssertTrue(lines[1].hasPrefix("fe_main,FRONTEND,,,0,0,100,0,"))
        XCTAssertTrue(lines[2].hasPrefix("be_app,s1,0,0,0,0,,0,"))
        XCTAssertTrue(lines[2].contains(",127.0.0.1:8080,"))
        XCTAssertTrue(lines[3].hasPrefix("be_app,BACKEND,0,0,0,0,10,0,"))
        XCTAssertTrue(lines[3].contains(",roundrobin,"))
        XCTAssertEqual(lines[4], "")
        XCTAssertEqual(lines[5], "")

        let info = String(decoding: CLISessionProgram.standaloneReply(to: CLIQuery.showInfo.request), as: UTF8.self)
        XCTAssertTrue(info.hasPrefix("Name: ordrel\nVersion: ordrel-model\n"), info)
        XCTAssertTrue(info.contains("\nMaxconn: 100\nHard_maxconn: 100\n"), info)
        XCTAssertTrue(info.hasSuffix("\n\n"))
    }

    func testFixtureRuntimeAnswersAdminCommandsLikeARuntime() {
        let runtime = ModelCLIRuntime()
        XCTAssertEqual(runtime.lookupServer(backend: "be_app", server: "s9").lookupError, .noSuchServer)
        XCTAssertEqual(runtime.lookupServer(backend: "nope", server: "s1").lookupError, .noSuchBackend)
        XCTAssertEqual(runtime.setServerWeight(backend: "#3", server: "#1", weight: .absolute(7)), .success(.done))
        XCTAssertEqual(runtime.serverWeight(backend: "be_app", server: "s1"), .success(ServerWeight(current: 7, initial: 1)))
        XCTAssertEqual(runtime.setServerAddress(backend: "be_app", server: "s1", address: "10.0.0.300", port: nil),
                       .success(.invalidAddress))
        XCTAssertEqual(runtime.setFrontendEnabled(frontend: "fe_main", enabled: true), .alreadyInState)
        XCTAssertEqual(runtime.setGlobalMaxconn(101), .outOfRange)
        XCTAssertNil(runtime.serversState(backend: "other"))
    }

    func testAdapterRunsTheSessionThenEachPolicysClosePath() {
        let request = CLIQuery.showStat.request
        let reply = CLISessionProgram.standaloneReply(to: request)
        let expected: [(ClosePolicy, [ProgramAction])] = [
            (.drainThenShutdown, [.read, .write(reply), .awaitDrained, .shutdownWrite, .read, .close]),
            (.writeShutdownClose, [.read, .write(reply), .shutdownWrite, .read, .close]),
            (.writeClose, [.read, .write(reply), .read, .close]),
        ]
        for (policy, actions) in expected {
            var program = CLISessionProgram(policy: policy)
            var seen: [ProgramAction] = []
            var reads = [ReadOutcome.bytes(request), .endOfFile]
            while program.nextAction != .finished {
                seen.append(program.nextAction)
                program.complete(read: program.nextAction == .read ? reads.removeFirst() : nil)
            }
            XCTAssertEqual(seen, actions, "\(policy)")
            XCTAssertEqual(program.history.last, .closed, "\(policy)")
        }
    }

    func testWithoutInputDrainTheSessionClosesWithoutReadingEOF() {
        var program = CLISessionProgram(drainsInputBeforeClose: false)
        program.complete(read: .bytes(CLIQuery.showInfo.request))
        var actions: [ProgramAction] = []
        while program.nextAction != .finished {
            actions.append(program.nextAction)
            program.complete(read: nil)
        }
        XCTAssertEqual(actions.count, 4)
        XCTAssertEqual(Array(actions.dropFirst()), [.awaitDrained, .shutdownWrite, .close])
        XCTAssertEqual(program.history, [.read(.bytes(CLIQuery.showInfo.request)), .wrote(actions[0].writtenCount),
                                         .drained, .shutDown, .closed])
    }

    func testProgramsWithTheSameHistoryAreEqualAndOthersAreNot() {
        var first = CLISessionProgram()
        var second = CLISessionProgram()
        first.complete(read: .bytes(CLIQuery.showStat.request))
        second.complete(read: .bytes(CLIQuery.showStat.request))
        XCTAssertEqual(first, second)
        XCTAssertEqual(first.hashValue, second.hashValue)
        XCTAssertEqual(first.nextAction, second.nextAction)
        var other = CLISessionProgram()
        other.complete(read: .bytes(CLIQuery.showInfo.request))
        XCTAssertNotEqual(first, other)
        XCTAssertNotEqual(CLISessionProgram(policy: .writeClose), CLISessionProgram(policy: .drainThenShutdown))
    }

    func testInvariantAHoldsTheClientToTheCLIsExactReply() throws {
        let request = CLIQuery.showStat.request
        var wrong = CLISessionProgram.standaloneReply(to: request)
        wrong[2] = UInt8(ascii: "X")
        let scenario = Scenario(name: "wrong expectation", client: RequestingClient(request: request, shutsDown: true),
                                server: CLISessionProgram(), policy: .drainThenShutdown, clientExpects: wrong,
                                configuration: configuration(.illumos12694, .nonblocking, notice: true))
        let result = Explorer(scenario: scenario).explore()
        XCTAssertEqual(result.violated, [.completeInOrder])
        let schedules = try XCTUnwrap(result.schedules)
        XCTAssertEqual(schedules.violating[.completeInOrder], schedules.total, "the reply differs on every schedule")
    }

    func testProductionPolicyIsSafeOnEveryKernelVariant() throws {
        var report: [String] = []
        for query in CLIQuery.allCases {
            let reply = CLISessionProgram.standaloneReply(to: query.request)
            for drainsInput in [true, false] {
                for configuration in everyConfiguration {
                    let scenario = Scenario(cliQuery: query, policy: .drainThenShutdown,
                                            drainsInputBeforeClose: drainsInput, configuration: configuration)
                    let result = Explorer(scenario: scenario).explore()
                    let schedules = try XCTUnwrap(result.schedules, scenario.name)
                    XCTAssertEqual(result.violated, [], scenario.name)
                    for invariant in Invariant.allCases {
                        XCTAssertEqual(schedules.violating[invariant], 0, "\(invariant) \(scenario.name)")
                        XCTAssertEqual(result.violatingTerminalStates[invariant], 0, "\(invariant) \(scenario.name)")
                    }
                    XCTAssertFalse(schedules.saturated, scenario.name)
                    XCTAssertGreaterThan(result.distinctStates, 50, scenario.name)
                    XCTAssertGreaterThan(schedules.total, 1000, scenario.name)
                    XCTAssertNil(result.shortestDataDiscard, scenario.name)

                    let end = runToEnd(scenario)
                    XCTAssertTrue(end.isQuiescent, scenario.name)
                    XCTAssertTrue(end.users.a.sawEOF, scenario.name)
                    XCTAssertEqual(end.users.a.readCount, reply.count, scenario.name)
                    XCTAssertEqual(end.users.b.written, reply, scenario.name)
                    report.append("\(scenario.name): \(result.distinctStates) states, \(schedules.total) schedules, "
                                  + "\(result.duration.milliseconds) ms")
                }
            }
        }
        XCTAssertEqual(report.count, 2 * 2 * 12)
        print(report.joined(separator: "\n"))
    }

    func testHaproxyPolicyLosesTheCLIsReplyOnlyBeforeTheFix() throws {
        for drainsInput in [true, false] {
            for close in CloseMode.allCases {
                for notice in [true, false] {
                    let lossy = Scenario(cliQuery: .showStat, policy: .writeShutdownClose, drainsInputBeforeClose: drainsInput,
                                         configuration: configuration(.illumosPre12694, close, notice: notice))
                    let result = Explorer(scenario: lossy).explore()
                    let schedules = try XCTUnwrap(result.schedules, lossy.name)
                    XCTAssertEqual(result.violated, [.completeInOrder], lossy.name)
                    let violating = try XCTUnwrap(schedules.violating[.completeInOrder])
                    XCTAssertGreaterThan(violating, 0, lossy.name)
                    XCTAssertLessThan(violating, schedules.total, "only some schedules lose data: \(lossy.name)")

                    let counterexample = try XCTUnwrap(result.counterexamples[.completeInOrder], lossy.name)
                    let replayed = try lossy.replay(counterexample.steps)
                    XCTAssertEqual(replayed.firstViolation, .completeInOrder, lossy.name)
                    XCTAssertEqual(replayed.rows.count, counterexample.steps.count, lossy.name)
                    XCTAssertEqual(counterexample.steps.last, .user(.a), "the loss is seen at A's EOF read")
                    let final = try XCTUnwrap(replayed.finalState)
                    XCTAssertTrue(final.users.a.sawEOF, lossy.name)
                    XCTAssertEqual(final.users.a.readCount, 0, "the whole reply is lost: \(lossy.name)")
                    XCTAssertEqual(final.users.b.written, CLISessionProgram.standaloneReply(to: CLIQuery.showStat.request))
                    print("\(lossy.name): \(result.distinctStates) states, \(violating) of \(schedules.total) "
                          + "schedules lose the reply, shortest \(counterexample.steps.count) steps, "
                          + "\(result.duration.milliseconds) ms")
                }
            }
        }
        for kernel in [KernelVariant.illumos12694, .queueBehind] {
            let fixed = Scenario(cliQuery: .showStat, policy: .writeShutdownClose,
                                 configuration: configuration(kernel, .nonblocking, notice: true))
            XCTAssertEqual(Explorer(scenario: fixed).explore().violated, [], fixed.name)
        }
    }

    func testWithoutInputDrainTheCLIExploresExactlyLikeTheScriptedServer() throws {
        for policy in ClosePolicy.allCases {
            for kernel in KernelVariant.all {
                let config = configuration(kernel, .nonblocking, notice: true)
                let cli = Explorer(scenario: Scenario(cliQuery: .showStat, policy: policy,
                                                      drainsInputBeforeClose: false, configuration: config)).explore()
                let scripted = Explorer(scenario: Scenario(.statsQuery, policy: policy, configuration: config)).explore()
                let cell = "\(policy) \(kernel)"
                XCTAssertEqual(cli.distinctStates, scripted.distinctStates, cell)
                XCTAssertEqual(cli.transitions, scripted.transitions, cell)
                XCTAssertEqual(cli.schedules, scripted.schedules, cell)
                XCTAssertEqual(cli.counterexamples[.completeInOrder]?.steps,
                               scripted.counterexamples[.completeInOrder]?.steps, cell)
            }
        }
    }

    func testShortestLossMatchesTheBugReportsShapeWithTheRealReply() throws {
        let lossy = Scenario(cliQuery: .showStat, policy: .writeShutdownClose,
                             configuration: configuration(.illumosPre12694, .nonblocking, notice: true))
        let result = Explorer(scenario: lossy).explore()
        let steps = try XCTUnwrap(result.counterexamples[.completeInOrder]).steps
        XCTAssertEqual(steps.count, 16)
        let rows = try lossy.replay(steps).rows
        let narration = rows.map { $0.narration.joined(separator: "; ") }
        XCTAssertTrue(narration.contains { $0.contains("no fast path, closing: putq on B.wq") }, "\(narration)")
        XCTAssertTrue(narration.contains { $0.contains("B closing: process ordrel now") }, "\(narration)")
        let reply = CLISessionProgram.standaloneReply(to: CLIQuery.showStat.request)
        XCTAssertEqual(rows.last?.state.endpoints.b.writeQueue, [.data(reply)], "the reply is stranded on B's te_wq")
    }

    func testSplitReplyIsSafeUnderTheProductionPolicyAndLostUnderHaproxys() throws {
        let chunk = 700
        let reply = CLISessionProgram.standaloneReply(to: CLIQuery.showStat.request)
        var program = CLISessionProgram(outputChunkSize: chunk)
        program.complete(read: .bytes(CLIQuery.showStat.request))
        var writes: [[UInt8]] = []
        while case .write(let bytes) = program.nextAction {
            writes.append(bytes)
            program.complete(read: nil)
        }
        XCTAssertGreaterThan(writes.count, 1)
        XCTAssertEqual(writes.flatMap { $0 }, reply)

        for kernel in KernelVariant.all {
            let production = Scenario(cliQuery: .showStat, policy: .drainThenShutdown, outputChunkSize: chunk,
                                      configuration: configuration(kernel, .nonblocking, notice: true))
            let safe = Explorer(scenario: production).explore()
            XCTAssertEqual(safe.violated, [], production.name)
            XCTAssertEqual(try XCTUnwrap(safe.schedules).violating[.completeInOrder], 0, production.name)

            let haproxy = Scenario(cliQuery: .showStat, policy: .writeShutdownClose, outputChunkSize: chunk,
                                   configuration: configuration(kernel, .nonblocking, notice: true))
            let lossy = Explorer(scenario: haproxy).explore()
            XCTAssertEqual(lossy.violated, kernel == .illumosPre12694 ? [.completeInOrder] : [], haproxy.name)
            print("\(writes.count) writes, \(production.name): \(safe.distinctStates) states, "
                  + "\(safe.duration.milliseconds) ms; \(haproxy.name): \(lossy.distinctStates) states, "
                  + "\(lossy.violated)")
        }
    }
}

private extension ProgramAction {
    /// Bytes of a `.write`, else 0.
    var writtenCount: Int {
        if case .write(let bytes) = self { return bytes.count }
        return 0
    }
}
