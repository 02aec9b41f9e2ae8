import XCTest
@testable import OrdrelCLI

/// The sans-IO HTTP layer of the built-in services: parser, session, haproxy's replies, the
/// stats page's modifiers and its admin form, without sockets.
final class HTTPServiceTests: XCTestCase {
    private let parser = HTTPRequestParser(maxHeadBytes: 1024, maxBodyBytes: 256)

    private func parse(_ text: String) -> HTTPRequestParser.Result { parser.parse(Array(text.utf8)[...]) }

    /// haproxy 2.6 (reg-tests/checks/http-monitor-uri.vtc, and haproxy run by hand): a path
    /// monitor-uri matches the path and query of origin- and absolute-form targets, case
    /// sensitively; any other monitor-uri matches the whole target only.
    func testMonitorURIMatchesAsHaproxy() {
        let match = BuiltinServices.matchesMonitorURI
        XCTAssertTrue(match("/health", "/health"))
        XCTAssertTrue(match("/health", "http://www.haproxy.org/health"))
        XCTAssertFalse(match("/health", "/hEAlth"))
        XCTAssertFalse(match("/health", "/health?x"))
        XCTAssertTrue(match("/health?x", "/health?x"))
        XCTAssertTrue(match("http://www.haproxy.org/health", "http://www.haproxy.org/health"))
        XCTAssertFalse(match("http://www.haproxy.org/health", "/health"))
        XCTAssertTrue(match("foo", "foo"))
    }

