#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Locates the binaries `swift build` produced next to the test bundle.
enum Binaries {
    static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["ORDREL_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

/// Runs a command to completion, capturing its output.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

func runCommand(_ path: String, _ arguments: [String], input: String? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    if let input {
        let inPipe = Pipe()
        process.standardInput = inPipe
        try process.run()
        inPipe.fileHandleForWriting.write(Data(input.utf8))
        try inPipe.fileHandleForWriting.close()
    } else {
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    let stderrData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus,
                         stdout: String(decoding: stdoutData, as: UTF8.self),
                         stderr: String(decoding: stderrData, as: UTF8.self))
}

/// Runs a command with posix_spawn and waits with waitpid, output to `logPath`. For commands that
/// fork and exit at once (`ordrel -D`), where Foundation's Process may miss the exit.
func spawnAndWait(_ path: String, _ arguments: [String], logPath: String) -> Int32 {
    let pid = spawn(path, arguments, logPath: logPath)
    guard pid > 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status >> 8) & 0xff
}

/// Starts a command with posix_spawn, output to `logPath`; the pid, or -1. For daemons that
/// close every inherited fd (dnsmasq), which Foundation's Process takes for an exit and then
/// waits for, blocking its other processes' monitoring.
func spawn(_ path: String, _ arguments: [String], logPath: String) -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // The test's own sockets (clients under load) are not close-on-exec: a daemon that kept
    // copies would hold client connections open and skew its fd counts. Every fd number up to
    // well past the highest open one is closed in the child (closing a free one is harmless).
    let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    for fd in 3..<((open.max() ?? 0) + 256) { posix_spawn_file_actions_addclose(&actions, fd) }
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return -1 }
    return pid
}

/// A temporary directory removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "ordrel-test-" + UUID().uuidString.prefix(8)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ contents: String) -> String {
        let file = path + "/" + name
        _ = FileManager.default.createFile(atPath: file, contents: Data(contents.utf8))
        return file
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A daemon started on a config in a temporary directory, its stdout and stderr in a file: stopped
/// (SIGTERM, then SIGKILL) at the end of the test, and failing the test if it died on its own.
class DaemonProcess {
    let process = Process()
    let directory = TemporaryDirectory()
    let configPath: String
    let errorFile: String
    /// How the failure message names it.
    private let name: String
    /// How long a stop waits for the exit before SIGKILL.
    private let stopTimeout: Double
    private var stopped = false

    init(config: String, name: String, stopTimeout: Double) {
        configPath = directory.write("ordrel.cfg", config)
        errorFile = directory.path + "/stderr.log"
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        self.name = name
        self.stopTimeout = stopTimeout
        // One handle for both, so that `log stdout` lines land in the same file, in order.
        let output = FileHandle(forWritingAtPath: errorFile)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
    }

    var pid: Int32 { process.processIdentifier }

    var stderrText: String {
        (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
    }

    /// Open fds of the daemon, from /proc.
    var openDescriptorCount: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// Waits for an expected exit; returns the status or nil on timeout.
    func waitForExit(timeout: Double) -> Int32? {
        guard waitUntil(timeout, { !process.isRunning }) else { return nil }
        stopped = true
        return process.terminationStatus
    }

    /// Stops the daemon; a daemon that already died on its own fails the test with its stderr.
    func stop() {
        guard process.isRunning else {
            if !stopped {
                stopped = true
                XCTFail("\(name) exited on its own (status \(process.terminationStatus)): \(stderrText)")
            }
            return
        }
        stopped = true
        kill(pid, SIGTERM)
        if waitForExit(timeout: stopTimeout) == nil { kill(pid, SIGKILL); process.waitUntilExit() }
    }

    deinit { stop() }
}

/// The real `ordrel` daemon started in the foreground on a config, stopped at the end of the test.
final class OrdrelProcess: DaemonProcess {
    /// Starts ordrel and waits until `readyPort` (or `readySocket`) accepts connections.
    init(config: String, readyPort: UInt16? = nil, readySocket: String? = nil, binary: String = "ordrel") throws {
        super.init(config: config, name: "ordrel", stopTimeout: 5)
        process.executableURL = URL(fileURLWithPath: Binaries.path(binary))
        process.arguments = ["-db", "-f", configPath]
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if !process.isRunning {
                throw TestSocket.Failure(description: "ordrel exited with \(process.terminationStatus): \(stderrText)")
            }
            if let readyPort, let fd = try? TestSocket.connect(port: readyPort) {
                close(fd)
                return
            }
            if let readySocket, let fd = try? TestSocket.connect(unixPath: readySocket) {
                close(fd)
                return
            }
            if readyPort == nil && readySocket == nil { return }
            usleep(20_000)
        }
        throw TestSocket.Failure(description: "ordrel did not become ready: \(stderrText)")
    }
}
