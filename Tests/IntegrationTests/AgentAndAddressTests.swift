#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// haproxy 2.6.12 started in the foreground on `config`, stopped at the end of the test.
final class HaproxyDaemon: DaemonProcess {
    init(config: String, readySocket: String) throws {
        super.init(config: config, name: "haproxy", stopTimeout: 5)
        process.executableURL = URL(fileURLWithPath: haproxyPath)
        process.arguments = ["-db", "-f", configPath]
        try process.run()
        guard waitUntil(10, { (try? TestSocket.connect(unixPath: readySocket)).map { close($0); return true } ?? false })
        else { throw TestSocket.Failure(description: "haproxy did not start: \(stderrText)") }
    }
}

/// CSV `show stat` or `show servers state` of a stats socket, one dictionary per server row.
func serverRows(_ socket: String, _ command: String) throws -> [String: [String: String]] {
    let text = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: command + "\n").stdout
    let lines = text.split(separator: "\n").map(String.init)
    guard let header = lines.first(where: { $0.hasPrefix("# ") }) else { return [:] }
    let separator: Character = command == "show stat" ? "," : " "
    let names = header.dropFirst(2).split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    var rows: [String: [String: String]] = [:]
    for line in lines where !line.hasPrefix("#") && line.contains(separator) {
        let row = Dictionary(zip(names, line.split(separator: separator, omittingEmptySubsequences: false).map(String.init)),
                             uniquingKeysWith: { first, _ in first })
        if let server = row["svname"] ?? row["srv_name"], server != "FRONTEND", server != "BACKEND" { rows[server] = row }
    }
    return rows
}

func cli(_ socket: String, _ command: String) throws -> String {
    try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: command + "\n").stdout
}

/// Agent checks against scripted agents, compared column by column with haproxy 2.6.12 on the
/// same configuration; host names and `init-addr none` with `set server ... addr`.
final class AgentAndAddressTests: XCTestCase {
    /// The agent columns haproxy fills, and the state they drive (durations are timings: not compared).
    private static let agentColumns = ["status", "weight", "slim", "chkfail", "chkdown", "last_agt", "agent_status",
                                       "agent_code", "agent_desc", "agent_rise", "agent_fall", "agent_health", "check_status"]
    private static let stateColumns = ["srv_op_state", "srv_admin_state", "srv_uweight", "srv_iweight", "srv_check_state",
                                       "srv_agent_state", "srv_agent_addr", "srv_agent_port"]

    func testAgentRepliesDriveTheServerAsOnHaproxy() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        // Each agent sends its line at once, then echoes what the check sends (agent-send).
        let replies = ["up 75%\n", "down #gone away\n", "drain maxconn:30\n", "bogus 50%\n", "maint\n"]
        let agents = try replies.map { try TestBackend(.greetThenEcho(Array($0.utf8))) }
        defer { agents.forEach { $0.stop() } }
        let deadPort = try TestSocket.unusedPort()
        let directory = TemporaryDirectory()
        func config(_ socket: String) -> String {
            """
            global
                stats socket \(socket) level admin
            defaults
                mode tcp
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            backend be1
                default-server agent-check agent-inter 100ms agent-send "ping\\n" weight 100
                server s1 127.0.0.1:9 agent-port \(agents[0].port)
                server s2 127.0.0.1:9 agent-port \(agents[1].port)
                server s3 127.0.0.1:9 agent-port \(agents[2].port) agent-addr 127.0.0.1
                server s4 127.0.0.1:9 agent-port \(agents[3].port)
                server s5 127.0.0.1:9 agent-port \(agents[4].port)
                server s6 127.0.0.1:9 agent-port \(deadPort)
                server s7 127.0.0.1:\(agents[1].port) check inter 100ms agent-port \(agents[1].port)

            """
        }
        let sockets = (haproxy: directory.path + "/h.sock", ordrel: directory.path + "/o.sock")
        let haproxy = try HaproxyDaemon(config: config(sockets.haproxy), readySocket: sockets.haproxy)
        defer { haproxy.stop() }
        let ordrel = try OrdrelProcess(config: config(sockets.ordrel), readySocket: sockets.ordrel)
        defer { ordrel.stop() }

        func settled(_ socket: String) throws -> Bool {
            let rows = try serverRows(socket, "show stat")
            return rows["s2"]?["status"] == "DOWN (agent)" && rows["s4"]?["weight"] == "50" && rows["s5"]?["status"] == "MAINT"
                && rows["s6"]?["agent_status"] == "L4CON" && rows["s1"]?["agent_status"] == "L7OK"
                && rows["s7"]?["status"] == "DOWN (agent)" && rows["s7"]?["check_status"]?.hasSuffix("L4OK") == true
        }
        XCTAssertTrue(try waitUntil(10) { try settled(sockets.haproxy) && settled(sockets.ordrel) }, "agents not applied")

