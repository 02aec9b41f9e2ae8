/// Which kind of object a `show stat` row describes.
public enum StatsObjectKind: UInt8, Sendable {
    /// A FRONTEND row (CSV type 0, typed letter F, JSON "Frontend").
    case frontend = 0
    /// A BACKEND row (CSV type 1, typed letter B, JSON "Backend").
    case backend = 1
    /// A server row (CSV type 2, typed letter S, JSON "Server").
    case server = 2
}

/// One `show stat` line. `nil` means "empty cell"; a cell is printed only where haproxy 2.6
/// prints it for this object kind in TCP mode (see `StatsColumns.all`), so the runtime can fill
/// every field it knows without caring about haproxy's per-kind emptiness rules.
/// Conditional cells (server check fields, slim/qlimit when unlimited...) are optional and must be
/// `nil` exactly when haproxy leaves them empty.
public struct StatsRow: Sendable {
    public var kind: StatsObjectKind
    public var pxname: String
    /// "FRONTEND", "BACKEND" or the server name.
    public var svname: String
    /// Proxy numeric id.
    public var iid: UInt64
    /// Server id within the proxy; 0 for FRONTEND/BACKEND.
    public var sid: UInt64
    public var qcur: UInt64 = 0
    public var qmax: UInt64 = 0
    public var scur: UInt64 = 0
    public var smax: UInt64 = 0
    /// FE maxconn, BE fullconn, server maxconn (`nil` when the server has none).
    public var slim: UInt64?
    public var stot: UInt64 = 0
    public var bytesIn: UInt64 = 0
    public var bytesOut: UInt64 = 0
    public var dreq: UInt64 = 0
    public var dresp: UInt64 = 0
    public var ereq: UInt64 = 0
    public var econ: UInt64 = 0
    public var eresp: UInt64 = 0
    public var wretr: UInt64 = 0
    public var wredis: UInt64 = 0
    /// OPEN/STOP/PAUSED, UP/DOWN, or a server status string (`UP 1/3`, `MAINT`, `no check`...).
    public var status: String = ""
    public var weight: UInt64 = 0
    public var act: UInt64 = 0
    public var bck: UInt64 = 0
    /// Server: only when checks are enabled.
    public var chkfail: UInt64?
    /// Server: only when checks are enabled; backend: always.
    public var chkdown: UInt64?
    /// Seconds since the last state change.
    public var lastchg: UInt64 = 0
    /// Server: only when checks are enabled; backend: always.
    public var downtime: UInt64?
    /// Server maxqueue (`nil` when unlimited).
    public var qlimit: UInt64?
    /// Slowstart throttle percentage (`nil` outside slowstart).
    public var throttle: UInt64?
    public var lbtot: UInt64 = 0
    /// "proxy/server" this server tracks.
    public var tracked: String?
    public var rate: UInt64 = 0
    /// Frontend session rate limit (0 = none).
    public var rateLim: UInt64 = 0
    public var rateMax: UInt64 = 0
    /// Last check status code (`L4OK`, `L4CON`, `* L4OK` while running...); `nil` without checks.
    public var checkStatus: String?
    public var checkCode: UInt64?
    /// Last check duration in ms; `nil` without checks.
    public var checkDuration: UInt64?
    /// Responses per status class (`hrsp_1xx`...`hrsp_other`): `mode http` rows only.
    public var hrsp1xx: UInt64?
    public var hrsp2xx: UInt64?
    public var hrsp3xx: UInt64?
    public var hrsp4xx: UInt64?
    public var hrsp5xx: UInt64?
    public var hrspOther: UInt64?
    /// Frontend HTTP requests per second and its maximum (0 for a tcp frontend, as haproxy).
    public var reqRate: UInt64 = 0
    public var reqRateMax: UInt64 = 0
    /// HTTP requests (`req_tot`): every frontend (0 from the start), and backends in `mode http`.
    public var reqTot: UInt64?
    /// Requests answered by the proxy itself (`intercepted`): `mode http` frontends only.
    public var intercepted: UInt64?
    /// Cache lookups and hits (`cache_lookups`, `cache_hits`): `mode http` frontends and backends.
    public var cacheLookups: UInt64?
    public var cacheHits: UInt64?
    public var cliAbrt: UInt64 = 0
    public var srvAbrt: UInt64 = 0
    /// Seconds since last session assigned, -1 = never.
    public var lastsess: Int64 = -1
    /// Last check output, e.g. "Connection refused".
    public var lastChk: String?
    /// Last agent report, e.g. "via agent : up"; `nil` without an enabled agent.
    public var lastAgt: String?
    /// Agent columns (`agent_status` "L7OK", "* L4CON" while running...); `nil` without an enabled agent.
    public var agentStatus: String?
    /// 0 for statuses that carry a code (L7OK, L7STS); `nil` otherwise.
    public var agentCode: UInt64?
    public var agentDuration: UInt64?
    public var agentDesc: String?
    public var agentRise: UInt64?
    public var agentFall: UInt64?
    public var agentHealth: UInt64?
    public var qtime: UInt64 = 0
    public var ctime: UInt64 = 0
    public var rtime: UInt64 = 0
    public var ttime: UInt64 = 0
    /// e.g. "Layer4 check passed"; `nil` without checks.
    public var checkDesc: String?
    public var checkRise: UInt64?
    public var checkFall: UInt64?
    public var checkHealth: UInt64?
    /// "ip:port"; hidden automatically below operator level.
    public var addr: String?
    public var mode: String = "tcp"
    /// Backend LB algorithm; hidden automatically below operator level.
    public var algo: String?
    public var connRate: UInt64 = 0
    public var connRateMax: UInt64 = 0
    public var connTot: UInt64 = 0
    public var dcon: UInt64 = 0
    public var dses: UInt64 = 0
    public var connect: UInt64 = 0
    public var reuse: UInt64 = 0
    public var srvIcur: UInt64 = 0
    public var srcIlim: UInt64?
    public var qtimeMax: UInt64 = 0
    public var ctimeMax: UInt64 = 0
    public var rtimeMax: UInt64 = 0
    public var ttimeMax: UInt64 = 0
    public var eint: UInt64 = 0
    public var idleConnCur: UInt64 = 0
    public var safeConnCur: UInt64 = 0
    public var usedConnCur: UInt64 = 0
    public var needConnEst: UInt64 = 0
    public var uweight: UInt64 = 0
    public var aggServerStatus: UInt64 = 0
    public var aggCheckStatus: UInt64 = 0
    /// Queue, connect and session time histograms of a backend or server: the Prometheus
    /// exporter's `ordrel_*_seconds` families. No CSV column shows them; `nil` on FRONTEND rows
    /// and on the rows the runtime builds for anything but the exporter.
    public var latency: LatencyHistograms? {
        get { latencyBox?.histograms }
        set { latencyBox = newValue.map(LatencyBox.init) }
    }
    /// Boxed: 576 bytes of buckets inline made every row, and every copy of it while the page
    /// or `show stat` builds and reads it, that much larger, for the exporter alone to read.
    private var latencyBox: LatencyBox?
    /// The server's last health check as haproxy's exporter reads it: from the check itself, so
    /// still there while `disable health` or maintenance empty the `show stat` check cells; nil
    /// without `check`. No CSV column shows it.
    public var lastCheck: LastCheck?
    /// `qtime`, `ctime` and `ttime` over haproxy's whole 1024-sample window, as its exporter
    /// reads them (`show stat` divides by fewer samples until 1024 streams were balanced); nil
    /// where unknown, such as rows parsed back from a CSV. No CSV column shows them.
    public var windowAverages: WindowAverages?

