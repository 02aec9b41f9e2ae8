import Foundation
import XCTest

@testable import OrdrelCLI

/// The Prometheus exporter's renderer against haproxy 2.6.12's own exporter (`PrometheusCapture`):
/// the captured `show stat` and `show info` go in, and what comes out must be what haproxy
/// printed from the same values.
final class PrometheusExporterTests: XCTestCase {
    /// Sections whose values ordrel's renderer must reproduce exactly: every `mode tcp` proxy
    /// (the `mode http` ones print HTTP counters that `show stat` rows in ordrel leave empty, and
    /// `prom` counted the scrape after `show stat` ran).
    private static let tcpProxies: Set<String> = ["fe_main", "be_app", "be_empty", "li_direct"]

    func testOutputIsHaproxysForTheSameStats() {
        let ours = render(PrometheusQuery())
        let theirs = lines(PrometheusCapture.metrics)
        XCTAssertEqual(ours.map(Self.shape), theirs.map(Self.shape), "metric names, labels, HELP and TYPE lines")
        var compared = 0
        // haproxy's exporter averages times over a fixed window of 1024 samples (swrate_avg with
        // TIME_STATS_SAMPLES) where `show stat` divides by the samples seen while fewer than
        // 1024: the captured rows cannot give promex's figure, so only the shape is compared.
        for (mine, real) in zip(ours, theirs) where Self.proxyLabel(real).map(Self.tcpProxies.contains) == true
            && !Self.metricName(real).hasSuffix("_time_average_seconds") {
            XCTAssertEqual(mine, real)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 450, "every tcp proxy's samples are compared with their values")
        XCTAssertTrue(theirs.contains(#"haproxy_server_status{proxy="be_app",server="s3",state="DRAIN"} 1"#))
        XCTAssertTrue(theirs.contains(#"haproxy_server_check_status{proxy="be_app",server="s1",state="L4CON"} 1"#))
    }

    /// `?scope=backend&scope=server&no-maint`: haproxy's reply was the full one without the
    /// process and frontend metrics and without the server in maintenance (s4), which this
    /// rebuilds from the capture.
    func testScopesAndNoMaintSelectWhatHaproxySelects() throws {
        let query = try XCTUnwrap(PrometheusQuery(requestTarget: "/metrics?scope=backend&scope=server&no-maint"))
        let expected = lines(PrometheusCapture.metrics).filter { line in
            let name = Self.metricName(line)
            return (name.hasPrefix("haproxy_backend_") || name.hasPrefix("haproxy_server_")) && !line.contains(#"server="s4""#)
        }
        let ours = render(query).filter { !Self.metricName($0).hasPrefix("ordrel_") }
        XCTAssertEqual(ours.map(Self.shape), expected.map(Self.shape))
        XCTAssertTrue(render(try XCTUnwrap(PrometheusQuery(requestTarget: "/metrics?scope="))).isEmpty)
        let global = render(try XCTUnwrap(PrometheusQuery(requestTarget: "/metrics?scope=global")))
        XCTAssertEqual(global.count, 180)
        XCTAssertTrue(global.allSatisfy { Self.metricName($0).hasPrefix("haproxy_process_") })
        XCTAssertTrue(render(try XCTUnwrap(PrometheusQuery(requestTarget: "/metrics?scope=listener&scope=sticktable"))).isEmpty,
                      "ordrel has no listener stats, and these stats have no stick tables")
    }

    /// Stick tables as haproxy 2.6.12 printed them for the same two tables (`show table` order).
    func testStickTablesAsHaproxy() throws {
        let tables = [StickTableInfo(name: "aa", type: "string", size: 10, used: 0, stored: []),
                      StickTableInfo(name: "st", type: "ip", size: 100, used: 1, stored: ["conn_cnt"])]
        let bytes = PrometheusExporter.render(info: capturedInfo(), rows: capturedRows(),
                                              query: try XCTUnwrap(PrometheusQuery(requestTarget: "/metrics?scope=sticktable")),
                                              tables: tables)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), """
            # HELP haproxy_sticktable_size Stick table size.
            # TYPE haproxy_sticktable_size gauge
            haproxy_sticktable_size{name="aa",type="string"} 10
            haproxy_sticktable_size{name="st",type="ip"} 100
            # HELP haproxy_sticktable_used Number of entries used in this stick table.
            # TYPE haproxy_sticktable_used gauge
            haproxy_sticktable_used{name="aa",type="string"} 0
            haproxy_sticktable_used{name="st",type="ip"} 1

            """)
    }

    /// Query strings as haproxy 2.6.12 answered them (status, and the metric families printed).
    func testQueryParsingFollowsHaproxy() {
        let all = PrometheusQuery.Scopes.all
        let cases: [(String, PrometheusQuery.Scopes?, Bool)] = [
            ("/metrics", all, false),
            ("/metrics?", all, false),
            ("/metrics?scope", nil, false),
            ("/metrics?scope=", [], false),
            ("/metrics?scope=global", .global, false),
            ("/metrics?scope=global&scope=", [], false),
            ("/metrics?scope=&scope=global", .global, false),
            ("/metrics?no-maint", all, true),
            ("/metrics?scope=Global", nil, false),
            ("/metrics?scope=global+", nil, false),
            ("/metrics?scope=glo%62al", .global, false),
            ("/metrics?scope=%zz", nil, false),
            ("/metrics?scope=a=b", nil, false),
            ("/metrics?scope=*x", all, false),
            ("/metrics?foo&scope=global", .global, false),
            ("/metrics?scope=listener", .listener, false),
            ("/metrics?scope=sticktable", .sticktable, false),
            ("/metrics?sco%70e=global", .global, false),
            ("/metrics?scope=glob%00al", nil, false),
            ("/metrics?scope=global%00x", .global, false),
            ("/metrics?scope=global&&scope=server", [.global, .server], false),
            ("/metrics?no-maint=0&scope=server", .server, true),
            ("/metrics?scope=%2a", all, false),
            ("/metrics?scope=global%", nil, false),
            ("/metrics?scope=global%4", nil, false),
            ("/metrics?=global", all, false),
            ("/metrics?scope=server&scope=backend", [.server, .backend], false),
            ("/metrics?scope=frontend?scope=global", nil, false),
            ("/metrics?a=b=c&scope=global", nil, false),
            ("/metrics?scope=global&no-maint=x=y", nil, false),
            ("/metrics?bad%zz", nil, false),
            ("/metrics?scope=%20global", nil, false),
        ]
        for (target, scopes, skipsMaintenance) in cases {
            let query = PrometheusQuery(requestTarget: target)
            XCTAssertEqual(query?.scopes, scopes, target)
            if let query { XCTAssertEqual(query.skipsMaintenance, skipsMaintenance, target) }
        }
    }

    func testHistogramsAreCumulativeWithSumAndCount() {
        var latency = LatencyHistograms()
        for micros: UInt64 in [40, 100, 101, 2_000, 900_000, 7_200_000_000] { latency.connect.record(micros: micros) }
        latency.session.record(seconds: 0.25)
        latency.session.record(seconds: -1)
        var rows = capturedRows()
        for i in rows.indices where rows[i].pxname == "be_app" && rows[i].kind != .frontend { rows[i].latency = latency }
        let text = render(PrometheusQuery(), rows: rows)
        let connect = text.filter { $0.hasPrefix(#"ordrel_server_connect_time_seconds_bucket{proxy="be_app",server="s1","#) }
        XCTAssertEqual(connect.count, LatencyHistogram.bucketCount)
        XCTAssertEqual(connect.first, #"ordrel_server_connect_time_seconds_bucket{proxy="be_app",server="s1",le="0.0001"} 2"#)
        XCTAssertTrue(connect.contains(#"ordrel_server_connect_time_seconds_bucket{proxy="be_app",server="s1",le="0.00025"} 3"#))
        XCTAssertTrue(connect.contains(#"ordrel_server_connect_time_seconds_bucket{proxy="be_app",server="s1",le="0.0025"} 4"#))
        XCTAssertTrue(connect.contains(#"ordrel_server_connect_time_seconds_bucket{proxy="be_app",server="s1",le="1"} 5"#))
        XCTAssertTrue(connect.contains(#"ordrel_server_connect_time_seconds_bucket{proxy="be_app",server="s1",le="3600"} 5"#))
        XCTAssertEqual(connect.last, #"ordrel_server_connect_time_seconds_bucket{proxy="be_app",server="s1",le="+Inf"} 6"#)
        XCTAssertTrue(text.contains(#"ordrel_server_connect_time_seconds_sum{proxy="be_app",server="s1"} 7200.902241"#))
        XCTAssertTrue(text.contains(#"ordrel_server_connect_time_seconds_count{proxy="be_app",server="s1"} 6"#))
        XCTAssertTrue(text.contains(#"ordrel_backend_session_duration_seconds_bucket{proxy="be_app",le="0.1"} 1"#),
                      "a negative duration counts as 0")
        XCTAssertTrue(text.contains(#"ordrel_backend_session_duration_seconds_sum{proxy="be_app"} 0.250000"#))
        XCTAssertTrue(text.contains("# TYPE ordrel_backend_queue_time_seconds histogram"))
        XCTAssertEqual(text.filter { $0.hasPrefix("# HELP ordrel_server_connect_time_seconds ") }.count, 1)
        XCTAssertFalse(text.contains { $0.contains(#"proxy="li_direct""#) && $0.hasPrefix("ordrel_") },
                       "rows without histograms print none")

        let noMaint = render(PrometheusQuery(requestTarget: "/metrics?no-maint")!, rows: rows)
        XCTAssertFalse(noMaint.contains { $0.hasPrefix("ordrel_server_") && $0.contains(#"server="s4""#) })
        XCTAssertTrue(noMaint.contains { $0.hasPrefix("ordrel_server_") && $0.contains(#"server="s3""#) })
    }

    /// A checked server put in maintenance (haproxy 2.6.12, `set server be_app/s2 state maint`):
    /// its check is paused, so `check_status` and `check_code` go, but `check_duration_seconds`
    /// stays and `agg_check_status` still counts its last result.
    func testMaintenanceKeepsTheLastCheckWhereHaproxyDoes() {
        var rows = capturedRows()
        let s2 = rows.firstIndex { $0.pxname == "be_app" && $0.svname == "s2" }!
        rows[s2].status = "MAINT"
        rows[s2].checkStatus = nil
        rows[s2].checkDuration = nil
        XCTAssertEqual(rows[s2].lastCheck, LastCheck(status: "L4OK", durationMs: 0))
        let text = render(PrometheusQuery(), rows: rows)
        XCTAssertTrue(text.contains(#"haproxy_server_status{proxy="be_app",server="s2",state="MAINT"} 1"#))
        XCTAssertTrue(text.contains(#"haproxy_server_check_duration_seconds{proxy="be_app",server="s2"} 0.000000"#))
        XCTAssertFalse(text.contains { $0.hasPrefix("haproxy_server_check_status{") && $0.contains(#"server="s2""#) })
        XCTAssertFalse(text.contains { $0.hasPrefix("haproxy_server_check_code{") && $0.contains(#"server="s2""#) })
        XCTAssertTrue(text.contains(#"haproxy_backend_agg_check_status{proxy="be_app",state="L4OK"} 1"#))
        XCTAssertTrue(text.contains(#"haproxy_backend_agg_server_status{proxy="be_app",state="MAINT"} 2"#))
    }

    /// An http frontend's request counters are printed with their values, a tcp one's not at all
    /// (promex leaves the http families out for tcp proxies).
    func testHTTPCountersOfHTTPFrontendsOnly() {
        var http = StatsRow(kind: .frontend, pxname: "web", svname: "FRONTEND", iid: 2, sid: 0)
        http.mode = "http"
        (http.hrsp2xx, http.hrsp4xx, http.hrsp1xx, http.hrsp3xx, http.hrsp5xx, http.hrspOther) = (6, 3, 0, 0, 1, 0)
        (http.reqTot, http.reqRateMax, http.intercepted, http.cacheLookups, http.cacheHits) = (10, 4, 7, 0, 0)
        let tcp = StatsRow(kind: .frontend, pxname: "fe_tcp", svname: "FRONTEND", iid: 3, sid: 0)
        let lines = render(PrometheusQuery(), rows: [http, tcp])
        for line in [#"haproxy_frontend_http_responses_total{proxy="web",code="2xx"} 6"#,
                     #"haproxy_frontend_http_responses_total{proxy="web",code="4xx"} 3"#,
                     #"haproxy_frontend_http_responses_total{proxy="web",code="5xx"} 1"#,
                     #"haproxy_frontend_http_requests_total{proxy="web"} 10"#,
                     #"haproxy_frontend_http_requests_rate_max{proxy="web"} 4"#,
                     #"haproxy_frontend_intercepted_requests_total{proxy="web"} 7"#,
                     #"haproxy_frontend_http_cache_lookups_total{proxy="web"} 0"#] {
            XCTAssertTrue(lines.contains(line), line)
        }
        XCTAssertFalse(lines.contains { ($0.contains("_http_") || $0.contains("intercepted")) && $0.hasSuffix(" NaN") })
        XCTAssertFalse(lines.contains { ($0.contains("_http_") || $0.contains("intercepted")) && $0.contains(#"proxy="fe_tcp""#) })
        XCTAssertTrue(lines.contains(#"haproxy_frontend_sessions_total{proxy="fe_tcp"} 0"#), "the tcp frontend is there")
    }

    /// prometheus_client's own parser reads the whole output (haproxy's families and ordrel's
    /// histograms): types, one-hot states, and buckets that add up to `_count`. It needs the
    /// Python package, which `.ci/run` installs into ORDREL_PYTHON's venv.
    func testPrometheusClientParsesTheOutput() throws {
        let python = ProcessInfo.processInfo.environment["ORDREL_PYTHON"] ?? ""
        try XCTSkipUnless(PrometheusParse.available(python),
                          "ORDREL_PYTHON does not name a Python with prometheus_client (.ci/run prepares one)")
        var rows = capturedRows()
        var latency = LatencyHistograms()
        for micros: UInt64 in [300, 1_500, 1_500, 40_000_000] { latency.session.record(micros: micros) }
        latency.queue.record(micros: 20_000)
        for i in rows.indices where rows[i].kind != .frontend { rows[i].latency = latency }
        let text = PrometheusExporter.render(info: capturedInfo(), rows: rows, query: PrometheusQuery())
        let samples = try PrometheusParse.samples(of: text, python: python)

        let types = Dictionary(samples.map { ($0.family, $0.type) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(types["haproxy_frontend_sessions"], "counter", "counters lose _total in the family name")
        XCTAssertEqual(types["haproxy_server_status"], "gauge")
        XCTAssertEqual(types["haproxy_process_build_info"], "gauge")
        XCTAssertEqual(types["ordrel_server_session_duration_seconds"], "histogram")
        XCTAssertEqual(types["ordrel_backend_queue_time_seconds"], "histogram")
        func objects(_ family: String, _ drop: String = "state") -> Set<[String: String]> {
            Set(samples.filter { $0.family == family }.map { $0.labels.filter { $0.key != drop } })
        }
        // One-hot per object is the script's check; here, that every object has its states.
        XCTAssertEqual(objects("haproxy_server_status").count, 5)
        XCTAssertEqual(samples.filter { $0.family == "haproxy_server_status" }.count, 5 * 5)
        XCTAssertEqual(objects("haproxy_backend_status").count, 4)
        XCTAssertEqual(objects("haproxy_frontend_status").count, 4)
        XCTAssertEqual(objects("haproxy_server_check_status"), [["proxy": "be_app", "server": "s1"], ["proxy": "be_app", "server": "s2"]])
        XCTAssertEqual(samples.first { $0.family == "haproxy_server_status" && $0.labels == ["proxy": "be_app", "server": "s3", "state": "DRAIN"] }.flatMap { Double($0.value) }, 1)
        XCTAssertEqual(objects("ordrel_server_session_duration_seconds", "le").count, 5, "one per server")
        XCTAssertEqual(objects("ordrel_backend_queue_time_seconds", "le").count, 4, "one per backend")
        let count = samples.first { $0.name == "ordrel_server_session_duration_seconds_count" && $0.labels["server"] == "d1" }
        XCTAssertEqual(count.flatMap { Double($0.value) }, 4)
        let sum = samples.first { $0.name == "ordrel_server_session_duration_seconds_sum" && $0.labels["server"] == "d1" }
        XCTAssertEqual(sum.flatMap { Double($0.value) } ?? 0, 40.0033, accuracy: 1e-9)
    }

    // MARK: helpers

    private func render(_ query: PrometheusQuery, rows: [StatsRow]? = nil) -> [String] {
        let bytes = PrometheusExporter.render(info: capturedInfo(), rows: rows ?? capturedRows(), query: query)
        return lines(String(decoding: bytes, as: UTF8.self))
    }

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    /// A line without its value: HELP and TYPE lines whole, samples as name and labels.
    private static func shape(_ line: String) -> String {
        line.hasPrefix("#") ? line : String(line[..<(line.lastIndex(of: " ") ?? line.endIndex)])
    }

    private static func metricName(_ line: String) -> String {
        let body = line.hasPrefix("# ") ? line.split(separator: " ")[2] : Substring(line)
        return String(body.prefix { $0 != "{" && $0 != " " })
    }

    private static func proxyLabel(_ line: String) -> String? {
        guard let start = line.range(of: #"proxy=""#) else { return nil }
        return String(line[start.upperBound...].prefix { $0 != "\"" })
    }

    /// The captured `show info` as the runtime would hand it over.
    private func capturedInfo() -> InfoValues {
        var values = InfoValues()
        for line in PrometheusCapture.showInfo.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = String(line[line.index(colon, offsetBy: 2)...])
            values[String(line[..<colon])] = UInt64(value).map { .u($0) } ?? .str(value)
        }
        return values
    }

    /// The captured `show stat` rows, each cell in the `StatsRow` field that produces it.
    private func capturedRows() -> [StatsRow] {
        let csv = PrometheusCapture.showStat.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = csv[0].map { $0.hasPrefix("# ") ? String($0.dropFirst(2)) : $0 }
        return csv.dropFirst().map { cells in
            var cell: [String: String] = [:]
            for (name, value) in zip(header, cells) where !value.isEmpty { cell[name] = value }
            func u(_ name: String) -> UInt64? { cell[name].flatMap { UInt64($0) } }
            let kind = StatsObjectKind(rawValue: UInt8(u("type") ?? 0))!
            var row = StatsRow(kind: kind, pxname: cell["pxname"]!, svname: cell["svname"]!, iid: u("iid")!, sid: u("sid")!)
            row.qcur = u("qcur") ?? 0
            row.qmax = u("qmax") ?? 0
            row.scur = u("scur") ?? 0
            row.smax = u("smax") ?? 0
            row.slim = u("slim")
            row.stot = u("stot") ?? 0
            row.bytesIn = u("bin") ?? 0
            row.bytesOut = u("bout") ?? 0
            row.dreq = u("dreq") ?? 0
            row.dresp = u("dresp") ?? 0
            row.ereq = u("ereq") ?? 0
            row.econ = u("econ") ?? 0
            row.eresp = u("eresp") ?? 0
            row.wretr = u("wretr") ?? 0
            row.wredis = u("wredis") ?? 0
            row.status = cell["status"] ?? ""
            row.weight = u("weight") ?? 0
            row.act = u("act") ?? 0
            row.bck = u("bck") ?? 0
            row.chkfail = u("chkfail")
            row.chkdown = u("chkdown")
            row.lastchg = u("lastchg") ?? 0
            row.downtime = u("downtime")
            row.qlimit = u("qlimit")
            row.throttle = u("throttle")
            row.lbtot = u("lbtot") ?? 0
            row.tracked = cell["tracked"]
            row.rate = u("rate") ?? 0
            row.rateLim = u("rate_lim") ?? 0
            row.rateMax = u("rate_max") ?? 0
            row.checkStatus = cell["check_status"]
            row.checkCode = u("check_code")
            row.checkDuration = u("check_duration")
            // As the runtime fills it: the check behind the cells (none of the captured servers is
            // in maintenance with checks, where the cells would be empty).
            row.lastCheck = cell["check_status"].map { LastCheck(status: $0.replacingOccurrences(of: "* ", with: ""),
                                                                durationMs: u("check_duration") ?? 0) }
            row.cliAbrt = u("cli_abrt") ?? 0
            row.srvAbrt = u("srv_abrt") ?? 0
            row.lastsess = cell["lastsess"].flatMap { Int64($0) } ?? -1
            row.lastChk = cell["last_chk"]
            row.qtime = u("qtime") ?? 0
            row.ctime = u("ctime") ?? 0
            row.rtime = u("rtime") ?? 0
            row.ttime = u("ttime") ?? 0
            row.checkDesc = cell["check_desc"]
            row.checkRise = u("check_rise")
            row.checkFall = u("check_fall")
            row.checkHealth = u("check_health")
            row.addr = cell["addr"]
            row.mode = cell["mode"] ?? "tcp"
            row.algo = cell["algo"]
            row.connRate = u("conn_rate") ?? 0
            row.connRateMax = u("conn_rate_max") ?? 0
            row.connTot = u("conn_tot") ?? 0
            row.dcon = u("dcon") ?? 0
            row.dses = u("dses") ?? 0
            row.connect = u("connect") ?? 0
            row.reuse = u("reuse") ?? 0
            row.srvIcur = u("srv_icur") ?? 0
            row.srcIlim = u("src_ilim")
            row.qtimeMax = u("qtime_max") ?? 0
            row.ctimeMax = u("ctime_max") ?? 0
            row.rtimeMax = u("rtime_max") ?? 0
            row.ttimeMax = u("ttime_max") ?? 0
            row.eint = u("eint") ?? 0
            row.idleConnCur = u("idle_conn_cur") ?? 0
            row.safeConnCur = u("safe_conn_cur") ?? 0
            row.usedConnCur = u("used_conn_cur") ?? 0
            row.needConnEst = u("need_conn_est") ?? 0
            row.uweight = u("uweight") ?? 0
            row.aggServerStatus = u("agg_server_status") ?? 0
            row.aggCheckStatus = u("agg_check_status") ?? 0
            return row
        }
    }
}
