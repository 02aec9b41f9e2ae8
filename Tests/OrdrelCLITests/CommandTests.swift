import XCTest
@testable import OrdrelCLI

final class CommandTests: XCTestCase {
    /// haproxy 2.6 lists every command at every level; ordrel lists, in haproxy's words and
    /// order, only those it implements and the level allows.
    func testHelpListsImplementedCommandsOfTheLevelInHaproxyWords() {
        for level in CLILevel.allCases {
            XCTAssertEqual(exchange("help\n", level: level).text, implementedSubset(of: Captured.help, level: level))
        }
        XCTAssertEqual(exchange("help show\n").text, implementedSubset(of: Captured.helpShow, level: .admin))
        XCTAssertEqual(exchange("help show\n", level: .user).text, implementedSubset(of: Captured.helpShow, level: .user))
        XCTAssertEqual(exchange("set maxconn\n").text, Captured.fuzzySetMaxconn)
        // An operator has no `set maxconn`: the `set` commands left are the suggestions.
        XCTAssertEqual(exchange("set maxconn\n", level: .operator).text,
                       HelpText.unknownHeader + "  set table <table> key <k> [data.* <v>]* : update or create a table entry's data\n"
                       + "  set timeout [cli] <delay>               : change a timeout setting\n"
                       + HelpText.alwaysShown + "\n")
    }

