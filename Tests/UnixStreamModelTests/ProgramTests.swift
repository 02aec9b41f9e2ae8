import XCTest
import UnixStreamModel

/// A server program that is not one of the built-ins: it answers each request byte with one message.
private struct ByteEchoServer: SocketProgram {
    var pendingReplies: [UInt8] = []
    var sawEOF = false

    var nextAction: ProgramAction {
        if let next = pendingReplies.first { return .write([next]) }
        return sawEOF ? .endSession : .read
    }

    mutating func complete(read: ReadOutcome?) {
        switch read {
        case .bytes(let bytes): pendingReplies += bytes
        case .endOfFile: sawEOF = true
        case nil: pendingReplies.removeFirst()
        }
    }
}

/// The pluggable program abstraction and the close policies.
final class ProgramTests: XCTestCase {
    private func configuration(_ kernel: KernelVariant) -> ModelConfiguration {
        ModelConfiguration(kernel: kernel, closeMode: .nonblocking, sendsUnixCloseNotice: false)
    }

    func testCustomServerProgramPlugsIntoStatsQuery() throws {
        for (kernel, losesData) in [(KernelVariant.illumosPre12694, true), (.illumos12694, false)] {
            let scenario = Scenario(name: "echo", server: ByteEchoServer(), policy: .writeShutdownClose,
                                    configuration: configuration(kernel))
            let result = Explorer(scenario: scenario).explore()
            XCTAssertEqual(result.violated, losesData ? [.completeInOrder] : [], "\(kernel)")
            XCTAssertNotNil(result.schedules)
        }
    }

    func testTypeErasedProgramsCompareByTypeAndValue() {
        let echo = AnySocketProgram(ByteEchoServer())
        var advanced = echo
        advanced.complete(read: .bytes([1]))
        XCTAssertEqual(echo, AnySocketProgram(ByteEchoServer()))
        XCTAssertNotEqual(echo, advanced)
        XCTAssertNotEqual(AnySocketProgram(RequestingClient(request: [], shutsDown: false)),
                          AnySocketProgram(RequestingClient(request: [], shutsDown: true)))
        XCTAssertEqual(AnySocketProgram(echo), echo, "wrapping twice does not nest")
    }

    func testPolicyAppendsItsEndingActions() {
        for policy in ClosePolicy.allCases {
            var program = PolicyEndedProgram(RespondingServer(requestLength: 0, response: [.bytes([7])]),
                                             policy: policy)
            var actions: [ProgramAction] = []
            while program.nextAction != .finished {
                actions.append(program.nextAction)
                program.complete(read: nil)
            }
            XCTAssertEqual(actions, [.write([7])] + policy.endingActions, "\(policy)")
        }
    }

    func testServerEndsTheSessionWhenEOFComesBeforeTheRequest() {
        var server = RespondingServer(requestLength: 3, response: [.bytes([1])])
        XCTAssertEqual(server.nextAction, .read)
        server.complete(read: .bytes([9]))
        XCTAssertEqual(server.nextAction, .read)
        server.complete(read: .endOfFile)
        XCTAssertEqual(server.nextAction, .endSession)
    }

    func testDrainWaitIsBlockedWhileOwnDataIsInTheSerializer() {
        let scenario = Scenario(.flowControl, policy: .drainThenShutdown, configuration: configuration(.illumos12694))
        let scheduler = scenario.scheduler
        var state = scenario.initialState
        for _ in 0..<2 {
            state = scheduler.apply(.user(.b), to: state).state
        }
        XCTAssertEqual(state.users.b.program.nextAction, .awaitDrained)
        XCTAssertFalse(scheduler.enabledSteps(in: state).contains(.user(.b)), "two data jobs queued")
        state = scheduler.apply(.runJob, to: state).state
        state = scheduler.apply(.runJob, to: state).state
        XCTAssertEqual(state.endpoints.b.writeQueue, [.data(Array("r2".utf8))], "r2 waits: A holds one message")
        XCTAssertFalse(scheduler.enabledSteps(in: state).contains(.user(.b)), "r2 still on B's te_wq")
        state = scheduler.apply(.user(.a), to: state).state
        let afterRead = scheduler.enabledSteps(in: state)
        XCTAssertTrue(afterRead.contains(.backEnable(.a)), "A drained its full head: \(afterRead)")
        XCTAssertFalse(afterRead.contains(.user(.b)))
    }
}
