#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// `nbthread 2`: streams spread evenly over both threads, the counters of both add up in
/// `show stat`, a queue spans the threads, and the CLI and a soft stop reach streams of every
/// thread.
final class ThreadingTests: XCTestCase {
    private var backend: TestBackend!
    private var ordrel: OrdrelProcess!
    private var port: UInt16 = 0
    private var socketDirectory: TemporaryDirectory!
    private var socketPath: String { socketDirectory.path + "/admin.sock" }

    override func setUp() {
        TestSocket.raiseFileLimit(8192)
    }

    override func tearDown() {
        ordrel?.stop()
        backend?.stop()
    }

    private func start(threads: Int = 2, serverOptions: String = "", backendLines: String = "") throws {
        backend = try TestBackend(.echo)
        socketDirectory = TemporaryDirectory()
        port = try TestSocket.unusedPort()
        ordrel = try OrdrelProcess(config: """
        global
            maxconn 2000
            nbthread \(threads)
            stats socket \(socketPath) level admin
        defaults
            mode tcp
            timeout connect 2s
            timeout client 30s
            timeout server 30s
        frontend fe
            bind 127.0.0.1:\(port)
            default_backend be
        backend be
        \(backendLines)
            server s1 127.0.0.1:\(backend.port) \(serverOptions)

        """, readySocket: socketPath)
    }

