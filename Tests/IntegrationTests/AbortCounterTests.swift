#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// A stream that ends on a data-phase timeout counts as an abort by the side that timed out
/// (`cli_abrt` for `cD`, `srv_abrt` for `sD`), on the backend and its server, as haproxy 2.6's
/// process_stream does; checked against haproxy on the same config.
final class AbortCounterTests: XCTestCase {
    func testDataPhaseTimeoutsCountAsAborts() throws {
        let backend = try TestBackend(.silent)
        defer { backend.stop() }
        // (timeout client, timeout server, the column that must count the stream)
        for (client, server, column) in [("300ms", "30s", "cli_abrt"), ("30s", "300ms", "srv_abrt")] {
            let pair = try CheckDaemonPair(config: """
            global
                stats socket @SOCKET@ level admin
            defaults
                mode tcp
                timeout connect 2s
                timeout client \(client)
                timeout server \(server)
            listen app
                bind 127.0.0.1:@PORT@
                server s1 127.0.0.1:\(backend.port)

            """)
            defer { pair.stop() }
            for side in Side.allCases {
                let fd = try TestSocket.connect(port: pair.frontendPorts[side]!)
                defer { close(fd) }
                let counted = try waitUntil(5) { try Self.row(pair, side, "s1")[column] == "1" }
                XCTAssertTrue(counted, "\(side): \(column) of the server after the timeout")
                let other = column == "cli_abrt" ? "srv_abrt" : "cli_abrt"
                for name in ["s1", "BACKEND"] {
                    let row = try Self.row(pair, side, name)
                    XCTAssertEqual(row[column], "1", "\(side): \(column) of \(name)")
                    XCTAssertEqual(row[other], "0", "\(side): \(other) of \(name)")
                }
            }
            for name in ["s1", "BACKEND"] {
                let rows = try Side.allCases.map { try Self.row(pair, $0, name) }
                for column in ["cli_abrt", "srv_abrt", "stot", "dresp"] {
                    XCTAssertEqual(rows[1][column], rows[0][column], "\(name) \(column): ordrel against haproxy")
                }
            }
        }
    }

    /// The `show stat` row of `app/<svname>`, by column name.
    private static func row(_ pair: CheckDaemonPair, _ side: Side, _ svname: String) throws -> [String: String] {
        let lines = try pair.query(side, "show stat").split(separator: "\n")
        guard let header = lines.first, header.hasPrefix("# ") else { return [:] }
        let names = CheckDaemonPair.cells(header.dropFirst(2))
        for line in lines.dropFirst() {
            let row = Dictionary(zip(names, CheckDaemonPair.cells(line)), uniquingKeysWith: { first, _ in first })
            if row["pxname"] == "app" && row["svname"] == svname { return row }
        }
        return [:]
    }
}
