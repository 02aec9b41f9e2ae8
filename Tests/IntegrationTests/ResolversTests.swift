#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// A real DNS server for the resolvers tests: dnsmasq on 127.0.0.1:<port>, answering from a
/// hosts file the test rewrites (SIGHUP rereads it) and from fixed SRV records; names under
/// `.test` it does not know are NXDOMAIN.
private final class DNSServer {
    static let path = "/usr/sbin/dnsmasq"
    let port: UInt16
    let hostsFile: String
    private let pid: pid_t

    /// Starts dnsmasq on a free port; a port taken meanwhile (its UDP side is not checked
    /// beforehand) makes it exit at once, and another port is tried.
    init(directory: TemporaryDirectory, hosts: String, srv: [String], records: [String]) throws {
        hostsFile = directory.write("hosts", hosts)
        let user = String(cString: getpwuid(getuid()).pointee.pw_name)
        let log = directory.path + "/dnsmasq.log"
        for _ in 0..<3 {
            let port = try TestSocket.unusedPort()
            let arguments = ["--no-daemon", "--no-resolv", "--no-hosts", "--addn-hosts=\(hostsFile)", "--port=\(port)",
                             "--listen-address=127.0.0.1", "--bind-interfaces", "--local=/test/", "--pid-file=",
                             "--user=\(user)"] + srv.map { "--srv-host=\($0)" } + records.map { "--host-record=\($0)" }
            let pid = spawn(Self.path, arguments, logPath: log)
            guard pid > 0 else { break }
            var status: Int32 = 0
            var exited = false
            let listening = waitUntil(5) {
                exited = waitpid(pid, &status, WNOHANG) == pid
                return exited || TestSocket.isListening(port: port)
            }
            if listening && !exited {
                self.port = port
                self.pid = pid
                return
            }
            if !exited {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
            }
        }
        throw TestSocket.Failure(description: "dnsmasq did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    /// New answers: the hosts file rewritten, then SIGHUP.
    func answer(_ hosts: String) {
        _ = FileManager.default.createFile(atPath: hostsFile, contents: Data(hosts.utf8))
        kill(pid, SIGHUP)
    }

    func stop() {
        guard pid > 0, kill(pid, SIGTERM) == 0 else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}

/// A listener on 127.0.0.x:port that tells whether a connection arrived.
private final class AddressListener {
    let fd: Int32

    init(ip: String, port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        try TestSocket.check(fd, "socket")
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = TestSocket.loopback(port: port)
        address.sin_addr.s_addr = inet_addr(ip)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try TestSocket.check(bound, "bind \(ip):\(port)")
        try TestSocket.check(Glibc.listen(fd, 16), "listen")
    }

    /// Accepts a pending connection within `timeout` seconds; false when none came.
    func accepted(within timeout: Double) -> Bool {
        waitUntil(timeout) {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return false }
            close(client)
            return true
        }
    }

    deinit { close(fd) }
}

/// `resolvers` sections, `server-template` and run-time DNS against dnsmasq, next to haproxy
/// 2.6.12 on the same configuration and the same name server.
final class ResolversTests: XCTestCase {
    func testServersFollowDNSAsOnHaproxy() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: DNSServer.path), "dnsmasq is not installed (apt-get install dnsmasq-base)")
        let withHaproxy = FileManager.default.isExecutableFile(atPath: haproxyPath)
        let directory = TemporaryDirectory()
        let serverPort = try TestSocket.unusedPort()
        let first = try AddressListener(ip: "127.0.0.1", port: serverPort)
        let second = try AddressListener(ip: "127.0.0.2", port: serverPort)
        let farm = "127.0.0.3 farm.test\n127.0.0.4 farm.test\n127.0.0.5 farm.test\n"
        let dns = try DNSServer(directory: directory, hosts: "127.0.0.1 web.test\n" + farm,
                                srv: ["_svc._tcp.srv.test,a1.test,8081,0,10", "_svc._tcp.srv.test,a2.test,8082,0,20"],
                                records: ["a1.test,127.0.0.6", "a2.test,127.0.0.7"])
        defer { dns.stop() }
        let ports = (ordrel: try TestSocket.unusedPort(), haproxy: try TestSocket.unusedPort())
        func config(socket: String, port: UInt16) -> String {
            """
            global
                stats socket \(socket) level admin
            defaults
                mode tcp
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            resolvers dns
                nameserver ns1 127.0.0.1:\(dns.port)
                resolve_retries 2
                timeout resolve 200ms
                timeout retry 200ms
                hold valid 1s
                hold nx 500ms
                accepted_payload_size 4096
            listen one
                bind 127.0.0.1:\(port)
                balance first
                server web web.test:\(serverPort) resolvers dns resolve-prefer ipv4 init-addr none
                server-template farm 5 farm.test:\(serverPort) resolvers dns init-addr none
                server-template srv 3 _svc._tcp.srv.test resolvers dns

            """
        }
        let sockets = (ordrel: directory.path + "/o.sock", haproxy: directory.path + "/h.sock")
        let ordrel = try OrdrelProcess(config: config(socket: sockets.ordrel, port: ports.ordrel), readySocket: sockets.ordrel)
        defer { ordrel.stop() }
        let haproxy = withHaproxy ? try HaproxyDaemon(config: config(socket: sockets.haproxy, port: ports.haproxy), readySocket: sockets.haproxy) : nil
        defer { haproxy?.stop() }
        var socketsToCheck = [sockets.ordrel]
        if haproxy != nil { socketsToCheck.append(sockets.haproxy) }

