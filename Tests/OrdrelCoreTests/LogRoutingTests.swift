import Logging
import OrdrelConfig
import OrdrelEventLoop
import OrdrelLog
import XCTest

@testable import OrdrelCore

/// Which log lines a runtime's proxies and process messages use, on a runtime that is built but
/// not started (no socket exists, nothing is sent).
final class LogRoutingTests: XCTestCase {
    private func runtime(_ text: String) throws -> (Runtime, CapturedLog) {
        let parsed = try ConfigParser.parse(text: text, file: "test.cfg")
        let sink = CapturedLog()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(sink: sink) }
        return (try Runtime(configuration: parsed.configuration, logger: logger, loop: .makeNew()), sink)
    }

    /// A frontend and a backend may share a name: each keeps its own lines and tag.
    func testProxiesKeepTheirOwnLinesByIdentity() throws {
        let (runtime, _) = try runtime("""
            global
                log 127.0.0.1:514 local0
                log-tag lb
            defaults
                mode tcp
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            frontend app
                bind 127.0.0.1:1
                log-tag fa
                log 127.0.0.1:515 format short local1
                log 127.0.0.1:516 format raw local2
                option tcplog
                default_backend app
            backend app
                log global
                server s 127.0.0.1:2
            backend quiet
                server s 127.0.0.1:3

            """)
        let frontend = try XCTUnwrap(runtime.proxies.first { $0.name == "app" && $0.isFrontend })
        let backend = try XCTUnwrap(runtime.proxies.first { $0.name == "app" && !$0.isFrontend })
        XCTAssertEqual(frontend.logSinks?.tag, "fa")
        XCTAssertEqual(frontend.logSinks?.sinks.map(\.target.format), [.short, .raw])
        XCTAssertEqual(backend.logSinks?.tag, "lb", "no log-tag of its own: the global one")
        XCTAssertEqual(backend.logSinks?.sinks.map(\.target.facility), [16])
        XCTAssertNil(runtime.proxies.first { $0.name == "quiet" }?.logSinks, "no log line: logs nothing")
        XCTAssertEqual(runtime.logOutput.global.sinks.count, 1)
    }

    /// The runtime's logger still hands every message to the logger it was given (stderr in the
    /// daemon), whatever it also sends to syslog.
    func testMessagesStillReachTheGivenLogger() throws {
        let (runtime, captured) = try runtime("""
            global
                log 127.0.0.1:514 local0
            defaults
                mode tcp
                timeout connect 1s
            backend be
                log global
                server s 127.0.0.1:2

            """)
        let backend = try XCTUnwrap(runtime.proxies.first)
        runtime.logger.warning("to the backend", metadata: LogMetadata.for(proxy: backend, level: .alert))
        runtime.logger.notice("to the process")
        runtime.logger.debug("debug")
        XCTAssertEqual(captured.all.map(\.message), ["to the backend", "to the process", "debug"])
        XCTAssertEqual(runtime.logOutput.dropped, 0, "not started: datagram lines wait for their sockets, uncounted")
    }
}
