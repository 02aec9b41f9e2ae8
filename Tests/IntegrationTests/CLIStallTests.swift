#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// A stats client, however busy, must not freeze proxied traffic: the CLI runs in bounded steps
/// and the loop's streams get their turn between them. The bound here is loose, for a debug build
/// on a busy machine (before the CLI ran in bounded steps, this test saw 6.7 s); `make
/// bench-stall` measures the real figures against haproxy. One client pipelines `show stat`,
/// others poll it one query per connection (the sessions share the CLI thread's turns), and the rows,
/// read while the threads run, count every byte of the traffic.
final class CLIStallTests: XCTestCase {
    private var backend: TestBackend!
    private var ordrel: OrdrelProcess!
    private var socketDirectory: TemporaryDirectory!

    override func tearDown() {
        ordrel?.stop()
        backend?.stop()
    }

    func testPipelinedStatsQueriesDoNotStallTraffic() throws {
        backend = try TestBackend(.echo)
        socketDirectory = TemporaryDirectory()
        let socketPath = socketDirectory.path + "/admin.sock"
        let port = try TestSocket.unusedPort()
        let servers = (1...1000).map { "    server s\($0) 127.0.0.1:\(20000 + $0)" }.joined(separator: "\n")
        ordrel = try OrdrelProcess(config: """
        global
            nbthread 2
            stats socket \(socketPath) level user
        defaults
            mode tcp
            timeout connect 2s
            timeout client 30s
            timeout server 30s
        listen echo
            bind 127.0.0.1:\(port)
            server e1 127.0.0.1:\(backend.port)
        backend many
        \(servers)

        """, readySocket: socketPath)

        let connections = try (0..<4).map { _ in try TestSocket.connect(port: port) }
        defer { connections.forEach { close($0) } }
        for fd in connections { TestSocket.setReceiveTimeout(fd, seconds: 10) }

        let load = CLILoad(socketPath: socketPath, request: "prompt\n" + String(repeating: "show stat\n", count: 300) + "quit\n")
        let pollers = (0..<3).map { _ in CLILoad(socketPath: socketPath, request: "show stat\n") }
        load.start()
        pollers.forEach { $0.start() }
        defer {
            load.stop()
            pollers.forEach { $0.stop() }
        }
        // Let the first batch get going before timing.
        while load.bytesRead < 1 << 20 { usleep(10_000) }

        // Time round trips for at least 2 s and until the load has answered a few replies, which a
        // sanitized build on a loaded machine needs longer for (capped so a stuck CLI still fails).
        let loadBytesBefore = load.bytesRead
        let pollerBytesBefore = pollers.map(\.bytesRead)
        func loadedEnough() -> Bool {
            load.bytesRead - loadBytesBefore > 1 << 20
                && zip(pollers, pollerBytesBefore).allSatisfy { $0.bytesRead - $1 > 512 << 10 }
        }
        var worstMs = 0.0
        var roundTrips = 0
        let timingStart = Date()
        while Date().timeIntervalSince(timingStart) < 2 || (!loadedEnough() && Date().timeIntervalSince(timingStart) < 30) {
            for fd in connections {
                let start = Date()
                try TestSocket.sendAll(fd, Array("ping".utf8))
                XCTAssertEqual(TestSocket.read(fd, count: 4), Array("ping".utf8))
                worstMs = max(worstMs, Date().timeIntervalSince(start) * 1000)
                roundTrips += 1
            }
        }
        load.stop()
        pollers.forEach { $0.stop() }
        // The load must have kept the CLI busy while the round trips were timed, and no poller starved.
        XCTAssertGreaterThan(load.bytesRead - loadBytesBefore, 512 << 10, "the CLI load answered too little to load the loop")
        for (poller, before) in zip(pollers, pollerBytesBefore) {
            XCTAssertGreaterThan(poller.bytesRead - before, 256 << 10, "a poller was starved")
        }
        XCTAssertGreaterThan(roundTrips, 20)
        XCTAssertLessThan(worstMs, 1000, "a round trip waited \(worstMs) ms behind the stats client")

        // The echo frontend's row: `bin` (9th column) is every byte the clients sent.
        let fd = try TestSocket.connect(unixPath: socketPath)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 10)
        try TestSocket.sendAll(fd, Array("show stat echo 1 -1\n".utf8))
        let reply = String(decoding: TestSocket.readAll(fd).bytes, as: UTF8.self)
        let row = reply.split(separator: "\n").first { $0.hasPrefix("echo,FRONTEND,") }
        let columns = row.map { $0.split(separator: ",", omittingEmptySubsequences: false) } ?? []
        XCTAssertGreaterThan(columns.count, 8, reply)
        if columns.count > 8 { XCTAssertEqual(UInt64(columns[8]), UInt64(4 * roundTrips), reply) }
    }
}

/// One stats client sending the same pipelined request over and over, reading every reply.
private final class CLILoad: @unchecked Sendable {
    private let socketPath: String
    private let request: [UInt8]
    private let lock = NSLock()
    private var read = 0
    private var stopping = false
    /// The connection being served, shut down by `stop` so a long pipelined request ends at once.
    private var current: Int32 = -1
    private let done = DispatchSemaphore(value: 0)

    init(socketPath: String, request: String) {
        self.socketPath = socketPath
        self.request = Array(request.utf8)
    }

    var bytesRead: Int { lock.withLock { read } }

    func start() {
        Thread { [self] in
            while !lock.withLock({ stopping }), let fd = try? TestSocket.connect(unixPath: socketPath) {
                guard lock.withLock({ () -> Bool in
                    current = fd
                    return !stopping
                }) else {
                    close(fd)
                    break
                }
                TestSocket.setReceiveTimeout(fd, seconds: 10)
                _ = try? TestSocket.sendAll(fd, request)
                shutdown(fd, Int32(SHUT_WR))
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if n <= 0 { break }
                    lock.withLock { read += n }
                }
                lock.withLock {
                    current = -1
                    close(fd)
                }
            }
            done.signal()
        }.start()
    }

    /// Stops now, cutting the current request short; later calls do nothing.
    func stop() {
        guard lock.withLock({ () -> Bool in
            defer { stopping = true }
            if !stopping && current >= 0 { shutdown(current, Int32(SHUT_RDWR)) }
            return !stopping
        }) else { return }
        done.wait()
    }
}