        // What both daemons should show once DNS settled: servers keyed by name, with the
        // columns that do not depend on which record a template server happened to take.
        func settled(_ socket: String, web: String) throws -> Bool {
            let state = try serverRows(socket, "show servers state")
            let up = (1...5).filter { state["farm\($0)"]?["srv_op_state"] == "2" }
            let srvPorts = (1...3).compactMap { state["srv\($0)"]?["srv_port"] }.filter { $0 != "0" }.sorted()
            return state["web"]?["srv_addr"] == web && up.count == 3 && srvPorts == ["8081", "8082"]
                && (1...3).allSatisfy { state["srv\($0)"]?["srv_addr"] != "-" || state["srv\($0)"]?["srv_port"] == "0" }
        }
        for socket in socketsToCheck {
            XCTAssertTrue(try waitUntil(10) { try settled(socket, web: "127.0.0.1") },
                          "\(socket): \((try? cli(socket, "show servers state")) ?? "")")
        }

        // The server resolved through the resolvers section connects where DNS says.
        let client = try TestSocket.connect(port: ports.ordrel)
        XCTAssertTrue(first.accepted(within: 5), "no connection reached 127.0.0.1")
        close(client)

        // server-template: three A records for five slots, three distinct addresses, two in MAINT (resolution).
        let stat = try serverRows(sockets.ordrel, "show stat")
        let farmRows = (1...5).map { stat["farm\($0)"] ?? [:] }
        XCTAssertEqual(Set(farmRows.compactMap { $0["addr"] }.filter { !$0.isEmpty }),
                       ["127.0.0.3:\(serverPort)", "127.0.0.4:\(serverPort)", "127.0.0.5:\(serverPort)"])
        XCTAssertEqual(farmRows.filter { $0["status"] == "MAINT (resolution)" }.count, 2)
        // SRV template: the records fill host and port; the third server waits.
        let state = try serverRows(sockets.ordrel, "show servers state")
        let services = (1...3).map { state["srv\($0)"] ?? [:] }
        XCTAssertEqual(Set(services.map { "\($0["srv_fqdn"] ?? "") \($0["srv_addr"] ?? "") \($0["srv_port"] ?? "")" }),
                       ["a1.test 127.0.0.6 8081", "a2.test 127.0.0.7 8082", "- - 0"])
        XCTAssertEqual(Set(services.map { $0["srvrecord"] ?? "" }), ["_svc._tcp.srv.test"])

        // Same state columns as haproxy, compared as sets where a template server's record is chance.
        if haproxy != nil {
            let theirs = try serverRows(sockets.haproxy, "show servers state")
            let columns = ["srv_op_state", "srv_admin_state", "srv_uweight", "srv_check_health", "srv_fqdn", "srv_port", "srvrecord"]
            func summary(_ rows: [String: [String: String]], _ names: [String]) -> [String] {
                names.map { name in columns.map { rows[name]?[$0] ?? "?" }.joined(separator: " ") }.sorted()
            }
            // And `show stat`'s status, weight and whether an address is shown.
            let theirStat = try serverRows(sockets.haproxy, "show stat")
            func statSummary(_ rows: [String: [String: String]], _ names: [String]) -> [String] {
                names.map { "\(rows[$0]?["status"] ?? "?") \(rows[$0]?["weight"] ?? "?") \(rows[$0]?["addr"]?.isEmpty ?? true)" }.sorted()
            }
            for group in [["web"], (1...5).map { "farm\($0)" }, (1...3).map { "srv\($0)" }] {
                XCTAssertEqual(summary(state, group), summary(theirs, group), "\(group)")
                XCTAssertEqual(statSummary(stat, group), statSummary(theirStat, group), "\(group)")
            }
        }

