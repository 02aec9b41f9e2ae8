#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// The same configuration run by the real haproxy and by ordrel: their stats sockets must agree on
/// what existing clients parse (CSV header, row identities, info keys, servers-state header).
final class HaproxyCompatibilityTests: XCTestCase {
    private let haproxyPath = "/usr/sbin/haproxy"

    private func config(frontendPort: UInt16, listenPort: UInt16, backendPorts: [UInt16], socket: String) -> String {
        """
        global
            maxconn 1000
            stats socket \(socket) mode 600 level admin
            stats timeout 30s
        defaults
            mode tcp
            option tcplog
            timeout connect 2s
            timeout client 30s
            timeout server 30s
            retries 3
            option redispatch
        frontend fe_main
            bind 127.0.0.1:\(frontendPort)
            maxconn 500
            default_backend be_app
        backend be_app
            balance roundrobin
            server s1 127.0.0.1:\(backendPorts[0]) weight 10
            server s2 127.0.0.1:\(backendPorts[1]) weight 50 maxconn 100
            server s3 127.0.0.1:\(backendPorts[2]) backup
        listen li_direct
            bind 127.0.0.1:\(listenPort)
            balance leastconn
            server d1 127.0.0.1:\(backendPorts[0])

        """
    }

    private func query(_ socket: String, _ command: String) throws -> String {
        try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: command + "\n").stdout
    }

    private func waitForSocket(_ path: String) {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let fd = try? TestSocket.connect(unixPath: path) { close(fd); return }
            usleep(20_000)
        }
    }

    func testStatsSocketMatchesHaproxy() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        let backends = [try TestSocket.unusedPort(), try TestSocket.unusedPort(), try TestSocket.unusedPort()]
        let directory = TemporaryDirectory()

        let haproxySocket = directory.path + "/haproxy.sock"
        let haproxyConfig = directory.write("haproxy.cfg", config(
            frontendPort: try TestSocket.unusedPort(), listenPort: try TestSocket.unusedPort(),
            backendPorts: backends, socket: haproxySocket))
        let haproxy = Process()
        haproxy.executableURL = URL(fileURLWithPath: haproxyPath)
        haproxy.arguments = ["-db", "-q", "-f", haproxyConfig]
        haproxy.standardOutput = FileHandle.nullDevice
        haproxy.standardError = FileHandle.nullDevice
        try haproxy.run()
        defer { haproxy.terminate(); haproxy.waitUntilExit() }
        waitForSocket(haproxySocket)

        let ordrelSocket = directory.path + "/ordrel.sock"
        let ordrel = try OrdrelProcess(config: config(
            frontendPort: try TestSocket.unusedPort(), listenPort: try TestSocket.unusedPort(),
            backendPorts: backends, socket: ordrelSocket), readySocket: ordrelSocket)
        defer { ordrel.stop() }

        let theirs = try query(haproxySocket, "show stat").split(separator: "\n").map(String.init)
        let ours = try query(ordrelSocket, "show stat").split(separator: "\n").map(String.init)
        XCTAssertFalse(theirs.isEmpty, "haproxy answered nothing")
        XCTAssertEqual(ours.first, theirs.first, "show stat header lines differ")
        XCTAssertEqual(ours.count, theirs.count, "row count differs")
        let header = theirs[0].dropFirst(2).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let typeColumn = try XCTUnwrap(header.firstIndex(of: "type"))
        func identity(_ line: String) -> [String] {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return [cells[0], cells[1], cells[typeColumn]]
        }
        XCTAssertEqual(ours.dropFirst().map(identity), theirs.dropFirst().map(identity))

        func infoKeys(_ text: String) -> [String] {
            text.split(separator: "\n").compactMap { line in line.firstIndex(of: ":").map { String(line[..<$0]) } }
        }
        let haproxyKeys = infoKeys(try query(haproxySocket, "show info"))
        let ordrelKeys = infoKeys(try query(ordrelSocket, "show info"))
        XCTAssertGreaterThan(haproxyKeys.count, 40)
        XCTAssertEqual(Set(haproxyKeys).subtracting(ordrelKeys), [], "show info lacks haproxy keys")
        XCTAssertEqual(ordrelKeys, haproxyKeys, "show info keys are not in haproxy's order")

        let theirState = try query(haproxySocket, "show servers state").split(separator: "\n").map(String.init)
        let ourState = try query(ordrelSocket, "show servers state").split(separator: "\n").map(String.init)
        XCTAssertEqual(ourState.prefix(2), theirState.prefix(2), "show servers state version and header differ")
        XCTAssertEqual(ourState.count, theirState.count)
    }
}