        // The columns that differ between the two daemons; a check under way on either side
        // can show a transient value (haproxy blanks `last_agt` while its agent runs), so the
        // comparison is retried for a while before it counts.
        func differences(_ command: String, _ columns: [String]) throws -> [String] {
            let theirs = try serverRows(sockets.haproxy, command), ours = try serverRows(sockets.ordrel, command)
            var found = ours.keys.sorted() == theirs.keys.sorted() ? [] : ["servers \(ours.keys.sorted()) vs \(theirs.keys.sorted())"]
            // Whether a check is running at that instant ("* " prefix, state bit 0x01) is timing.
            func settledValue(_ column: String, _ value: String?) -> String? {
                guard let value else { return nil }
                if column.hasSuffix("_status") && value.hasPrefix("* ") { return String(value.dropFirst(2)) }
                if column.hasSuffix("_state"), let bits = Int(value) { return String(bits & ~1) }
                return value
            }
            for (server, row) in theirs.sorted(by: { $0.key < $1.key }) {
                for column in columns where settledValue(column, ours[server]?[column]) != settledValue(column, row[column]) {
                    found.append("\(server) \(column): ordrel \(ours[server]?[column] ?? "-") haproxy \(row[column] ?? "-")")
                }
            }
            return found
        }
        func compare(_ command: String, _ columns: [String], _ context: String) throws {
            var found: [String] = []
            _ = try waitUntil(5) {
                found = try differences(command, columns)
                return found.isEmpty
            }
            XCTAssertEqual(found, [], context)
        }
        try compare("show stat", Self.agentColumns, "after the first replies")
        try compare("show servers state", Self.stateColumns, "after the first replies")
        // A checked server the agent took down counts it in chkdown, as haproxy does.
        XCTAssertEqual(try serverRows(sockets.ordrel, "show stat")["s7"]?["chkdown"], "1")
        let s1 = try XCTUnwrap(try serverRows(sockets.ordrel, "show stat")["s1"])
        XCTAssertEqual(s1["last_agt"], "via agent : up")
        XCTAssertEqual(s1["agent_desc"], "Layer7 check passed")
        XCTAssertTrue(ordrel.stderrText.contains(
            "Server be1/s2 is DOWN, reason: Layer7 wrong status, code: 0, info: \"via agent : down (gone away)\""),
            ordrel.stderrText)

        // A disabled agent blanks its columns; the server keeps its state. Enabling a server
        // without an agent is refused in haproxy's words.
        for socket in [sockets.haproxy, sockets.ordrel] {
            XCTAssertEqual(try cli(socket, "disable agent be1/s2"), "\n")
            XCTAssertEqual(try cli(socket, "disable agent be1/s1"), "\n")
        }
        try compare("show stat", Self.agentColumns, "after disable agent")
        try compare("show servers state", Self.stateColumns, "after disable agent")
        XCTAssertEqual(try serverRows(sockets.ordrel, "show stat")["s2"]?["status"], "DOWN")
        for socket in [sockets.haproxy, sockets.ordrel] { XCTAssertEqual(try cli(socket, "enable agent be1/s1"), "\n") }
        XCTAssertTrue(try waitUntil(5) {
            try serverRows(sockets.haproxy, "show stat")["s1"]?["agent_status"] == "L7OK"
                && serverRows(sockets.ordrel, "show stat")["s1"]?["agent_status"] == "L7OK"
        })
        try compare("show stat", Self.agentColumns, "after enable agent")

        // `set server ... agent`: the same replies, states and columns on both.
        for command in ["set server be1/s6 agent down", "set server be1/s6 agent sideways", "set server be1/s2 agent up"] {
            XCTAssertEqual(try cli(sockets.ordrel, command), try cli(sockets.haproxy, command), command)
        }
        try compare("show stat", Self.agentColumns, "after set server agent down")
        XCTAssertEqual(try serverRows(sockets.ordrel, "show stat")["s6"]?["status"], "DOWN (agent)")
        for socket in [sockets.haproxy, sockets.ordrel] { XCTAssertEqual(try cli(socket, "set server be1/s6 agent up"), "\n") }
        try compare("show stat", Self.agentColumns, "after set server agent up")
        XCTAssertTrue(ordrel.stderrText.contains("Server be1/s6 is DOWN, changed from CLI."), ordrel.stderrText)
        XCTAssertTrue(ordrel.stderrText.contains("Server be1/s6 is UP, changed from CLI."), ordrel.stderrText)

