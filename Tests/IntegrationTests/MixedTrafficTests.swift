#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Many clients misbehaving at once, bounded in time: complete exchanges stay byte-exact, the
/// daemon survives, and every fd it opened for them is closed or idle in the pipe pool afterwards.
final class MixedTrafficTests: XCTestCase {
    /// What one client of the mix did, and whether its exchange came back whole.
    private enum Outcome: Hashable, Sendable {
        case echoExact, echoDamaged, bulkExact, bulkDamaged, halfClosed, reset, garbage, refused
    }

    func testMixedClientBehavioursLoseNothingAndLeakNothing() throws {
        TestSocket.raiseFileLimit(8192)
        let backends = [try TestBackend(.echo), try TestBackend(.echo)]
        defer { backends.forEach { $0.stop() } }
        let port = try TestSocket.unusedPort()
        let directory = TemporaryDirectory()
        let socketPath = directory.path + "/admin.sock"
        let ordrel = try OrdrelProcess(config: """
        global
            maxconn 2000
            stats socket \(socketPath) level admin
        defaults
            mode tcp
            timeout connect 1s
            timeout client 6s
            timeout server 6s
            timeout client-fin 4s
            timeout server-fin 4s
        frontend fe
            bind 127.0.0.1:\(port)
            default_backend be
        backend be
            balance leastconn
            server s1 127.0.0.1:\(backends[0].port) check inter 200ms
            server s2 127.0.0.1:\(backends[1].port) maxconn 20

        """, readySocket: socketPath)
        defer { ordrel.stop() }
        usleep(100_000)
        let baseline = ordrel.openDescriptorCount

        let tally = Locked<[Outcome: Int]>([:])
        let deadline = Date().addingTimeInterval(3)
        let bulk = TestSocket.randomBytes(512 << 10)
        let group = DispatchGroup()
        for worker in 0..<12 {
            group.enter()
            Thread {
                var generator = SystemRandomNumberGenerator()
                var local: [Outcome: Int] = [:]
                var round = worker
                while Date() < deadline {
                    round += 1
                    guard let fd = try? TestSocket.connect(port: port) else {
                        local[.refused, default: 0] += 1
                        continue
                    }
                    TestSocket.setReceiveTimeout(fd, seconds: 8)
                    switch round % 5 {
                    case 0:
                        let message = (0..<Int.random(in: 1...4000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                        try? TestSocket.sendAll(fd, message)
                        shutdown(fd, Int32(SHUT_WR))
                        local[TestSocket.readAll(fd).bytes == message ? .echoExact : .echoDamaged, default: 0] += 1
                    case 1:
                        let writer = Thread { try? TestSocket.sendAll(fd, bulk); shutdown(fd, Int32(SHUT_WR)) }
                        writer.start()
                        let received = TestSocket.readAll(fd).bytes
                        local[received == bulk ? .bulkExact : .bulkDamaged, default: 0] += 1
                    case 2:
                        shutdown(fd, Int32(SHUT_WR))
                        _ = TestSocket.readAll(fd)
                        local[.halfClosed, default: 0] += 1
                    case 3:
                        try? TestSocket.sendAll(fd, Array(bulk.prefix(Int.random(in: 1...200_000, using: &generator))))
                        var reset = linger(l_onoff: 1, l_linger: 0)
                        setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, socklen_t(MemoryLayout<linger>.size))
                        local[.reset, default: 0] += 1
                    default:
                        try? TestSocket.sendAll(fd, (0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) })
                        local[.garbage, default: 0] += 1
                    }
                    close(fd)
                }
                tally.withLock { $0.merge(local, uniquingKeysWith: +) }
                group.leave()
            }.start()
        }
        var cliReplies = 0
        while Date() < deadline {
            for command in ["show stat", "show sess", "set server be/s2 state drain", "set server be/s2 state ready"] {
                let reply = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socketPath)"], input: command + "\n")
                if reply.stdout.hasSuffix("\n") { cliReplies += 1 }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success, "clients finished")
        let outcomes = tally.withLock { $0 }

        XCTAssertEqual(outcomes[.echoDamaged, default: 0], 0, "\(outcomes)")
        XCTAssertEqual(outcomes[.bulkDamaged, default: 0], 0, "\(outcomes)")
        XCTAssertGreaterThan(outcomes[.echoExact, default: 0], 20, "\(outcomes)")
        XCTAssertGreaterThan(outcomes[.bulkExact, default: 0], 5, "\(outcomes)")
        XCTAssertEqual(outcomes[.refused, default: 0], 0, "\(outcomes)")
        XCTAssertGreaterThanOrEqual(cliReplies, 4, "the stats socket answered during the traffic")

        // Everything the mix opened is closed, or idle in the pipe pool (two fds per pipe).
        var info: [String: Int] = [:]
        var after = 0
        let settle = Date().addingTimeInterval(10)
        repeat {
            usleep(200_000)
            let text = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socketPath)"], input: "show info\n").stdout
            info = Dictionary(text.split(separator: "\n").compactMap { line -> (String, Int)? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let value = Int(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
                return (String(parts[0]), value)
            }, uniquingKeysWith: { first, _ in first })
            after = ordrel.openDescriptorCount
        } while (info["CurrConns"] != 0 || after > baseline + 2 * (info["PipesFree"] ?? 0) + 1) && Date() < settle
        XCTAssertEqual(info["CurrConns"], 0)
        XCTAssertEqual(info["PipesUsed"], 0)
        // +1: a health check connection may be in flight when the fds are counted.
        XCTAssertLessThanOrEqual(after, baseline + 2 * (info["PipesFree"] ?? 0) + 1,
                                 "fds: \(baseline) at start, \(after) after, \(info["PipesFree"] ?? 0) idle pipes")
    }
}
