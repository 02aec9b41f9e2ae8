#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Daemons started with `-D -p` (ordrel or haproxy) and reloaded the standalone way.
enum Daemons {
    /// Whether `pid` runs (an exited daemon waiting for init to reap it counts as gone).
    static func isRunning(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.split(separator: " ").first != "Z"
    }

    /// Waits up to `timeout` s for `pid` to be gone.
    static func waitForExit(_ pid: Int32, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && isRunning(pid) { usleep(10_000) }
        return !isRunning(pid)
    }

    static func readPid(_ pidfile: String) -> Int32? {
        (try? String(contentsOfFile: pidfile, encoding: .utf8)).flatMap {
            Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Runs `binary arguments` (a daemonizing command), then waits for the pidfile to name a
    /// process other than `previous`; returns that pid, or nil with the command's output.
    static func launch(_ binary: String, _ arguments: [String], pidfile: String, previous: Int32?,
                       log: String) -> (pid: Int32?, status: Int32, output: String) {
        let status = spawnAndWait(binary, arguments, logPath: log)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0 else { return (nil, status, output) }
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if let pid = readPid(pidfile), pid != previous, isRunning(pid) { return (pid, status, output) }
            usleep(5_000)
        }
        return (nil, status, output)
    }

    static func openDescriptorCount(_ pid: Int32) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
    }
}

/// Echo traffic that must survive reloads: short clients loop over one-shot echo connections
/// (connect, send, FIN, read the whole echo), long streams stay open and check every echoed
/// chunk. Every failure is counted by kind.
final class EchoLoad: @unchecked Sendable {
    struct Report: CustomStringConvertible {
        var shortOK = 0
        var refused = 0
        var reset = 0
        var short = 0
        var longOK = 0
        var longBroken: [String] = []
        var longChunks = 0

        var description: String {
            "short ok \(shortOK), refused \(refused), reset \(reset), short \(short); long ok \(longOK), chunks \(longChunks), broken \(longBroken)"
        }
    }

    private let ports: [UInt16]
    private let lock = NSLock()
    private var report = Report()
    private var stopping = false
    private let group = DispatchGroup()
    /// Long streams that are connected and have echoed a first chunk.
    private var longReady = 0

    init(ports: [UInt16]) { self.ports = ports }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func record(_ change: (inout Report) -> Void) { lock.withLock { change(&report) } }

    /// Starts the clients; returns once every long stream is established.
    func start(shortClients: Int, longStreams: Int) {
        for index in 0..<shortClients { run { self.shortClient(index) } }
        for index in 0..<longStreams { run { self.longStream(index) } }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && lock.withLock({ longReady + report.longBroken.count }) < longStreams { usleep(5_000) }
    }

    private func run(_ body: @escaping @Sendable () -> Void) {
        group.enter()
        let thread = Thread { body(); self.group.leave() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Stops the clients, lets the long streams end cleanly, and returns the counts.
    func stop() -> Report {
        lock.withLock { stopping = true }
        _ = group.wait(timeout: .now() + 30)
        return lock.withLock { report }
    }

    private func shortClient(_ index: Int) {
        var round = 0
        while !isStopping {
            round += 1
            let port = ports[(index + round) % ports.count]
            let payload = TestSocket.randomBytes(64 + round % 200)
            guard let fd = try? TestSocket.connect(port: port) else {
                record { $0.refused += 1 }
                continue
            }
            TestSocket.setReceiveTimeout(fd, seconds: 5)
            do {
                try TestSocket.sendAll(fd, payload)
            } catch {
                close(fd)
                record { $0.reset += 1 }
                continue
            }
            shutdown(fd, Int32(SHUT_WR))
            let (bytes, end) = TestSocket.readAll(fd)
            close(fd)
            record {
                if end != .eof { $0.reset += 1 } else if bytes != payload { $0.short += 1 } else { $0.shortOK += 1 }
            }
        }
    }

    private func longStream(_ index: Int) {
        let port = ports[index % ports.count]
        guard let fd = try? TestSocket.connect(port: port) else {
            record { $0.longBroken.append("stream \(index): connect refused") }
            return
        }
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        var first = true
        var chunks = 0
        repeat {
            let chunk = TestSocket.randomBytes(512)
            guard (try? TestSocket.sendAll(fd, chunk)) != nil else {
                record { $0.longBroken.append("stream \(index): send failed after \(chunks) chunks") }
                return
            }
            guard TestSocket.read(fd, count: chunk.count) == chunk else {
                record { $0.longBroken.append("stream \(index): echo differs after \(chunks) chunks") }
                return
            }
            chunks += 1
            if first {
                first = false
                lock.withLock { longReady += 1 }
            }
            usleep(10_000)
        } while !isStopping
        shutdown(fd, Int32(SHUT_WR))
        let (rest, end) = TestSocket.readAll(fd)
        record {
            if end == .eof && rest.isEmpty {
                $0.longOK += 1
                $0.longChunks += chunks
            } else {
                $0.longBroken.append("stream \(index): ended with \(end) after \(rest.count) extra bytes")
            }
        }
    }
}