    public init(kind: StatsObjectKind, pxname: String, svname: String, iid: UInt64, sid: UInt64) {
        self.kind = kind
        self.pxname = pxname
        self.svname = svname
        self.iid = iid
        self.sid = sid
        if kind == .frontend { reqTot = 0 }
    }

    /// The value of one fillable field.
    @inline(__always)
    func cell(_ f: StatField) -> StatCell {
        switch f {
        case .pxname: return .str(pxname)
        case .svname: return .str(svname)
        case .qcur: return .u(qcur)
        case .qmax: return .u(qmax)
        case .scur: return .u(scur)
        case .smax: return .u(smax)
        case .slim: return StatCell(slim)
        case .stot: return .u(stot)
        case .bytesIn: return .u(bytesIn)
        case .bytesOut: return .u(bytesOut)
        case .dreq: return .u(dreq)
        case .dresp: return .u(dresp)
        case .ereq: return .u(ereq)
        case .econ: return .u(econ)
        case .eresp: return .u(eresp)
        case .wretr: return .u(wretr)
        case .wredis: return .u(wredis)
        case .status: return .str(status)
        case .weight: return .u(weight)
        case .act: return .u(act)
        case .bck: return .u(bck)
        case .chkfail: return StatCell(chkfail)
        case .chkdown: return StatCell(chkdown)
        case .lastchg: return .u(lastchg)
        case .downtime: return StatCell(downtime)
        case .qlimit: return StatCell(qlimit)
        case .iid: return .u(iid)
        case .sid: return .u(sid)
        case .throttle: return StatCell(throttle)
        case .lbtot: return .u(lbtot)
        case .tracked: return StatCell(tracked)
        case .kindCode: return .u(UInt64(kind.rawValue))
        case .rate: return .u(rate)
        case .rateLim: return .u(rateLim)
        case .rateMax: return .u(rateMax)
        case .checkStatus: return StatCell(checkStatus)
        case .checkCode: return StatCell(checkCode)
        case .checkDuration: return StatCell(checkDuration)
        case .hrsp1xx: return StatCell(hrsp1xx)
        case .hrsp2xx: return StatCell(hrsp2xx)
        case .hrsp3xx: return StatCell(hrsp3xx)
        case .hrsp4xx: return StatCell(hrsp4xx)
        case .hrsp5xx: return StatCell(hrsp5xx)
        case .hrspOther: return StatCell(hrspOther)
        case .reqRate: return .u(reqRate)
        case .reqRateMax: return .u(reqRateMax)
        case .reqTot: return StatCell(reqTot)
        case .intercepted: return StatCell(intercepted)
        case .cacheLookups: return StatCell(cacheLookups)
        case .cacheHits: return StatCell(cacheHits)
        case .cliAbrt: return .u(cliAbrt)
        case .srvAbrt: return .u(srvAbrt)
        case .lastsess: return .s(lastsess)
        case .lastChk: return StatCell(lastChk)
        case .lastAgt: return StatCell(lastAgt)
        case .agentStatus: return StatCell(agentStatus)
        case .agentCode: return StatCell(agentCode)
        case .agentDuration: return StatCell(agentDuration)
        case .agentDesc: return StatCell(agentDesc)
        case .agentRise: return StatCell(agentRise)
        case .agentFall: return StatCell(agentFall)
        case .agentHealth: return StatCell(agentHealth)
        case .qtime: return .u(qtime)
        case .ctime: return .u(ctime)
        case .rtime: return .u(rtime)
        case .ttime: return .u(ttime)
        case .checkDesc: return StatCell(checkDesc)
        case .checkRise: return StatCell(checkRise)
        case .checkFall: return StatCell(checkFall)
        case .checkHealth: return StatCell(checkHealth)
        case .addr: return StatCell(addr)
        case .mode: return .str(mode)
        case .algo: return StatCell(algo)
        case .connRate: return .u(connRate)
        case .connRateMax: return .u(connRateMax)
        case .connTot: return .u(connTot)
        case .dcon: return .u(dcon)
        case .dses: return .u(dses)
        case .connect: return .u(connect)
        case .reuse: return .u(reuse)
        case .srvIcur: return .u(srvIcur)
        case .srcIlim: return StatCell(srcIlim)
        case .qtimeMax: return .u(qtimeMax)
        case .ctimeMax: return .u(ctimeMax)
        case .rtimeMax: return .u(rtimeMax)
        case .ttimeMax: return .u(ttimeMax)
        case .eint: return .u(eint)
        case .idleConnCur: return .u(idleConnCur)
        case .safeConnCur: return .u(safeConnCur)
        case .usedConnCur: return .u(usedConnCur)
        case .needConnEst: return .u(needConnEst)
        case .uweight: return .u(uweight)
        case .aggServerStatus: return .u(aggServerStatus)
        case .aggCheckStatus: return .u(aggCheckStatus)
        }
    }
}