    /// Every implemented command but help/prompt/quit (and the hidden `_getsocks`) has haproxy's
    /// usage line, so `help` shows it.
    func testEveryCommandHasItsHaproxyUsageLine() {
        let alwaysShown = ["help", "prompt", "quit", "_getsocks"].map { [Array($0.utf8)] }
        for command in CLISession.commands where !alwaysShown.contains(command.words) {
            XCTAssertTrue(HelpText.haproxyKeywords.contains(command.words),
                          command.words.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " "))
        }
    }

    /// Commands haproxy has and ordrel does not still answer as before, at their haproxy level.
    func testUnimplementedHaproxyCommands() {
        XCTAssertEqual(exchange("show cache\n", level: .operator).text, "This command is not supported by ordrel.\n\n")
        XCTAssertEqual(exchange("show cache\n", level: .user).text, "This command is not supported by ordrel.\n\n")
    }

    /// `show activity`: haproxy's layout (totals, then per thread), zero-padded µs date.
    func testShowActivity() {
        XCTAssertEqual(exchange("show activity\n", level: .user).text,
                       "thread_id: 1 (1..2)\ndate_now: 1796152514.062316\nloops: 6118 [ 2950 3168 ]\naccepted: 27 [ 12 15 ]\n\n")
    }

    /// `show fd`: haproxy 2.6's line per fd in fd order (listener, then a server connection);
    /// `show fd <n>` one of them, nothing for an fd not open; operator level, as haproxy.
    func testShowFD() {
        let listener = "      4 : st=0x000001(cl heopi W:sra R:srA) ref=0 gid=1 tmask=0x3 umask=0x0 prmsk=0x3 pwmsk=0x0 "
            + "owner=0x557be11ee950 iocb=0x557ba3d16470(sock_accept_iocb) l.st=RDY fe=fe_main fam=ipv4 lport=18301\n"
        let server = "     13 : st=0x000021(cl heopi W:sRa R:srA) ref=0 gid=1 tmask=0x1 umask=0x0 prmsk=0x1 pwmsk=0x0 "
            + "owner=0x557be13c35f0 iocb=0x557ba3d16820(sock_conn_iocb) back=1 cflg=0x10000300 cerr=0 fam=ipv4 lport=47468 "
            + "rport=18302 sv=be_app/s1 mux=PASS ctx=0x557be13c3810 xprt=RAW\n"
        XCTAssertEqual(exchange("show fd\n", level: .operator).text, listener + server + "\n")
        XCTAssertEqual(exchange("show fd 13\n", level: .operator).text, server + "\n")
        XCTAssertEqual(exchange("show fd 99\n", level: .operator).text, "\n")
        XCTAssertEqual(exchange("show fd\n", level: .user).text, "Permission denied\n\n")
    }

    /// A client connection that read its EOF, was shut for writing and waits to write: the
    /// shutdown and poll bits in `st` and `cflg`.
    func testShowFDClientConnectionFlags() {
        var f = FDInfo(fd: 12, kind: .frontendConnection(frontend: "fe_main"), owner: 0x10, handler: 0x20, threadMask: 2)
        f.writePolledMask = 2
        f.readShut = true
        f.writeShut = true
        f.family = "ipv6"
        f.localPort = 80
        f.remotePort = 5000
        f.context = 0x30
        XCTAssertEqual(InternalsRenderer.fdLine(f),
                       "     12 : st=0x000054(cl heopi W:SrA R:Sra) ref=0 gid=1 tmask=0x2 umask=0x0 prmsk=0x0 pwmsk=0x2 "
                       + "owner=0x10 iocb=0x20(sock_conn_iocb) back=0 cflg=0x000c0300 cerr=0 fam=ipv6 lport=80 rport=5000 "
                       + "fe=fe_main mux=PASS ctx=0x30 xprt=RAW\n")
    }

    /// `show pools`: haproxy's lines sorted by object size and its "Total:" line in bytes.
    func testShowPools() {
        XCTAssertEqual(exchange("show pools\n", level: .user).text, """
            Dumping pools usage. Use SIGQUIT to flush them.
              - Pool pipe (8 bytes) : 3 allocated (24 bytes), 3 used (~1 by thread caches), needed_avg 2, 1 failures, 1 users, @0x7f0000001000
              - Pool buffer (16384 bytes) : 4 allocated (65536 bytes), 4 used (~2 by thread caches), needed_avg 1, 0 failures, 1 users, @0x7f0000002000
            Total: 2 pools, 65560 bytes allocated, 65560 used (~32776 by thread caches).


            """)
    }

    /// `show threads`: haproxy's four lines per thread; the calling thread (`*`) shows the CLI
    /// session as its task, with the commands it ran, and haproxy's empty line after a task.
    func testShowThreads() {
        let text = exchange("show threads\n", level: .user).text
        let session = try? #/curr_task=(0x[0-9a-f]+) \(task\) calls=1 last=0/#.firstMatch(in: text)
        XCTAssertNotNil(session, text)
        XCTAssertEqual(text, """
            * Thread 1 : id=0x7ff3287a7440 act=1 glob=0 wq=1 rq=0 tl=0 tlsz=0 rqsz=0
                  1/1    stuck=0 prof=0 harmless=0 wantrdv=0
                         cpu_ns: poll=0 now=28151862 diff=28151862
                         curr_task=\(session?.1 ?? "") (task) calls=1 last=0

              Thread 2 : id=0x7ff3283ff6c0 act=1 glob=1 wq=0 rq=1 tl=0 tlsz=0 rqsz=2
                  1/2    stuck=0 prof=0 harmless=1 wantrdv=0
                         cpu_ns: poll=0 now=1046932 diff=1046932
                         curr_task=0


            """)
    }

    /// `set rate-limit`: haproxy 2.6's replies; the usage names only what ordrel limits.
    func testSetRateLimit() {
        let runtime = TestRuntime()
        XCTAssertEqual(exchange("set rate-limit connections global 40\n", runtime: runtime).text, "\n")
        XCTAssertEqual(exchange("set rate-limit sessions global 7\n", runtime: runtime).text, "\n")
        XCTAssertEqual(runtime.rateLimits, [.connections: 40, .sessions: 7])
        XCTAssertEqual(exchange("set rate-limit connections global\n").text, "Expects an integer value.\n\n")
        XCTAssertEqual(exchange("set rate-limit connections global -1\n").text, "Value out of range.\n\n")
        XCTAssertEqual(exchange("set rate-limit ssl-sessions global 5\n").text,
                       "'set rate-limit' only supports :\n   - 'connections global' to set the per-process maximum connection rate\n"
                       + "   - 'sessions global' to set the per-process maximum session rate\n\n")
        XCTAssertEqual(exchange("set rate-limit sessions global 5\n", level: .operator).text, "Permission denied\n\n")
    }

    /// No maps or ACL files: haproxy 2.6.12's replies for an empty list and an unknown name.
    func testEmptyMapsACLsAndTables() {
        XCTAssertEqual(exchange("show map\n", level: .user).text, "# id (file) description\n\n")
        XCTAssertEqual(exchange("show map nope\n").text, "Unknown map identifier. Please use #<id> or <file>.\n\n")
        XCTAssertEqual(exchange("show acl\n").text, "# id (file) description\n\n")
        XCTAssertEqual(exchange("show acl #0\n").text, "Unknown ACL identifier. Please use #<id> or <file>.\n\n")
        XCTAssertEqual(exchange("show table nope\n").text, "No such table\n\n")
    }

    /// `show|clear|set table`: haproxy 2.6.12's replies (captured from it) for each argument
    /// error, the levels, and what the runtime is asked.
    func testTableCommands() {
        let runtime = TestRuntime()
        let header = "# table: st, type: ip, size:100, used:"
        XCTAssertEqual(exchange("show table\n", runtime: runtime).text, header + "0\n\n")
        XCTAssertEqual(exchange("set table st key 10.0.0.1 data.gpc0 5\n", runtime: runtime).text, "\n")
        XCTAssertEqual(runtime.tableEntries, ["10.0.0.1": 5])
        XCTAssertEqual(exchange("show table st\n", runtime: runtime).text,
                       header + "1\n0x1: key=10.0.0.1 use=0 exp=0 gpc0=5\n\n")
        XCTAssertEqual(exchange("show table st key 10.0.0.1\n", runtime: runtime).text,
                       header + "1\n0x1: key=10.0.0.1 use=0 exp=0 gpc0=5\n\n")
        XCTAssertEqual(exchange("show table st data.gpc0 gt 5\n", runtime: runtime).text, header + "1\n\n")
        XCTAssertEqual(exchange("show table st data.gpc0 ge 5\n", runtime: runtime).text,
                       header + "1\n0x1: key=10.0.0.1 use=0 exp=0 gpc0=5\n\n")
        // The socket's level decides whole-table dumps, the session's the key operations.
        XCTAssertEqual(exchange("show table st\n", level: .user, runtime: runtime).text,
                       header + "1\n# contents not dumped due to insufficient privileges\n\n")
        XCTAssertEqual(exchange("user; show table st\n", runtime: runtime).text,
                       "\n" + header + "1\n0x1: key=10.0.0.1 use=0 exp=0 gpc0=5\n\n")
        XCTAssertEqual(exchange("user; clear table st key 10.0.0.1\n", runtime: runtime).text, "\nPermission denied\n\n")
        runtime.trackedKeys = ["10.0.0.1"]
        XCTAssertEqual(exchange("clear table st key 10.0.0.1\n", runtime: runtime).text, "Entry currently in use, cannot remove\n\n")
        runtime.trackedKeys = []
        XCTAssertEqual(exchange("clear table st data.gpc0 eq 5\n", runtime: runtime).text, "\n")
        XCTAssertEqual(runtime.tableEntries, [:])
        for (command, reply) in [
            ("show table nope", "No such table\n"),
            ("clear table", "Required arguments: <table> \"data.<store_data_type>\" <operator> <value> or <table> key <key>\n"),
            ("set table", "Required arguments: <table> key <key> [data.<store_data_type> <value>]*\n"),
            ("show table st foo", "Optional argument only supports \"data.<store_data_type>\" <operator> <value> and key <key>\n"),
            ("set table st data.gpc0 1", "content-based lookup is only supported with the \"show\" and \"clear\" actions\n"),
            ("show table st key", "Key value expected\n"),
            ("show table st data.gpc0 gt", "Filter entry #1: Require a valid integer value to compare against\n"),
            ("show table st data.foo gt 1", "Filter entry #1: Unknown data type\n"),
            ("show table st data.conn_cnt gt 1", "Filter entry #1: Data type not stored in this table\n"),
            ("show table st data.gpc0 xx 1", "Filter entry #1: Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"\n"),
            ("show table st data.gpc0 gt 1 extra", "Filter entry #2: Unknown data type\n"),
            ("set table st key 5 data.conn_cnt 3", "Data type not stored in this table\n"),
            ("set table st key 5 data.gpc0 x", "Require a valid integer value to store\n"),
            ("set table st key 5 foo 3", "\"data.<type>\" followed by a value expected\n"),
            ("set table st key 5 data.foo 3", "Unknown data type\n"),
        ] {
            XCTAssertEqual(exchange(command + "\n", runtime: runtime).text, reply + "\n", command)
        }
    }

    /// Fuzzy suggestions: same framing as haproxy; the chosen lines may differ where haproxy
    /// breaks distance ties by keyword registration order (documented deviation).
    func testUnknownCommandFraming() {
        for (cmd, captured) in [("show foo", Captured.showFoo), ("foo", Captured.fuzzyFoo),
                                ("shw stat", Captured.fuzzyShwStat), ("show", Captured.fuzzyShow),
                                ("clear", Captured.fuzzyClear)] {
            let ours = exchange(cmd + "\n").text.split(separator: "\n", omittingEmptySubsequences: false)
            let theirs = captured.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(ours.first, theirs.first, cmd)
            XCTAssertEqual(Array(ours.suffix(5)), Array(theirs.suffix(5)), cmd)
            let usage = Set(implementedSubset(of: Captured.help, level: .admin).split(separator: "\n"))
            XCTAssertTrue(ours.dropFirst().dropLast(2).allSatisfy { usage.contains($0) }, cmd)
        }
    }

    func testAccessLevels() {
        let rt = TestRuntime()
        XCTAssertEqual(exchange("disable server be_app/s4\n", level: .user, runtime: rt).text, "Permission denied\n\n")
        XCTAssertEqual(exchange("disable server be_app/s4\n", level: .operator, runtime: rt).text, "Permission denied\n\n")
        XCTAssertEqual(rt.servers[2].admin, .ready)
        XCTAssertEqual(exchange("clear counters\n", level: .user, runtime: rt).text, "Permission denied\n\n")
        XCTAssertEqual(exchange("clear counters\n", level: .operator, runtime: rt).text, "\n")
        XCTAssertEqual(exchange("clear counters all\n", level: .operator, runtime: rt).text, "Permission denied\n\n")
        XCTAssertEqual(exchange("clear counters all\n", level: .admin, runtime: rt).text, "\n")
        XCTAssertEqual(rt.cleared, [false, true])
        XCTAssertEqual(exchange("disable server be_app/s4\n", level: .admin, runtime: rt).text, "\n")
        XCTAssertEqual(rt.servers[2].admin, .maint)
        XCTAssertEqual(exchange("show sess\n", level: .user, runtime: rt).text, "Permission denied\n\n")
        XCTAssertEqual(exchange("show env HOME\n", level: .user, runtime: rt).text, "Permission denied\n\n")
        XCTAssertEqual(exchange("get weight be_app/s2\n", level: .user, runtime: rt).text, "50 (initial 50)\n\n")
        XCTAssertEqual(exchange("operator;show cli level;user;show cli level;operator\n", level: .admin).text,
                       "\noperator\n\n\nuser\n\nPermission denied\n\n")
        XCTAssertEqual(exchange("shutdown session 0x1\n", level: .operator).text, "Permission denied\n\n")
    }

    /// Replies captured from haproxy 2.6.12 for `set server ... health` and `enable/disable health`.
    func testHealthCommandsMatchHaproxy() {
        let rt = TestRuntime()
        func x(_ c: String, _ level: CLILevel = .admin) -> String { exchange(c + "\n", level: level, runtime: rt).text }
        XCTAssertEqual(x("set server be_app/s1 health bogus"), "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n\n")
        XCTAssertEqual(x("set server be_app/s1 health stopping"), "\n")
        XCTAssertEqual(rt.servers[0].health, .stopping)
        XCTAssertEqual(x("set server be_app/s4 health down"), "\n")
        XCTAssertEqual(rt.servers[2].health, .down)
        XCTAssertEqual(x("set server be_app/nope health up"), "No such server.\n\n")
        XCTAssertEqual(x("set server be_app/s4 health up", .operator), "Permission denied\n\n")
        XCTAssertEqual(rt.servers[2].health, .down)
        XCTAssertEqual(x("disable health be_app/s1"), "\n")
        XCTAssertFalse(rt.servers[0].checksEnabled)
        XCTAssertEqual(x("enable health be_app/s1"), "\n")
        XCTAssertTrue(rt.servers[0].checksEnabled)
        XCTAssertEqual(x("enable health be_app/s4"), "Health check was not configured on this server, cannot enable.\n\n")
        XCTAssertEqual(x("disable health be_app/nope"), "No such server.\n\n")
        XCTAssertEqual(x("disable health be_app/s1", .operator), "Permission denied\n\n")
    }

    /// CSV cells are quoted as haproxy's `csv_enc` does (only when they hold `,`, `"`, CR or LF,
    /// quotes doubled), and one renderer writes rows longer than its line buffer's first memory.
    func testCSVCellsQuotedAsHaproxyAndLongRowsWhole() {
        let renderer = StatsRenderer(format: .plain, withDescriptions: false, showLegends: true)
        var row = StatsRow(kind: .server, pxname: "be", svname: "s1", iid: 2, sid: 1)
        row.checkDesc = "Layer4 \"timeout\", retrying"
        row.status = "UP"
        var out: [UInt8] = []
        renderer.appendRow(row, isFirst: true, into: &out)
        let text = String(decoding: out, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("be,s1,"), text)
        XCTAssertTrue(text.contains(",\"Layer4 \"\"timeout\"\", retrying\","), text)
        XCTAssertTrue(text.contains(",UP,"), text)
        XCTAssertTrue(text.hasSuffix(",\n"))

        let long = String(repeating: "x", count: 5000)
        row.svname = long
        out = []
        renderer.appendRow(row, isFirst: false, into: &out)
        renderer.appendRow(row, isFirst: false, into: &out)
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[0], lines[1])
        XCTAssertTrue(lines[0].hasPrefix("be,\(long),"))
    }

    func testShowStatCSVIsByteIdenticalToHaproxy() {
        XCTAssertEqual(exchange("show stat\n").text, Captured.statCSV)
        XCTAssertEqual(String(decoding: StatsColumns.csvHeader, as: UTF8.self),
                       String(Captured.statCSV.prefix { $0 != "\n" }) + "\n")
        XCTAssertEqual(StatsColumns.all.count, 128)
        XCTAssertEqual(StatsColumns.all.map(\.name), StatsColumns.headerNames)
    }

    func testShowStatTypedAndJSONAreByteIdentical() {
        XCTAssertEqual(exchange("show stat typed\n").text, Captured.statTyped)
        XCTAssertEqual(exchange("show stat json\n").text, Captured.statJSON)
        XCTAssertEqual(exchange("show stat typed\n", level: .user).text, Captured.statTypedUser)
    }

    func testShowStatFilters() {
        let header = String(decoding: StatsColumns.csvHeader, as: UTF8.self)
        let lines = Captured.statCSV.split(separator: "\n").map { String($0) + "\n" }
        XCTAssertEqual(exchange("show stat be_app 4 2\n").text, header + lines[3] + "\n")
        XCTAssertEqual(exchange("show stat -1 1 -1\n").text, header + lines[1] + "\n")
        XCTAssertEqual(exchange("show stat 7 -1 -1\n").text, header + "\n")
        XCTAssertEqual(exchange("show stat foo -1 -1\n").text, "No such proxy.\n\n")
        XCTAssertEqual(exchange("show stat domain dns\n").text, "Invalid statistics domain.\n\n")
    }

    func testShowInfoAndServersState() {
        XCTAssertEqual(exchange("show info\n").text, Captured.info)
        let typed = exchange("show info typed\n").text.split(separator: "\n")
        XCTAssertEqual(typed[0], "0.Name.1:POS:str:HAProxy")
        XCTAssertEqual(typed[3], "3.Nbthread.1:CGS:u32:2")
        let json = exchange("show info json\n").text
        XCTAssertTrue(json.hasPrefix("[{\"field\":{\"pos\":0,\"name\":\"Name\"},\"processNum\":1,\"tags\":{\"origin\":\"Product\","
            + "\"nature\":\"Output\",\"scope\":\"Service\"},\"value\":{\"type\":\"str\",\"value\":\"HAProxy\"}},"))
        XCTAssertTrue(json.hasSuffix("\"value\":{\"type\":\"str\",\"value\":\"0\"}}]\n\n"))
        XCTAssertEqual(exchange("show servers state\n").text, Captured.serversState)
        XCTAssertEqual(exchange("show servers state nope\n").text, "Can't find backend.\n\n")
    }

    /// `InfoValues` finds a field's slot by `InfoKey`'s raw value: each key must be the field at
    /// that index of haproxy's table, and the name subscript must reach the same slot.
    func testInfoKeysFollowHaproxysFieldTable() {
        XCTAssertEqual(InfoKey.allCases.count, InfoField.all.count)
        for (index, field) in InfoField.all.enumerated() {
            XCTAssertEqual(field.key.rawValue, index, field.name)
        }
        var values = InfoValues()
        values["Ulimit-n"] = .u(7)
        values[.tainted] = .str("0")
        XCTAssertEqual(values[.ulimitN], .u(7))
        XCTAssertEqual(values["Tainted"], .str("0"))
        XCTAssertNil(values["Nbthread"])
        XCTAssertEqual(values.names, ["Ulimit-n", "Tainted"])
    }

    func testServerAdminRepliesMatchHaproxy() {
        let rt = TestRuntime()
        func x(_ c: String) -> String { exchange(c + "\n", runtime: rt).text }
        XCTAssertEqual(x("get weight"), "Require 'backend/server'.\n\n")
        XCTAssertEqual(x("get weight be_app/"), "Require 'backend/server'.\n\n")
        XCTAssertEqual(x("get weight nope/s1"), "No such backend.\n\n")
        XCTAssertEqual(x("get weight be_app/s9"), "No such server.\n\n")
        XCTAssertEqual(x("set weight be_app/s2"), "Require <weight> or <weight%>.\n\n")
        XCTAssertEqual(x("set weight be_app/s2 abc"), "Empty weight string empty or preceded by garbage\n")
        XCTAssertEqual(x("set weight be_app/s2 257"), "Absolute weight can only be between 0 and 256 inclusive.\n\n")
        XCTAssertEqual(x("set weight be_app/s2 50x"), "Trailing garbage in weight string\n")
        XCTAssertEqual(x("set weight be_app/s2 25"), "\n")
        XCTAssertEqual(x("get weight be_app/s2"), "25 (initial 50)\n\n")
        XCTAssertEqual(x("set weight be_app/s2 200%"), "\n")
        XCTAssertEqual(x("get weight be_app/s2"), "100 (initial 50)\n\n")
        XCTAssertEqual(x("set server be_app/s2 weight 300"), "Absolute weight can only be between 0 and 256 inclusive.\n\n")
        XCTAssertEqual(x("set server be_app/s1"), "usage: set server <backend>/<server> addr | agent | agent-addr | "
            + "agent-port | agent-send | check-addr | check-port | fqdn | health | ssl | state | weight\n\n")
        XCTAssertEqual(x("set server be_app/s1 state foo"), "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n")
        // A server without an agent (the test runtime has none): haproxy 2.6's replies.
        XCTAssertEqual(x("enable agent be_app/s1"), "Agent was not configured on this server, cannot enable.\n\n")
        XCTAssertEqual(x("disable agent be_app/s1"), "\n", "disabling is silent")
        XCTAssertEqual(x("enable agent be_app/s9"), "No such server.\n\n")
        XCTAssertEqual(x("set server be_app/s1 agent up"), "agent checks are not enabled on this server.\n\n")
        XCTAssertEqual(x("set server be_app/s1 agent sideways"), "agent checks are not enabled on this server.\n\n")
        XCTAssertEqual(x("set server be_app/s1 agent-port"), "set server <b>/<s> agent-port requires a port.\n\n")
        XCTAssertEqual(x("set server be_app/s1 agent-port 1"), "agent checks are not enabled on this server\n")
        XCTAssertEqual(x("set server be_app/s1 agent-addr"),
                       "set server <b>/<s> agent-addr requires an address and optionally a port.\n\n")
        XCTAssertEqual(x("set server be_app/s1 agent-send x"), "agent checks are not enabled on this server.\n\n")
        XCTAssertEqual(x("set server be_app/s9 state ready"), "No such server.\n\n")
        XCTAssertEqual(x("set server nope/s1 state ready"), "No such backend.\n\n")
        XCTAssertEqual(x("set server be_app/s1 state drain"), "\n")
        XCTAssertEqual(rt.servers[0].admin, .drain)
        XCTAssertEqual(x("set server be_app/s1 addr"), "set server <b>/<s> addr requires an address and optionally a port.\n\n")
        XCTAssertEqual(x("set server be_app/s2 addr 127.0.0.1 port 15109"),
                       "no need to change the addr, port changed from '25102' to '15109' by 'stats socket command'\n\n")
        XCTAssertEqual(x("set server be_app/s4 addr 127.0.0.2"),
                       "IP changed from '127.0.0.1' to '127.0.0.2' by 'stats socket command'\n\n")
        XCTAssertEqual(x("set server be_app/s4 addr 127.0.0.1 port 25104"),
                       "IP changed from '127.0.0.2' to '127.0.0.1', no need to change the port by 'stats socket command'\n\n")
        XCTAssertEqual(x("set server be_app/s1 addr 1.2.3.4 port abc"),
                       "IP changed from '127.0.0.1' to '1.2.3.4', problem converting port 'abc' to an int by 'stats socket command'\n\n")
        XCTAssertEqual(x("set server be_app/s2 addr 127.0.0.1 port 70000"),
                       "no need to change the addr, port changed from '15109' to '4464' by 'stats socket command'\n\n")
        XCTAssertEqual(x("set maxconn server be_app/s1 abc"), "maxconn string empty or preceded by garbage\n")
        XCTAssertEqual(x("set maxconn server be_app/s1 5x"), "Trailing garbage in maxconn string\n")
        XCTAssertEqual(x("set maxconn server be_app/s1"), "Require <maxconn>.\n\n")
        XCTAssertEqual(x("set maxconn server be_app/s1 -5"), "\n")
        XCTAssertEqual(rt.servers[0].maxconn, 4294967291)
        XCTAssertEqual(x("set maxconn frontend"), "A frontend name is expected.\n\n")
        XCTAssertEqual(x("set maxconn frontend nope"), "No such frontend.\n\n")
        XCTAssertEqual(x("set maxconn frontend fe_main"), "Integer value expected.\n\n")
        XCTAssertEqual(x("set maxconn frontend fe_main -3"), "Value out of range.\n\n")
        XCTAssertEqual(x("set maxconn frontend fe_main 400"), "\n")
        XCTAssertEqual(rt.frontendMaxconn, 400)
        XCTAssertEqual(x("set maxconn global"), "Expects an integer value.\n\n")
        XCTAssertEqual(x("set maxconn global 5000"), "Value out of range.\n\n")
        XCTAssertEqual(x("set maxconn global -1"), "Value out of range.\n\n")
        XCTAssertEqual(x("set maxconn global 900"), "\n")
        XCTAssertEqual(x("enable frontend fe_main"), "All sockets are already enabled.\n\n")
        XCTAssertEqual(x("disable frontend fe_main"), "\n")
        XCTAssertEqual(x("disable frontend fe_main"), "All sockets are already disabled.\n\n")
        XCTAssertEqual(x("disable frontend"), "A frontend name is expected.\n\n")
        XCTAssertEqual(x("disable frontend be_app"), "No such frontend.\n\n")
        XCTAssertEqual(x("shutdown sessions server be_app"), "Require 'backend/server'.\n\n")
        XCTAssertEqual(x("shutdown sessions server be_app/zz"), "No such server.\n\n")
        XCTAssertEqual(x("enable server nope/s1"), "No such backend.\n\n")
        XCTAssertEqual(x("show errors"), "Total events captured on [21/Nov/2026:14:09:12.740] : 0\n\n")
        XCTAssertEqual(x("show env NOPE"), "Variable not found\n\n")
        XCTAssertEqual(x("show env HOME"), "HOME=/root\n\n")
        XCTAssertEqual(x("show env"), "HOME=/root\nPATH=/usr/bin:/bin\nHOMER=x\n\n")
        rt.staticAlgo = true
        XCTAssertEqual(x("set weight be_app/s1 3"),
                       "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n\n")
    }
}