    private func query(_ command: String) throws -> String {
        try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socketPath)"], input: command + "\n").stdout
    }

    /// Stream ids of `show sess`, and the thread each belongs to (bits 24–31 of the id).
    private func sessions() throws -> [(id: String, thread: UInt64)] {
        try query("show sess").split(separator: "\n").compactMap { line in
            // The asking CLI session is listed too (fe=GLOBAL, as haproxy): only streams count here.
            guard !line.contains(" fe=GLOBAL "), let colon = line.firstIndex(of: ":"), line.hasPrefix("0x"),
                  let value = UInt64(line[line.index(line.startIndex, offsetBy: 2)..<colon], radix: 16) else { return nil }
            return (String(line[..<colon]), value >> 24 & 0xff)
        }
    }

    /// `show stat` columns of one row (`FRONTEND`, `BACKEND` or a server).
    private func stat(_ row: String, _ names: [String]) throws -> [String] {
        let lines = try query("show stat").split(separator: "\n")
        let header = lines[0].dropFirst(2).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let line = lines.first(where: { $0.split(separator: ",", omittingEmptySubsequences: false)[1] == row }) else { return [] }
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return names.map { name in header.firstIndex(of: name).map { fields[$0] } ?? "?" }
    }

    /// The daemon's threads (`/proc/<pid>/task`): name, nice value (field 19 of `stat`) and
    /// voluntary context switches (times it went to sleep, in `status`).
    private func threads() throws -> [(id: Int32, name: String, nice: Int, sleeps: Int)] {
        let directory = "/proc/\(ordrel.pid)/task"
        return try FileManager.default.contentsOfDirectory(atPath: directory).compactMap { task in
            guard let comm = try? String(contentsOfFile: "\(directory)/\(task)/comm", encoding: .utf8),
                  let stat = try? String(contentsOfFile: "\(directory)/\(task)/stat", encoding: .utf8),
                  let status = try? String(contentsOfFile: "\(directory)/\(task)/status", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // After "pid (comm) ": state is field 3, so nice (19) is the 17th.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            let switches = status.split(separator: "\n").first { $0.hasPrefix("voluntary_ctxt_switches:") }
            guard fields.count > 16, let nice = Int(fields[16]),
                  let sleeps = switches.flatMap({ Int($0.split(separator: "\t").last ?? "") }) else { return nil }
            return (Int32(task) ?? 0, String(comm.dropLast()), nice, sleeps)
        }
    }

    /// With `nbthread 1` too, the stats socket is served by a thread of its own, `ordrel-cli`, at
    /// nice 19 while the worker stays at 0: each of 60 one-shot queries wakes the CLI thread
    /// (one sleep at least per query), and the worker, with no traffic, hardly wakes at all.
    func testTheCLIRunsOnAThreadOfItsOwnAtTheLowestPriority() throws {
        try start(threads: 1)
        // The stats socket is bound before the CLI thread starts serving it (a sanitized build
        // may take a while to get there): wait for the thread to show up with its priority.
        XCTAssertTrue(try waitUntil(10) { try threads().contains { $0.name == "ordrel-cli" && $0.nice == 19 } })
        let before = try threads()
        let cli = before.filter { $0.name == "ordrel-cli" }
        XCTAssertEqual(cli.map(\.nice), [19], "one CLI thread, niced: \(before)")
        // The worker's loop runs on the main thread (a sanitizer's own thread may share its name).
        let workers = before.filter { $0.id == ordrel.pid }
        XCTAssertEqual(workers.map(\.nice), [0], "the worker, at the default priority: \(before)")
        for _ in 0..<60 { XCTAssertEqual(try query("show cli level"), "admin\n\n") }
        let after = try threads()
        let cliSleeps = (after.first { $0.name == "ordrel-cli" }?.sleeps ?? 0) - (cli.first?.sleeps ?? 0)
        let workerSleeps = (after.first { $0.id == ordrel.pid }?.sleeps ?? 0) - (workers.first?.sleeps ?? 0)
        XCTAssertGreaterThanOrEqual(cliSleeps, 60, "the CLI thread answered")
        XCTAssertLessThan(workerSleeps, 30, "the worker did not")
        // Commands the CLI thread hands to the only worker (isolated work, stats rows) work too.
        XCTAssertTrue(try query("show info").contains("Nbthread: 1\n"))
        XCTAssertEqual(try query("disable server be/s1"), "\n")
        XCTAssertEqual(try stat("s1", ["status"]), ["MAINT"])
        XCTAssertEqual(try query("enable server be/s1"), "\n")
        XCTAssertEqual(try stat("s1", ["status"]), ["no check"])
    }

    /// Connects `count` clients and waits until the proxy holds all of them.
    private func connectClients(_ count: Int) throws -> [Int32] {
        let fds = try (0..<count).map { _ in try TestSocket.connect(port: port) }
        for fd in fds { TestSocket.setReceiveTimeout(fd, seconds: 5) }
        XCTAssertTrue(try waitUntil(5) { try sessions().count == count }, "the proxy holds every client")
        return fds
    }

    func testStreamsSpreadEvenlyOverBothThreadsAndTheirByteCountsAddUp() throws {
        try start()
        XCTAssertTrue(try query("show info").contains("Nbthread: 2\n"))
        // Loop 0 runs on the main thread, loop 1 on "ordrel-1", the CLI's on "ordrel-cli".
        // Counted by name: a sanitizer's runtime adds a thread of its own (TSan's background thread).
        let named = try threads().map(\.name).filter { $0.hasPrefix("ordrel-") }
        XCTAssertEqual(named.sorted(), ["ordrel-1", "ordrel-cli"], "one thread per loop")

        let clients = try connectClients(40)
        // Whichever thread accepts, a connection goes to the thread with fewer streams once the
        // other has two more: the split stays within two.
        let perThread = try sessions().reduce(into: [UInt64: Int]()) { $0[$1.thread, default: 0] += 1 }
        XCTAssertEqual(Set(perThread.keys), [0, 1], "both threads run streams")
        XCTAssertLessThanOrEqual(abs((perThread[0] ?? 0) - (perThread[1] ?? 0)), 2, "balanced: \(perThread)")
        XCTAssertEqual(try stat("FRONTEND", ["scur"]), ["40"])

        var sent = 0
        for (index, fd) in clients.enumerated() {
            let message = Array(String(repeating: "x", count: 100 + index * 37).utf8)
            try TestSocket.sendAll(fd, message)
            XCTAssertEqual(TestSocket.read(fd, count: message.count), message, "client \(index) gets its echo")
            sent += message.count
            close(fd)
        }
        XCTAssertTrue(try waitUntil(5) { try stat("FRONTEND", ["scur"]) == ["0"] })
        for row in ["FRONTEND", "s1", "BACKEND"] {
            XCTAssertEqual(try stat(row, ["bin", "bout", "stot"]), ["\(sent)", "\(sent)", "40"], "\(row): every thread's bytes counted")
        }
    }

    func testAQueueSpansTheThreadsAndServesEveryClientInTurn() throws {
        try start(serverOptions: "maxconn 1", backendLines: "    timeout queue 20s")
        let holder = try TestSocket.connect(port: port)
        TestSocket.setReceiveTimeout(holder, seconds: 5)
        try TestSocket.sendAll(holder, Array("hold\n".utf8))
        XCTAssertEqual(TestSocket.read(holder, count: 5), Array("hold\n".utf8))

        let waiting = try (0..<20).map { _ in try TestSocket.connect(port: port) }
        XCTAssertTrue(try waitUntil(5) { try stat("BACKEND", ["qcur"]) == ["20"] }, "all 20 queue behind the one slot")
        let queuedThreads = Set(try sessions().map(\.thread))
        XCTAssertEqual(queuedThreads, [0, 1], "the queue holds streams of both threads")

        let served = ServedCount()
        let group = DispatchGroup()
        // One thread per client (not a dispatch pool, which would start blocked tasks late and
        // leave the client whose turn it is unsent).
        for (index, fd) in waiting.enumerated() {
            group.enter()
            Thread {
                TestSocket.setReceiveTimeout(fd, seconds: 15)
                let message = Array("client \(index)\n".utf8)
                try? TestSocket.sendAll(fd, message)
                if TestSocket.read(fd, count: message.count) == message { served.add() }
                close(fd)
                group.leave()
            }.start()
        }
        close(holder)
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(served.value, 20, "every queued client was connected, whichever thread freed the slot")
        XCTAssertTrue(try waitUntil(5) { try stat("s1", ["scur", "qcur"]) == ["0", "0"] }, "no slot leaked")
        XCTAssertEqual(try stat("s1", ["smax", "stot"]), ["1", "21"], "one stream at a time on the server")
    }

    /// Every thread is woken by the same listening socket: a frontend at `maxconn 1` admits one
    /// client at a time even when many arrive at once, as a slot is taken before accept().
    func testFrontendMaxconnHoldsWhenThreadsAcceptTogether() throws {
        try start(threads: 4)
        XCTAssertEqual(try query("set maxconn frontend fe 1"), "\n")
        let served = ServedCount()
        let clients = ClientList()
        let group = DispatchGroup()
        let port = self.port
        for batch in 0..<4 {
            group.enter()
            Thread {
                for index in 0..<10 {
                    guard let fd = try? TestSocket.connect(port: port) else { continue }
                    clients.add(fd)
                    TestSocket.setReceiveTimeout(fd, seconds: 0.5)
                    let message = Array("client \(batch).\(index)\n".utf8)
                    try? TestSocket.sendAll(fd, message)
                }
                group.leave()
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(clients.all.count, 40)
        let readers = DispatchGroup()
        for fd in clients.all {
            readers.enter()
            Thread {
                if !TestSocket.read(fd, count: 1).isEmpty { served.add() }
                readers.leave()
            }.start()
        }
        XCTAssertEqual(readers.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(served.value, 1, "one client at a time is forwarded")
        XCTAssertEqual(try stat("FRONTEND", ["scur", "smax"]), ["1", "1"], "never two sessions at once")
        clients.all.forEach { close($0) }
        XCTAssertTrue(try waitUntil(10) { try stat("FRONTEND", ["scur", "stot"]) == ["0", "40"] }, "the rest were served in turn")
        XCTAssertEqual(try stat("FRONTEND", ["smax"]), ["1"])
    }

    func testShutdownSessionReachesAStreamOfTheOtherThread() throws {
        try start()
        let clients = try connectClients(16)
        defer { clients.forEach { close($0) } }
        let all = try sessions()
        guard let victim = all.first(where: { $0.thread == 1 }) else { return XCTFail("no stream on thread 1: \(all)") }
        XCTAssertEqual(try query("shutdown session \(victim.id)"), "\n")
        XCTAssertTrue(try waitUntil(2) { try !sessions().contains { $0.id == victim.id } }, "the stream is gone")
        XCTAssertEqual(try sessions().count, 15, "only that stream")

        var ended = 0
        for fd in clients {
            let message = Array("ping\n".utf8)
            try? TestSocket.sendAll(fd, message)
            if TestSocket.read(fd, count: message.count) != message { ended += 1 }
        }
        XCTAssertEqual(ended, 1, "the killed client lost its stream; the other 15 still echo")
    }

    func testSoftStopWaitsForStreamsOfEveryThreadThenExits() throws {
        try start()
        let clients = try connectClients(12)
        XCTAssertEqual(Set(try sessions().map(\.thread)), [0, 1])
        ordrel.signal(SIGUSR1)
        XCTAssertNil(ordrel.waitForExit(timeout: 0.3), "ordrel waits for the open streams")
        for fd in clients {
            let message = Array("after\n".utf8)
            try TestSocket.sendAll(fd, message)
            XCTAssertEqual(TestSocket.read(fd, count: message.count), message, "streams keep working during the soft stop")
            close(fd)
        }
        XCTAssertEqual(ordrel.waitForExit(timeout: 5), 0, "ordrel exits once the last stream of either thread ends")
    }
}

/// A counter the client threads of a test add to.
private final class ClientList: @unchecked Sendable {
    private let lock = NSLock()
    private var fds: [Int32] = []
    func add(_ fd: Int32) { lock.withLock { fds.append(fd) } }
    var all: [Int32] { lock.withLock { fds } }
}

private final class ServedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
