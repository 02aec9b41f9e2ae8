#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Master-worker mode with real processes: reloads under load, a broken config, the master CLI,
/// signals, systemd notifications, and the master CLI next to haproxy's.
final class MasterWorkerTests: XCTestCase {
    private func config(port: UInt16, backend: UInt16, extraGlobal: String = "") -> String {
        """
        global
            maxconn 2000
        \(extraGlobal)
        defaults
            mode tcp
            timeout connect 2s
            timeout client 30s
            timeout server 30s
        frontend fe
            bind 127.0.0.1:\(port)
            default_backend be
        backend be
            server s1 127.0.0.1:\(backend)

        """
    }

    /// One short echo exchange; nil when it went through whole.
    private static func echoOnce(port: UInt16, payload: [UInt8]) -> String? {
        let fd: Int32
        do {
            fd = try TestSocket.connect(port: port)
        } catch {
            return "\(error)".contains("refused") ? "refused" : "connect: \(error)"
        }
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 10)
        do { try TestSocket.sendAll(fd, payload) } catch { return "reset" }
        shutdown(fd, Int32(SHUT_WR))
        let (bytes, end) = TestSocket.readAll(fd)
        if case .error(let code) = end { return code == ECONNRESET ? "reset" : "error \(code)" }
        if end == .timeout { return "timeout" }
        return bytes == payload ? nil : "short"
    }

    /// 20 SIGUSR2 reloads, each as soon as the previous worker is ready, while 4 clients loop over
    /// short echo connections and 10 long streams send and check data; then, on the same daemon:
    /// the master CLI, a broken config, `reload` on the CLI, and SIGTERM.
    func testReloadsUnderLoadLoseNothingAndMasterCLI() throws {
        TestSocket.raiseFileLimit(4096)
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let goodConfig = config(port: port, backend: backend.port)
        let master = try MasterWorkerProcess(config: goodConfig)
        defer { master.stop() }
        // The fewest over a moment: a CLI connection the master is still closing may count.
        let masterFDs = (0..<10).map { _ in usleep(10_000); return master.openDescriptorCount }.min() ?? 0

        let tally = LoadTally()
        var threads: [Thread] = []
        let done = DispatchGroup()
        for _ in 0..<4 {
            done.enter()
            threads.append(Thread {
                let payload = TestSocket.randomBytes(200)
                while !tally.stopped {
                    tally.shortResult(Self.echoOnce(port: port, payload: payload))
                }
                done.leave()
            })
        }
        // Long streams open before the first reload, so every one of them crosses all 20.
        var streams: [Int32] = []
        for _ in 0..<10 {
            let fd = try TestSocket.connect(port: port)
            TestSocket.setReceiveTimeout(fd, seconds: 10)
            streams.append(fd)
        }
        for fd in streams {
            done.enter()
            threads.append(Thread {
                var failure: String?
                var rounds = 0
                while !tally.stopped || rounds < 3 {
                    let chunk = TestSocket.randomBytes(4096)
                    do { try TestSocket.sendAll(fd, chunk) } catch { failure = "send: \(error)"; break }
                    if TestSocket.read(fd, count: chunk.count) != chunk { failure = "echo differs in round \(rounds)"; break }
                    rounds += 1
                    usleep(2000)
                }
                if failure == nil {
                    shutdown(fd, Int32(SHUT_WR))
                    let (rest, end) = TestSocket.readAll(fd)
                    if !rest.isEmpty || end != .eof { failure = "end: \(rest.count) bytes, \(end)" }
                }
                close(fd)
                tally.longResult(failure)
                done.leave()
            })
        }
        threads.forEach { $0.start() }

        var current = try master.showProc().workers.first
        for reload in 1...20 {
            master.signal(SIGUSR2)
            let ready = waitUntil(20) {
                guard let proc = try? master.showProc() else { return false }
                return proc.reloads == reload && proc.workers.count == 1 && proc.workers.first != current
            }
            XCTAssertTrue(ready, "reload \(reload) did not complete: \(master.stderrText)")
            guard ready else { break }
            current = try master.showProc().workers.first
        }
        tally.stop()
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success, "clients did not finish")
        let result = tally.snapshot
        XCTAssertEqual(result.failures, [:], "short connections failed (\(result.shortOK) went through)")
        XCTAssertGreaterThan(result.shortOK, 20)
        XCTAssertEqual(result.longFailures, [])
        XCTAssertEqual(result.longIntact, 10)
        // Old workers leave once their streams have ended: one worker is left.
        XCTAssertTrue(waitUntil(20) { (try? master.showProc()).map { $0.oldWorkers.isEmpty } ?? false })
        var proc = try master.showProc()
        XCTAssertEqual(proc.reloads, 20)
        XCTAssertEqual(proc.failed, 0)
        XCTAssertEqual(proc.workers.count, 1)
        let worker = try XCTUnwrap(proc.workers.first)
        XCTAssertTrue(waitUntil(5) { master.openDescriptorCount == masterFDs },
                      "the master leaks descriptors across reloads: \(master.openDescriptorCount), was \(masterFDs)")

        // The master CLI.
        let showProc = try master.query("show proc\n")
        let lines = showProc.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, "#<PID>          <type>          <reloads>       <uptime>        <version>      ")
        XCTAssertEqual(lines.count, 7, showProc)
        XCTAssertTrue(lines[1].range(of: #"^\#(master.pid) +master +20 \[failed: 0\] +\d+d\d\dh\d\dm\d\ds +\S+ *$"#,
                                     options: .regularExpression) != nil, lines[1])
        XCTAssertEqual(Array(lines[2...]).filter { $0.hasPrefix("#") || $0.isEmpty }, ["# workers", "# programs", "", ""])
        XCTAssertTrue(lines[3].hasPrefix("\(worker)" + String(repeating: " ", count: 15 - "\(worker)".count) + " worker          0 "))
        let info = try master.query("@1 show info\n")
        XCTAssertTrue(info.hasPrefix("Name: HAProxy\n"), info)
        XCTAssertTrue(info.contains("\nPid: \(worker)\n"), info)
        XCTAssertEqual(try master.query("@!\(worker) show cli level\n"), "admin\n\n")
        XCTAssertEqual(try master.query("operator\n@!\(worker) show cli level\n"), "operator\n\n")
        XCTAssertEqual(try master.query("@!\(master.pid) show info\n"),
                       "Can't find the target PID matching the prefix '@!\(master.pid)'\n")
        let version = try master.query("show version\n")
        XCTAssertEqual(try master.query("prompt\nshow version\n@1\nshow cli level\n@\nquit\n"),
                       "master> \(version)master> \(worker)> admin\n\n\(worker)> master> master> ")

        // A broken config: logged, counted, and the worker keeps serving.
        try (goodConfig + "backend be\n    server s2 127.0.0.1:\(port)\n    bogus_keyword\n")
            .write(toFile: master.configPath, atomically: true, encoding: .utf8)
        master.signal(SIGUSR2)
        XCTAssertTrue(waitUntil(20) { (try? master.showProc())?.failed == 1 }, master.stderrText)
        proc = try master.showProc()
        XCTAssertEqual(proc.reloads, 21)
        XCTAssertEqual(proc.workers, [worker])
        XCTAssertTrue(master.stderrText.contains("bogus_keyword"), master.stderrText)
        XCTAssertNil(Self.echoOnce(port: port, payload: Array("still here".utf8)))
        XCTAssertEqual(try master.query("prompt\n"), "master[ReloadFailed]> ")

        // `reload` on the CLI closes with no output; the fixed config loads and clears the failure.
        try goodConfig.write(toFile: master.configPath, atomically: true, encoding: .utf8)
        XCTAssertEqual(try master.query("reload\nshow proc\n"), "")
        XCTAssertTrue(waitUntil(20) {
            guard let p = try? master.showProc() else { return false }
            return p.reloads == 22 && p.failed == 0 && p.workers.count == 1 && p.workers != [worker]
        }, master.stderrText)
        XCTAssertNil(Self.echoOnce(port: port, payload: Array("new worker".utf8)))

        // SIGTERM: passed to the workers; the master leaves when they have.
        let last = try master.showProc().workers
        master.signal(SIGTERM)
        XCTAssertEqual(master.waitForExit(timeout: 10), 0)
        XCTAssertTrue(waitUntil(5) { last.allSatisfy(processIsGone) })
        XCTAssertTrue(master.stderrText.contains("All workers exited. Exiting... (0)"), master.stderrText)
    }

    /// A reloaded worker holds as many descriptors as the first one: the `-x sockpair@<fd>` socket
    /// the master gives it for `_getsocks` is closed once the listeners arrived. (Found by
    /// `make soak` with reloads: every worker after the first kept that dead socket for life.)
    func testReloadedWorkerHoldsAsManyDescriptorsAsTheFirst() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let dir = NSTemporaryDirectory() + "ordrel-mw-fds-\(getpid())-\(port)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let master = try MasterWorkerProcess(config: config(
            port: port, backend: backend.port,
            extraGlobal: "    stats socket \(dir)/admin.sock mode 600 level admin\n    stats socket \(dir)/user.sock level user"))
        func descriptors(_ pid: Int32) -> Int {
            (0..<10).map { _ -> Int in
                usleep(10_000)
                return (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
            }.min() ?? 0
        }
        var worker = try XCTUnwrap(try master.showProc().workers.first)
        let first = descriptors(worker)
        XCTAssertGreaterThan(first, 0)
        for reload in 1...3 {
            master.signal(SIGUSR2)
            let previous = worker
            XCTAssertTrue(waitUntil(10) {
                guard let proc = try? master.showProc() else { return false }
                return proc.reloads == reload && proc.oldWorkers.isEmpty && proc.workers.count == 1 && proc.workers != [previous]
            }, master.stderrText)
            worker = try XCTUnwrap(try master.showProc().workers.first)
            XCTAssertEqual(descriptors(worker), first, "worker \(worker) after reload \(reload) vs the first worker")
            XCTAssertNil(Self.echoOnce(port: port, payload: Array("reload \(reload)".utf8)))
        }
    }

    /// `mworker-max-reloads 0`: an old worker still draining a stream after a reload gets SIGTERM
    /// (its stream ends) instead of lingering; the new worker serves.
    func testMaxReloadsTerminatesOldWorkers() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let master = try MasterWorkerProcess(config: config(port: port, backend: backend.port,
                                                            extraGlobal: "    mworker-max-reloads 0"))
        let old = try XCTUnwrap(try master.showProc().workers.first)
        let stream = try TestSocket.connect(port: port)
        defer { close(stream) }
        TestSocket.setReceiveTimeout(stream, seconds: 10)
        try TestSocket.sendAll(stream, Array("ping".utf8))
        XCTAssertEqual(TestSocket.read(stream, count: 4), Array("ping".utf8))
        master.signal(SIGUSR2)
        XCTAssertTrue(waitUntil(10) { processIsGone(old) }, "old worker \(old) kept running: \(master.stderrText)")
        XCTAssertTrue(master.stderrText.contains("mworker-max-reloads 0"), master.stderrText)
        let (_, end) = TestSocket.readAll(stream)
        XCTAssertNotEqual(end, .timeout)
        XCTAssertNil(Self.echoOnce(port: port, payload: Array("new".utf8)))
    }

    /// SIGTTOU and SIGTTIN to the master reach the worker, as haproxy's master broadcasts them:
    /// the worker's own listener stops listening (refused), then listens again.
    func testPauseAndResumeArePassedToTheWorker() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let master = try MasterWorkerProcess(config: config(port: port, backend: backend.port))
        defer { master.stop() }
        XCTAssertNil(Self.echoOnce(port: port, payload: [1]))
        master.signal(SIGTTOU)
        XCTAssertTrue(waitUntil(5) { Self.echoOnce(port: port, payload: [2]) == "refused" }, master.stderrText)
        XCTAssertTrue(master.stderrText.contains("Paused frontends (SIGTTOU): fe."), master.stderrText)
        master.signal(SIGTTIN)
        XCTAssertTrue(waitUntil(5) { Self.echoOnce(port: port, payload: [3]) == nil }, master.stderrText)
    }

    /// SIGTERM again and again until the master has left (an operator, or systemd, insisting):
    /// the master still exits 0 with its workers, never of the signal.
    func testRepeatedSIGTERMStillExitsZero() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        for _ in 0..<10 {
            let master = try MasterWorkerProcess(config: config(port: try TestSocket.unusedPort(), backend: backend.port))
            defer { master.stop() }
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, master.waitForExit(timeout: 0) == nil {
                master.signal(SIGTERM)
                usleep(200)
            }
            XCTAssertEqual(master.waitForExit(timeout: 1), 0, master.stderrText)
        }
    }

    /// A current worker that dies with a failure status takes everything down (haproxy 2.6's
    /// exit-on-failure): the master exits with that status, 128 + 9 for SIGKILL.
    func testCurrentWorkerFailureStopsTheMaster() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let master = try MasterWorkerProcess(config: config(port: try TestSocket.unusedPort(), backend: backend.port))
        let worker = try XCTUnwrap(try master.showProc().workers.first)
        kill(worker, SIGKILL)
        XCTAssertEqual(master.waitForExit(timeout: 10), 137, master.stderrText)
        XCTAssertTrue(master.stderrText.contains("Current worker (\(worker)) exited with code 137 (Killed)"), master.stderrText)
        XCTAssertTrue(master.stderrText.contains("exit-on-failure: killing every processes with SIGTERM"))
    }

    /// A worker whose master is SIGKILLed exits.
    func testWorkerExitsWhenTheMasterDies() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let master = try MasterWorkerProcess(config: config(port: try TestSocket.unusedPort(), backend: backend.port))
        let worker = try XCTUnwrap(try master.showProc().workers.first)
        master.signal(SIGKILL)
        _ = master.waitForExit(timeout: 5)
        XCTAssertTrue(waitUntil(10) { processIsGone(worker) }, "worker \(worker) outlived its master")
    }

    /// `-Ws`: READY with MAINPID once the worker serves, RELOADING then READY around a reload,
    /// STOPPING on SIGUSR1, after which the master leaves with its worker.
    func testSystemdNotifications() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let directory = TemporaryDirectory()
        let notifyPath = directory.path + "/notify.sock"
        let notify = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(notify, 0)
        defer { close(notify) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(notifyPath.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(notify, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0)
        TestSocket.setReceiveTimeout(notify, seconds: 15)
        func nextDatagram() -> String {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = buffer.withUnsafeMutableBytes { recv(notify, $0.baseAddress, $0.count, 0) }
            return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : "(nothing: \(errno))"
        }

        let port = try TestSocket.unusedPort()
        let master = try MasterWorkerProcess(config: config(port: port, backend: backend.port), mode: ["-Ws"],
                                             environment: ["NOTIFY_SOCKET": notifyPath])
        XCTAssertEqual(nextDatagram(), "READY=1\nMAINPID=\(master.pid)")
        let first = try XCTUnwrap(try master.showProc().workers.first)
        master.signal(SIGUSR2)
        XCTAssertEqual(nextDatagram(), "RELOADING=1")
        XCTAssertEqual(nextDatagram(), "READY=1\nMAINPID=\(master.pid)")
        let second = try XCTUnwrap(try master.showProc().workers.first)
        XCTAssertNotEqual(first, second)
        XCTAssertNil(Self.echoOnce(port: port, payload: Array("after reload".utf8)))
        master.signal(SIGUSR1)
        XCTAssertEqual(nextDatagram(), "STOPPING=1")
        XCTAssertEqual(master.waitForExit(timeout: 10), 0, master.stderrText)
        XCTAssertTrue(waitUntil(5) { processIsGone(first) && processIsGone(second) })
    }

    /// The same config under `haproxy -W -S` and `ordrel -W -S`: `show proc`, `help` and the prompt
    /// transcript agree once pids, uptimes and versions are blanked (ordrel lists no
    /// `show cli sockets`, which it does not implement).
    func testMasterCLIMatchesHaproxy() throws {
        let haproxy = haproxyPath
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxy), "haproxy is not installed")
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let theirs = try MasterWorkerProcess(config: config(port: try TestSocket.unusedPort(), backend: backend.port),
                                             binary: haproxy)
        let ours = try MasterWorkerProcess(config: config(port: try TestSocket.unusedPort(), backend: backend.port))
        func normalized(_ process: MasterWorkerProcess, _ text: String) throws -> String {
            let proc = try process.showProc()
            let version = try process.query("show version\n").trimmingCharacters(in: .newlines)
            var result = text.replacingOccurrences(of: version, with: "<version>")
            for pid in [proc.masterPID] + proc.workers {
                result = result.replacingOccurrences(of: "\(pid)", with: "<pid>")
            }
            // Columns are padded to 15: placeholders of other widths are followed by one space,
            // and a line does not end with padding (haproxy's version is longer than a column).
            return result.replacingOccurrences(of: #"\d+d\d\dh\d\dm\d\ds"#, with: "<uptime>", options: .regularExpression)
                .replacingOccurrences(of: #"> +"#, with: "> ", options: .regularExpression)
                .replacingOccurrences(of: #" +\n"#, with: "\n", options: .regularExpression)
        }
        for request in ["show proc\n", "prompt\nshow version\n@1\nshow cli level\n@\nquit\n", "bogus\n",
                        "user\n@1 show cli level\n", "@7 show info\n"] {
            XCTAssertEqual(try normalized(ours, ours.query(request)), try normalized(theirs, theirs.query(request)), request)
        }
        let theirHelp = try theirs.query("help\n").split(separator: "\n").filter { !$0.contains("show cli sockets") }
        XCTAssertEqual(try ours.query("help\n").split(separator: "\n"), theirHelp)
    }
}

/// What the load threads saw, under a lock.
private final class LoadTally: @unchecked Sendable {
    struct Snapshot {
        var failures: [String: Int] = [:]
        var shortOK = 0
        var longIntact = 0
        var longFailures: [String] = []
    }

    private let lock = NSLock()
    private var data = Snapshot()
    private var stopFlag = false

    var stopped: Bool { lock.withLock { stopFlag } }
    var snapshot: Snapshot { lock.withLock { data } }
    func stop() { lock.withLock { stopFlag = true } }

    func shortResult(_ failure: String?) {
        lock.withLock {
            if let failure { data.failures[failure, default: 0] += 1 } else { data.shortOK += 1 }
        }
    }

    func longResult(_ failure: String?) {
        lock.withLock {
            if let failure { data.longFailures.append(failure) } else { data.longIntact += 1 }
        }
    }
}
