#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// A server that answers by the request's first five bytes (`evil\n`, `good\n` ...) and notes,
/// per answer, how the proxy ended its side of the connection (`eof` or `reset`); any other
/// request is read to the client's FIN and kept.
private final class ResponderBackend: @unchecked Sendable {
    let port: UInt16
    private let listenFD: Int32
    private let ends = Locked([String]())
    private let captured = Locked([[UInt8]]())
    private let done = DispatchSemaphore(value: 0)

    /// A TLS record holding a ServerHello (handshake type 2) whole, as haproxy's
    /// `res.ssl_hello_type` wants it.
    static let serverHello: [UInt8] = {
        let body: [UInt8] = [0x03, 0x03] + [UInt8](repeating: 7, count: 32) + [0x00, 0x13, 0x01, 0x00]
        let handshake: [UInt8] = [0x02, 0x00, 0x00, UInt8(body.count)] + body
        return [0x16, 0x03, 0x03, 0x00, UInt8(handshake.count)] + handshake
    }()

    init() throws {
        (listenFD, port) = try TestSocket.listen()
        let thread = Thread { [self] in
            defer { done.signal() }
            while true {
                let fd = accept(listenFD, nil, nil)
                if fd < 0 { if errno == EINTR || errno == ECONNABORTED { continue } else { return } }
                let connection = Thread { [self] in serve(fd) }
                connection.start()
            }
        }
        thread.start()
    }

    /// `<command> <end>` per answered connection, in the order they ended.
    var serverEnds: [String] { ends.withLock { $0 } }
    var connections: [[UInt8]] { captured.withLock { $0 } }

    func stop() {
        shutdown(listenFD, Int32(SHUT_RDWR))
        done.wait()
        close(listenFD)
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        let first = TestSocket.read(fd, count: 5)
        let command = String(decoding: first.prefix(4), as: UTF8.self)
        func send(_ text: String) { try? TestSocket.sendAll(fd, Array(text.utf8)) }
        func recordEnd() {
            let end: String
            switch TestSocket.readAll(fd).end {
            case .eof: end = "eof"
            case .error(ECONNRESET): end = "reset"
            case let other: end = "\(other)"
            }
            ends.withLock { $0.append("\(command) \(end)") }
        }
        switch first.last == 0x0a ? command : "" {
        case "evil": send("EVIL reply\n"); recordEnd()
        case "good": send("GOOD reply\n")
        case "slow": send("EV"); usleep(200_000); send("IL rest\n"); recordEnd()
        case "hold": send("HOLD reply\n"); recordEnd()
        case "wait": send("EV"); recordEnd()
        case "shrt": send("EV")
        case "tlsh": try? TestSocket.sendAll(fd, Self.serverHello)
        default:
            let rest = TestSocket.readAll(fd).bytes
            captured.withLock { $0.append(first + rest) }
        }
    }
}

/// `tcp-response content` rules, `tcp-request connection expect-proxy layer4` and
/// `tcp-request session` rules, against
/// haproxy 2.6.12 on the same configuration (one daemon of each, in turn): the client must see
/// the same bytes and ends, the server the same ends, `show stat` the same counters and the
/// log the same lines (timers and ports aside).
final class TCPResponseRulesTests: XCTestCase {
    private struct Run {
        /// What each client received and how its connection ended.
        var clients: [String]
        var serverEnds: [String]
        /// What the backend received on `xp`, in order.
        var received: [[UInt8]]
        var logs: [String]
        var counters: [String]
        /// How long the `wait` client waited for its first bytes.
        var heldSeconds: Double
    }

    private static let header = Array("PROXY TCP4 192.0.2.7 198.51.100.9 40000 25\r\n".utf8)

