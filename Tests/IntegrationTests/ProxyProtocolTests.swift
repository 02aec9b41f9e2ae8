#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// A backend that keeps, per connection, every byte it received up to the client's FIN, and
/// the connection's source address.
private final class CapturingBackend: @unchecked Sendable {
    let port: UInt16
    private let listenFD: Int32
    private let captured = Locked([[UInt8]]())
    private let peers = Locked([String]())
    private let done = DispatchSemaphore(value: 0)

    init() throws {
        (listenFD, port) = try TestSocket.listen()
        let thread = Thread { [self] in
            defer { done.signal() }
            while true {
                // The peer as accept() returns it: a check connection may be reset already.
                var peer = sockaddr_in()
                var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                let fd = withUnsafeMutablePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listenFD, $0, &length) }
                }
                if fd < 0 { if errno == EINTR { continue } else { return } }
                TestSocket.setReceiveTimeout(fd, seconds: 5)
                var text = [CChar](repeating: 0, count: 64)
                inet_ntop(AF_INET, &peer.sin_addr, &text, socklen_t(text.count))
                let host = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let bytes = TestSocket.readAll(fd).bytes
                captured.withLock { $0.append(bytes) }
                peers.withLock { $0.append(host) }
                close(fd)
            }
        }
        thread.start()
    }

    var connections: [[UInt8]] { captured.withLock { $0 } }
    var sources: [String] { peers.withLock { $0 } }

    func stop() {
        shutdown(listenFD, Int32(SHUT_RDWR))
        done.wait()
        close(listenFD)
    }
}

/// `accept-proxy` in front, `send-proxy-v2`/`send-proxy` behind: ordrel and haproxy 2.6 run the
/// same configuration in turn, and the backend must receive the same bytes from both, the
/// header naming the client from the incoming header (with `proxy-v2-options crc32c,unique-id`
/// too); a server without a port gets the
/// destination port the header names; malformed headers close the connection,
/// are logged as haproxy logs them, and the daemon keeps serving.
final class ProxyProtocolIntegrationTests: XCTestCase {
    private struct Run {
        var received: [[UInt8]]
        /// Where the backend saw each connection come from.
        var sources: [String]
        var logs: [String]
        var rejectedEnds: [TestSocket.End]
        /// `stot`, `ereq` and `conn_tot` of the `pp` frontend.
        var counters: [String]
    }

