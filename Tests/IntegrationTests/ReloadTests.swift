#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Standalone seamless reloads (`-x <stats socket> -sf <pid>`) of the real daemon under load, the
/// hand-over to and from the real haproxy, and what an old process does when the new one fails.
final class ReloadTests: XCTestCase {
    private var ordrel: String { Binaries.path("ordrel") }

    private func config(ports: [UInt16], backend: UInt16, socket: String, extra: String = "", global: String = "") -> String {
        """
        global
            nbthread 2
            stats socket \(socket) mode 600 level admin expose-fd listeners
        \(extra)\(global)
        defaults
            mode tcp
            timeout connect 2s
            timeout client 30s
            timeout server 30s
        frontend fe
        \(ports.map { "    bind 127.0.0.1:\($0)" }.joined(separator: "\n"))
            default_backend be
        backend be
            server s1 127.0.0.1:\(backend)

        """
    }

    /// One command on a stats socket; "" when nothing listens there. (Not through socat: a
    /// socat that finds no listener exits before reading its stdin, and writing it is a SIGPIPE.)
    private func query(_ socket: String, _ command: String) -> String {
        guard let fd = try? TestSocket.connect(unixPath: socket) else { return "" }
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        guard (try? TestSocket.sendAll(fd, Array((command + "\n").utf8))) != nil else { return "" }
        return String(decoding: TestSocket.readAll(fd).bytes, as: UTF8.self)
    }

    private func assertClean(_ report: EchoLoad.Report, longStreams: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(report.refused, 0, "\(report)", file: file, line: line)
        XCTAssertEqual(report.reset, 0, "\(report)", file: file, line: line)
        XCTAssertEqual(report.short, 0, "\(report)", file: file, line: line)
        XCTAssertEqual(report.longBroken, [], "\(report)", file: file, line: line)
        XCTAssertEqual(report.longOK, longStreams, "\(report)", file: file, line: line)
        XCTAssertGreaterThan(report.shortOK, 0, "\(report)", file: file, line: line)
    }

    /// 10 reloads `ordrel -D -p pid -f cfg -x admin.sock -sf <pid>` with two binds and a stats
    /// socket while 4 clients loop over short echo connections and 10 long streams check every
    /// echoed chunk: nothing refused, reset or cut, every old process exits once its streams end,
    /// and the last one holds as many fds as the first did.
    func testStandaloneReloadsUnderLoad() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let ports = [try TestSocket.unusedPort(), try TestSocket.unusedPort()]
        let directory = TemporaryDirectory()
        let socket = directory.path + "/admin.sock"
        let cfg = directory.write("ordrel.cfg", config(ports: ports, backend: backend.port, socket: socket))
        let pidfile = directory.path + "/ordrel.pid"
        let log = directory.path + "/launch.log"

        let started = Daemons.launch(ordrel, ["-D", "-p", pidfile, "-f", cfg], pidfile: pidfile, previous: nil, log: log)
        let first = try XCTUnwrap(started.pid, started.output)
        var pids = [first]
        defer { pids.forEach { kill($0, SIGKILL) } }
        let firstFDs = Daemons.openDescriptorCount(first)

        let load = EchoLoad(ports: ports)
        load.start(shortClients: 4, longStreams: 10)
        for round in 1...10 {
            let current = pids.last!
            let reload = Daemons.launch(ordrel, ["-D", "-p", pidfile, "-f", cfg, "-x", socket, "-sf", "\(current)"],
                                        pidfile: pidfile, previous: current, log: log)
            guard let pid = reload.pid else {
                XCTFail("reload \(round) failed (status \(reload.status)): \(reload.output)")
                break
            }
            pids.append(pid)
            usleep(50_000)
        }
        let report = load.stop()
        assertClean(report, longStreams: 10)
        print("standalone reloads: \(report)")