        // Moving an agent at runtime: the same refusals, then s6 reaches the `up 75%` agent.
        for command in ["set server be1/s6 agent-addr", "set server be1/s6 agent-addr bad.name.invalid",
                        "set server be1/s6 agent-port x", "set server be1/s6 agent-port 70000", "set server be1/s6 agent-port",
                        "set server be1/s2 agent-port 1", "set server be1/s2 agent-send x",
                        "set server be1/s6 agent-send pong", "set server be1/s6 agent-addr 127.0.0.1 port \(agents[0].port)"] {
            XCTAssertEqual(try cli(sockets.ordrel, command), try cli(sockets.haproxy, command), command)
        }
        XCTAssertTrue(try waitUntil(5) {
            try serverRows(sockets.haproxy, "show stat")["s6"]?["weight"] == "75"
                && serverRows(sockets.ordrel, "show stat")["s6"]?["weight"] == "75"
        })
        try compare("show stat", Self.agentColumns, "after set server agent-addr")
        try compare("show servers state", Self.stateColumns, "after set server agent-addr")
    }

    func testHostNamesAndInitAddrNone() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let frontend = try TestSocket.unusedPort()
        let directory = TemporaryDirectory()
        let socket = directory.path + "/o.sock"
        let ordrel = try OrdrelProcess(config: """
            global
                stats socket \(socket) level admin
            defaults
                mode tcp
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            listen li
                bind 127.0.0.1:\(frontend)
                default-server init-addr last,libc,none
                server named localhost:\(backend.port)
                server later nosuchhost.invalid:\(backend.port) check inter 100ms

            """, readyPort: frontend)
        defer { ordrel.stop() }
        XCTAssertTrue(ordrel.stderrText.contains("'server li/later' : could not resolve address 'nosuchhost.invalid', disabling server."),
                      ordrel.stderrText)

        var stat = try serverRows(socket, "show stat")
        XCTAssertEqual(stat["named"]?["status"], "no check")
        XCTAssertEqual(stat["named"]?["addr"], "127.0.0.1:\(backend.port)")
        XCTAssertEqual(stat["later"]?["status"], "MAINT (resolution)")
        XCTAssertEqual(stat["later"]?["addr"], "")
        var state = try serverRows(socket, "show servers state")
        // As haproxy 2.6.12 shows it: no address, admin state 0x20, checks configured and paused.
        XCTAssertEqual(state["later"]?["srv_addr"], "-")
        XCTAssertEqual(state["later"]?["srv_admin_state"], "32")
        XCTAssertEqual(state["later"]?["srv_check_state"], "14")
        XCTAssertEqual(state["later"]?["srv_fqdn"], "nosuchhost.invalid")
        XCTAssertEqual(state["named"]?["srv_fqdn"], "localhost")
        XCTAssertEqual(try cli(socket, "set server li/later state ready"), "\n")
        XCTAssertEqual(try serverRows(socket, "show stat")["later"]?["status"], "MAINT (resolution)",
                       "only an address ends this maintenance")

        // Traffic through the resolved name, then through the late address alone.
        try assertEcho(port: frontend)
        XCTAssertEqual(try cli(socket, "set server li/later addr 127.0.0.1"), "IP changed from '' to '127.0.0.1' by 'stats socket command'\n\n")
        XCTAssertEqual(try cli(socket, "disable server li/named"), "\n")
        stat = try serverRows(socket, "show stat")
        XCTAssertTrue(["UP 1/3", "UP"].contains(stat["later"]?["status"] ?? ""), "\(stat["later"] ?? [:])")
        XCTAssertEqual(stat["later"]?["addr"], "127.0.0.1:\(backend.port)")
        state = try serverRows(socket, "show servers state")
        XCTAssertEqual(state["later"]?["srv_admin_state"], "0")
        let before = backend.acceptedCount
        try assertEcho(port: frontend)
        XCTAssertGreaterThan(backend.acceptedCount, before, "the late server took the stream")
        XCTAssertTrue(ordrel.stderrText.contains("Server li/later ('nosuchhost.invalid') is UP/READY (resolves again)."), ordrel.stderrText)
    }

    private func assertEcho(port: UInt16, file: StaticString = #filePath, line: UInt = #line) throws {
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try TestSocket.sendAll(fd, Array("hello".utf8))
        shutdown(fd, Int32(SHUT_WR))
        XCTAssertEqual(String(decoding: TestSocket.readAll(fd).bytes, as: UTF8.self), "hello", file: file, line: line)
    }
}