/// A row's histograms, shared by its copies.
final class LatencyBox: Sendable {
    let histograms: LatencyHistograms

    init(_ histograms: LatencyHistograms) { self.histograms = histograms }
}

/// A server's last health check: its `check_status` code ("INI" until one completes) and how
/// long it took.
public struct LastCheck: Sendable, Equatable {
    public var status: String
    public var durationMs: UInt64

    public init(status: String, durationMs: UInt64) {
        self.status = status
        self.durationMs = durationMs
    }
}

/// The `StatsRow` properties a column can read.
enum StatField {
    case pxname, svname, qcur, qmax, scur, smax, slim, stot, bytesIn, bytesOut, dreq, dresp, ereq, econ, eresp
    case wretr, wredis, status, weight, act, bck, chkfail, chkdown, lastchg, downtime, qlimit, iid, sid, throttle
    case lbtot, tracked, kindCode, rate, rateLim, rateMax, checkStatus, checkCode, checkDuration, cliAbrt, srvAbrt
    case lastsess, lastChk, qtime, ctime, rtime, ttime, checkDesc, checkRise, checkFall, checkHealth, addr, mode
    case algo, connRate, connRateMax, connTot, dcon, dses, connect, reuse, srvIcur, srcIlim, qtimeMax, ctimeMax
    case rtimeMax, ttimeMax, eint, idleConnCur, safeConnCur, usedConnCur, needConnEst, uweight, aggServerStatus
    case aggCheckStatus, lastAgt, agentStatus, agentCode, agentDuration, agentDesc, agentRise, agentFall, agentHealth
    case hrsp1xx, hrsp2xx, hrsp3xx, hrsp4xx, hrsp5xx, hrspOther, reqRate, reqRateMax, reqTot, intercepted
    case cacheLookups, cacheHits
}

/// One cell value before formatting.
enum StatCell {
    /// Not printed.
    case empty
    /// Unsigned number.
    case u(UInt64)
    /// Signed number.
    case s(Int64)
    /// Text.
    case str(String)

    @inline(__always) init(_ v: UInt64?) { self = v.map { .u($0) } ?? .empty }
    @inline(__always) init(_ v: String?) { self = v.map { .str($0) } ?? .empty }
}

/// Average times in milliseconds over the full sample window (`StatsRow.windowAverages`).
public struct WindowAverages: Sendable, Equatable {
    public var queue: UInt64
    public var connect: UInt64
    public var total: UInt64

    public init(queue: UInt64, connect: UInt64, total: UInt64) {
        self.queue = queue
        self.connect = connect
        self.total = total
    }

    /// The window average standing for `field`, if it is one of the averaged times.
    func value(of field: StatField) -> UInt64? {
        switch field {
        case .qtime: return queue
        case .ctime: return connect
        case .ttime: return total
        default: return nil
        }
    }
}