    func testParsesRequestLineHeadersAndBody() throws {
        guard case .request(let request, let consumed) = parse("POST /s;up HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET") else {
            return XCTFail("no request")
        }
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.target, "/s;up")
        XCTAssertEqual(request.minorVersion, 1)
        XCTAssertEqual(request.header("host"), "x")
        XCTAssertEqual(request.body, Array("abc".utf8))
        XCTAssertEqual(consumed, "POST /s;up HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc".utf8.count)
        XCTAssertTrue(request.wantsKeepAlive)
    }

    func testBareLineFeedsAndKeepAliveRules() throws {
        guard case .request(let request, _) = parse("\r\nGET / HTTP/1.0\nConnection: Keep-Alive\n\n") else { return XCTFail("no request") }
        XCTAssertTrue(request.wantsKeepAlive)
        guard case .request(let closing, _) = parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") else { return XCTFail("no request") }
        XCTAssertFalse(closing.wantsKeepAlive)
        guard case .request(let old, _) = parse("GET / HTTP/1.0\r\n\r\n") else { return XCTFail("no request") }
        XCTAssertFalse(old.wantsKeepAlive)
    }

    func testIncompleteAndInvalidRequests() {
        XCTAssertEqual(parse("GET / HTTP/1.1\r\nHost: x\r\n"), .incomplete)
        XCTAssertEqual(parse("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"), .incomplete)
        for bad in ["GARBAGE\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/2.0\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n",
                    "G(T / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nno colon\r\n\r\n", "GET / HTTP/1.1\r\n folded: x\r\n\r\n",
                    "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                    "GET /\u{7F} HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nX: a\u{01}b\r\n\r\n"] {
            XCTAssertEqual(parse(bad), .invalid(status: 400), bad.debugDescription)
        }
        XCTAssertEqual(parse("GET /" + String(repeating: "a", count: 2000)), .invalid(status: 400))
        XCTAssertEqual(parse("POST / HTTP/1.1\r\nContent-Length: 257\r\n\r\n"), .invalid(status: 413))
        guard case .request(let chunked, _) = parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n") else {
            return XCTFail("no request")
        }
        XCTAssertTrue(chunked.hasUnreadBody)
    }

    /// haproxy 2.6's bytes, as its `http_err_msgs` and the installed haproxy send them.
    func testErrorRepliesAreHaproxys() {
        let bad = HTTPErrors.reply(400, errorFiles: [:])
        XCTAssertEqual(String(decoding: bad.bytes, as: UTF8.self),
                       "HTTP/1.1 400 Bad request\r\nContent-length: 90\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n")
        XCTAssertTrue(bad.closesConnection)
        let unavailable = HTTPErrors.reply(503, errorFiles: [:])
        XCTAssertEqual(String(decoding: unavailable.bytes, as: UTF8.self),
                       "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 107\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n")
        XCTAssertFalse(unavailable.closesConnection)
        // Content-length values of haproxy's table: the bodies must have exactly these sizes.
        for (status, length) in [401: 112, 403: 93, 404: 83, 405: 146, 408: 110, 413: 106, 500: 97, 501: 136] {
            XCTAssertEqual(HTTPErrors.body(status).count, length, "\(status)")
        }
        // An errorfile as haproxy re-encodes it (checked against haproxy 2.6.12).
        let file = Array("HTTP/1.0 503 Custom\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nsorry".utf8)
        XCTAssertEqual(HTTPErrors.reply(503, errorFiles: [503: file]),
                       HTTPReply(bytes: Array("HTTP/1.0 503 Custom\r\ncache-control: no-cache\r\n\r\nsorry".utf8), closesConnection: true))
        let denied = Array("HTTP/1.1 401 Go Away\nContent-Type:text/plain\nContent-Length: 5\nWWW-Authenticate: Basic realm=\"x\"\n\nnope\n".utf8)
        XCTAssertEqual(HTTPErrors.reply(401, errorFiles: [401: denied], extraHeaders: [("www-authenticate", "Basic realm=\"y\"")]),
                       HTTPReply(bytes: Array("HTTP/1.1 401 Go Away\r\ncontent-type: text/plain\r\ncontent-length: 5\r\nwww-authenticate: Basic realm=\"y\"\r\n\r\nnope\n".utf8),
                                 closesConnection: false))
    }

    func testChunkedReplyAndHead() {
        let body = [UInt8](repeating: 0x61, count: 20000)
        let reply = HTTPReply.make(status: 200, reason: "OK", headers: [], body: body, chunked: true)
        let text = String(decoding: reply.bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4000\r\n"), text.prefix(80).description)
        XCTAssertTrue(text.hasSuffix("\r\nE20\r\n" + String(repeating: "a", count: 0xE20) + "\r\n0\r\n\r\n"))
        let head = HTTPReply.make(status: 200, reason: "OK", headers: [], body: body, headOnly: true)
        XCTAssertEqual(String(decoding: head.bytes, as: UTF8.self), "HTTP/1.1 200 OK\r\ncontent-length: 20000\r\n\r\n")
    }

    // MARK: session

    private func feed(_ session: HTTPSession, _ text: String) {
        Array(text.utf8).withUnsafeBytes { session.receive($0) }
    }

    func testKeepAliveServesPipelinedRequestsInOrder() {
        let session = HTTPSession(parser: parser)
        XCTAssertEqual(session.nextAction(), .read)
        XCTAssertEqual(session.timer, .request)
        feed(session, "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")
        guard case .handle(let first) = session.nextAction() else { return XCTFail("no first request") }
        XCTAssertEqual(first.target, "/a")
        session.respond(HTTPReply(bytes: Array("one".utf8), closesConnection: false))
        XCTAssertEqual(session.nextAction(), .write(Array("one".utf8)[...]))
        session.didWrite(3)
        guard case .handle(let second) = session.nextAction() else { return XCTFail("no second request") }
        XCTAssertEqual(second.target, "/b")
        session.respond(HTTPReply(bytes: Array("two".utf8), closesConnection: false))
        _ = session.nextAction()
        session.didWrite(3)
        XCTAssertEqual(session.nextAction(), .read)
        XCTAssertEqual(session.timer, .keepAlive)
        XCTAssertEqual(session.requestsServed, 2)
        // Idle keep-alive expiry closes without a reply.
        session.timedOut()
        XCTAssertEqual(session.nextAction(), .close)
    }

    func testTimeoutBeforeAWholeRequestIs408ThenClose() {
        let session = HTTPSession(parser: parser)
        feed(session, "GET / HT")
        XCTAssertEqual(session.nextAction(), .read)
        let epoch = session.timerEpoch
        session.timedOut()
        XCTAssertNotEqual(session.timerEpoch, epoch)
        guard case .write(let bytes) = session.nextAction() else { return XCTFail("no 408") }
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 408 Request Time-out\r\n"))
        session.didWrite(bytes.count)
        XCTAssertEqual(session.nextAction(), .shutdownWrite)
        XCTAssertEqual(session.nextAction(), .close)
    }

    func testInvalidRequestGets400AndConnectionCloseRequestEndsIt() {
        let session = HTTPSession(parser: parser)
        feed(session, "BAD\r\n\r\n")
        guard case .write(let bytes) = session.nextAction() else { return XCTFail("no 400") }
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 400 Bad request\r\n"))
        let closing = HTTPSession(parser: parser)
        feed(closing, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        _ = closing.nextAction()
        closing.respond(HTTPReply(bytes: [0x41], closesConnection: false))
        _ = closing.nextAction()
        closing.didWrite(1)
        XCTAssertEqual(closing.nextAction(), .shutdownWrite)
    }

    /// haproxy counts each request the session rejects itself (request, error, response) once,
    /// also a client closing before its first request; not one closing an idle keep-alive.
    func testRejectionsAreReportedOnceForCounting() {
        let invalid = HTTPSession(parser: parser)
        feed(invalid, "BAD\r\n\r\n")
        _ = invalid.nextAction()
        XCTAssertEqual(invalid.takeRejection(), 400)
        XCTAssertNil(invalid.takeRejection(), "taken once")
        let late = HTTPSession(parser: parser)
        XCTAssertEqual(late.nextAction(), .read)
        XCTAssertNil(late.takeRejection())
        late.timedOut()
        XCTAssertEqual(late.takeRejection(), 408)
        let silent = HTTPSession(parser: parser)
        XCTAssertEqual(silent.nextAction(), .read)
        silent.receiveEOF()
        XCTAssertEqual(silent.nextAction(), .close)
        XCTAssertEqual(silent.takeRejection(), 400, "an empty connection counts as a 400 nobody reads")
        let served = HTTPSession(parser: parser)
        feed(served, "GET / HTTP/1.1\r\n\r\n")
        _ = served.nextAction()
        served.respond(HTTPReply(bytes: [0x41], closesConnection: false))
        _ = served.nextAction()
        served.didWrite(1)
        XCTAssertEqual(served.nextAction(), .read)
        served.receiveEOF()
        XCTAssertEqual(served.nextAction(), .close)
        XCTAssertNil(served.takeRejection(), "closing after a served request is no error")
    }

    func testStopClosesIdleConnectionsAndEndsBusyOnesAfterTheirReply() {
        let idle = HTTPSession(parser: parser)
        XCTAssertEqual(idle.nextAction(), .read)
        idle.stop()
        XCTAssertEqual(idle.nextAction(), .close)
        let busy = HTTPSession(parser: parser)
        feed(busy, "GET / HTTP/1.1\r\n\r\n")
        _ = busy.nextAction()
        busy.stop()
        busy.respond(HTTPReply(bytes: [0x41], closesConnection: false))
        XCTAssertEqual(busy.nextAction(), .write([0x41][...]))
        busy.didWrite(1)
        XCTAssertEqual(busy.nextAction(), .shutdownWrite, "the reply under way is the last")
    }

    // MARK: routing, stats page

    private func request(_ target: String, method: String = "GET", headers: [HTTPHeader] = [], body: String = "") -> HTTPRequest {
        HTTPRequest(method: method, target: target, minorVersion: 1, headers: headers, body: Array(body.utf8))
    }

    private var statsSettings: StatsPageSettings {
        var stats = StatsPageSettings()
        stats.uriPrefix = "/stats"
        stats.credentials = ["admin:s3cret"]
        stats.realm = "Private Area"
        return stats
    }

    func testRoutingOrderAndAuthentication() {
        let services = BuiltinServices(config: BuiltinServiceSettings(
            monitorURI: "/health", usesPrometheusExporter: { $0 == "/metrics" }, stats: statsSettings), proxyName: "stats")
        guard case .reply(let health) = services.route(request("/health"), adminAllowed: false) else { return XCTFail("no monitor reply") }
        XCTAssertTrue(String(decoding: health.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\n"))
        XCTAssertEqual(health.status, 200)
        guard case .prometheusExporter = services.route(request("/metrics?x"), adminAllowed: false) else { return XCTFail("no exporter") }
        guard case .reply(let denied) = services.route(request("/stats;csv"), adminAllowed: false) else { return XCTFail("no 401") }
        let deniedText = String(decoding: denied.bytes, as: UTF8.self)
        XCTAssertTrue(deniedText.hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
        XCTAssertEqual(denied.status, 401)
        XCTAssertTrue(deniedText.contains("www-authenticate: Basic realm=\"Private Area\"\r\n"))
        let wrong = [HTTPHeader(name: "authorization", value: "Basic YWRtaW46bm8=")]
        guard case .reply = services.route(request("/stats", headers: wrong), adminAllowed: false) else { return XCTFail("wrong password let in") }
        let right = [HTTPHeader(name: "authorization", value: "Basic YWRtaW46czNjcmV0")]
        guard case .statsPage(let page) = services.route(request("/stats;csv;up", headers: right), adminAllowed: false) else {
            return XCTFail("no page")
        }
        XCTAssertEqual(page.format, .csv)
        XCTAssertTrue(page.hideDown)
        // Not served by a service: not counted as intercepted.
        guard case .unserved(let other) = services.route(request("/elsewhere"), adminAllowed: false) else { return XCTFail("no 503") }
        XCTAssertTrue(String(decoding: other.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 503 "))
        XCTAssertEqual(other.status, 503)
        guard case .unserved(let put) = services.route(request("/stats", method: "PUT", headers: right), adminAllowed: false) else {
            return XCTFail("PUT reached the page")
        }
        XCTAssertTrue(String(decoding: put.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 503 "))
    }

    func testPageModifiersAndScope() {
        var settings = StatsPageSettings()
        settings.uriPrefix = "/"
        settings.scopes = [".", "be_app"]
        let page = StatsPageRequest(request: request("/;json;no-maint;norefresh;st=DONE?scope=APP"), config: settings,
                                    proxyName: "stats", adminAllowed: true)
        XCTAssertEqual(page.format, .json)
        XCTAssertTrue(page.noMaint && page.noRefresh && !page.hideDown)
        XCTAssertEqual(page.statusCode, "DONE")
        XCTAssertEqual(page.scope, "APP")
        XCTAssertTrue(page.shows(proxy: "be_app"))
        XCTAssertFalse(page.shows(proxy: "stats"), "the scope text filters after 'stats scope'")
        XCTAssertFalse(page.shows(proxy: "fe_main"))
        XCTAssertEqual(StatsPageRequest(request: request("/;typed"), config: settings, proxyName: "stats", adminAllowed: false).format, .typed)
    }

    func testHaproxyFormattingHelpers() {
        func text(_ append: (inout [UInt8]) -> Void) -> String {
            var bytes: [UInt8] = []
            append(&bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        XCTAssertEqual(text { $0.appendU2H(999) }, "999")
        XCTAssertEqual(text { $0.appendU2H(1000) }, "<span class=\"rls\">1</span>000")
        XCTAssertEqual(text { $0.appendU2H(9984) }, "<span class=\"rls\">9</span>984")
        XCTAssertEqual(text { $0.appendU2H(1234567) }, "<span class=\"rls\">1</span><span class=\"rls\">234</span>567")
        XCTAssertEqual(text { $0.appendU2H(10_005_070) }, "<span class=\"rls\">10</span><span class=\"rls\">005</span>070")
        XCTAssertEqual(text { $0.appendU2H(.max) }, "<span class=\"rls\">18</span><span class=\"rls\">446</span>"
                       + "<span class=\"rls\">744</span><span class=\"rls\">073</span><span class=\"rls\">709</span>"
                       + "<span class=\"rls\">551</span>615")
        XCTAssertEqual(text { $0.appendHumanTime(0) }, "0s")
        XCTAssertEqual(text { $0.appendHumanTime(61) }, "1m1s")
        XCTAssertEqual(text { $0.appendHumanTime(3600) }, "1h")
        XCTAssertEqual(text { $0.appendHumanTime(3661) }, "1h1m")
        XCTAssertEqual(text { $0.appendHumanTime(90061) }, "1d1h")
        XCTAssertEqual(text { $0.appendHumanTime(86460) }, "1d1m")
        XCTAssertEqual(text { $0.appendHumanTime(-1) }, "?")
        XCTAssertEqual(text { $0.appendHTMLEscaped("<a&\"b'>é") }, "&lt;a&amp;&quot;b&#39;&gt;é")
        XCTAssertEqual(StatsPageHTML.escape("x<y"), "x&lt;y")
    }

    /// The page's writer grows past its first memory without losing what it holds, and the
    /// same helpers write the same bytes into it as into an array.
    func testByteWriterGrowsAndMatchesArrays() {
        var writer = ByteWriter(capacity: 4)
        var array: [UInt8] = []
        for value: UInt64 in [0, 7, 1000, 1_234_567, .max] {
            writer.appendU2H(value)
            array.appendU2H(value)
            writer.append(static: "<td>")
            array.append(static: "<td>")
            writer.appendHTMLEscaped("a<b é")
            array.appendHTMLEscaped("a<b é")
            writer.append(UInt8(ascii: ","))
            array.append(UInt8(ascii: ","))
        }
        writer.append("🙂 not ASCII")
        array.append("🙂 not ASCII")
        XCTAssertEqual(writer.withBytes { Array($0) }, array)
        XCTAssertGreaterThan(writer.count, 200)
        writer.removeAll()
        XCTAssertEqual(writer.count, 0)
        writer.appendDecimal(Int64(-42))
        XCTAssertEqual(writer.withBytes { String(decoding: $0, as: UTF8.self) }, "-42")
    }

    func testPageRendersEveryRowWithHaproxysClasses() {
        let runtime = TestRuntime()
        var rows: [StatsRow] = []
        var iterator = runtime.statsRows()
        while let row = iterator.next() { rows.append(row) }
        let proxies = Dictionary(grouping: rows, by: \.iid).sorted { $0.key < $1.key }.map { iid, rows in
            StatsPageProxy(name: rows[0].pxname, id: Int(iid), capability: "proxy", mode: "tcp", description: nil,
                           hasServers: rows.contains { $0.kind == .server }, rows: rows)
        }
        let snapshot = StatsSnapshot(info: runtime.info(), proxies: proxies, nodeName: "host1")
        var settings = StatsPageSettings()
        settings.uriPrefix = "/"
        settings.showNode = ""
        let page = StatsPageRequest(request: request("/"), config: settings, proxyName: "x", adminAllowed: true)
        let html = String(decoding: StatsPage.reply(for: page, snapshot: snapshot).bytes, as: UTF8.self)
        XCTAssertTrue(html.contains("<title>Statistics Report for HAProxy on host1</title>"))
        for row in rows {
            let anchor = row.kind == .server ? row.svname : row.kind == .frontend ? "Frontend" : "Backend"
            XCTAssertTrue(html.contains("<a name=\"\(row.pxname)/\(anchor)\"></a>"), "\(row.pxname)/\(anchor)")
            if row.kind == .server {
                XCTAssertTrue(html.contains("<tr class=\"\(StatsPageHTML.serverClass(row))\"><td><input class='\(row.pxname)-checkbox'"),
                              row.svname)
            }
        }
        XCTAssertTrue(html.contains("<option value=\"drain\">Set state to DRAIN</option>"))
        XCTAssertTrue(html.hasSuffix("</body></html>\n\r\n0\r\n\r\n"))
    }

    // MARK: admin form

    private func adminRequest(_ body: String, allowed: Bool = true, target: String = "/;up") -> StatsAdminRequest {
        var settings = StatsPageSettings()
        settings.uriPrefix = "/"
        let post = request(target, method: "POST", body: body)
        return StatsAdminRequest(page: StatsPageRequest(request: post, config: settings, proxyName: "x", adminAllowed: allowed),
                                 body: post.body)
    }

    func testAdminFormAppliesActionsLikeHaproxy() {
        let runtime = TestRuntime()
        let stretches = runtime.consistentStretches
        XCTAssertEqual(adminRequest("s=s2&s=s4&action=drain&b=%233").apply(to: runtime), "DONE")
        XCTAssertEqual(runtime.consistentStretches, stretches + 1, "one form, one pause of the other threads")
        XCTAssertEqual(runtime.servers.map(\.admin), [.ready, .drain, .drain])
        XCTAssertEqual(adminRequest("s=s1&action=maint&b=be_app").apply(to: runtime), "DONE")
        XCTAssertEqual(runtime.servers[0].admin, .maint)
        // Only s1 has checks: the others do not count, so the action is complete.
        XCTAssertEqual(adminRequest("s=s1&s=s2&action=dhlth&b=%233").apply(to: runtime), "DONE")
        XCTAssertFalse(runtime.servers[0].checksEnabled)
        XCTAssertEqual(adminRequest("s=s2&action=hdown&b=%233").apply(to: runtime), "DONE")
        XCTAssertEqual(runtime.servers[1].health, .down)
        XCTAssertEqual(adminRequest("s=s2&s=nope&action=ready&b=%233").apply(to: runtime), "PART")
        XCTAssertEqual(adminRequest("s=nope&action=ready&b=%233").apply(to: runtime), "ERRP")
        XCTAssertEqual(adminRequest("s=s2&action=bogus&b=%233").apply(to: runtime), "ERRP")
        XCTAssertEqual(adminRequest("s=s2&action=ready&b=%2399").apply(to: runtime), "ERRP")
        XCTAssertEqual(adminRequest("action=ready&b=%233").apply(to: runtime), "NONE")
        XCTAssertEqual(adminRequest("s=s2&action=dagent&b=%233").apply(to: runtime), "NONE")
        XCTAssertEqual(adminRequest("s=s2&action=ready&b=%233", allowed: false).apply(to: runtime), "DENY")
        XCTAssertEqual(runtime.servers[1].admin, .ready)
        let redirect = String(decoding: adminRequest("").redirect(status: "DONE").bytes, as: UTF8.self)
        XCTAssertEqual(redirect, "HTTP/1.1 303 See Other\r\ncache-control: no-cache\r\ncontent-type: text/plain\r\ncontent-length: 0\r\nlocation: /;st=DONE;up\r\n\r\n")
    }

    func testURLDecoding() {
        XCTAssertEqual(StatsAdminRequest.urlDecode(Array("a+b%2Fc%zz%4".utf8)[...]), "a b/c%zz%4")
    }
}
