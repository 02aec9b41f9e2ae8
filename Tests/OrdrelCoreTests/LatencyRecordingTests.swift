import Foundation
import Logging
import OrdrelCLI
import OrdrelConfig
import OrdrelEventLoop
import XCTest

@testable import OrdrelCore

/// The latency histograms on a started runtime: real streams through a unix-socket `listen`
/// section to a TCP server of the test's own, read back through the Prometheus exporter.
final class LatencyRecordingTests: XCTestCase {
    /// Two clients, server maxconn 1: the second queues until the first ends. Every stream lands
    /// in the queue, connect and session histograms, as in the averages `show stat` prints.
    func testStreamsFeedTheHistogramsThroughTheExporter() throws {
        let server = try TCPTestServer()
        defer { server.close() }
        let path = NSTemporaryDirectory() + "ordrel-latency-\(getpid()).sock"
        defer { unlink(path) }
        let text = """
        global
            nbthread 1
        defaults
            mode tcp
            timeout connect 1s
            timeout client 5s
            timeout server 5s
        listen li
            bind unix@\(path)
            server s1 127.0.0.1:\(server.port) maxconn 1

        """
        let parsed = try ConfigParser.parse(text: text, file: "test.cfg")
        let runtime = try Runtime(configuration: parsed.configuration, logger: Logger(label: "test"), loop: .makeNew())
        try runtime.start()
        defer { runtime.stop(.hard) }
        let backend = try XCTUnwrap(runtime.proxy(named: "li"))

        // Each descriptor is closed once: a second close could hit a number the runtime owns by then.
        var open: Set<Int32> = []
        defer { open.forEach { close($0) } }
        func opened(_ fd: Int32) -> Int32 { open.insert(fd); return fd }
        func shut(_ fd: Int32) { if open.remove(fd) != nil { close(fd) } }

        let first = opened(try unixClient(path))
        let firstServed = opened(try drive(runtime) { server.acceptOne() })
        let second = opened(try unixClient(path))
        try drive(runtime) { backend.queueLength == 1 ? () : nil }
        usleep(20_000) // the queued stream waits at least this long

        shut(first)
        shut(firstServed)
        let secondServed = opened(try drive(runtime) { server.acceptOne() })
        shut(second)
        shut(secondServed)
        try drive(runtime) { backend.backendCounters.total == 2 && backend.backendCounters.current == 0 ? () : nil }

        var scrape = ByteWriter()
        var collection = StatsRowCollection(runtime: runtime, latency: true)
        while !collection.advance() {}
        runtime.prometheusSnapshot(PrometheusQuery(), rows: collection.rows).render(PrometheusQuery(), into: &scrape)
        let metrics = scrape.withBytes { String(decoding: $0, as: UTF8.self) }
        let lines = Set(metrics.split(separator: "\n").map(String.init))
        func value(_ sample: String) -> Double? {
            lines.first { $0.hasPrefix(sample + " ") }.flatMap { Double($0.dropFirst(sample.count + 1)) }
        }
        for family in ["queue_time", "connect_time", "session_duration"] {
            XCTAssertEqual(value(#"ordrel_backend_\#(family)_seconds_count{proxy="li"}"#), 2, family)
            XCTAssertEqual(value(#"ordrel_backend_\#(family)_seconds_bucket{proxy="li",le="+Inf"}"#), 2, family)
            XCTAssertEqual(value(#"ordrel_server_\#(family)_seconds_count{proxy="li",server="s1"}"#), 2, family)
        }
        let queued = try XCTUnwrap(value(#"ordrel_server_queue_time_seconds_sum{proxy="li",server="s1"}"#))
        XCTAssertGreaterThanOrEqual(queued, 0.02, "the second stream's wait")
        XCTAssertLessThanOrEqual(try XCTUnwrap(value(#"ordrel_server_queue_time_seconds_bucket{proxy="li",server="s1",le="0.01"}"#)), 1)
        let sessions = try XCTUnwrap(value(#"ordrel_backend_session_duration_seconds_sum{proxy="li"}"#))
        XCTAssertGreaterThanOrEqual(sessions, queued, "sessions include their wait")
        XCTAssertEqual(value(#"haproxy_backend_sessions_total{proxy="li"}"#), 2)
        XCTAssertEqual(value(#"haproxy_server_status{proxy="li",server="s1",state="UP"}"#), 1)
        XCTAssertTrue(lines.contains(#"haproxy_backend_max_queue{proxy="li"} 1"#))

        runtime.clearCounters(all: true)
        XCTAssertEqual(backend.backendCounters.latency.session.count, 0, "clear counters all empties them")
    }

    /// Runs the loop until `ready` returns a value (five seconds at most).
    @discardableResult
    private func drive<T>(_ runtime: Runtime, until ready: () -> T?) throws -> T {
        for _ in 0..<5000 {
            if let value = ready() { return value }
            runtime.loop.runOnce(block: false)
            usleep(1000)
        }
        throw Stuck()
    }

    private struct Stuck: Error, CustomStringConvertible {
        var description: String { "the runtime did not get there in five seconds" }
    }

    private func unixClient(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8 + [0]) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        return fd
    }
}

/// A non-blocking TCP listener on 127.0.0.1 with a port of the kernel's choosing.
private struct TCPTestServer {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard fd >= 0, bound, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    /// An accepted connection, or nil when none is waiting.
    func acceptOne() -> Int32? {
        let accepted = accept(fd, nil, nil)
        return accepted >= 0 ? accepted : nil
    }

    func close() { _ = Glibc.close(fd) }
}
