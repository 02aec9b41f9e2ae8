import XCTest

@testable import OrdrelCLI

/// The exporter's HTTP reply, sans-IO (the bytes were checked against haproxy 2.6.12 by
/// PrometheusHTTPTests).
final class PrometheusServiceTests: XCTestCase {
    private let services = BuiltinServices(config: BuiltinServiceSettings(usesPrometheusExporter: { $0 == "/metrics" },
                                                                          errorFiles: [400: Array("HTTP/1.0 400 mine\r\n\r\n".utf8)]),
                                           proxyName: "prom")

    private func reply(_ method: String, _ target: String, version: Int = 1) -> (text: String, closes: Bool, queries: [PrometheusQuery]) {
        var queries: [PrometheusQuery] = []
        var buffers = HTTPReplyBuffers()
        let reply = services.prometheusReply(HTTPRequest(method: method, target: target, minorVersion: version),
                                             buffers: &buffers) { query, out in
            queries.append(query)
            out.append("m 1\n")
        }
        return (String(decoding: reply.bytes, as: UTF8.self), reply.closesConnection, queries)
    }

    func testScrapeIsChunkedWithPromexHeaders() {
        let (text, closes, queries) = reply("GET", "/metrics?scope=server&no-maint")
        XCTAssertEqual(text, "HTTP/1.1 200 OK\r\ncache-control: no-cache\r\ncontent-type: text/plain; version=0.0.4\r\n"
                       + "transfer-encoding: chunked\r\n\r\n4\r\nm 1\n\r\n0\r\n\r\n")
        XCTAssertFalse(closes, "HTTP/1.1 keeps the connection")
        XCTAssertEqual(queries, [PrometheusQuery(scopes: .server, skipsMaintenance: true)])
    }

    func testHeadAnnouncesTheChunkedBodyWithoutRenderingIt() {
        let (text, closes, queries) = reply("HEAD", "/metrics", version: 0)
        XCTAssertEqual(text, "HTTP/1.1 200 OK\r\ncache-control: no-cache\r\ncontent-type: text/plain; version=0.0.4\r\n"
                       + "transfer-encoding: chunked\r\nconnection: close\r\n\r\n")
        XCTAssertTrue(closes, "HTTP/1.0 without keep-alive")
        XCTAssertTrue(queries.isEmpty)
    }

    /// promex's own 400, not the section's errorfile, and the connection closes.
    func testRejectedQueryGetsHaproxys400() {
        let (text, closes, queries) = reply("GET", "/metrics?scope=be_app")
        XCTAssertEqual(text, "HTTP/1.1 400 Bad request\r\ncontent-length: 90\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n"
                       + "connection: close\r\n\r\n<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n")
        XCTAssertTrue(closes)
        XCTAssertTrue(queries.isEmpty)
    }
}
