#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// The built-in services of `mode http` sections on the real daemon: the stats page and its
/// modifiers against `show stat`, basic auth, the admin form, haproxy's error replies for bad
/// requests, keep-alive, and the page in a real headless browser. One daemon serves every check.
final class StatsPageTests: XCTestCase {
    private nonisolated(unsafe) static var ordrel: OrdrelProcess?
    private nonisolated(unsafe) static var backends: [TestBackend] = []
    private nonisolated(unsafe) static var socketDirectory: TemporaryDirectory?
    private nonisolated(unsafe) static var ports: (page: UInt16, privatePage: UInt16, traffic: UInt16, counted: UInt16) = (0, 0, 0, 0)
    private nonisolated(unsafe) static var setupError: Error?

    private static var socketPath: String { (socketDirectory?.path ?? "") + "/admin.sock" }

    /// The real haproxy on the same configuration (its own ports), when installed.
    private nonisolated(unsafe) static var haproxy: Process?
    private nonisolated(unsafe) static var haproxyPorts: (page: UInt16, privatePage: UInt16, traffic: UInt16, counted: UInt16) = (0, 0, 0, 0)

    /// The configuration both daemons run; only the ports differ.
    private static func config(ports: (page: UInt16, privatePage: UInt16, traffic: UInt16, counted: UInt16), statsSocket: String,
                               servers: [UInt16], errors: String) -> String {
        """
        global
            stats socket \(statsSocket) mode 600 level admin
            stats timeout 5s
        defaults
            mode http
            option httplog
            timeout connect 2s
            timeout client 5s
            timeout server 5s
            errorfile 400 \(errors)/400.http
        listen stats
            bind 127.0.0.1:\(ports.page)
            stats enable
            stats uri /
            stats refresh 5s
            stats show-legends
            stats admin if LOCALHOST
            timeout http-request 1s
            timeout http-keep-alive 1s
            monitor-uri /healthz
            http-request use-service prometheus-exporter if { path /metrics }
        frontend private
            bind 127.0.0.1:\(ports.privatePage)
            stats uri /haproxy?stats
            stats realm Private\\ Area
            stats auth admin:s3cret
            stats scope be_app
            errorfile 503 \(errors)/503.http
        frontend fe_main
            bind 127.0.0.1:\(ports.traffic)
            mode tcp
            default_backend be_app
        backend be_app
            mode tcp
            server s1 127.0.0.1:\(servers[0])
            server s2 127.0.0.1:\(servers[1])
            server s3 127.0.0.1:\(servers[2]) check inter 200 fall 1 rise 1
            server s4 127.0.0.1:\(servers[0]) disabled
            server s5 127.0.0.1:\(servers[1]) agent-check agent-port \(servers[3]) agent-inter 100ms agent-send "ping\\n"
        frontend counted
            bind 127.0.0.1:\(ports.counted)
            stats uri /st
            stats auth admin:s3cret
            monitor-uri /healthz
            http-request use-service prometheus-exporter if { path /metrics }

        """
    }

    override class func setUp() {
        super.setUp()
        do {
            socketDirectory = TemporaryDirectory()
            backends = [try TestBackend(.greetThenEcho(Array("s1\n".utf8))), try TestBackend(.greetThenEcho(Array("s2\n".utf8))),
                        try TestBackend(.greetThenEcho(Array("up\n".utf8)))]
            ports = (try TestSocket.unusedPort(), try TestSocket.unusedPort(), try TestSocket.unusedPort(), try TestSocket.unusedPort())
            // s1, s2, a closed port for s3's check, s5's agent.
            let servers = [backends[0].port, backends[1].port, try TestSocket.unusedPort(), backends[2].port]
            // haproxy uses an errorfile for replies to a request (503), not for a request it
            // could not parse (400): both are checked against it.
            let errors = socketDirectory!.path
            _ = socketDirectory!.write("400.http", "HTTP/1.0 400 Nope\r\nConnection: close\r\n\r\nbad\n")
            _ = socketDirectory!.write("503.http", "HTTP/1.0 503 Service Unavailable\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><body><h1>Come back later</h1></body></html>\n")
            ordrel = try OrdrelProcess(config: config(ports: ports, statsSocket: socketPath, servers: servers, errors: errors), readyPort: ports.page)
            if FileManager.default.isExecutableFile(atPath: haproxyPath) {
                haproxyPorts = (try TestSocket.unusedPort(), try TestSocket.unusedPort(), try TestSocket.unusedPort(),
                                try TestSocket.unusedPort())
                let path = socketDirectory!.write("haproxy.cfg", config(ports: haproxyPorts, statsSocket: socketDirectory!.path + "/haproxy.sock", servers: servers, errors: errors))
                let process = Process()
                process.executableURL = URL(fileURLWithPath: haproxyPath)
                process.arguments = ["-db", "-q", "-f", path]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                haproxy = process
                _ = waitUntil(10) { (try? TestSocket.connect(port: haproxyPorts.page)).map { close($0); return true } ?? false }
            }
            // s3's first check fails within its interval.
            _ = waitUntil(5) { (try? query("show stat").contains("be_app,s3,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN")) ?? false }
        } catch {
            setupError = error
        }
    }

