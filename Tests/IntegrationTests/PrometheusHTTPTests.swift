#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// The Prometheus exporter over HTTP: haproxy 2.6.12 and ordrel run the same configuration (a
/// `mode http` frontend with `http-request use-service prometheus-exporter`, and proxies
/// disabled in the configuration, which neither lists), see the same server states and traffic, and their `/metrics` must name the same metrics with the same
/// labels, in the same order. Both daemons are started once for the whole suite.
final class PrometheusHTTPTests: XCTestCase {
    nonisolated(unsafe) private static var started: ExporterPair?
    nonisolated(unsafe) private static var startFailure: String?

    override class func tearDown() {
        started?.stop()
        started = nil
        super.tearDown()
    }

    /// The shared pair, with s1 DOWN (nothing listens), s3 drained, s4 disabled, s5 put in
    /// maintenance after a passed check, and a few connections through each tcp proxy; skips
    /// when haproxy is missing.
    private func pair() throws -> ExporterPair {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: haproxyPath), "haproxy is not installed")
        if let pair = Self.started { return pair }
        if let failure = Self.startFailure { throw TestSocket.Failure(description: failure) }
        do {
            let pair = try ExporterPair()
            Self.started = pair
            return pair
        } catch {
            Self.startFailure = "\(error)"
            throw error
        }
    }

    func testMetricNamesLabelsAndOrderAreHaproxys() throws {
        let pair = try pair()
        let theirs = try pair.scrape(.haproxy, "/metrics")
        let ours = try pair.scrape(.ordrel, "/metrics")
        XCTAssertEqual(ours.status, 200)
        XCTAssertEqual(ours.headerNames, theirs.headerNames)
        XCTAssertEqual(ours.header("content-type"), "text/plain; version=0.0.4")
        // Everything but values, haproxy's version label and ordrel's own histograms.
        func shape(_ body: String) -> [String] {
            body.split(separator: "\n").compactMap { line -> String? in
                if line.contains("ordrel_") { return nil }
                if line.hasPrefix("haproxy_process_build_info{") { return "haproxy_process_build_info{version}" }
                return line.hasPrefix("#") ? String(line) : String(line[..<line.lastIndex(of: " ")!])
            }
        }
        let theirShape = shape(theirs.body), ourShape = shape(ours.body)
        XCTAssertGreaterThan(theirShape.count, 900)
        XCTAssertEqual(ourShape.count, theirShape.count)
        for (mine, real) in zip(ourShape, theirShape) where mine != real {
            XCTFail("first difference: ordrel \(mine), haproxy \(real)")
            break
        }
        for state in [#"server="s1",state="DOWN"} 1"#, #"server="s3",state="DRAIN"} 1"#, #"server="s4",state="MAINT"} 1"#,
                      #"server="s2",state="UP"} 1"#, #"server="s5",state="MAINT"} 1"#] {
            XCTAssertTrue(ours.body.contains(#"haproxy_server_status{proxy="be_app","# + state), state)
            XCTAssertTrue(theirs.body.contains(#"haproxy_server_status{proxy="be_app","# + state), state)
        }
        for body in [ours.body, theirs.body] {
            XCTAssertTrue(body.contains(#"haproxy_server_check_duration_seconds{proxy="be_app",server="s5"}"#), "kept in maintenance")
            XCTAssertFalse(body.contains(#"haproxy_server_check_status{proxy="be_app",server="s5""#), "paused in maintenance")
        }
    }

    /// `scope`, `no-maint`, HEAD and a rejected query, answered as haproxy answers them.
    func testQueriesAndErrorsAreAnsweredAsHaproxy() throws {
        let pair = try pair()
        for target in ["/metrics?scope=", "/metrics?scope=frontend&no-maint", "/metrics?scope=server&no-maint&scope=global"] {
            let theirs = try pair.scrape(.haproxy, target), ours = try pair.scrape(.ordrel, target)
            XCTAssertEqual(ours.status, 200, target)
            let families = { (body: String) in Set(body.split(separator: "\n").filter { $0.hasPrefix("# TYPE haproxy_") }.map { $0.split(separator: " ")[2] }) }
            XCTAssertEqual(families(ours.body), families(theirs.body), target)
            XCTAssertEqual(ours.body.contains(#"server="s4""#), theirs.body.contains(#"server="s4""#), target)
        }
        XCTAssertTrue(try pair.scrape(.ordrel, "/metrics?scope=").body.isEmpty)
        XCTAssertFalse(try pair.scrape(.ordrel, "/metrics?no-maint").body.contains(#"server="s4""#))

        let badTheirs = try pair.raw(.haproxy, "GET /metrics?scope=bogus HTTP/1.1\r\nHost: x\r\n\r\n")
        let badOurs = try pair.raw(.ordrel, "GET /metrics?scope=bogus HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(badOurs.hasPrefix("HTTP/1.1 400 "), badOurs)
        XCTAssertEqual(badOurs, badTheirs)

        for request in ["HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        "HEAD /metrics?scope=global HTTP/1.0\r\n\r\n"] {
            let head = try pair.raw(.ordrel, request)
            XCTAssertTrue(head.hasPrefix("HTTP/1.1 200 OK\r\n") && head.hasSuffix("\r\n\r\n"), head)
            XCTAssertEqual(head, try pair.raw(.haproxy, request), "the head alone, byte for byte")
        }
    }

    /// prometheus_client's parser reads ordrel's whole scrape (one-hot states and cumulative
    /// buckets are the script's own checks), and the histograms counted every stream.
    func testPrometheusClientParsesTheScrape() throws {
        let python = ProcessInfo.processInfo.environment["ORDREL_PYTHON"] ?? ""
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: python)
                          && (try? runCommand(python, ["-c", "import prometheus_client"]).status) == 0,
                          "ORDREL_PYTHON does not name a Python with prometheus_client (.ci/run prepares one)")
        let pair = try pair()
        let file = pair.directory.write("scrape.txt", try pair.scrape(.ordrel, "/metrics").body)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Clients/prometheus_parse.py").path
        let parsed = try runCommand(python, [script, file])
        XCTAssertEqual(parsed.status, 0, parsed.stderr)
        let samples = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [[String: Any]])
        func value(_ name: String, _ labels: [String: String]) -> Double? {
            samples.first { $0["name"] as? String == name && $0["labels"] as? [String: String] == labels }
                .flatMap { ($0["value"] as? String).flatMap(Double.init) }
        }
        for proxy in ["be_app", "li_direct"] {
            let sessions = try XCTUnwrap(value("haproxy_backend_sessions_total", ["proxy": proxy]))
            XCTAssertGreaterThan(sessions, 0, proxy)
            XCTAssertEqual(value("ordrel_backend_session_duration_seconds_count", ["proxy": proxy]), sessions, proxy)
            XCTAssertEqual(value("ordrel_backend_connect_time_seconds_bucket", ["proxy": proxy, "le": "+Inf"]), sessions, proxy)
            XCTAssertEqual(value("ordrel_backend_queue_time_seconds_count", ["proxy": proxy]), sessions, proxy)
        }
        XCTAssertEqual(value("haproxy_server_check_status", ["proxy": "be_app", "server": "s1", "state": "L4CON"]), 1)
        XCTAssertEqual(value("haproxy_server_check_status", ["proxy": "be_app", "server": "s2", "state": "L4OK"]), 1)
    }
}

/// haproxy and ordrel on the same exporter configuration, each on its own ports and socket,
/// sharing one echo server and a port nothing listens on.
final class ExporterPair {

    let directory = TemporaryDirectory()
    private let echo: TestBackend
    private let haproxy = Process()
    private let ordrel: OrdrelProcess
    private let sockets: [Side: String]
    private let ports: [Side: (frontend: UInt16, listen: UInt16, metrics: UInt16, disabled: UInt16)]

    init() throws {
        echo = try TestBackend(.echo)
        let dead = try TestSocket.unusedPort()
        let sockets: [Side: String] = [.haproxy: directory.path + "/haproxy.sock", .ordrel: directory.path + "/ordrel.sock"]
        self.sockets = sockets
        var ports: [Side: (frontend: UInt16, listen: UInt16, metrics: UInt16, disabled: UInt16)] = [:]
        for side in Side.allCases {
            ports[side] = (try TestSocket.unusedPort(), try TestSocket.unusedPort(), try TestSocket.unusedPort(),
                           try TestSocket.unusedPort())
        }
        self.ports = ports
        let echoPort = echo.port
        func config(_ side: Side) -> String {
            """
            global
                stats socket \(sockets[side]!) mode 600 level admin
            defaults
                mode tcp
                timeout connect 2s
                timeout client 30s
                timeout server 30s
            frontend fe_main
                bind 127.0.0.1:\(ports[side]!.frontend)
                maxconn 500
                default_backend be_app
            backend be_app
                server s1 127.0.0.1:\(dead) check inter 200ms rise 2 fall 2
                server s2 127.0.0.1:\(echoPort) check inter 200ms maxconn 100 maxqueue 7
                server s3 127.0.0.1:\(echoPort)
                server s4 127.0.0.1:\(echoPort) disabled
                server s5 127.0.0.1:\(echoPort) check inter 200ms
            backend be_empty
            frontend fe_off
                bind 127.0.0.1:\(ports[side]!.disabled)
                disabled
                default_backend be_off
            backend be_off
                disabled
                server x 127.0.0.1:\(echoPort)
            listen li_direct
                bind 127.0.0.1:\(ports[side]!.listen)
                server d1 127.0.0.1:\(echoPort)
            frontend prom
                mode http
                bind 127.0.0.1:\(ports[side]!.metrics)
                http-request use-service prometheus-exporter if { path /metrics }

            """
        }
        haproxy.executableURL = URL(fileURLWithPath: haproxyPath)
        let haproxyConfig = directory.write("haproxy.cfg", config(.haproxy))
        haproxy.arguments = ["-db", "-q", "-f", haproxyConfig]
        haproxy.standardOutput = FileHandle.nullDevice
        haproxy.standardError = FileHandle.nullDevice
        try haproxy.run()
        let ordrelConfig = config(.ordrel)
        ordrel = try OrdrelProcess(config: ordrelConfig, readySocket: sockets[.ordrel])
        guard waitUntil(10, { (try? TestSocket.connect(unixPath: sockets[.haproxy]!)).map { close($0) } != nil }) else {
            throw TestSocket.Failure(description: "haproxy did not start")
        }
        for side in Side.allCases {
            _ = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(sockets[side]!)"],
                               input: "set server be_app/s3 state drain\n")
            for port in [ports[side]!.frontend, ports[side]!.frontend, ports[side]!.listen] {
                let fd = try TestSocket.connect(port: port)
                TestSocket.setReceiveTimeout(fd, seconds: 5)
                try TestSocket.sendAll(fd, Array("hello".utf8))
                shutdown(fd, Int32(SHUT_WR))
                _ = TestSocket.readAll(fd)
                close(fd)
            }
        }
        // s1 DOWN after its failed checks, and every stream ended, on both.
        for side in Side.allCases {
            var last = ""
            let settled = waitUntil(10) {
                do { last = try scrape(side, "/metrics?scope=server&scope=backend").body } catch { last = "\(error)" }
                return last.contains(#"haproxy_server_status{proxy="be_app",server="s1",state="DOWN"} 1"#)
                    && last.contains(#"haproxy_server_check_status{proxy="be_app",server="s5",state="L4OK"} 1"#)
                    && last.contains(#"haproxy_backend_current_sessions{proxy="be_app"} 0"#)
                    && last.contains(#"haproxy_backend_current_sessions{proxy="li_direct"} 0"#)
            }
            guard settled else {
                stop()
                throw TestSocket.Failure(description: "\(side) did not settle: \(last.prefix(300))")
            }
            // A checked server in maintenance: its check pauses, its last result stays.
            _ = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(sockets[side]!)"],
                               input: "set server be_app/s5 state maint\n")
        }
    }

    func stop() {
        haproxy.terminate()
        haproxy.waitUntilExit()
        ordrel.stop()
        echo.stop()
    }

    /// An HTTP reply: status, header names in order (lowercase), and the de-chunked body.
    struct Reply {
        let status: Int
        let headers: [(String, String)]
        let body: String
        var headerNames: [String] { headers.map(\.0) }
        func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
    }

    /// `GET target` over a fresh connection.
    func scrape(_ side: Side, _ target: String) throws -> Reply {
        let bytes = try rawBytes(side, "GET \(target) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let crlf: [UInt8] = [0x0D, 0x0A]
        guard let headEnd = bytes.firstRange(of: crlf + crlf) else {
            throw TestSocket.Failure(description: "no head: \(String(decoding: bytes, as: UTF8.self))")
        }
        let head = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self).split(separator: "\r\n")
        let status = Int(head.first?.split(separator: " ")[1] ?? "") ?? 0
        let headers = head.dropFirst().map { line -> (String, String) in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            return (line[..<colon].lowercased(), String(line[line.index(after: colon)...].drop { $0 == " " }))
        }
        var rest = bytes[headEnd.upperBound...]
        var body: [UInt8] = []
        if headers.contains(where: { $0 == ("transfer-encoding", "chunked") }) {
            while let sizeEnd = rest.firstRange(of: crlf),
                  let size = Int(String(decoding: rest[..<sizeEnd.lowerBound], as: UTF8.self), radix: 16), size > 0,
                  sizeEnd.upperBound + size <= rest.endIndex {
                body += rest[sizeEnd.upperBound..<(sizeEnd.upperBound + size)]
                rest = rest[(sizeEnd.upperBound + size)...].dropFirst(2)
            }
        } else {
            body = Array(rest)
        }
        return Reply(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    /// Sends `request` and reads the reply until the daemon closes the connection.
    func raw(_ side: Side, _ request: String) throws -> String {
        String(decoding: try rawBytes(side, request), as: UTF8.self)
    }

    private func rawBytes(_ side: Side, _ request: String) throws -> [UInt8] {
        let fd = try TestSocket.connect(port: ports[side]!.metrics)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 10)
        try TestSocket.sendAll(fd, Array(request.utf8))
        let (bytes, end) = TestSocket.readAll(fd)
        guard end == .eof else { throw TestSocket.Failure(description: "\(side): reply ended with \(end)") }
        return bytes
    }
}
