#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// `show proc` as parsed by a test: the master's counters and the worker pids per section.
struct ShowProcReply {
    var masterPID: Int32 = 0
    var reloads = -1
    var failed = -1
    var workers: [Int32] = []
    var oldWorkers: [Int32] = []

    init(_ text: String) {
        var section = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#") {
                section = String(line)
                continue
            }
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let pid = Int32(fields[0]) else { continue }
            if fields[1] == "master" {
                masterPID = pid
                reloads = Int(fields[2]) ?? -1
                failed = Int(fields[4].dropLast()) ?? -1
            } else if section == "# workers" {
                workers.append(pid)
            } else if section == "# old workers" {
                oldWorkers.append(pid)
            }
        }
    }
}

/// The real daemon in master-worker mode (`-W` or `-Ws`, in the foreground) with a master CLI,
/// stopped at the end of the test.
final class MasterWorkerProcess {
    let process = Process()
    let directory = TemporaryDirectory()
    let configPath: String
    let masterSocket: String
    let errorFile: String
    private var stopped = false

    /// Starts the master and waits until its first worker is ready (listed in `show proc`).
    init(config: String, binary: String = Binaries.path("ordrel"), mode: [String] = ["-W"],
         environment: [String: String] = [:]) throws {
        configPath = directory.write("ordrel.cfg", config)
        masterSocket = directory.path + "/master.sock"
        errorFile = directory.path + "/stderr.log"
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = mode + ["-S", masterSocket, "-f", configPath]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let ready = waitUntil(15) { !process.isRunning || (try? showProc().workers.count == 1) == true }
        guard ready, process.isRunning else {
            throw TestSocket.Failure(description: "the master did not start its worker: \(stderrText)")
        }
    }

    var pid: Int32 { process.processIdentifier }

    var stderrText: String { (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "" }

    /// One master CLI connection: sends `text`, shuts down the write side, reads to EOF.
    func query(_ text: String) throws -> String {
        let fd = try TestSocket.connect(unixPath: masterSocket)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 10)
        try TestSocket.sendAll(fd, Array(text.utf8))
        shutdown(fd, Int32(SHUT_WR))
        let (bytes, end) = TestSocket.readAll(fd)
        guard end == .eof else { throw TestSocket.Failure(description: "master CLI reply to '\(text)' ended with \(end)") }
        return String(decoding: bytes, as: UTF8.self)
    }

    func showProc() throws -> ShowProcReply { ShowProcReply(try query("show proc\n")) }

    func signal(_ number: Int32) { kill(pid, number) }

    /// Open fds of the master, from /proc.
    var openDescriptorCount: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
    }

    /// Waits for the master's exit; the status, or nil on timeout.
    func waitForExit(timeout: Double) -> Int32? {
        guard waitUntil(timeout, { !process.isRunning }) else { return nil }
        stopped = true
        return process.terminationStatus
    }

    /// Stops the master (and so its workers); one that died on its own fails the test.
    func stop() {
        guard process.isRunning else {
            if !stopped {
                stopped = true
                XCTFail("the master exited on its own (status \(process.terminationStatus)): \(stderrText)")
            }
            return
        }
        stopped = true
        kill(pid, SIGTERM)
        if waitForExit(timeout: 10) == nil { kill(pid, SIGKILL); process.waitUntilExit() }
    }

    deinit { stop() }
}

/// Polls `condition` every 10 ms until it holds or `timeout` seconds pass.
func waitUntil(_ timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// Whether a process has exited: no /proc entry, or a zombie nobody reaped yet.
func processIsGone(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    guard let close = stat.lastIndex(of: ")") else { return true }
    return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
}
