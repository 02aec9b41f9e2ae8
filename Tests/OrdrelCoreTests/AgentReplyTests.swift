import OrdrelConfig
import OrdrelSystem
import XCTest
@testable import OrdrelCore

/// The agent's reply line, parsed and judged as haproxy 2.6's `tcpcheck_agent_expect_reply`
/// and `server_parse_weight/maxconn_change_request` do. Expected texts were read from haproxy
/// 2.6.12's `show stat` (`last_agt`, `agent_status`) against a scripted agent.
final class AgentReplyTests: XCTestCase {
    private func line(_ text: String) -> AgentReply {
        guard case .line(let reply) = AgentReply.scan(Array(text.utf8), closed: false) else {
            XCTFail("no line in \(text.debugDescription)")
            return AgentReply()
        }
        return reply
    }

    private func verdict(_ text: String, initialWeight: Int = 100, dynamic: Bool = true) -> AgentVerdict {
        AgentVerdict(line(text), initialWeight: initialWeight, dynamicWeights: dynamic)
    }

    func testWordsOfEveryKindInAnyOrderSeparatedBySpacesTabsOrCommas() {
        // haproxy's reg-test checks/agent-check.vtc sends this line.
        let reply = line("75%,maxconn:30,maint,down\n")
        XCTAssertEqual(reply.health?.kind, .down)
        XCTAssertEqual(reply.admin, .maint)
        XCTAssertEqual(reply.weight, "75%")
        XCTAssertEqual(reply.maxconn, "30")
        XCTAssertNil(reply.firstUnknown)
        let tabs = line("drain\tup\t\t50%\r\n")
        XCTAssertEqual(tabs.health?.kind, .up)
        XCTAssertEqual(tabs.admin, .drain)
        XCTAssertEqual(tabs.weight, "50%")
    }

    func testTheLastWordOfAKindWinsAndTheFirstUnknownIsKept() {
        let reply = line("up down ready drain 10% 20% MAXCONN:5 maxconn:6 what else\n")
        XCTAssertEqual(reply.health?.kind, .down)
        XCTAssertEqual(reply.admin, .drain)
        XCTAssertEqual(reply.weight, "20%")
        XCTAssertEqual(reply.maxconn, "6")
        XCTAssertEqual(reply.firstUnknown, "what")
    }

    func testWordsAreCaseInsensitiveAndKeptAsWritten() {
        XCTAssertEqual(line("STOPPED\n").health?.kind, .stopped)
        XCTAssertEqual(line("Fail\n").health?.kind, .fail)
        XCTAssertEqual(line("MAINT\n").admin, .maint)
        XCTAssertEqual(verdict("UP\n").description, "via agent : UP")
    }

    func testDescriptionAfterSharp() {
        XCTAssertEqual(line("down #gone away\n").description, "gone away")
        XCTAssertEqual(line("down # \t spaced out \n").description, "spaced out ")
        XCTAssertEqual(line("down#x\n").firstUnknown, "down#x", "a sharp inside a word is part of it")
        XCTAssertEqual(line("#only words after\n").health?.kind, nil)
    }

    func testLineEndsAtCROrLF() {
        XCTAssertEqual(line("up\rdown\n").health?.kind, .up)
        XCTAssertEqual(AgentReply.scan(Array("up".utf8), closed: false), .needMore)
        XCTAssertEqual(AgentReply.scan(Array("up".utf8), closed: true), .incomplete)
        XCTAssertEqual(AgentReply.scan([], closed: true), .incomplete)
        XCTAssertEqual(AgentReply.scan(Array("up\0\n".utf8), closed: true), .incomplete, "haproxy stops at a NUL")
    }

    func testVerdictsSeenOnHaproxy() {
        let up = verdict("up 75%\n")
        XCTAssertEqual(up.status, .layer7OK)
        XCTAssertEqual(up.health, .up)
        XCTAssertEqual(up.weight, 75)
        XCTAssertEqual(up.description, "via agent : up")

        let down = verdict("down #gone away\n")
        XCTAssertEqual(down.status, .layer7WrongStatus)
        XCTAssertEqual(down.description, "via agent : down (gone away)")

        let drain = verdict("drain maxconn:30\n")
        XCTAssertEqual(drain.status, .checked)
        XCTAssertEqual(drain.admin, .drain)
        XCTAssertEqual(drain.maxconn, 30)
        XCTAssertEqual(drain.description, "")

        let bogus = verdict("bogus 50%\n")
        XCTAssertEqual(bogus.status, .checked)
        XCTAssertEqual(bogus.weight, 50)
        XCTAssertEqual(bogus.description, "agent reports an error : bogus")
    }

    func testWhichMessageAHealthWordCarries() {
        // Up: an error, else a warning, replaces the description.
        XCTAssertEqual(verdict("up bogus #fine\n").description, "via agent : up (bogus)")
        XCTAssertEqual(verdict("up #fine\n").description, "via agent : up (fine)")
        XCTAssertEqual(verdict("up 7x%\n").description, "via agent : up (Trailing garbage in weight string)")
        // Down keeps its description, and only falls back to the error without one.
        XCTAssertEqual(verdict("down bogus #why\n").description, "via agent : down (why)")
        XCTAssertEqual(verdict("fail bogus\n").description, "via agent : fail (bogus)")
        XCTAssertEqual(verdict("maxconn:x\n").description, "agent warns : maxconn string empty or preceded by garbage")
    }