/// `show resolvers [<section>]` in haproxy 2.6's layout.
final class ShowResolversTests: XCTestCase {
    func testLayoutAndUnknownSection() {
        let runtime = TestRuntime()
        var counters = NameserverCounters()
        counters.sent = 46
        counters.valid = 18
        counters.nx = 16
        runtime.resolverSections = [
            ResolversInfo(name: "dns", nameservers: [("ns1", counters)]),
            ResolversInfo(name: "other", nameservers: []),
        ]
        XCTAssertEqual(exchange("show resolvers dns\n", runtime: runtime).text, """
            Resolvers section dns
             nameserver ns1:
              sent:        46
              snd_error:   0
              valid:       18
              update:      0
              cname:       0
              cname_error: 0
              any_err:     0
              nx:          16
              timeout:     0
              refused:     0
              other:       0
              invalid:     0
              too_big:     0
              truncated:   0
              outdated:    0


            """)
        XCTAssertTrue(exchange("show resolvers\n", level: .user, runtime: runtime).text.hasSuffix("Resolvers section other\n\n"))
        XCTAssertEqual(exchange("show resolvers nope\n", runtime: runtime).text, "Can't find that resolvers section\n\n")
    }

    /// `set server <b>/<s> fqdn <name>` in haproxy 2.6.12's words.
    func testSetServerFQDN() {
        let runtime = TestRuntime()
        XCTAssertEqual(exchange("set server be_app/s4 fqdn new.example\n", runtime: runtime).text,
                       "be_app/s4 changed its FQDN from old.example to new.example by 'stats socket command'\n\n")
        XCTAssertEqual(runtime.fqdns["s4"], "new.example")
        XCTAssertEqual(exchange("set server be_app/s4 fqdn\n", runtime: runtime).text, "set server <b>/<s> fqdn requires a FQDN.\n\n")
        XCTAssertEqual(exchange("set server be_app/s4 fqdn bad!\n", runtime: runtime).text, "invalid fqdn 'bad!' by 'stats socket command'\n\n")
        XCTAssertEqual(exchange("set server be_app/s1 fqdn new.example\n", runtime: runtime).text,
                       "set server <b>/<s> fqdn failed because no resolution is configured.\n\n")
        XCTAssertEqual(exchange("set server be_app/nope fqdn new.example\n", runtime: runtime).text, "No such server.\n\n")
    }
}
