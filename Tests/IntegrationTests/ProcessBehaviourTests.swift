#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Signals, daemon mode and resets: the process behaves as an operator of haproxy expects.
final class ProcessBehaviourTests: XCTestCase {
    private func config(port: UInt16, backend: UInt16, extra: String = "") -> String {
        """
        defaults
            mode tcp
            timeout connect 2s
            timeout client 30s
            timeout server 30s
        \(extra)
        frontend fe
            bind 127.0.0.1:\(port)
            default_backend be
        backend be
            server s1 127.0.0.1:\(backend)

        """
    }

    func testSoftStopFinishesOpenStreamsThenExits() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let ordrel = try OrdrelProcess(config: config(port: port, backend: backend.port), readyPort: port)
        defer { ordrel.stop() }

        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try TestSocket.sendAll(fd, Array("before\n".utf8))
        XCTAssertEqual(TestSocket.read(fd, count: 7), Array("before\n".utf8))

        ordrel.signal(SIGUSR1)
        // Listeners close at once; the open stream keeps working.
        let deadline = Date().addingTimeInterval(3)
        var refused = false
        while Date() < deadline && !refused {
            if let probe = try? TestSocket.connect(port: port) { close(probe); usleep(20_000) } else { refused = true }
        }
        XCTAssertTrue(refused, "the listener must close on SIGUSR1")
        XCTAssertNil(ordrel.waitForExit(timeout: 0.3), "ordrel must wait for the open stream")
        try TestSocket.sendAll(fd, Array("after\n".utf8))
        XCTAssertEqual(TestSocket.read(fd, count: 6), Array("after\n".utf8))
        shutdown(fd, Int32(SHUT_WR))
        XCTAssertEqual(TestSocket.readAll(fd).end, .eof)
        XCTAssertEqual(ordrel.waitForExit(timeout: 5), 0, "ordrel exits once the last stream ends")
    }

    /// An echo backend and an ordrel in front of it whose `global` section holds `globalLine`.
    private func startEcho(global globalLine: String) throws -> (backend: TestBackend, ordrel: OrdrelProcess, port: UInt16) {
        let backend = try TestBackend(.echo)
        let port = try TestSocket.unusedPort()
        let cfg = "global\n    \(globalLine)\n" + config(port: port, backend: backend.port)
        do {
            return (backend, try OrdrelProcess(config: cfg, readyPort: port), port)
        } catch {
            backend.stop()
            throw error
        }
    }

    /// SIGUSR1 and SIGTERM again and again while a stop ends the process (as a master passes
    /// them on to former workers still leaving): the process still exits 0, never of a signal.
    func testRepeatedStopSignalsWhileExitingStillExitZero() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        for (first, then) in [(SIGUSR1, SIGUSR1), (SIGUSR1, SIGTERM), (SIGTERM, SIGTERM), (SIGTERM, SIGUSR1), (SIGUSR1, SIGINT)] {
            let port = try TestSocket.unusedPort()
            let ordrel = try OrdrelProcess(config: config(port: port, backend: backend.port), readyPort: port)
            defer { ordrel.stop() }
            ordrel.signal(first)
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, ordrel.waitForExit(timeout: 0) == nil {
                ordrel.signal(then)
                usleep(200)
            }
            XCTAssertEqual(ordrel.waitForExit(timeout: 1), 0, "signal \(first), then \(then): " + ordrel.stderrText)
        }
    }

    func testHardStopAfterBoundsASoftStop() throws {
        let (backend, ordrel, port) = try startEcho(global: "hard-stop-after 400ms")
        defer { backend.stop() }
        defer { ordrel.stop() }
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try TestSocket.sendAll(fd, Array("hold\n".utf8))
        XCTAssertEqual(TestSocket.read(fd, count: 5), Array("hold\n".utf8))

        let started = Date()
        ordrel.signal(SIGUSR1)
        XCTAssertNotNil(ordrel.waitForExit(timeout: 3), "hard-stop-after must end a soft stop that open streams hold up")
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(elapsed, 0.35)
        XCTAssertLessThan(elapsed, 2.0)
        XCTAssertNotEqual(TestSocket.readAll(fd).end, .timeout, "the held stream is closed")
    }

    func testGraceKeepsListenersOpenBeforeTheSoftStop() throws {
        let (backend, ordrel, port) = try startEcho(global: "grace 600ms")
        defer { backend.stop() }
        defer { ordrel.stop() }

        let started = Date()
        ordrel.signal(SIGUSR1)
        usleep(100_000)
        // Still accepting and forwarding during the grace period.
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try TestSocket.sendAll(fd, Array("grace\n".utf8))
        XCTAssertEqual(TestSocket.read(fd, count: 6), Array("grace\n".utf8))
        shutdown(fd, Int32(SHUT_WR))
        XCTAssertEqual(TestSocket.readAll(fd).end, .eof)
        XCTAssertNil(ordrel.waitForExit(timeout: 0.2), "no stream is open, but the grace period is not over")
        XCTAssertEqual(ordrel.waitForExit(timeout: 5), 0, "the soft stop proceeds once the grace period is over")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.55)
    }

    func testHalfClosedStreamsUseTheFinTimeouts() throws {
        // The client half-closes and the backend never answers nor closes: after the FIN, the
        // short client-fin/server-fin timeouts apply instead of the long client/server ones.
        let (listener, backendPort) = try TestSocket.listen()
        defer { close(listener) }
        let port = try TestSocket.unusedPort()
        let cfg = """
        defaults
            mode tcp
            timeout connect 2s
            timeout client 30s
            timeout server 30s
            timeout client-fin 300ms
            timeout server-fin 300ms
        frontend fe
            bind 127.0.0.1:\(port)
            default_backend be
        backend be
            server s1 127.0.0.1:\(backendPort)

        """
        let ordrel = try OrdrelProcess(config: cfg, readyPort: port)
        defer { ordrel.stop() }
        let probe = accept(listener, nil, nil)
        if probe >= 0 { close(probe) }
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        // The backend accepts and then neither reads, writes nor closes.
        let held = accept(listener, nil, nil)
        XCTAssertGreaterThanOrEqual(held, 0)
        defer { close(held) }
        TestSocket.setReceiveTimeout(fd, seconds: 10)
        try TestSocket.sendAll(fd, Array("request".utf8))
        let started = Date()
        shutdown(fd, Int32(SHUT_WR))
        let (_, end) = TestSocket.readAll(fd)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertNotEqual(end, .timeout)
        XCTAssertGreaterThanOrEqual(elapsed, 0.25)
        XCTAssertLessThan(elapsed, 3.0, "the 30 s client/server timeouts must not apply once half-closed")
    }

    func testClientResetResetsTheServerSidePromptly() throws {
        // The backend reads forever; when the client resets, ordrel must not keep the server side open.
        let (listener, backendPort) = try TestSocket.listen()
        defer { close(listener) }
        let port = try TestSocket.unusedPort()
        let ordrel = try OrdrelProcess(config: config(port: port, backend: backendPort), readyPort: port)
        defer { ordrel.stop() }
        // The readiness probe made one connection to the backend; accept and drop it.
        let probe = accept(listener, nil, nil)
        if probe >= 0 { close(probe) }

        let client = try TestSocket.connect(port: port)
        try TestSocket.sendAll(client, Array("hello".utf8))
        let server = accept(listener, nil, nil)
        XCTAssertGreaterThanOrEqual(server, 0)
        defer { close(server) }
        TestSocket.setReceiveTimeout(server, seconds: 5)
        XCTAssertEqual(TestSocket.read(server, count: 5), Array("hello".utf8))

        var reset = linger(l_onoff: 1, l_linger: 0)
        setsockopt(client, SOL_SOCKET, SO_LINGER, &reset, socklen_t(MemoryLayout<linger>.size))
        let started = Date()
        close(client)
        let (_, end) = TestSocket.readAll(server)
        XCTAssertNotEqual(end, .timeout)
        XCTAssertEqual(end, .error(ECONNRESET), "a client reset is passed on as a reset")
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.0)
    }

    /// Starts `ordrel -D -p` on `config` and returns the daemon's pid from the pidfile (0 if none).
    private func startDaemon(_ config: String, in directory: TemporaryDirectory) -> Int32 {
        let pidfile = directory.path + "/ordrel.pid"
        let cfg = directory.write("ordrel.cfg", config)
        let log = directory.path + "/launch.log"
        let status = spawnAndWait(Binaries.path("ordrel"), ["-D", "-p", pidfile, "-f", cfg], logPath: log)
        XCTAssertEqual(status, 0, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: pidfile, encoding: .utf8),
               let value = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return value
            }
            usleep(20_000)
        }
        return 0
    }

    /// Sends SIGTERM and reports whether the daemon exited within 5 s. A daemon's parent is init,
    /// which may take a while to reap it: an exited one (a zombie) counts as stopped.
    private func stopDaemon(_ pid: Int32) -> Bool {
        func running() -> Bool {
            guard kill(pid, 0) == 0 else { return false }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            return stat.split(separator: ")").last?.split(separator: " ").first != "Z"
        }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline && running() { usleep(20_000) }
        return !running()
    }

    func testDaemonModeWritesPidfileAndStopsOnSIGTERM() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let directory = TemporaryDirectory()
        var pid = startDaemon(config(port: port, backend: backend.port), in: directory)
        XCTAssertGreaterThan(pid, 0, "pidfile written")
        defer { if pid > 0 { kill(pid, SIGKILL) } }
        XCTAssertEqual(kill(pid, 0), 0, "the daemon runs")

        let fd = try TestSocket.connect(port: port)
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try TestSocket.sendAll(fd, Array("x".utf8))
        XCTAssertEqual(TestSocket.read(fd, count: 1), Array("x".utf8))
        close(fd)

        let stopped = stopDaemon(pid)
        XCTAssertTrue(stopped, "the daemon stops on SIGTERM")
        if stopped { pid = 0 }
    }

    /// A daemon (forked after the Swift runtime started) whose two loops take their first
    /// connections at the same moment: the loops run on threads created after the fork, so the
    /// runtime's locks never see the parent's thread id (which livelocked both threads before).
    func testDaemonWithTwoThreadsServesSimultaneousFirstClients() throws {
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        for round in 1...4 {
            let port = try TestSocket.unusedPort()
            let directory = TemporaryDirectory()
            var pid = startDaemon("global\n    nbthread 2\n" + config(port: port, backend: backend.port), in: directory)
            XCTAssertGreaterThan(pid, 0, "round \(round): pidfile written")
            defer { if pid > 0 { kill(pid, SIGKILL) } }
            let clients = try (0..<16).map { _ in try TestSocket.connect(port: port) }
            let message = Array("first\n".utf8)
            for fd in clients {
                TestSocket.setReceiveTimeout(fd, seconds: 5)
                try TestSocket.sendAll(fd, message)
            }
            let answered = clients.filter { TestSocket.read($0, count: message.count) == message }.count
            clients.forEach { close($0) }
            XCTAssertEqual(answered, 16, "round \(round): every first client is served")
            let stopped = stopDaemon(pid)
            XCTAssertTrue(stopped, "round \(round): the daemon stops on SIGTERM")
            if stopped { pid = 0 }
        }
    }

    func testUserAndGroupDropPrivilegesAfterBinding() throws {
        try XCTSkipUnless(getuid() == 0, "needs root to drop privileges")
        guard let nobody = getpwnam("nobody") else { throw XCTSkip("no 'nobody' user") }
        let nobodyUID = nobody.pointee.pw_uid
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        let port = try TestSocket.unusedPort()
        let cfg = """
        global
            user nobody
        \(config(port: port, backend: backend.port))
        """
        let ordrel = try OrdrelProcess(config: cfg, readyPort: port)
        defer { ordrel.stop() }
        // The port listens before the uid changes (bind as root, then drop): read until it has.
        func uidLine() -> String {
            let status = (try? String(contentsOfFile: "/proc/\(ordrel.pid)/status", encoding: .utf8)) ?? ""
            return status.split(separator: "\n").first { $0.hasPrefix("Uid:") }.map(String.init) ?? ""
        }
        _ = waitUntil(5) { !uidLine().contains("\t0\t") }
        let uidLine = uidLine()
        let uids = uidLine.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().compactMap { UInt32($0) }
        XCTAssertEqual(uids.count, 4, uidLine)
        XCTAssertTrue(uids.allSatisfy { $0 == nobodyUID }, "real, effective, saved and fs uid must all be nobody: \(uidLine)")
        // The listener bound as root still serves.
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try TestSocket.sendAll(fd, Array("x".utf8))
        XCTAssertEqual(TestSocket.read(fd, count: 1), Array("x".utf8))
    }
}