        // The answer changes: the address follows, new streams go there, logged as haproxy does.
        dns.answer("127.0.0.2 web.test\n" + farm)
        for socket in socketsToCheck {
            XCTAssertTrue(try waitUntil(10) { try serverRows(socket, "show servers state")["web"]?["srv_addr"] == "127.0.0.2" }, socket)
        }
        XCTAssertTrue(ordrel.stderrText.contains("one/web changed its IP from 127.0.0.1 to 127.0.0.2 by dns/ns1."), ordrel.stderrText)
        let moved = try TestSocket.connect(port: ports.ordrel)
        XCTAssertTrue(second.accepted(within: 5), "no connection reached 127.0.0.2")
        close(moved)

        // NXDOMAIN for longer than `hold nx`: MAINT (resolution), without an address; back when it resolves again.
        dns.answer(farm)
        for socket in socketsToCheck {
            XCTAssertTrue(try waitUntil(10) { try serverRows(socket, "show stat")["web"]?["status"] == "MAINT (resolution)" }, socket)
        }
        let down = try serverRows(sockets.ordrel, "show servers state")["web"]
        XCTAssertEqual(down?["srv_admin_state"], "32")
        XCTAssertEqual(down?["srv_addr"], "-")
        if haproxy != nil {
            XCTAssertEqual(try serverRows(sockets.haproxy, "show servers state")["web"]?["srv_admin_state"], "32")
        }
        XCTAssertTrue(ordrel.stderrText.contains("Server one/web is going DOWN for maintenance (DNS NX status)."), ordrel.stderrText)
        dns.answer("127.0.0.1 web.test\n" + farm)
        XCTAssertTrue(try waitUntil(10) { try serverRows(sockets.ordrel, "show stat")["web"]?["status"] == "no check" })
        XCTAssertTrue(ordrel.stderrText.contains("Server one/web administratively READY thanks to valid DNS answer."), ordrel.stderrText)

        // set server ... fqdn: the server resolves the new name at once, in haproxy's words.
        dns.answer("127.0.0.1 web.test\n127.0.0.2 other.test\n" + farm)
        for socket in socketsToCheck {
            XCTAssertEqual(try cli(socket, "set server one/web fqdn other.test"),
                           "one/web changed its FQDN from web.test to other.test by 'stats socket command'\n\n", socket)
            XCTAssertEqual(try cli(socket, "set server one/srv1 fqdn other.test"),
                           "set server <b>/<s> fqdn failed because SRV resolution is configured.\n\n", socket)
            XCTAssertTrue(try waitUntil(10) {
                let web = try serverRows(socket, "show servers state")["web"]
                return web?["srv_addr"] == "127.0.0.2" && web?["srv_fqdn"] == "other.test"
            }, socket)
        }

        // show resolvers: haproxy's layout, the name server's answers counted.
        let counters = try cli(sockets.ordrel, "show resolvers dns")
        XCTAssertTrue(counters.hasPrefix("Resolvers section dns\n nameserver ns1:\n  sent:        "), counters)
        let values = Dictionary(counters.split(separator: "\n").compactMap { line -> (String, Int)? in
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 ? (parts[0], Int(parts[1]) ?? -1) : nil
        }, uniquingKeysWith: { first, _ in first })
        XCTAssertGreaterThan(values["valid"] ?? 0, 0, counters)
        XCTAssertGreaterThan(values["nx"] ?? 0, 0, counters)
        XCTAssertGreaterThanOrEqual(values["sent"] ?? 0, (values["valid"] ?? 0) + (values["nx"] ?? 0), counters)
        XCTAssertEqual(try cli(sockets.ordrel, "show resolvers nope"), "Can't find that resolvers section\n\n")
        // Both list the same sections, haproxy's implicit `default` (from resolv.conf) included.
        if haproxy != nil {
            func sections(_ socket: String) throws -> [String] {
                try cli(socket, "show resolvers").split(separator: "\n").filter { $0.hasPrefix("Resolvers section ") || $0.hasPrefix(" nameserver ") }.map(String.init)
            }
            XCTAssertEqual(try sections(sockets.ordrel), try sections(sockets.haproxy))
        }
    }
}
