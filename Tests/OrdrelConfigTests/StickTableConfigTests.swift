import XCTest
@testable import OrdrelConfig

final class StickTableConfigTests: XCTestCase {
    func testTablesRulesAndTracking() throws {
        let text = quietDefaults + """
            frontend fe
                bind :1
                tcp-request connection track-sc0 src table st
                tcp-request connection reject if { sc0_conn_rate gt 10 } || { src_conn_rate(st) gt 10 }
                tcp-request content track-sc1 req.payload(0,4) table names if { req.len ge 4 }
                default_backend be
            backend st
                stick-table type ip size 1m expire 30s store conn_cur,conn_rate(10s),gpc0,bytes_in_rate(1m)
            backend names
                stick-table type string len 8 size 10k nopurge
            backend be
                stick-table type ip size 100 store server_id
                force-persist if { src 10.0.0.0/8 }
                ignore-persist unless TRUE
                stick on src
                stick match src table st if { table_cnt gt 0 }
                option persist
                server s1 127.0.0.1:2
            """
        let config = try XCTUnwrap(parseOK(text)).configuration
        let st = try XCTUnwrap(config.proxy("st").stickTable)
        XCTAssertEqual(st.keyType, .ip)
        XCTAssertEqual(st.size, 1 << 20)
        XCTAssertEqual(st.expireMs, 30_000)
        XCTAssertEqual(st.stored, [.connCurrent: 0, .connRate: 10_000, .gpc0: 0, .bytesInRate: 60_000,
                                   .serverID: 0, .serverKey: 0], "a table stick rules use stores the server")
        let names = try XCTUnwrap(config.proxy("names").stickTable)
        XCTAssertEqual([names.keySize, names.size], [8, 10_240])
        XCTAssertTrue(names.noPurge)
        XCTAssertNil(names.expireMs)
        let fe = config.proxy("fe")
        XCTAssertEqual(fe.rules.connection.first?.action, .track(StickTracking(counter: 0, fetch: .src, table: "st")))
        XCTAssertEqual(fe.rules.connection[1].condition?.stickFetches,
                       [.stickCounter(StickCounterFetch(entry: .tracked(0), operation: .connRate, table: nil)),
                        .stickCounter(StickCounterFetch(entry: .source, operation: .connRate, table: "st"))])
        XCTAssertEqual(fe.rules.content.first?.action, .track(StickTracking(counter: 1, fetch: .payload(offset: 0, length: 4), table: "names")))
        let be = config.proxy("be")
        XCTAssertEqual(be.stickRules.map(\.kind), [.on, .match])
        XCTAssertEqual(be.stickRules.map(\.table), [nil, "st"])
        XCTAssertEqual(be.persistRules.map(\.kind), [.force, .ignore])
        XCTAssertTrue(be.options.persist)
        XCTAssertEqual(be.stickTable?.stored, [.serverID: 0, .serverKey: 0])
    }

    func testStickErrorsNameTheirLine() {
        let text = quietDefaults + """
            frontend fe
                bind :1
                tcp-request connection track-sc0 src table nope
                tcp-request connection track-sc0 req.len
                tcp-request connection track-sc3 src
                tcp-request connection track-sc1 src,ipmask(24)
                tcp-request connection reject if { src_conn_rate gt 3 }
                default_backend be
            backend be
                stick-table type ip size 10 peers mypeers
                stick-table type ipx size 10
                stick-table type ip size 10 store http_req_rate(10s)
                stick-table type ip size 10 store conn_rate
                stick-table type ip store conn_cnt
                stick-table type ip size 10x
                stick on src table zz
                stick store-response src
                force-persist
                server s1 127.0.0.1:2
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:8] : 'tcp-request connection track-sc0' : fetch method 'req.len' reads the request's contents, which are not available yet at connection time (use 'tcp-request content').",
            "[ALERT] config : parsing [bad.cfg:9] : 'tcp-request connection track-sc3' : ordrel has stick counters track-sc0 to track-sc2.",
            "[ALERT] config : parsing [bad.cfg:10] : 'tcp-request connection track-sc1' : 'src,ipmask(24)' : sample converters are not supported by ordrel.",
            "[ALERT] config : parsing [bad.cfg:14] : stick-table: 'peers' is not supported by ordrel (no peers synchronisation).",
            "[ALERT] config : parsing [bad.cfg:15] : stick-table: unknown type 'ipx'.",
            "[ALERT] config : parsing [bad.cfg:16] : stick-table: store option 'http_req_rate' counts HTTP requests; ordrel only implements 'mode tcp'.",
            "[ALERT] config : parsing [bad.cfg:17] : stick-table: missing argument to store option 'conn_rate'.",
            "[ALERT] config : parsing [bad.cfg:18] : stick-table: missing size.",
            "[ALERT] config : parsing [bad.cfg:19] : stick-table: unexpected character in argument of 'size' (got '10x').",
            "[ALERT] config : parsing [bad.cfg:21] : 'stick store-response' : response-side fetches are not supported by ordrel (use 'stick on' or 'stick store-request').",
            "[ALERT] config : parsing [bad.cfg:22] : 'force-persist' requires either 'if' or 'unless' followed by a condition.",
            "[ALERT] config : parsing [bad.cfg:7] : frontend 'fe' : unable to find stick-table 'nope' for 'track-sc0'.",
            "[ALERT] config : parsing [bad.cfg:11] : frontend 'fe' : the sample fetch 'src_conn_rate' needs a stick-table in this section or a 'table' argument.",
            "[ALERT] config : parsing [bad.cfg:20] : backend 'be' : unable to find stick-table 'zz' for 'stick on'.",
        ])
    }
}