        let last = pids.last!
        for pid in pids.dropLast() {
            XCTAssertTrue(Daemons.waitForExit(pid, timeout: 5), "old process \(pid) exits once its streams ended")
        }
        XCTAssertTrue(Daemons.isRunning(last))
        XCTAssertEqual(pids.filter(Daemons.isRunning), [last], "one ordrel process left")
        // Streams and CLI sessions may still be closing: the count settles within a loose bound.
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline && Daemons.openDescriptorCount(last) != firstFDs { usleep(20_000) }
        XCTAssertEqual(Daemons.openDescriptorCount(last), firstFDs, "no inherited fd leaked or was dropped")
        XCTAssertTrue(query(socket, "show info").contains("Pid: \(last)\n"), "the stats socket is the new process's")
        kill(last, SIGTERM)
        XCTAssertTrue(Daemons.waitForExit(last, timeout: 5))
    }

    /// haproxy → ordrel → haproxy under load: `ordrel -x <haproxy's admin.sock> -sf <haproxy>`
    /// takes over haproxy's listeners, then `haproxy -x <ordrel's admin.sock> -sf <ordrel>` takes
    /// them back. Long streams opened on each keep running until the end.
    func testHaproxyHandOverBothWays() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let ports = [try TestSocket.unusedPort(), try TestSocket.unusedPort()]
        let directory = TemporaryDirectory()
        let socket = directory.path + "/admin.sock"
        let cfg = directory.write("shared.cfg", config(ports: ports, backend: backend.port, socket: socket))
        let haproxyPid = directory.path + "/haproxy.pid"
        let ordrelPid = directory.path + "/ordrel.pid"
        let log = directory.path + "/launch.log"

        let h1 = Daemons.launch(haproxyPath, ["-D", "-q", "-p", haproxyPid, "-f", cfg], pidfile: haproxyPid, previous: nil, log: log)
        let firstHaproxy = try XCTUnwrap(h1.pid, h1.output)
        var pids = [firstHaproxy]
        defer { pids.forEach { kill($0, SIGKILL) } }

        let onHaproxy = EchoLoad(ports: ports)
        onHaproxy.start(shortClients: 2, longStreams: 4)
        let o = Daemons.launch(ordrel, ["-D", "-p", ordrelPid, "-f", cfg, "-x", socket, "-sf", "\(firstHaproxy)"],
                               pidfile: ordrelPid, previous: nil, log: log)
        let ordrelProcess = try XCTUnwrap(o.pid, o.output)
        pids.append(ordrelProcess)
        // haproxy accepts on the shared socket until it has handled ordrel's SIGUSR1.
        XCTAssertTrue(waitUntil(5) { query(socket, "show info").contains("Pid: \(ordrelProcess)\n") },
                      "ordrel answers on the inherited stats socket")
        let onOrdrel = EchoLoad(ports: ports)
        onOrdrel.start(shortClients: 0, longStreams: 4)
        usleep(200_000)

        let h2 = Daemons.launch(haproxyPath, ["-D", "-q", "-p", haproxyPid, "-f", cfg, "-x", socket, "-sf", "\(ordrelProcess)"],
                                pidfile: haproxyPid, previous: firstHaproxy, log: log)
        let secondHaproxy = try XCTUnwrap(h2.pid, h2.output)
        pids.append(secondHaproxy)
        usleep(200_000)

        let haproxyLoad = onHaproxy.stop()
        assertClean(haproxyLoad, longStreams: 4)
        print("haproxy hand-over: \(haproxyLoad)")
        let ordrelStreams = onOrdrel.stop()
        XCTAssertEqual(ordrelStreams.longOK, 4, "\(ordrelStreams)")
        XCTAssertEqual(ordrelStreams.longBroken, [], "\(ordrelStreams)")
        XCTAssertTrue(Daemons.waitForExit(firstHaproxy, timeout: 5), "the first haproxy exits after its streams")
        XCTAssertTrue(Daemons.waitForExit(ordrelProcess, timeout: 5), "ordrel exits after its streams")
        XCTAssertTrue(Daemons.isRunning(secondHaproxy))
        XCTAssertTrue(query(socket, "show info").contains("Pid: \(secondHaproxy)\n"))
        for port in ports {
            let fd = try TestSocket.connect(port: port)
            TestSocket.setReceiveTimeout(fd, seconds: 5)
            try TestSocket.sendAll(fd, Array("back".utf8))
            XCTAssertEqual(TestSocket.read(fd, count: 4), Array("back".utf8), "haproxy serves port \(port) again")
            close(fd)
        }
    }

    /// New processes that fail or misbehave leave the old one serving with the fds it had:
    /// a `_getsocks` client that hangs up before or after the count, `-x` on a stats socket
    /// without `expose-fd listeners` (0 bytes, then EOF; haproxy's messages, exit 1), and `-x`
    /// on a path where nothing listens.
    func testFailedTransfersLeaveTheOldProcessServing() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let directory = TemporaryDirectory()
        let socket = directory.path + "/admin.sock"
        let operatorSocket = directory.path + "/operator.sock"
        let text = config(ports: [port], backend: backend.port, socket: socket,
                          extra: "    stats socket \(operatorSocket) level operator\n")
        // Stats sockets are bound after the frontends: the last one tells when all are ready.
        let old = try OrdrelProcess(config: text, readySocket: operatorSocket)
        defer { old.stop() }
        // Counted once no stream or CLI session is left open (the readiness probe's, a query's
        // may still be closing): the same count twice, 100 ms apart.
        func idleDescriptorCount() -> Int {
            let deadline = Date().addingTimeInterval(3)
            while Date() < deadline && !query(socket, "show info").contains("CurrConns: 0\n") { usleep(20_000) }
            var last = old.openDescriptorCount
            while Date() < deadline {
                usleep(100_000)
                let now = old.openDescriptorCount
                if now == last { break }
                last = now
            }
            return last
        }
        let fdsBefore = idleDescriptorCount()

        // Hangs up right after asking, then after reading only the count.
        for readCount in [false, true] {
            let fd = try TestSocket.connect(unixPath: socket)
            TestSocket.setReceiveTimeout(fd, seconds: 5)
            try TestSocket.sendAll(fd, Array("_getsocks\n".utf8))
            if readCount { XCTAssertEqual(TestSocket.read(fd, count: 4), [3, 0, 0, 0], "frontend, two stats sockets") }
            close(fd)
        }

        // No expose-fd: the session ends with nothing.
        let fd = try TestSocket.connect(unixPath: operatorSocket)
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try TestSocket.sendAll(fd, Array("_getsocks\n".utf8))
        let (bytes, end) = TestSocket.readAll(fd)
        close(fd)
        XCTAssertEqual(bytes, [])
        XCTAssertEqual(end, .eof)

        let refused = try runCommand(ordrel, ["-db", "-f", old.configPath, "-x", operatorSocket])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("Failed to get the number of sockets to be transferred !"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("[ALERT]") && refused.stderr.contains("Failed to get the sockets from the old process!"), refused.stderr)

        let missing = try runCommand(ordrel, ["-db", "-f", old.configPath, "-x", directory.path + "/nothing.sock"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("Failed to connect to the old process socket '\(directory.path)/nothing.sock'"), missing.stderr)

        // The old process still serves traffic and its CLI, with the fds it had.
        let client = try TestSocket.connect(port: port)
        TestSocket.setReceiveTimeout(client, seconds: 5)
        try TestSocket.sendAll(client, Array("still here".utf8))
        XCTAssertEqual(TestSocket.read(client, count: 10), Array("still here".utf8))
        close(client)
        XCTAssertTrue(query(socket, "show info").contains("Pid: \(old.pid)\n"))
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline && old.openDescriptorCount != fdsBefore { usleep(20_000) }
        XCTAssertEqual(old.openDescriptorCount, fdsBefore, "the old process holds the fds it had")
    }

    /// Without `-x`, `-sf` alone reloads: TCP listeners have SO_REUSEPORT (haproxy's default), so
    /// the new process binds next to the old one. With `noreuseport` its first bind fails, it
    /// pauses the old process (SIGTTOU: the old socket stops listening), binds, and soft-stops it.
    func testPlainSfReload() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        for noreuseport in [false, true] {
            let port = try TestSocket.unusedPort()
            let directory = TemporaryDirectory()
            let cfg = directory.write("ordrel.cfg", config(ports: [port], backend: backend.port, socket: directory.path + "/admin.sock",
                                                           global: noreuseport ? "    noreuseport\n" : ""))
            let pidfile = directory.path + "/ordrel.pid"
            let log = directory.path + "/launch.log"
            let first = try XCTUnwrap(Daemons.launch(ordrel, ["-D", "-p", pidfile, "-f", cfg], pidfile: pidfile,
                                                     previous: nil, log: log).pid)
            let second = Daemons.launch(ordrel, ["-D", "-p", pidfile, "-f", cfg, "-sf", "\(first)"], pidfile: pidfile,
                                        previous: first, log: log)
            defer { [first, second.pid ?? 0].forEach { if $0 > 0 { kill($0, SIGKILL) } } }
            XCTAssertNotNil(second.pid, second.output)
            XCTAssertEqual(second.output.contains("pausing the old processes (SIGTTOU)"), noreuseport, second.output)
            XCTAssertTrue(Daemons.waitForExit(first, timeout: 5), "the old process soft-stops")
            let fd = try TestSocket.connect(port: port)
            TestSocket.setReceiveTimeout(fd, seconds: 5)
            try TestSocket.sendAll(fd, [42])
            XCTAssertEqual(TestSocket.read(fd, count: 1), [42])
            close(fd)
        }
    }

    /// SIGTTOU pauses a frontend (connections refused, `show stat` says PAUSED, the stats socket
    /// answers); SIGTTIN resumes it. A reload that still cannot bind (a port held by someone
    /// else) gives up after haproxy's 200 tries 10 ms apart, resumes the old process with SIGTTIN
    /// and exits 1; the old process serves again.
    func testPauseResumeAndAReloadThatGivesUp() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let directory = TemporaryDirectory()
        let socket = directory.path + "/admin.sock"
        let old = try OrdrelProcess(config: config(ports: [port], backend: backend.port, socket: socket, global: "    noreuseport\n"),
                                    readySocket: socket)
        defer { old.stop() }
        func frontendStatus() -> String? {
            query(socket, "show stat").split(separator: "\n").first { $0.hasPrefix("fe,FRONTEND,") }?
                .split(separator: ",", omittingEmptySubsequences: false).dropFirst(17).first.map(String.init)
        }
        func echoes() -> Bool {
            guard let fd = try? TestSocket.connect(port: port) else { return false }
            defer { close(fd) }
            TestSocket.setReceiveTimeout(fd, seconds: 5)
            guard (try? TestSocket.sendAll(fd, [7])) != nil else { return false }
            return TestSocket.read(fd, count: 1) == [7]
        }
        func waitFor(_ status: String) -> Bool {
            let deadline = Date().addingTimeInterval(3)
            while Date() < deadline && frontendStatus() != status { usleep(10_000) }
            return frontendStatus() == status
        }

        old.signal(SIGTTOU)
        XCTAssertTrue(waitFor("PAUSED"))
        XCTAssertFalse(echoes(), "a paused frontend refuses connections")
        old.signal(SIGTTIN)
        XCTAssertTrue(waitFor("OPEN"))
        XCTAssertTrue(echoes())

        // The new configuration adds a port the test holds: it can never bind.
        let (held, heldPort) = try TestSocket.listen()
        defer { close(held) }
        let newConfig = directory.write("new.cfg", config(ports: [port, heldPort], backend: backend.port, socket: socket,
                                                          global: "    noreuseport\n"))
        let reload = try runCommand(ordrel, ["-db", "-f", newConfig, "-sf", "\(old.pid)"])
        XCTAssertEqual(reload.status, 1)
        XCTAssertTrue(reload.stderr.contains("pausing the old processes (SIGTTOU)"), reload.stderr)
        XCTAssertTrue(reload.stderr.contains("resuming the old processes (SIGTTIN)"), reload.stderr)
        XCTAssertTrue(reload.stderr.contains("Address already in use"), reload.stderr)
        XCTAssertTrue(waitFor("OPEN"), "the old process listens again")
        XCTAssertTrue(echoes())
        XCTAssertTrue(query(socket, "show info").contains("Pid: \(old.pid)\n"))
    }

    /// A soft stop after `_getsocks` handed the listeners over also closes the stats socket (its
    /// path is the new process's now); a plain SIGUSR1 with nothing handed over keeps it answering
    /// while streams drain (docs/reliability.md). Either way the open stream finishes and the
    /// process exits 0.
    func testSoftStopClosesStatsSocketsOnlyAfterAHandOver() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        for handedOver in [false, true] {
            let port = try TestSocket.unusedPort()
            let directory = TemporaryDirectory()
            let socket = directory.path + "/admin.sock"
            let ordrelProcess = try OrdrelProcess(config: config(ports: [port], backend: backend.port, socket: socket), readySocket: socket)
            defer { ordrelProcess.stop() }
            if handedOver {
                // A new process's request; plain recv() makes the kernel drop the passed fds.
                let cli = try TestSocket.connect(unixPath: socket)
                TestSocket.setReceiveTimeout(cli, seconds: 5)
                try TestSocket.sendAll(cli, Array("_getsocks\n".utf8))
                let (reply, end) = TestSocket.readAll(cli)
                close(cli)
                XCTAssertEqual(end, .eof)
                XCTAssertEqual(reply, [2, 0, 0, 0] + [UInt8](repeating: 0, count: 12), "count, then 2 records: a frontend and a stats socket")
            }
            let stream = try TestSocket.connect(port: port)
            defer { close(stream) }
            TestSocket.setReceiveTimeout(stream, seconds: 5)
            try TestSocket.sendAll(stream, Array("hold".utf8))
            XCTAssertEqual(TestSocket.read(stream, count: 4), Array("hold".utf8))

            ordrelProcess.signal(SIGUSR1)
            let deadline = Date().addingTimeInterval(3)
            var refused = false
            while Date() < deadline && !refused {
                if let probe = try? TestSocket.connect(port: port) { close(probe); usleep(20_000) } else { refused = true }
            }
            XCTAssertTrue(refused, "the frontend stops listening")
            let answers = query(socket, "show info").contains("Pid: \(ordrelProcess.pid)\n")
            XCTAssertEqual(answers, !handedOver, handedOver ? "the stats socket closed with the hand-over" : "the stats socket answers during the drain")
            try TestSocket.sendAll(stream, Array("more".utf8))
            XCTAssertEqual(TestSocket.read(stream, count: 4), Array("more".utf8), "the open stream still works")
            shutdown(stream, Int32(SHUT_WR))
            XCTAssertEqual(TestSocket.readAll(stream).end, .eof)
            XCTAssertEqual(ordrelProcess.waitForExit(timeout: 5), 0)
        }
    }

    /// Stats sessions under way when a soft stop ends (the last stream gone, or none) are
    /// answered in full before the process exits: an interactive session already accepted, and a
    /// client still in the kernel's queue (`stats maxconn 1` holds it there). Before, the first
    /// read EOF at once and the second was reset: a query racing a reload lost its reply.
    func testStatsSessionsUnderWayWhenTheStopEndsAreAnswered() throws {
        let port = try TestSocket.unusedPort()
        let directory = TemporaryDirectory()
        let socket = directory.path + "/admin.sock"
        let text = config(ports: [port], backend: port, socket: socket, global: "    stats maxconn 1\n")
        let ordrelProcess = try OrdrelProcess(config: text, readySocket: socket)
        defer { ordrelProcess.stop() }

        func readPrompt(_ fd: Int32) -> String {
            var bytes: [UInt8] = []
            while !bytes.reversed().starts(with: Array(" >".utf8)) {
                let byte = TestSocket.read(fd, count: 1)
                guard byte.count == 1 else { break }
                bytes += byte
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let interactive = try TestSocket.connect(unixPath: socket)
        defer { close(interactive) }
        TestSocket.setReceiveTimeout(interactive, seconds: 5)
        // The readiness probe's session may still hold the one slot: ask until the prompt answers.
        try TestSocket.sendAll(interactive, Array("prompt\n".utf8))
        XCTAssertTrue(readPrompt(interactive).hasSuffix("> "), "interactive session started")

        let queued = try TestSocket.connect(unixPath: socket)
        defer { close(queued) }
        try TestSocket.sendAll(queued, Array("show info\n".utf8))
        shutdown(queued, Int32(SHUT_WR))
        TestSocket.setReceiveTimeout(queued, seconds: 0.3)
        let early = TestSocket.readAll(queued)
        XCTAssertEqual(early.bytes, [], "stats maxconn 1 keeps the second client queued")
        XCTAssertEqual(early.end, .timeout)

        ordrelProcess.signal(SIGUSR1)
        TestSocket.setReceiveTimeout(queued, seconds: 5)
        let reply = TestSocket.readAll(queued)
        XCTAssertEqual(reply.end, .eof, "the queued client is answered, not reset")
        XCTAssertTrue(String(decoding: reply.bytes, as: UTF8.self).contains("Pid: \(ordrelProcess.pid)\n"))

        try TestSocket.sendAll(interactive, Array("show info\n".utf8))
        XCTAssertTrue(readPrompt(interactive).contains("Pid: \(ordrelProcess.pid)\n"), "the open session still answers")
        XCTAssertNil(ordrelProcess.waitForExit(timeout: 0.2), "the process waits for its last stats session")
        try TestSocket.sendAll(interactive, Array("quit\n".utf8))
        XCTAssertEqual(TestSocket.readAll(interactive).end, .eof)
        XCTAssertEqual(ordrelProcess.waitForExit(timeout: 5), 0)
    }
}
