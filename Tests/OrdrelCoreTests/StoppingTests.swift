import Foundation
import Logging
import OrdrelConfig
import OrdrelEventLoop
import XCTest

@testable import OrdrelCore

/// What a stop leaves behind on a started runtime.
final class StoppingTests: XCTestCase {
    /// A hard stop ends open CLI sessions before their stats socket goes: a session kept its
    /// timers armed past the socket's release and, in the loop's last iteration, used the freed
    /// socket (heap-use-after-free under `make test-asan`).
    func testHardStopEndsOpenCLISessions() throws {
        let path = NSTemporaryDirectory() + "ordrel-stopping-\(getpid()).sock"
        defer { unlink(path) }
        let text = """
        global
            stats socket \(path) level admin
        defaults
            mode tcp

        """
        let parsed = try ConfigParser.parse(text: text, file: "test.cfg")
        let runtime = try Runtime(configuration: parsed.configuration, logger: Logger(label: "test"),
                                  loop: .makeNew())
        try runtime.start()

        let client = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(client, 0)
        defer { close(client) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8 + [0]) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(client, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        XCTAssertEqual(connected, 0)
        // Interactive mode: the session stays open after its command.
        XCTAssertEqual(write(client, "prompt\n", 7), 7)
        // The session runs on the CLI thread's loop, driven here by hand.
        for _ in 0..<100 where runtime.cliConnections.isEmpty || hasNoReply(client) {
            runtime.cliLoop.runOnce(block: false)
            usleep(1000)
        }
        XCTAssertEqual(runtime.cliConnections.count, 1, "the session is open")

        runtime.stop(.hard)
        // The stop reaches the CLI thread through its mailbox.
        for _ in 0..<100 where !runtime.cliConnections.isEmpty {
            runtime.cliLoop.runOnce(block: false)
            usleep(1000)
        }
        XCTAssertTrue(runtime.cliConnections.isEmpty, "the stop ended the session")
        runtime.cliLoop.runOnce(block: false)
        var byte: UInt8 = 0
        var readResult = 1
        while readResult > 0 { readResult = read(client, &byte, 1) }
        XCTAssertEqual(readResult, 0, "the client sees the end of the session")
    }

    /// Whether the client has nothing to read yet (non-blocking peek).
    private func hasNoReply(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) <= 0
    }
}
