import Logging
import OrdrelCLI
import OrdrelConfig
import OrdrelEventLoop
import XCTest

@testable import OrdrelCore

/// Which proxies `show stat` (and so the Prometheus exporter) lists.
final class StatsRowsTests: XCTestCase {
    /// haproxy 2.6.12 leaves out proxies disabled in the configuration: with `fe_off` and
    /// `be_off` disabled, its `show stat` has fe_on, y and be_on only.
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
    }
}
