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
final class MasterWorkerProcess: DaemonProcess {
    var masterSocket: String { directory.path + "/master.sock" }

    /// Starts the master and waits until its first worker is ready (listed in `show proc`).
    init(config: String, binary: String = Binaries.path("ordrel"), mode: [String] = ["-W"],
         environment: [String: String] = [:]) throws {
        super.init(config: config, name: "the master", stopTimeout: 10)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = mode + ["-S", masterSocket, "-f", configPath]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        try process.run()
        let ready = waitUntil(15) { !process.isRunning || (try? showProc().workers.count == 1) == true }
        guard ready, process.isRunning else {
            throw TestSocket.Failure(description: "the master did not start its worker: \(stderrText)")
        }
    }

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
}

/// Whether a process has exited: no /proc entry, or a zombie nobody reaped yet.
func processIsGone(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    guard let close = stat.lastIndex(of: ")") else { return true }
    return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
}
