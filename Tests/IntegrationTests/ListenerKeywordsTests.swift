#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Small keywords on the real daemon, next to haproxy 2.6.12 on the same configuration:
/// `unix-bind` (the prefix, mode and owner of the Unix sockets `bind` creates), a server without
/// a port (it connects to the port the client connected to), `maxconnrate` and `maxsessrate`.
final class ListenerKeywordsTests: XCTestCase {
    /// What one daemon did: each Unix socket's `<name> <mode> <owner uid>:<gid>` ("absent" when
    /// not created), and the replies through each frontend.
    private struct Run: Equatable {
        var sockets: [String]
        var replies: [String]
    }

    /// A listener on 127.0.0.2:`port`, the portless server's address.
    private func listen(on port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try TestSocket.check(fd, "socket")
        var address = TestSocket.loopback(port: port)
        address.sin_addr.s_addr = inet_addr("127.0.0.2")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try TestSocket.check(bound, "bind 127.0.0.2:\(port)")
        try TestSocket.check(Glibc.listen(fd, 16), "listen")
        // accept() gives up after this too.
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        return fd
    }

    /// Sends `hello` through `client`, lets `server` (nil: the daemon's own echo backend) answer it.
    private func exchange(_ client: Int32, server listener: Int32?) -> String {
        defer { close(client) }
        TestSocket.setReceiveTimeout(client, seconds: 5)
        guard (try? TestSocket.sendAll(client, Array("hello".utf8))) != nil else { return "send failed" }
        shutdown(client, Int32(SHUT_WR))
        if let listener {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return "no connection reached 127.0.0.2" }
            TestSocket.setReceiveTimeout(fd, seconds: 5)
            let request = TestSocket.readAll(fd).bytes
            try? TestSocket.sendAll(fd, Array("portless got ".utf8) + request)
            close(fd)
        }
        return String(decoding: TestSocket.readAll(client).bytes, as: UTF8.self)
    }

    private func run(_ side: Side, echo: UInt16, owner: (user: String, group: String), directory: TemporaryDirectory) throws -> Run {
        let prefix = directory.path + "/\(side)/"
        try FileManager.default.createDirectory(atPath: prefix, withIntermediateDirectories: true)
        let stats = directory.path + "/\(side).sock"
        let port = try TestSocket.unusedPort()
        let portless = try listen(on: port)
        defer { close(portless) }
        let text = """
            global
                stats socket \(stats) level admin
                unix-bind prefix \(prefix) mode 640 user \(owner.user) group \(owner.group)
            defaults
                mode tcp
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            listen unix
                bind unix@plain.sock
                bind unix@own-mode.sock mode 600
                server s1 127.0.0.1:\(echo)
            listen portless
                bind 127.0.0.1:\(port)
                server s1 127.0.0.2

            """
        let daemon: DaemonProcess = side == .ordrel
            ? try OrdrelProcess(config: text, readySocket: stats)
            : try HaproxyDaemon(config: text, readySocket: stats)
        defer { daemon.stop() }
        var sockets: [String] = []
        var replies: [String] = []
        for name in ["plain.sock", "own-mode.sock"] {
            var status = stat()
            guard stat(prefix + name, &status) == 0 else {
                sockets.append("\(name) absent")
                continue
            }
            sockets.append("\(name) \(String(status.st_mode & 0o7777, radix: 8)) \(status.st_uid):\(status.st_gid)")
            replies.append(exchange(try TestSocket.connect(unixPath: prefix + name), server: nil))
        }
        replies.append(exchange(try TestSocket.connect(port: port), server: portless))
        return Run(sockets: sockets, replies: replies)
    }

    func testUnixBindAndPortlessServerAsHaproxy() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        let backend = try TestBackend(.echo)
        defer { backend.stop() }
        // As root, another owner shows that user and group are applied; otherwise our own.
        let asRoot = geteuid() == 0 && getpwnam("nobody") != nil && getgrnam("nogroup") != nil
        let owner = asRoot ? (user: "nobody", group: "nogroup")
            : (user: String(cString: getpwuid(geteuid()).pointee.pw_name), group: String(cString: getgrgid(getegid()).pointee.gr_name))
        let ids = "\(getpwnam(owner.user).pointee.pw_uid):\(getgrnam(owner.group).pointee.gr_gid)"
        let directory = TemporaryDirectory()
        let theirs = try run(.haproxy, echo: backend.port, owner: owner, directory: directory)
        let ours = try run(.ordrel, echo: backend.port, owner: owner, directory: directory)
        XCTAssertEqual(ours, theirs)
        XCTAssertEqual(ours.sockets, ["plain.sock 640 \(ids)", "own-mode.sock 600 \(ids)"],
                       "the prefix and the owner from unix-bind; the bind line's mode wins over unix-bind's")
        XCTAssertEqual(ours.replies, ["hello", "hello", "portless got hello"],
                       "the portless server was reached on the port the client connected to")
    }

    /// The limits `show info` reports from the configuration; enforcing them is what
    /// `set rate-limit` does (HaproxyCompatibilityTests.testGlobalConnectionRateLimit).
    func testGlobalRateLimitsAsHaproxy() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        let directory = TemporaryDirectory()
        var limits: [Side: [String]] = [:]
        for side in Side.allCases {
            let stats = directory.path + "/\(side)-rate.sock"
            let text = """
                global
                    maxconnrate 40
                    maxsessrate 30
                    stats socket \(stats) level admin
                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                listen li
                    bind 127.0.0.1:\(try TestSocket.unusedPort())
                    server s1 127.0.0.1:1

                """
            let daemon: DaemonProcess = side == .ordrel
                ? try OrdrelProcess(config: text, readySocket: stats)
                : try HaproxyDaemon(config: text, readySocket: stats)
            defer { daemon.stop() }
            let info = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(stats)"], input: "show info\n").stdout
            limits[side] = info.split(separator: "\n").filter { $0.hasPrefix("ConnRateLimit:") || $0.hasPrefix("SessRateLimit:") }.map(String.init)
            XCTAssertFalse(daemon.stderrText.contains("ignored"), "\(side): \(daemon.stderrText)")
        }
        XCTAssertEqual(limits[.ordrel], limits[.haproxy])
        XCTAssertEqual(limits[.ordrel], ["ConnRateLimit: 40", "SessRateLimit: 30"])
    }
}