    func testWeightRules() {
        func weight(_ text: String, _ initial: Int = 100, dynamic: Bool = true) -> Result<Int, AgentVerdict.Refusal> {
            AgentVerdict.weight(text, initialWeight: initial, dynamicWeights: dynamic)
        }
        XCTAssertEqual(weight("50%", 10), .success(5))
        XCTAssertEqual(weight("300%"), .success(256), "capped at 256")
        XCTAssertEqual(weight("99999999999999999999%"), .success(256))
        XCTAssertEqual(weight("0%", dynamic: false), .success(0))
        XCTAssertEqual(weight("100%", dynamic: false), .success(100))
        XCTAssertEqual(weight("50%", dynamic: false),
                       .failure(.init(text: "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n")))
        XCTAssertEqual(weight("75%x"), .failure(.init(text: "Trailing garbage in weight string")))
        XCTAssertEqual(weight("300%x"), .failure(.init(text: "Absolute weight can only be between 0 and 256 inclusive.\n")))
        XCTAssertEqual(weight("42"), .success(42), "a bare number is absolute (CLI form)")
    }

    func testMaxconnRules() {
        XCTAssertEqual(AgentVerdict.maxconn("30"), .success(30))
        XCTAssertEqual(AgentVerdict.maxconn(""), .failure(.init(text: "Require <maxconn>.\n")))
        XCTAssertEqual(AgentVerdict.maxconn("x1"), .failure(.init(text: "maxconn string empty or preceded by garbage")))
        XCTAssertEqual(AgentVerdict.maxconn("12ab"), .failure(.init(text: "Trailing garbage in maxconn string")))
        XCTAssertEqual(verdict("maxconn:\n").description, "agent warns : Require <maxconn>.\n")
    }

    func testDescriptionIsCutAtHaproxysCheckDescriptionLength() {
        let long = String(repeating: "x", count: 300)
        XCTAssertEqual(verdict("down #\(long)\n").description.utf8.count, 127)
    }

    func testAgentStateFollowsTheVerdicts() {
        var agent = AgentCheckState()
        XCTAssertEqual(agent.health, 1)
        XCTAssertTrue(agent.allowsUp)
        agent.record(verdict("down\n"), durationMs: 3)
        XCTAssertEqual(agent.health, 0)
        XCTAssertFalse(agent.allowsUp)
        XCTAssertEqual(agent.lastResult, .layer7WrongStatus)
        agent.recordFailure(.layer4ConnectionProblem, info: "Connection refused", durationMs: 0)
        XCTAssertEqual(agent.health, 0, "an unreachable agent changes no health")
        XCTAssertEqual(agent.lastInfo, "Connection refused")
        agent.recordIncomplete(durationMs: 1)
        XCTAssertEqual(agent.lastResult, .layer4ConnectionProblem, "an incomplete line keeps the status")
        XCTAssertEqual(agent.lastInfo, "Ignoring incomplete line from agent")
        agent.isEnabled = false
        XCTAssertTrue(agent.allowsUp, "a disabled agent holds nothing down")
        agent.isEnabled = true
        agent.record(verdict("up\n"), durationMs: 1)
        XCTAssertEqual(agent.health, 1)
        XCTAssertTrue(agent.allowsUp)
    }

    func testStatusWithAnAgent() {
        var agent = AgentCheckState()
        XCTAssertEqual(ServerStatus.string(admin: .ready, operational: .running, check: nil, agent: agent), "no check")
        XCTAssertEqual(ServerStatus.string(admin: .drain, operational: .running, check: nil, agent: agent), "DRAIN (agent)")
        agent.record(verdict("down\n"), durationMs: 0)
        XCTAssertEqual(ServerStatus.string(admin: .ready, operational: .stopped, check: nil, agent: agent), "DOWN (agent)")
        XCTAssertEqual(ServerStatus.string(admin: .maint, operational: .stopped, check: nil, agent: agent), "MAINT")
    }
}

/// `init-addr`: haproxy 2.6's walk over last, libc, none and an IP (server.c `srv_iterate_initaddr`).
final class InitAddrTests: XCTestCase {
    private let resolved = SocketAddress(ip: "127.0.0.1", port: 80)!

    private func walk(_ host: String, _ methods: [InitAddrMethod], resolves: Bool) -> InitAddr.Outcome {
        InitAddr.resolve(host: host, port: 80, methods: methods) { _, _ in resolves ? self.resolved : nil }
    }

    func testLiteralsNeedNoWalk() {
        XCTAssertEqual(walk("10.0.0.1", [.none], resolves: false), .address(SocketAddress(ip: "10.0.0.1", port: 80)!, warning: nil))
    }

    func testDefaultLastThenLibc() {
        XCTAssertEqual(walk("db", [.last, .libc], resolves: true), .address(resolved, warning: nil))
        XCTAssertEqual(walk("db", [.last, .libc], resolves: false), .failure("could not resolve address 'db'."))
        XCTAssertEqual(walk("db", [.last], resolves: true), .failure("no method found to resolve address 'db'."))
    }

    func testNoneStartsWithoutAnAddress() {
        XCTAssertEqual(walk("db", [.last, .libc, .none], resolves: false),
                       .noAddress(warning: "could not resolve address 'db', disabling server."))
        XCTAssertEqual(walk("db", [.none, .libc], resolves: true), .noAddress(warning: nil), "methods run in order")
    }

    func testExplicitAddressAsFallback() {
        XCTAssertEqual(walk("db", [.libc, .ip("10.1.2.3")], resolves: false),
                       .address(SocketAddress(ip: "10.1.2.3", port: 80)!,
                                warning: "could not resolve address 'db', falling back to configured address."))
        XCTAssertEqual(walk("db", [.ip("10.1.2.3")], resolves: true), .address(SocketAddress(ip: "10.1.2.3", port: 80)!, warning: nil))
    }
}