    /// Columns of `pxname,svname` in `show stat`.
    private func statColumns(_ socket: String, row: String, _ names: [String]) throws -> [String] {
        let text = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: "show stat\n").stdout
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, let values = lines.first(where: { $0.prefix(2).joined(separator: ",") == row }) else { return [] }
        return names.map { name in header.firstIndex(of: name).map { values[$0] } ?? "?" }
    }

    private func run(_ side: Side, backend: CapturingBackend, directory: TemporaryDirectory) throws -> Run {
        let receiver = try LogReceiver(unixPath: directory.path + "/\(side)-log.sock")
        defer { receiver.stop() }
        let ports = try (0..<7).map { _ in try TestSocket.unusedPort() }
        let stats = directory.path + "/\(side).sock"
        let text = """
            global
                log 127.0.0.1:\(receiver.udpPort) local0
                stats socket \(stats) level admin
            defaults
                mode tcp
                log global
                option tcplog
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            listen pp
                bind 127.0.0.1:\(ports[0]) accept-proxy
                server s1 127.0.0.1:\(backend.port) send-proxy-v2
            listen v1
                bind 127.0.0.1:\(ports[1]) accept-proxy
                server s1 127.0.0.1:\(backend.port) send-proxy
            listen noport
                bind 127.0.0.1:\(ports[2]) accept-proxy
                source 127.0.0.2
                server s1 127.0.0.1 source 127.0.0.3
            listen peer_rule
                bind 127.0.0.1:\(ports[4]) accept-proxy
                tcp-request connection reject if { src 127.0.0.1 }
                server s1 127.0.0.1:\(backend.port)
            listen header_rule
                bind 127.0.0.1:\(ports[5]) accept-proxy
                tcp-request connection reject if { src 192.0.2.7 }
                tcp-request content accept if { dst 198.51.100.9 } { dst_port 25 }
                tcp-request content reject
                server s1 127.0.0.1:\(backend.port)
            listen tlv
                bind 127.0.0.1:\(ports[6]) accept-proxy
                server s1 127.0.0.1:\(backend.port) send-proxy-v2 proxy-v2-options crc32c,unique-id
            listen slow
                bind 127.0.0.1:\(ports[3]) accept-proxy
                timeout client 200ms
                server s1 127.0.0.1:\(backend.port)

            """
        let daemon: DaemonProcess = side == .ordrel
            ? try OrdrelProcess(config: text, readySocket: stats)
            : try HaproxyDaemon(config: text, readySocket: stats)
        defer { daemon.stop() }
        let before = backend.connections.count
        var logged = 0
        /// Sends `bytes`, half-closes, reads to the end and waits for the log line.
        func exchange(_ port: UInt16, _ bytes: [UInt8]) throws -> TestSocket.End {
            let fd = try TestSocket.connect(port: port)
            defer { close(fd) }
            TestSocket.setReceiveTimeout(fd, seconds: 5)
            try TestSocket.sendAll(fd, bytes)
            shutdown(fd, Int32(SHUT_WR))
            let end = TestSocket.readAll(fd).end
            logged += 1
            XCTAssertTrue(waitUntil(10) { receiver.udp.count >= logged }, "\(side): \(receiver.udp)")
            return end
        }
        // `tcp-request connection` rules see the real peer, before the header (haproxy 2.6.12):
        // rejected at accept (a reset), without a log line; the client sends nothing, so that
        // no byte of it can reach a server either way.
        let rejected = try TestSocket.connect(port: ports[4])
        TestSocket.setReceiveTimeout(rejected, seconds: 5)
        let rejectedEnd = TestSocket.readAll(rejected).end
        close(rejected)
        let v2Client = ProxyHeader.v2(source: [203, 0, 113, 5], 51000, destination: [198, 51, 100, 1], 993)
        _ = try exchange(ports[0], Array("PROXY TCP4 192.0.2.7 198.51.100.9 40000 25\r\nhello".utf8))
        var ends: [TestSocket.End] = [rejectedEnd]
        ends.append(try exchange(ports[0], Array("PROXY TCP4 192.0.2.7 198.51.100.9 40000\r\nhello".utf8)))
        ends.append(try exchange(ports[0], Array("GET / HTTP/1.0\r\nHost: example.org\r\n\r\n".utf8)))
        ends.append(try exchange(ports[0], Array("PROXY TCP4 192".utf8)))
        _ = try exchange(ports[1], v2Client + Array("after".utf8))
        // No port on the server: the destination port the header names.
        _ = try exchange(ports[2], Array("PROXY TCP4 192.0.2.8 127.0.0.1 40001 \(backend.port)\r\nportless".utf8))
        _ = try exchange(ports[5], Array("PROXY TCP4 192.0.2.7 198.51.100.9 40000 25\r\naccepted".utf8))
        _ = try exchange(ports[6], Array("PROXY TCP4 192.0.2.9 198.51.100.2 40002 110\r\ntlv".utf8))
        XCTAssertTrue(waitUntil(10) { backend.connections.count >= before + 5 })
        // A client that sends part of a header and waits: `timeout client` ends the wait.
        let slow = try TestSocket.connect(port: ports[3])
        defer { close(slow) }
        TestSocket.setReceiveTimeout(slow, seconds: 5)
        try TestSocket.sendAll(slow, Array("PROXY TCP4 ".utf8))
        ends.append(TestSocket.readAll(slow).end)
        XCTAssertTrue(waitUntil(10) { receiver.udp.count >= logged + 1 }, "\(side): \(receiver.udp)")
        // Nothing at all before the timeout.
        let silent = try TestSocket.connect(port: ports[3])
        defer { close(silent) }
        TestSocket.setReceiveTimeout(silent, seconds: 5)
        ends.append(TestSocket.readAll(silent).end)
        XCTAssertTrue(waitUntil(10) { receiver.udp.count >= logged + 2 }, "\(side): \(receiver.udp)")
        let counters = try statColumns(stats, row: "pp,FRONTEND", ["stot", "ereq", "conn_tot"])
        return Run(received: Array(backend.connections[before...]), sources: Array(backend.sources[before...]),
                   logs: receiver.udp, rejectedEnds: ends, counters: counters)
    }

    /// Masks dates, process names and pids, client ports and timers.
    private func normalized(_ line: String) -> String {
        var text = line
        text.replace(#/[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d/#, with: "DATE")
        text.replace(#/\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}/#, with: "ACCEPT")
        text.replace(#/(haproxy|ordrel)\[\d+\]: /#, with: "NAME[PID]: ")
        text.replace(#/127\.0\.0\.1:\d+/#, with: "127.0.0.1:PORT")
        text.replace(#/ \d+\/\d+\/\d+ /#, with: " TIMERS ")
        return text
    }

    func testAcceptProxyToSendProxyAsHaproxy() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        let backend = try CapturingBackend()
        defer { backend.stop() }
        let directory = TemporaryDirectory()
        let theirs = try run(.haproxy, backend: backend, directory: directory)
        let ours = try run(.ordrel, backend: backend, directory: directory)

        XCTAssertEqual(ours.received, theirs.received)
        XCTAssertEqual(ours.logs.map(normalized), theirs.logs.map(normalized))
        XCTAssertEqual(ours.rejectedEnds, theirs.rejectedEnds)
        XCTAssertEqual(ours.counters, theirs.counters)
        XCTAssertEqual(ours.sources, theirs.sources)
        XCTAssertEqual(ours.sources, ["127.0.0.1", "127.0.0.1", "127.0.0.3", "127.0.0.1", "127.0.0.1"], "the server's 'source' wins over the backend's")
        XCTAssertEqual(ours.counters, ["1", "0", "4"], "a refused header counts a connection, not a session nor a request error")
        XCTAssertEqual(ours.rejectedEnds, Array(repeating: .error(ECONNRESET), count: 5) + [.eof],
                       "haproxy resets a rejected connection and a refused header, closes a silent connection")
        // What the comparison is about, spelled out once.
        let v2 = ProxyHeader.v2(source: [192, 0, 2, 7], 40000, destination: [198, 51, 100, 9], 25)
        XCTAssertEqual(ours.received.first, v2 + Array("hello".utf8))
        XCTAssertEqual(ours.received.dropFirst().first, Array("PROXY TCP4 203.0.113.5 198.51.100.1 51000 993\r\nafter".utf8))
        XCTAssertEqual(ours.received.dropFirst(2).first, Array("portless".utf8))
        XCTAssertEqual(ours.received.dropFirst(3).first, Array("accepted".utf8))
        // crc32c,unique-id: the CRC32C TLV, then an empty unique-id TLV (its checksum compared above).
        var addresses = ProxyHeader.v2(source: [192, 0, 2, 9], 40002, destination: [198, 51, 100, 2], 110)
        addresses[15] = 12 + 7 + 3
        let withTLVs = ours.received.last ?? []
        XCTAssertEqual(Array(withTLVs.prefix(28)), addresses)
        XCTAssertEqual(Array(withTLVs.dropFirst(28).prefix(3)) + Array(withTLVs.dropFirst(35)), [0x03, 0x00, 0x04, 0x05, 0x00, 0x00] + Array("tlv".utf8))
        XCTAssertEqual(ours.received.count, 5, "the malformed headers and the rejected connection reached no server")
        XCTAssertEqual(ours.logs.map(normalized), [
            "<134>DATE NAME[PID]: 192.0.2.7:40000 [ACCEPT] pp pp/s1 TIMERS 0 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] pp/1: Received an invalid PROXY protocol header\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] pp/1: Received something which does not look like a PROXY protocol header\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] pp/1: Truncated PROXY protocol header received\n",
            "<134>DATE NAME[PID]: 203.0.113.5:51000 [ACCEPT] v1 v1/s1 TIMERS 0 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 192.0.2.8:40001 [ACCEPT] noport noport/s1 TIMERS 0 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 192.0.2.7:40000 [ACCEPT] header_rule header_rule/s1 TIMERS 0 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 192.0.2.9:40002 [ACCEPT] tlv tlv/s1 TIMERS 0 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] slow/1: Truncated PROXY protocol header received\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] slow/1: Timeout while waiting for PROXY protocol header\n",
        ])
    }
}

/// What a health check connection carries from the server's settings: its `source`, and its
/// PROXY header with `check-send-proxy`.
final class CheckConnectionTests: XCTestCase {
    func testChecksBindToTheSource() throws {
        let backend = try CapturingBackend()
        defer { backend.stop() }
        let directory = TemporaryDirectory()
        let stats = directory.path + "/stats.sock"
        let daemon = try OrdrelProcess(config: """
            global
                stats socket \(stats) level admin
            defaults
                mode tcp
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            backend be
                source 127.0.0.4
                server s1 127.0.0.1:\(backend.port) check inter 100ms

            """, readySocket: stats)
        defer { daemon.stop() }
        XCTAssertTrue(waitUntil(10) { !backend.sources.isEmpty }, "no check arrived")
        XCTAssertEqual(Set(backend.sources), ["127.0.0.4"])
    }

    /// `check-send-proxy` with `send-proxy-v2`: a check connection starts with a v2 LOCAL header,
    /// as haproxy 2.6's.
    func testCheckSendProxyAsHaproxy() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        var firsts: [[UInt8]] = []
        for haproxy in [true, false] {
            let backend = try CapturingBackend()
            defer { backend.stop() }
            let directory = TemporaryDirectory()
            let stats = directory.path + "/stats.sock"
            let text = """
                global
                    stats socket \(stats) level admin
                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 1s
                    timeout server 1s
                    timeout check 100ms
                backend be
                    server s1 127.0.0.1:\(backend.port) check inter 100ms send-proxy-v2 check-send-proxy

                """
            let daemon: DaemonProcess = haproxy ? try HaproxyDaemon(config: text, readySocket: stats)
                                                : try OrdrelProcess(config: text, readySocket: stats)
            defer { daemon.stop() }
            XCTAssertTrue(waitUntil(10) { !backend.connections.isEmpty }, "no check arrived")
            firsts.append(backend.connections.first ?? [])
        }
        XCTAssertEqual(firsts[1], firsts[0])
        XCTAssertEqual(firsts[1], [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00])
    }
}

/// PROXY v2 headers built independently of ordrel's encoder (doc/proxy-protocol.txt).
private enum ProxyHeader {
    static func v2(source: [UInt8], _ sourcePort: UInt16, destination: [UInt8], _ destinationPort: UInt16) -> [UInt8] {
        [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C]
            + source + destination
            + [UInt8(sourcePort >> 8), UInt8(sourcePort & 0xFF), UInt8(destinationPort >> 8), UInt8(destinationPort & 0xFF)]
    }
}