    override class func tearDown() {
        if let haproxy, haproxy.isRunning {
            haproxy.terminate()
            haproxy.waitUntilExit()
        }
        haproxy = nil
        ordrel?.stop()
        backends.forEach { $0.stop() }
        ordrel = nil
        backends = []
        super.tearDown()
    }

    override func setUpWithError() throws {
        if let error = Self.setupError { throw error }
    }

    private static func query(_ command: String) throws -> String {
        try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socketPath)"], input: command + "\n").stdout
    }

    private func get(_ target: String, port: UInt16 = StatsPageTests.ports.page, method: String = "GET",
                     headers: [String] = [], body: String = "") throws -> HTTPTestClient.Response {
        let client = try HTTPTestClient(port: port)
        return try XCTUnwrap(client.get(target, method: method, headers: headers + ["Connection: close"], body: body))
    }

    /// `show stat` lines of the tcp proxies (the pages' own counters move with every request).
    private func trafficRows(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.hasPrefix("#") || $0.hasPrefix("fe_main,") || $0.hasPrefix("be_app,") }
    }

    /// Retries a comparison that a second ticking between two snapshots (`lastchg`) can upset.
    private func eventuallyEqual<T: Equatable>(_ produce: () throws -> (T, T), file: StaticString = #filePath, line: UInt = #line) rethrows {
        var last: (T, T)?
        for _ in 0..<3 {
            let pair = try produce()
            if pair.0 == pair.1 { return }
            last = pair
        }
        XCTAssertEqual(last?.0, last?.1, file: file, line: line)
    }

    func testPageShowsEveryProxyAndServerInHaproxysClasses() throws {
        let page = try get("/")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.headers["content-type"], "text/html")
        XCTAssertEqual(page.headers["refresh"], "5")
        XCTAssertEqual(page.headers["transfer-encoding"], "chunked")
        let html = page.text
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE HTML PUBLIC"))
        XCTAssertTrue(html.contains("<title>Statistics Report for HAProxy</title>"))
        for anchor in ["stats/Frontend", "stats/Backend", "private/Frontend", "fe_main/Frontend", "be_app/Backend"] {
            XCTAssertTrue(html.contains("<a name=\"\(anchor)\"></a>"), anchor)
        }
        XCTAssertTrue(html.contains("<tr class=\"active_no_check\"><td><input class='be_app-checkbox' type=\"checkbox\" name=\"s\" value=\"s1\">"))
        XCTAssertTrue(html.contains("<tr class=\"active_down\"><td><input class='be_app-checkbox' type=\"checkbox\" name=\"s\" value=\"s3\">"))
        XCTAssertTrue(html.contains("<tr class=\"maintain\"><td><input class='be_app-checkbox' type=\"checkbox\" name=\"s\" value=\"s4\">"))
        XCTAssertTrue(html.contains("<div class=tips>cap: proxy, mode: http, id: 2</div>"))
        XCTAssertTrue(html.contains("<input type=\"hidden\" name=\"b\" value=\"#5\">"))
        XCTAssertTrue(html.hasSuffix("</body></html>\n"))
        let head = try HTTPTestClient(port: Self.ports.page)
        let headReply = try XCTUnwrap(head.get("/", method: "HEAD", headers: ["Connection: close"]))
        XCTAssertEqual(headReply.status, 200)
        XCTAssertEqual(head.readToEnd().0, "", "HEAD has no body")
    }

    func testCSVJSONAndTypedAreShowStats() throws {
        try eventuallyEqual { (trafficRows(try get("/;csv").text), trafficRows(try Self.query("show stat"))) }
        let csv = try get("/;csv;norefresh")
        XCTAssertEqual(csv.headers["content-type"], "text/plain")
        XCTAssertNil(csv.headers["refresh"])
        func trafficObjects(_ text: String) throws -> NSArray {
            // One array of fields per row.
            let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[[String: Any]]])
            return rows.filter { ($0.first?["proxyId"] as? Int).map { $0 >= 4 } ?? false } as NSArray
        }
        try eventuallyEqual { (try trafficObjects(try get("/;json").text), try trafficObjects(try Self.query("show stat json"))) }
        XCTAssertEqual(try get("/;json").headers["content-type"], "application/json")
        func trafficTyped(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { $0.hasPrefix("F.4.") || $0.hasPrefix("B.5.") || $0.hasPrefix("S.5.") }
        }
        try eventuallyEqual { (trafficTyped(try get("/;typed").text), trafficTyped(try Self.query("show stat typed"))) }
    }

    func testUpAndNoMaintHideServers() throws {
        let all = try get("/;csv").text
        XCTAssertTrue(all.contains("\nbe_app,s3,") && all.contains("\nbe_app,s4,"))
        let up = try get("/;csv;up").text
        XCTAssertTrue(up.contains("\nbe_app,s1,"))
        XCTAssertFalse(up.contains("\nbe_app,s3,"), "DOWN is hidden")
        XCTAssertFalse(up.contains("\nbe_app,s4,"), "MAINT is hidden")
        let noMaint = try get("/;csv;no-maint").text
        XCTAssertTrue(noMaint.contains("\nbe_app,s3,"))
        XCTAssertFalse(noMaint.contains("\nbe_app,s4,"))
        let html = try get("/;up;norefresh").text
        XCTAssertFalse(html.contains("value=\"s3\""))
        XCTAssertTrue(html.contains("<a href=\"/;norefresh\">Show all servers</a>"))
    }

    func testBasicAuthAndScope() throws {
        let denied = try get("/haproxy?stats", port: Self.ports.privatePage)
        XCTAssertEqual(denied.status, 401)
        XCTAssertEqual(denied.headers["www-authenticate"], "Basic realm=\"Private Area\"")
        XCTAssertEqual(denied.text, "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n")
        let wrong = try get("/haproxy?stats", port: Self.ports.privatePage, headers: ["Authorization: Basic YWRtaW46d3Jvbmc="])
        XCTAssertEqual(wrong.status, 401)
        let page = try get("/haproxy?stats;csv", port: Self.ports.privatePage, headers: ["Authorization: Basic YWRtaW46czNjcmV0"])
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(Set(page.text.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }), ["be_app"],
                       "stats scope be_app")
        // Not under the prefix: nothing serves it, a 503 from the section's errorfile.
        let other = try get("/other", port: Self.ports.privatePage)
        XCTAssertEqual(other.status, 503)
        XCTAssertEqual(other.text, "<html><body><h1>Come back later</h1></body></html>\n")
    }

    func testAdminFormChangesServersAsTheCLIDoes() throws {
        let drained = try get("/;up", method: "POST", body: "s=s2&action=drain&b=%235")
        XCTAssertEqual(drained.status, 303)
        XCTAssertEqual(drained.headers["location"], "/;st=DONE;up")
        XCTAssertTrue(try Self.query("show stat").contains("\nbe_app,s2,0,0,0,0,,0,0,0,,0,,0,0,0,0,DRAIN,"))
        XCTAssertTrue(try Self.query("show servers state be_app").contains(" s2 "))
        let page = try get("/;st=DONE").text
        XCTAssertTrue(page.contains("<p><div class=active_up><a class=lfsb href=\"/\" title=\"Remove this message\">[X]</a> Action processed successfully.</div>"))
        XCTAssertTrue(page.contains("<tr class=\"active_draining\"><td><input class='be_app-checkbox' type=\"checkbox\" name=\"s\" value=\"s2\">"))
        // The same state through the CLI and back through the form.
        _ = try Self.query("set server be_app/s2 state ready")
        XCTAssertTrue(try Self.query("show stat").contains("\nbe_app,s2,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,"))
        XCTAssertEqual(try get("/", method: "POST", body: "s=s1&s=s2&action=maint&b=%235").headers["location"], "/;st=DONE")
        let stat = try Self.query("show stat")
        XCTAssertTrue(stat.contains("\nbe_app,s1,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,") && stat.contains("\nbe_app,s2,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,"), stat)
        XCTAssertEqual(try get("/", method: "POST", body: "s=s1&s=s2&action=ready&b=%235").headers["location"], "/;st=DONE")
        XCTAssertEqual(try get("/", method: "POST", body: "s=nope&action=ready&b=%235").headers["location"], "/;st=ERRP")
        XCTAssertEqual(try get("/", method: "POST", body: "s=s2&action=dhlth&b=%235").headers["location"], "/;st=NONE",
                       "s2 has no checks to disable")
        // Agent actions on s5 (the only server with an agent): as `disable agent`, `set server
        // ... agent down|up`, `enable agent`; a server without an agent does not count.
        // The agent answers `up` every 100 ms, so the DOWN it forces may already be over when
        // `show stat` looks: the log line of the transition tells.
        XCTAssertEqual(try get("/", method: "POST", body: "s=s5&action=adown&b=%235").headers["location"], "/;st=DONE")
        XCTAssertTrue(waitUntil(15) { Self.ordrel?.stderrText.contains("Server be_app/s5 is DOWN, changed from CLI") ?? false },
                      Self.ordrel?.stderrText ?? "")
        XCTAssertEqual(try get("/", method: "POST", body: "s=s5&action=arunn&b=%235").headers["location"], "/;st=DONE")
        XCTAssertEqual(try get("/", method: "POST", body: "s=s1&s=s5&action=dagent&b=%235").headers["location"], "/;st=DONE")
        XCTAssertTrue(try Self.query("show servers state be_app").split(separator: "\n").contains { $0.contains(" s5 ") })
        XCTAssertEqual(try get("/", method: "POST", body: "s=s5&s=nope&action=eagent&b=%235").headers["location"], "/;st=PART")
        XCTAssertEqual(try get("/", method: "POST", body: "s=s1&action=adown&b=%235").headers["location"], "/;st=NONE")
        XCTAssertTrue(waitUntil(5) { !((try? Self.query("show stat").contains("\nbe_app,s5,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN")) ?? true) })
        // The private page has no `stats admin`: denied, nothing changes.
        let denied = try get("/haproxy?stats", port: Self.ports.privatePage, method: "POST",
                             headers: ["Authorization: Basic YWRtaW46czNjcmV0"], body: "s=s1&action=maint&b=%235")
        XCTAssertEqual(denied.headers["location"], "/haproxy?stats;st=DENY")
        XCTAssertTrue(try Self.query("show stat").contains("\nbe_app,s1,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,"))
    }

    func testBadRequestsGetHaproxysRepliesAndTheDaemonGoesOn() throws {
        func raw(_ bytes: [UInt8]) throws -> (String, TestSocket.End) {
            let fd = try TestSocket.connect(port: Self.ports.page)
            defer { close(fd) }
            TestSocket.setReceiveTimeout(fd, seconds: 8)
            try TestSocket.sendAll(fd, bytes)
            let (reply, end) = TestSocket.readAll(fd)
            return (String(decoding: reply, as: UTF8.self), end)
        }
        let badRequest = "HTTP/1.1 400 Bad request\r\nContent-length: 90\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n"
        XCTAssertEqual(try raw(Array("GARBAGE\r\n\r\n".utf8)).0, badRequest)
        XCTAssertEqual(try raw(Array("GET / HTTP/1.1\r\nBad Header\r\n\r\n".utf8)).0, badRequest)
        XCTAssertEqual(try raw(Array(("GET /" + String(repeating: "a", count: 20000) + " HTTP/1.1\r\n\r\n").utf8)).0, badRequest)
        XCTAssertTrue(try raw(TestSocket.randomBytes(4000) + [13, 10, 13, 10]).0.hasPrefix("HTTP/1.1 400 Bad request\r\n"))
        XCTAssertTrue(try raw(Array("POST / HTTP/1.1\r\nContent-Length: 100000\r\n\r\n".utf8)).0.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
        // Half a request: haproxy's 408 once `timeout http-request` (1 s) has passed.
        let (timedOut, end) = try raw(Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8))
        XCTAssertEqual(timedOut, "HTTP/1.1 408 Request Time-out\r\nContent-length: 110\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><body><h1>408 Request Time-out</h1>\nYour browser didn't send a complete request in time.\n</body></html>\n")
        XCTAssertEqual(end, .eof)
        // Still serving: the page, the monitor URI, and forwarding.
        XCTAssertEqual(try get("/").status, 200)
        let health = try get("/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(health.text, "<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n")
        XCTAssertEqual(try get("/", method: "PUT").status, 503)
        XCTAssertEqual(try get("/metrics").status, 200, "the exporter")
        let fd = try TestSocket.connect(port: Self.ports.traffic)
        defer { close(fd) }
        TestSocket.setReceiveTimeout(fd, seconds: 5)
        let greeting = String(decoding: TestSocket.read(fd, count: 3), as: UTF8.self)
        XCTAssertTrue(["s1\n", "s2\n"].contains(greeting), greeting)
    }

    func testKeepAliveServesRequestsInOrderThenIdlesOut() throws {
        let client = try HTTPTestClient(port: Self.ports.page)
        let first = try XCTUnwrap(client.get("/;csv"))
        XCTAssertEqual(first.status, 200)
        XCTAssertNil(first.headers["connection"])
        XCTAssertEqual(try XCTUnwrap(client.get("/healthz")).status, 200)
        // Pipelined: two requests in one write, two responses in order.
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /;json HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(client.readResponse()?.text, "<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n")
        XCTAssertEqual(client.readResponse()?.headers["content-type"], "application/json")
        // Idle past `timeout http-keep-alive` (1 s): closed without a byte.
        let (rest, end) = client.readToEnd()
        XCTAssertEqual(rest, "")
        XCTAssertEqual(end, .eof)
        // HTTP/1.0 without keep-alive: one reply, then the connection ends.
        let old = try HTTPTestClient(port: Self.ports.page)
        try old.send("GET /healthz HTTP/1.0\r\n\r\n")
        let (reply, oldEnd) = old.readToEnd()
        XCTAssertTrue(reply.hasPrefix("HTTP/1.1 200 OK\r\n") && reply.contains("connection: close\r\n"), reply)
        XCTAssertEqual(oldEnd, .eof)
    }

    /// The page in Debian's chromium, headless: every proxy and server row is in the rendered
    /// DOM. Skipped where chromium is not installed. With ORDREL_STATS_SCREENSHOT=<path> it also
    /// saves a screenshot there (docs/images/stats-page.png comes from this).
    func testPageInAHeadlessBrowser() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("chromium is not installed")
        }
        let url = "http://127.0.0.1:\(Self.ports.page)/;norefresh"
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(Self.socketDirectory!.path)/chromium"]
        let dom = try runCommand(chromium, flags + ["--dump-dom", url]).stdout
        for (proxy, rows) in [("stats", ["Frontend", "Backend"]), ("private", ["Frontend"]), ("fe_main", ["Frontend"]),
                              ("be_app", ["s1", "s2", "s3", "s4", "Backend"])] {
            XCTAssertTrue(dom.contains("<a name=\"\(proxy)\"></a>"), proxy)
            for row in rows {
                XCTAssertTrue(dom.contains("<a class=\"lfsb\" href=\"#\(proxy)/\(row)\">\(row)</a>"), "\(proxy)/\(row)")
            }
        }
        XCTAssertTrue(dom.contains("<tr class=\"active_down\">"), "s3's row is rendered with its state class")
        let shot = ProcessInfo.processInfo.environment["ORDREL_STATS_SCREENSHOT"] ?? Self.socketDirectory!.path + "/stats.png"
        _ = try runCommand(chromium, flags + ["--hide-scrollbars", "--window-size=1600,1000", "--screenshot=\(shot)", url])
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    /// Both daemons answer the same bytes: error replies, the monitor URI, the 401, HEAD, the
    /// admin form's refusals; and the page's tables of the tcp proxies have the same HTML once
    /// the numbers (pids, times, ports, counters) are masked.
    func testSameRepliesAsHaproxy() throws {
        guard Self.haproxy?.isRunning == true else { throw XCTSkip("haproxy is not installed") }
        func exchange(_ port: UInt16, _ request: String) throws -> String {
            let fd = try TestSocket.connect(port: port)
            defer { close(fd) }
            TestSocket.setReceiveTimeout(fd, seconds: 8)
            try TestSocket.sendAll(fd, Array(request.utf8))
            return String(decoding: TestSocket.readAll(fd).bytes, as: UTF8.self)
        }
        func post(_ target: String, _ body: String, _ extra: String = "") -> String {
            "POST \(target) HTTP/1.1\r\nHost: x\r\n\(extra)Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        }
        let requests: [(KeyPath<(page: UInt16, privatePage: UInt16, traffic: UInt16, counted: UInt16), UInt16>, String)] = [
            (\.page, "GARBAGE\r\n\r\n"),
            (\.page, "GET / HTTP/1.1\r\nBad Header\r\n\r\n"),
            (\.page, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            (\.page, "GET /healthz HTTP/1.0\r\n\r\n"),
            (\.page, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            (\.page, "GET /;json-schema HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            (\.page, "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
            (\.privatePage, "GET /haproxy?stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            (\.privatePage, "GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            (\.privatePage, "GET /other HTTP/1.1\r\nHost: x\r\n\r\n"),
            (\.privatePage, "GARBAGE\r\n\r\n"),
            (\.privatePage, post("/haproxy?stats;up", "s=s1&action=maint&b=%235", "Authorization: Basic YWRtaW46czNjcmV0\r\n")),
            (\.page, post("/", "s=nope&action=ready&b=%235")),
            (\.page, post("/", "s=s2&action=bogus&b=%235")),
            (\.page, post("/;norefresh", "s=s2&action=hdown&b=%235")),
            (\.page, post("/", "s=s2&action=hrunn&b=%235")),
            (\.page, post("/", "s=s2&action=dhlth&b=%235")),
            (\.page, post("/", "action=ready&b=%235")),
            (\.page, "GET / HTTP/1.1\r\nHost: x\r\n"),
            (\.page, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\ns=s1"),
        ]
        for (port, request) in requests {
            XCTAssertEqual(try exchange(Self.ports[keyPath: port], request), try exchange(Self.haproxyPorts[keyPath: port], request),
                           request.debugDescription)
        }
        func tcpTables(_ port: UInt16) throws -> String {
            let html = try get("/;norefresh", port: port).text
            guard let start = html.firstRange(of: "<table class=\"tbl\" width=\"100%\">\n<tr class=\"titre\"><th class=\"pxname\" width=\"10%\"><a name=\"fe_main\">") else {
                return html
            }
            // Earlier tests sent traffic through ordrel only: ages of the last session differ;
            // the pages' sizes differ, so byte counts may have a different number of digit groups.
            return String(html[start.lowerBound...]).replacing(/[0-9]+/, with: "N")
                .replacing(/<td>(?:(?:N[dhms])+|\?)<\/td>/, with: "<td>age</td>")
                .replacing(/N?(?:<span class="rls">N<\/span>N)+/, with: "N")
        }
        XCTAssertEqual(try tcpTables(Self.ports.page), try tcpTables(Self.haproxyPorts.page))
    }

    /// The HTTP counters of a `mode http` frontend after the same requests to both daemons, on a
    /// frontend nothing else uses: `show stat`'s http columns and the exporter's frontend lines
    /// (but byte counts, which differ with the pages' sizes, the default maxconn, and current
    /// sessions: ordrel closes a connection once the client has closed its side too).
    /// haproxy 2.6 counts every request (an empty connection and a malformed request too, as
    /// errors and 4xx), counts a service's request as intercepted (stats page, its 401,
    /// monitor-uri, exporter; not the 503 for no service), and a scrape's own request but not
    /// yet its response.
    func testHTTPCountersAsHaproxys() throws {
        guard Self.haproxy?.isRunning == true else { throw XCTSkip("haproxy is not installed") }
        let sockets = [Self.socketPath, Self.socketDirectory!.path + "/haproxy.sock"]
        func stat(_ socket: String) throws -> [String: String] {
            let text = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: "show stat\n").stdout
            let lines = text.split(separator: "\n")
            let names = try XCTUnwrap(lines.first).dropFirst(2).split(separator: ",", omittingEmptySubsequences: false)
            let row = try XCTUnwrap(lines.first { $0.hasPrefix("counted,FRONTEND,") }).split(separator: ",", omittingEmptySubsequences: false)
            return Dictionary(zip(names.map(String.init), row.map(String.init)), uniquingKeysWith: { first, _ in first })
        }
        func send(_ port: UInt16, _ request: String) throws -> String {
            let fd = try TestSocket.connect(port: port)
            defer { close(fd) }
            TestSocket.setReceiveTimeout(fd, seconds: 5)
            try TestSocket.sendAll(fd, Array(request.utf8))
            return String(decoding: TestSocket.readAll(fd).bytes, as: UTF8.self)
        }
        let auth = "Authorization: Basic YWRtaW46czNjcmV0\r\n"
        let requests = [
            "GET /st HTTP/1.1\r\nHost: x\r\n\(auth)Connection: close\r\n\r\n",
            "GET /st;csv HTTP/1.1\r\nHost: x\r\n\(auth)Connection: close\r\n\r\n",
            "HEAD /st HTTP/1.1\r\nHost: x\r\n\(auth)Connection: close\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "GET /elsewhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "GARBAGE\r\n\r\n",
            "GET /st HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        ]
        let expectedStatus = ["200", "200", "200", "200", "200", "503", "400", "401"]
        var scrapes: [[Substring]] = []
        for (port, socket) in [(Self.ports.counted, sockets[0]), (Self.haproxyPorts.counted, sockets[1])] {
            // A client closing before its first request: counted once the daemon reads the end.
            close(try TestSocket.connect(port: port))
            XCTAssertTrue(try waitUntil(5) { try stat(socket)["req_tot"] == "1" }, socket)
            for (request, status) in zip(requests, expectedStatus) {
                XCTAssertTrue(try send(port, request).hasPrefix("HTTP/1.1 \(status) "), request.debugDescription)
            }
            let scrape = try send(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            scrapes.append(scrape.split(separator: "\n").filter {
                $0.hasPrefix("haproxy_frontend_") && $0.contains("proxy=\"counted\"") && !$0.contains("rate")
                    && !$0.contains("bytes_") && !$0.contains("_sessions{")
                    || $0.hasPrefix("haproxy_frontend_http_requests_total{proxy=\"fe_main\"")
            })
        }
        XCTAssertEqual(scrapes[0], scrapes[1])
        XCTAssertTrue(scrapes[0].contains("haproxy_frontend_http_requests_total{proxy=\"counted\"} 10"), "\(scrapes[0])")
        XCTAssertTrue(scrapes[0].contains("haproxy_frontend_intercepted_requests_total{proxy=\"counted\"} 7"), "\(scrapes[0])")
        XCTAssertTrue(scrapes[0].contains("haproxy_frontend_http_responses_total{proxy=\"counted\",code=\"4xx\"} 3"), "\(scrapes[0])")
        let (ours, theirs) = (try stat(sockets[0]), try stat(sockets[1]))
        let exact = ["stot", "ereq", "dreq", "hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other", "req_tot",
                     "intercepted", "conn_tot"]
        XCTAssertEqual(exact.map { ours[$0] ?? "missing" }, exact.map { theirs[$0] ?? "missing" })
        XCTAssertEqual(exact.map { ours[$0] ?? "missing" }, ["10", "2", "0", "0", "6", "0", "3", "1", "0", "10", "7", "10"])
        // Rates depend on when the seconds turned: only within bounds.
        for column in ["req_rate", "req_rate_max"] {
            for row in [ours, theirs] { XCTAssertTrue((0...10).contains(Int(row[column] ?? "") ?? -1), "\(column) \(row[column] ?? "")") }
        }
        XCTAssertGreaterThanOrEqual(Int(ours["req_rate_max"] ?? "") ?? 0, 1)
        // A tcp frontend has none of the http columns but the request counts (0).
        let tcp = try Self.query("show stat").split(separator: "\n").first { $0.hasPrefix("fe_main,FRONTEND,") }
        XCTAssertEqual(try XCTUnwrap(tcp).split(separator: ",", omittingEmptySubsequences: false)[39...48].joined(separator: ","), ",,,,,,,0,0,0")
    }

    /// A page and a scrape of hundreds of servers: their rows are built a batch per turn and
    /// they are rendered on the CLI thread, then written in parts. Both come whole, in order when
    /// pipelined, on one keep-alive connection, and match the CLI's `show stat`. Its own daemon.
    func testLargePageAndScrapeComeWholeAndInOrder() throws {
        let port = try TestSocket.unusedPort()
        let servers = (1...300).map { "        server s\($0) 127.0.0.1:\(20000 + $0)\n" }.joined()
        let directory = TemporaryDirectory()
        let socket = directory.path + "/stats.sock"
        let daemon = try OrdrelProcess(config: """
            global
                stats socket \(socket) level admin
            defaults
                mode http
                timeout client 30s
                timeout http-keep-alive 30s
            listen stats
                bind 127.0.0.1:\(port)
                stats uri /
                http-request use-service prometheus-exporter if { path /metrics }
            backend big
                mode tcp
            \(servers)
            """, readyPort: port)
        defer { daemon.stop() }
        func csvNames(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).prefix(2).joined(separator: ",")[...] }
        }
        let cli = try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(socket)"], input: "show stat\n").stdout
        let expected = csvNames(cli)
        XCTAssertEqual(expected.count, 2 + 301, "stats FRONTEND and BACKEND, 300 servers and big's BACKEND")

        let client = try HTTPTestClient(port: port)
        let page = try XCTUnwrap(client.get("/;csv"))
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(csvNames(page.text), expected)
        let scrape = try XCTUnwrap(client.get("/metrics"))
        XCTAssertEqual(scrape.status, 200)
        XCTAssertGreaterThan(scrape.text.utf8.count, 1 << 20, "large enough to go out in several writes")
        let weights = scrape.text.split(separator: "\n").filter { $0.hasPrefix("haproxy_server_weight{proxy=\"big\"") }
        XCTAssertEqual(weights.count, 300)
        XCTAssertTrue(scrape.text.hasSuffix("\n") && !scrape.text.contains("\0"))

        // Pipelined on the same connection: the HTML page, then the CSV, each whole and in turn.
        try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /;csv HTTP/1.1\r\nHost: x\r\n\r\n")
        let html = try XCTUnwrap(client.readResponse())
        XCTAssertEqual(html.headers["content-type"], "text/html")
        XCTAssertTrue(html.text.contains(">s300<") && html.text.hasSuffix("</html>\n"), String(html.text.suffix(200)))
        let csv = try XCTUnwrap(client.readResponse())
        XCTAssertEqual(csvNames(csv.text), expected)
    }

    /// A soft stop (SIGUSR1) closes an idle keep-alive connection at once (without a reply) and
    /// lets the process exit without waiting for `timeout http-keep-alive`. Its own daemon.
    func testSoftStopClosesIdleConnections() throws {
        let port = try TestSocket.unusedPort()
        let daemon = try OrdrelProcess(config: """
            defaults
                mode http
                timeout client 30s
                timeout http-keep-alive 30s
            listen stats
                bind 127.0.0.1:\(port)
                stats uri /

            """, readyPort: port)
        let client = try HTTPTestClient(port: port)
        XCTAssertEqual(try XCTUnwrap(client.get("/;csv")).status, 200)
        daemon.signal(SIGUSR1)
        let (rest, end) = client.readToEnd()
        XCTAssertEqual(rest, "")
        XCTAssertEqual(end, .eof)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0, daemon.stderrText)
    }
}