    private func counters(_ socket: String) throws -> [String] {
        let text = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: "show stat\n").stdout
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        let names = header.map { $0.hasPrefix("# ") ? String($0.dropFirst(2)) : $0 }
        let wanted = ["stot", "bout", "dresp", "eresp", "cli_abrt", "srv_abrt", "dses", "conn_tot"]
        return lines.dropFirst().filter { $0.first != "" }.map { cells in
            let row = Dictionary(zip(names, cells), uniquingKeysWith: { first, _ in first })
            return "\(row["pxname"] ?? "")/\(row["svname"] ?? ""): " + wanted.map { "\($0)=\(row[$0] ?? "")" }.joined(separator: " ")
        }
    }

    private func run(_ side: Side, backend: ResponderBackend, directory: TemporaryDirectory) throws -> Run {
        let receiver = try LogReceiver(unixPath: directory.path + "/\(side)-log.sock")
        defer { receiver.stop() }
        let ports = try (0..<3).map { _ in try TestSocket.unusedPort() }
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
            frontend fe_resp
                bind 127.0.0.1:\(ports[0])
                default_backend be_resp
            backend be_resp
                tcp-response inspect-delay 1s
                tcp-response content accept if { res.ssl_hello_type 2 }
                tcp-response content reject if { res.payload(0,4) -m str EVIL }
                tcp-response content close if { res.payload(0,4) -m str HOLD }
                tcp-response content accept if { res.len gt 3 }
                server s1 127.0.0.1:\(backend.port)
            listen xp
                bind 127.0.0.1:\(ports[1])
                tcp-request connection expect-proxy layer4 if { src 127.0.0.2 }
                tcp-request session reject if { src 192.0.2.99 }
                server s1 127.0.0.1:\(backend.port)
            listen ses
                bind 127.0.0.1:\(ports[2])
                tcp-request session reject if { src 127.0.0.3 }
                server s1 127.0.0.1:\(backend.port)

            """
        let daemon: DaemonProcess = side == .ordrel
            ? try OrdrelProcess(config: text, readySocket: stats)
            : try HaproxyDaemon(config: text, readySocket: stats)
        defer { daemon.stop() }
        let ends = backend.serverEnds.count
        let before = backend.connections.count
        var logged = 0
        var clients: [String] = []
        /// Sends `bytes` from `source` (half-closing after them when `finish`), reads to the end,
        /// closes and waits for the log line.
        func exchange(_ port: UInt16, _ bytes: [UInt8], from source: String? = nil, finish: Bool = false, logs: Bool = true) throws {
            let fd = try TestSocket.connect(port: port, from: source)
            TestSocket.setReceiveTimeout(fd, seconds: 5)
            try TestSocket.sendAll(fd, bytes)
            if finish { shutdown(fd, Int32(SHUT_WR)) }
            let (got, end) = TestSocket.readAll(fd)
            close(fd)
            clients.append("\(String(decoding: got, as: UTF8.self).debugDescription) \(end)")
            guard logs else { return }
            logged += 1
            XCTAssertTrue(waitUntil(10) { receiver.udp.count >= logged }, "\(side): \(receiver.udp)")
        }
        for command in ["evil", "good", "slow", "hold", "shrt"] {
            try exchange(ports[0], Array("\(command)\n".utf8))
        }
        // Two bytes that decide nothing: held for the inspect delay, then accepted.
        let start = Date()
        let wait = try TestSocket.connect(port: ports[0])
        TestSocket.setReceiveTimeout(wait, seconds: 5)
        try TestSocket.sendAll(wait, Array("wait\n".utf8))
        clients.append(String(decoding: TestSocket.read(wait, count: 2), as: UTF8.self))
        let heldSeconds = Date().timeIntervalSince(start)
        close(wait)
        logged += 1
        XCTAssertTrue(waitUntil(10) { receiver.udp.count >= logged }, "\(side): \(receiver.udp)")
        // A ServerHello is accepted whole.
        let fd = try TestSocket.connect(port: ports[0])
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        try TestSocket.sendAll(fd, Array("tlsh\n".utf8))
        clients.append(TestSocket.readAll(fd).bytes == ResponderBackend.serverHello ? "server hello" : "no server hello")
        close(fd)
        logged += 1
        XCTAssertTrue(waitUntil(10) { receiver.udp.count >= logged }, "\(side): \(receiver.udp)")

        // expect-proxy from the allowed source: the header is read; from another one, the
        // same bytes pass through; a bad header from the allowed source is refused.
        try exchange(ports[1], Self.header + Array("hello".utf8), from: "127.0.0.2", finish: true)
        try exchange(ports[1], Self.header + Array("hello".utf8), finish: true)
        try exchange(ports[1], Array("hello there\r\n".utf8), from: "127.0.0.2", finish: true)
        // Session rules see the header's address: refused, and logged as haproxy does.
        let refused = Array("PROXY TCP4 192.0.2.99 198.51.100.9 40000 25\r\n".utf8)
        try exchange(ports[1], refused + Array("hello".utf8), from: "127.0.0.2", finish: true)
        try exchange(ports[1], refused + Array("again".utf8), finish: true)
        // Refused by a session rule without a header: closed, no log line.
        try exchange(ports[2], [], from: "127.0.0.3", logs: false)
        try exchange(ports[2], Array("good\n".utf8))
        XCTAssertTrue(waitUntil(10) { backend.serverEnds.count >= ends + 4 }, "\(side): \(backend.serverEnds)")
        return Run(clients: clients, serverEnds: Array(backend.serverEnds[ends...]), received: Array(backend.connections[before...]),
                   logs: receiver.udp, counters: try counters(stats), heldSeconds: heldSeconds)
    }

    /// Masks dates, process names and pids, client ports and timers.
    private func normalized(_ line: String) -> String {
        var text = line
        text.replace(#/[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d/#, with: "DATE")
        text.replace(#/\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}/#, with: "ACCEPT")
        text.replace(#/(haproxy|ordrel)\[\d+\]: /#, with: "NAME[PID]: ")
        text.replace(#/(127\.0\.0\.\d):\d+/#) { "\($0.1):PORT" }
        text.replace(#/ \d+\/\d+\/\d+ /#, with: " TIMERS ")
        return text
    }

    func testResponseRulesAndExpectProxyAsHaproxy() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        let backend = try ResponderBackend()
        defer { backend.stop() }
        let directory = TemporaryDirectory()
        let theirs = try run(.haproxy, backend: backend, directory: directory)
        let ours = try run(.ordrel, backend: backend, directory: directory)

        XCTAssertEqual(ours.clients, theirs.clients)
        // The backend's threads record each end when they see it: two connections that end
        // close together may be recorded in either order, whichever proxy is in front.
        XCTAssertEqual(ours.serverEnds.sorted(), theirs.serverEnds.sorted())
        XCTAssertEqual(ours.received, theirs.received)
        XCTAssertEqual(ours.logs.map(normalized), theirs.logs.map(normalized))
        XCTAssertEqual(ours.counters, theirs.counters)
        for run in [theirs, ours] {
            XCTAssertGreaterThan(run.heldSeconds, 0.8, "bytes that decide nothing wait for the inspect delay")
        }
        // What the comparison is about, spelled out once.
        XCTAssertEqual(ours.clients, [
            "\"\" eof",                 // reject: nothing of the response, a FIN
            "\"GOOD reply\\n\" eof",
            "\"\" eof",                 // rejected once the rest of EVIL arrived
            "\"HOLD reply\\n\" eof",     // close: what arrived, then a FIN
            "\"EV\" eof",               // the server's FIN makes the rules decide at once
            "EV",
            "server hello",
            "\"\" eof", "\"\" eof", "\"\" error(104)",
            "\"\" error(104)",  // a session refused after its header: its payload unread, a reset
            "\"\" eof",
            "\"\" eof", "\"GOOD reply\\n\" eof",
        ])
        XCTAssertEqual(ours.serverEnds.sorted(), ["evil eof", "hold reset", "slow eof", "wait eof"],
                       "a reject closes the server with a FIN, a close resets it")
        XCTAssertEqual(ours.received, [Array("hello".utf8), Self.header + Array("hello".utf8),
                                       Array("PROXY TCP4 192.0.2.99 198.51.100.9 40000 25\r\nagain".utf8)],
                       "the header is read from the allowed source only; the bad one and the refused session reached no server")
        XCTAssertEqual(ours.counters, [
            "fe_resp/FRONTEND: stot=7 bout=94 dresp=2 eresp= cli_abrt= srv_abrt= dses=0 conn_tot=7",
            "be_resp/s1: stot=7 bout=94 dresp=2 eresp=0 cli_abrt=0 srv_abrt=0 dses= conn_tot=",
            "be_resp/BACKEND: stot=7 bout=94 dresp=2 eresp=0 cli_abrt=0 srv_abrt=0 dses= conn_tot=",
            "xp/FRONTEND: stot=3 bout=0 dresp=0 eresp= cli_abrt= srv_abrt= dses=1 conn_tot=5",
            "xp/s1: stot=3 bout=0 dresp=0 eresp=0 cli_abrt=0 srv_abrt=0 dses= conn_tot=",
            "xp/BACKEND: stot=3 bout=0 dresp=0 eresp=0 cli_abrt=0 srv_abrt=0 dses= conn_tot=",
            "ses/FRONTEND: stot=1 bout=11 dresp=0 eresp= cli_abrt= srv_abrt= dses=1 conn_tot=2",
            "ses/s1: stot=1 bout=11 dresp=0 eresp=0 cli_abrt=0 srv_abrt=0 dses= conn_tot=",
            "ses/BACKEND: stot=1 bout=11 dresp=0 eresp=0 cli_abrt=0 srv_abrt=0 dses= conn_tot=",
        ], "rejected bytes were read, so they count in bout, as haproxy counts them; refused sessions count in dses only")
        XCTAssertEqual(ours.logs.map(normalized), [
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] fe_resp be_resp/s1 TIMERS 11 PD 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] fe_resp be_resp/s1 TIMERS 11 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] fe_resp be_resp/s1 TIMERS 10 PD 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] fe_resp be_resp/s1 TIMERS 11 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] fe_resp be_resp/s1 TIMERS 2 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] fe_resp be_resp/s1 TIMERS 2 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] fe_resp be_resp/s1 TIMERS 47 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 192.0.2.7:40000 [ACCEPT] xp xp/s1 TIMERS 0 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] xp xp/s1 TIMERS 0 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 127.0.0.2:PORT [ACCEPT] xp/1: Truncated PROXY protocol header received\n",
            "<134>DATE NAME[PID]: 192.0.2.99:40000 [ACCEPT] xp/1: Success\n",  // haproxy's words for a refused session
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] xp xp/s1 TIMERS 0 -- 1/1/0/0/0 0/0\n",
            "<134>DATE NAME[PID]: 127.0.0.1:PORT [ACCEPT] ses ses/s1 TIMERS 11 -- 1/1/0/0/0 0/0\n",
        ])
    }
}
