import Logging
import OrdrelCLI
import OrdrelConfig
import OrdrelEventLoop
import XCTest

@testable import OrdrelCore

/// Which proxies `show stat` (and so the Prometheus exporter) lists.
final class StatsRowsTests: XCTestCase {
    /// haproxy 2.6.12 leaves out proxies disabled in the configuration: with `fe_off` and
    /// `be_off` disabled, its `show stat` has fe_on, y and be_on only, and its page no table
    /// for them.
    func testProxiesDisabledInTheConfigurationAreNotListed() throws {
        let text = """
        defaults
            mode tcp
            timeout connect 1s
        frontend fe_off
            bind 127.0.0.1:1
            disabled
            default_backend be_off
        backend be_off
            disabled
            server x 127.0.0.1:2
        frontend fe_on
            bind 127.0.0.1:3
            default_backend be_on
        backend be_on
            server y 127.0.0.1:2

        """
        let parsed = try ConfigParser.parse(text: text, file: "test.cfg")
        let runtime = try Runtime(configuration: parsed.configuration, logger: Logger(label: "test"), loop: .makeNew())
        var rows: [String] = []
        var iterator = runtime.statsRows()
        while let row = iterator.next() { rows.append("\(row.pxname)/\(row.svname)/\(row.status)") }
        XCTAssertEqual(rows, ["fe_on/FRONTEND/OPEN", "be_on/y/no check", "be_on/BACKEND/UP"])
        var collection = StatsRowCollection(runtime: runtime, latency: false)
        while !collection.advance() {}
        XCTAssertEqual(runtime.statsSnapshot(rows: collection.rows).proxies.map(\.name), ["fe_on", "be_on"],
                       "nor does its stats page")
    }

    /// The stats page's and the exporter's rows are built a batch at a time (one turn of their
    /// connection each): the same rows as `show stat`'s, in order, grouped back by proxy.
    func testRowCollectionBuildsInBatches() throws {
        var text = "defaults\n    mode tcp\n    timeout connect 1s\nfrontend fe\n    bind 127.0.0.1:3\n    default_backend big\n"
        text += "backend big\n" + (1...70).map { "    server s\($0) 127.0.0.1:\(2000 + $0)\n" }.joined()
        text += "backend small\n    server t1 127.0.0.1:1\n"
        let parsed = try ConfigParser.parse(text: text, file: "test.cfg")
        let runtime = try Runtime(configuration: parsed.configuration, logger: Logger(label: "test"), loop: .makeNew())
        var expected: [String] = []
        var iterator = runtime.statsRows()
        while let row = iterator.next() { expected.append("\(row.pxname)/\(row.svname)") }
        XCTAssertEqual(expected.count, 1 + 71 + 2)

        var collection = StatsRowCollection(runtime: runtime, latency: true)
        var batches = 1
        while !collection.advance() { batches += 1 }
        XCTAssertEqual(batches, 3, "74 rows in batches of \(StatsRowBatches.batchSize)")
        XCTAssertEqual(collection.rows.map { "\($0.pxname)/\($0.svname)" }, expected)
        XCTAssertNotNil(collection.rows[1].latency, "the exporter's rows carry the histograms")

        let page = runtime.statsSnapshot(rows: collection.rows).proxies
        XCTAssertEqual(page.map(\.name), ["fe", "big", "small"])
        XCTAssertEqual(page.map(\.rows.count), [1, 71, 2])
        XCTAssertEqual(page[2].rows.map(\.svname), ["t1", "BACKEND"])
    }

    /// Maintenance pauses the check and empties its `show stat` cells, but the exporter still
    /// reads the last check (`lastCheck`), as haproxy's reads the check itself.
    func testLastCheckOutlivesMaintenance() throws {
        let text = """
        defaults
            mode tcp
            timeout connect 1s
        backend be
            server s1 127.0.0.1:1 check
            server s2 127.0.0.1:2

        """
        let parsed = try ConfigParser.parse(text: text, file: "test.cfg")
        let runtime = try Runtime(configuration: parsed.configuration, logger: Logger(label: "test"), loop: .makeNew())
        let s1 = try XCTUnwrap(runtime.proxy(named: "be")?.server(named: "s1"))
        func row(_ name: String) throws -> StatsRow {
            var rows: [StatsRow] = []
            var iterator = runtime.statsRows()
            while let row = iterator.next() { rows.append(row) }
            return try XCTUnwrap(rows.first { $0.svname == name })
        }
        XCTAssertEqual(try row("s1").lastCheck, LastCheck(status: "INI", durationMs: 0))
        XCTAssertNil(try row("s2").lastCheck, "no check")
        runtime.checkCompleted(s1, verdict: CheckVerdict(.layer4OK), durationMs: 3)
        XCTAssertEqual(try row("s1").checkStatus, "L4OK")
        XCTAssertEqual(runtime.setServerEnabled(s1, false), .done)
        let paused = try row("s1")
        XCTAssertEqual(paused.status, "MAINT")
        XCTAssertNil(paused.checkStatus)
        XCTAssertEqual(paused.lastCheck, LastCheck(status: "L4OK", durationMs: 3))
    }
}
