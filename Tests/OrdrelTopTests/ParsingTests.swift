import OrdrelTop
import XCTest

/// `show stat` and `show info` replies, as haproxy 2.6.12 wrote them, into rows and a header line.
final class ParsingTests: XCTestCase {
    func testRowsOfHaproxysCSV() throws {
        let rows = try StatCSV.parse(Fixtures.haproxyStat)
        XCTAssertEqual(rows.map(\.id), [
            .init(proxy: "fe", service: "FRONTEND"), .init(proxy: "be", service: "s1"), .init(proxy: "be", service: "s2"),
            .init(proxy: "be", service: "BACKEND"),
        ])
        XCTAssertEqual(rows.map(\.kind), [.frontend, .server, .server, .backend])
        let s1 = rows[1]
        XCTAssertEqual(s1.status, "DOWN")
        XCTAssertEqual(s1.checkStatus, "L4CON")
        XCTAssertEqual(s1.checkDuration, "0")
        XCTAssertEqual(s1.lastCheck, "Connection refused")
        XCTAssertEqual(s1.weight, "1")
        XCTAssertEqual(s1.lastChange, "2")
        XCTAssertEqual(rows[0].sessionsLimit, "9985")
        XCTAssertEqual(rows[0].bytesIn, "84")
        XCTAssertEqual(rows[2].status, "no check")
        XCTAssertEqual(rows[3].sessionsMax, "1")
    }

    func testColumnsAreFoundByName() throws {
        let rows = try StatCSV.parse("# svname,pxname,type,status,scur,\nsrv,be,2,UP,7,\n\n")
        XCTAssertEqual(rows, [StatRow(id: .init(proxy: "be", service: "srv"), kind: .server, status: "UP", sessionsCurrent: "7")])
    }

    func testNoCSVHeaderIsAnError() {
        XCTAssertThrowsError(try StatCSV.parse("Unknown command: 'show stat'\n\n")) {
            XCTAssertEqual("\($0)", "show stat: no CSV header, got: Unknown command: 'show stat'")
        }
        XCTAssertThrowsError(try StatCSV.parse("")) {
            XCTAssertEqual("\($0)", "show stat: no CSV header, got: an empty reply")
        }
        XCTAssertThrowsError(try StatCSV.parse("# pxname,svname,status,\nbe,s1,UP,\n")) {
            XCTAssertEqual("\($0)", "show stat: the header has no type column")
        }
    }

    func testShortOrUnknownRowsNameTheirLine() {
        XCTAssertThrowsError(try StatCSV.parse("# pxname,svname,type,status,scur,smax,\nbe,s1,2,UP,0,0,\nbe,s2,2\n")) {
            XCTAssertEqual("\($0)", "show stat: line 3 has 3 cells, the header 6")
        }
        XCTAssertThrowsError(try StatCSV.parse("# pxname,svname,type,status,\nbe,s1,9,UP,\n")) {
            XCTAssertEqual("\($0)", "show stat: line 2 has type '9'")
        }
    }

    func testInfoHeaderLine() {
        let info = InfoSummary(parsing: Fixtures.haproxyInfo)
        XCTAssertEqual(info.fields["Uptime"], "0d 0h00m01s")
        XCTAssertEqual(info.line, "HAProxy 2.6.12-1+deb12u4  pid 22480  up 0d 0h00m01s  conns 3/9985  rate 5/s  threads 2")
        XCTAssertEqual(InfoSummary(parsing: "Name: ordrel\nCurrConns: 1\n").line, "ordrel  conns 1/-")
    }

    func testKeys() {
        let esc: UInt8 = 0x1b
        func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
        XCTAssertEqual(KeyDecoder.decode([esc] + bytes("[A") + [esc] + bytes("[B") + [esc] + bytes("OA") + [esc] + bytes("OB")),
                       [.up, .down, .up, .down])
        XCTAssertEqual(KeyDecoder.decode([esc] + bytes("[5~") + [esc] + bytes("[6~") + [esc] + bytes("[H") + [esc] + bytes("[F")
                                         + [esc] + bytes("[1~") + [esc] + bytes("[4~")),
                       [.pageUp, .pageDown, .home, .end, .home, .end])
        XCTAssertEqual(KeyDecoder.decode(bytes("jkq>") + [3]), [.character("j"), .character("k"), .character("q"), .character(">"), .interrupt])
        // A lone escape, an unknown sequence, a sequence cut at the end of the read, a control byte.
        XCTAssertEqual(KeyDecoder.decode([esc, UInt8(ascii: "x")]), [.other, .character("x")])
        XCTAssertEqual(KeyDecoder.decode([esc] + bytes("[1;5Cq")), [.other, .character("q")])
        XCTAssertEqual(KeyDecoder.decode([esc] + bytes("[12")), [.other])
        XCTAssertEqual(KeyDecoder.decode([0x7f, 0xc3]), [.other, .other])
    }
}

enum Fixtures {
    /// haproxy 2.6.12's `show stat` for a frontend and a backend with a checked, refused server.
    static let haproxyStat = """
    # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,
    fe,FRONTEND,,,0,1,9985,1,84,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,1,,,,,,,,,,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,tcp,,0,1,1,,0,0,0,,,,,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    be,s1,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,2,2,,1,3,1,,0,,2,0,,0,L4CON,,0,,,,,,,,,,,0,0,,,,,-1,Connection refused,,0,0,0,0,,,,Layer4 connection problem,,2,3,0,,,,127.0.0.1:19502,,tcp,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
    be,s2,0,0,0,1,,1,84,0,,0,,0,0,0,0,no check,1,1,0,,,2,,,1,3,2,,1,,2,0,,1,,,,,,,,,,,,,,0,0,,,,,0,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:19503,,tcp,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
    be,BACKEND,0,0,0,1,999,1,84,0,0,0,,0,0,0,0,UP,1,1,0,,0,2,0,,1,3,0,,1,,1,0,,1,,,,,,,,,,,,,,0,0,0,0,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,tcp,roundrobin,,,,,,,0,0,0,,,,,0,0,0,0,0,,,,,1,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,


    """

    static let haproxyInfo = """
    Name: HAProxy
    Version: 2.6.12-1+deb12u4
    Release_date: 2026/10/17
    Nbthread: 2
    Pid: 22480
    Uptime: 0d 0h00m01s
    Maxconn: 9985
    CurrConns: 3
    SessRate: 5


    """
}
