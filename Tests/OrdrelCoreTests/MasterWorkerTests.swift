import OrdrelSystem
import XCTest

@testable import OrdrelCore

/// The master's pure parts: worker arguments, `show proc`, `-S` specs, exit statuses.
final class MasterWorkerTests: XCTestCase {
    func testWorkerArgumentsDropMasterOnlyFlags() {
        let master = ["-W", "-D", "-p", "/run/o.pid", "-S", "/run/m.sock,level,admin", "-f", "a.cfg", "-q",
                      "-sf", "12", "13", "-x", "/run/admin.sock", "-Ws", "-f", "b.cfg"]
        XCTAssertEqual(MasterWorker.workerArguments(from: master, inheriting: nil), ["-f", "a.cfg", "-q", "-f", "b.cfg"])
        XCTAssertEqual(MasterWorker.workerArguments(from: master, inheriting: 7),
                       ["-f", "a.cfg", "-q", "-f", "b.cfg", "-x", "sockpair@7"])
        // After `--` everything is a file, and -x goes before it.
        XCTAssertEqual(MasterWorker.workerArguments(from: ["-W", "-f", "a.cfg", "--", "-D", "c.cfg"], inheriting: 5),
                       ["-f", "a.cfg", "-x", "sockpair@5", "--", "-D", "c.cfg"])
    }

    func testWorkerLinkNeedsBothVariables() {
        XCTAssertEqual(MasterWorker.workerLink(environment: ["HAPROXY_MWORKER": "1", "ORDREL_MWORKER_FD": "9"]), 9)
        XCTAssertNil(MasterWorker.workerLink(environment: ["HAPROXY_MWORKER": "1"]))
        XCTAssertNil(MasterWorker.workerLink(environment: ["ORDREL_MWORKER_FD": "9"]))
        XCTAssertNil(MasterWorker.workerLink(environment: ["HAPROXY_MWORKER": "1", "ORDREL_MWORKER_FD": "1"]))
    }

    /// Column for column the layout haproxy 2.6.12 printed for `haproxy -W -S` (design doc §3.4).
    func testShowProcLayoutMatchesHaproxy() {
        let text = ShowProc.render(
            master: .init(pid: 11306, reloads: 0, startWallSeconds: 1000), failedReloads: 0,
            workers: [.init(pid: 11307, reloads: 0, startWallSeconds: 1000)], oldWorkers: [],
            nowWallSeconds: 1002, version: "2.6.12-1+deb12u4")
        XCTAssertEqual(text, """
            #<PID>          <type>          <reloads>       <uptime>        <version>      
            11306           master          0 [failed: 0]   0d00h00m02s     2.6.12-1+deb12u4
            # workers
            11307           worker          0               0d00h00m02s     2.6.12-1+deb12u4
            # programs

            """)
        let reloaded = ShowProc.render(
            master: .init(pid: 1162, reloads: 5, startWallSeconds: 0), failedReloads: 1,
            workers: [.init(pid: 1271, reloads: 0, startWallSeconds: 127)],
            oldWorkers: [.init(pid: 1233, reloads: 3, startWallSeconds: 84)],
            nowWallSeconds: 127, version: "0.1.0")
        XCTAssertEqual(reloaded.split(separator: "\n").map(String.init), [
            "#<PID>          <type>          <reloads>       <uptime>        <version>      ",
            "1162            master          5 [failed: 1]   0d00h02m07s     0.1.0          ",
            "# workers",
            "1271            worker          0               0d00h00m00s     0.1.0          ",
            "# old workers",
            "1233            worker          3               0d00h00m43s     0.1.0          ",
            "# programs",
        ])
        XCTAssertEqual(ShowProc.uptime(2 * 86400 + 3 * 3600 + 4 * 60 + 5), "2d03h04m05s")
    }

    func testMasterCLISpecs() throws {
        let plain = try MasterCLISpec(parsing: "/run/m.sock")
        XCTAssertEqual(plain.path, "/run/m.sock")
        XCTAssertEqual(plain.level, .admin)
        let full = try MasterCLISpec(parsing: "unix@/run/m.sock,mode,600,uid,1000,gid,100,level,operator")
        XCTAssertEqual(full.path, "/run/m.sock")
        XCTAssertEqual(full.mode, 0o600)
        XCTAssertEqual(full.uid, 1000)
        XCTAssertEqual(full.gid, 100)
        XCTAssertEqual(full.level, .operator)
        XCTAssertEqual(try MasterCLISpec(parsing: "/m,user,root,group,root").uid, 0)
        for bad in ["ipv4@127.0.0.1:9999", "/m,mode", "/m,mode,9x", "/m,level,god", "/m,colour,blue", "/m,user,no-such-user-here"] {
            XCTAssertThrowsError(try MasterCLISpec(parsing: bad), bad)
        }
    }

    /// The byte with each fd on a worker's link: a session level, haproxy's 0 (admin), or a carrier.
    func testMasterLinkBytes() {
        XCTAssertEqual(MasterLinkMessage(byte: 0), .connection(.admin))
        XCTAssertEqual(MasterLinkMessage(byte: 1), .connection(.user))
        XCTAssertEqual(MasterLinkMessage(byte: 2), .connection(.operator))
        XCTAssertEqual(MasterLinkMessage(byte: 3), .connection(.admin))
        XCTAssertEqual(MasterLinkMessage(byte: UInt8(ascii: "C")), .carrier)
        XCTAssertNil(MasterLinkMessage(byte: 4))
        for message in [MasterLinkMessage.connection(.user), .connection(.operator), .connection(.admin), .carrier] {
            XCTAssertEqual(MasterLinkMessage(byte: message.byte), message)
        }
    }

    func testChildExitDecoding() {
        XCTAssertEqual(ChildExit(waitStatus: 0), .exited(0))
        XCTAssertEqual(ChildExit(waitStatus: 1 << 8), .exited(1))
        XCTAssertEqual(ChildExit(waitStatus: 15), .signaled(15))
        XCTAssertEqual(ChildExit(waitStatus: 15).code, 143)
        XCTAssertEqual(ChildExit(waitStatus: 9).description, "137 (Killed)")
        XCTAssertEqual(ChildExit(waitStatus: 64 << 8).description, "64 (Exit)")
    }
}
