/// Where a column's value comes from.
enum StatSource {
    /// A `StatsRow` property.
    case field(StatField)
    /// A value ordrel has no notion of but haproxy prints in TCP mode (HTTP/SSL/H2 counters stay 0, pid is 1).
    case constant(UInt64)
    /// haproxy 2.6 leaves it empty for every object kind in TCP mode.
    case never
    /// The `-` marker between fixed columns and module columns (always printed as `-` in CSV).
    case separator
}

/// Typed-output value type.
enum StatType: UInt8 {
    case u32, u64, s32, s64, str

    var bytes: [UInt8] {
        switch self {
        case .u32: return Array("u32".utf8)
        case .u64: return Array("u64".utf8)
        case .s32: return Array("s32".utf8)
        case .s64: return Array("s64".utf8)
        case .str: return Array("str".utf8)
        }
    }
}

/// One column of `show stat`: its name, and for each object kind whether haproxy fills it and with
/// which typed tags/type. Everything a renderer needs is precomputed once.
public struct StatsColumn: Sendable {
    public let name: String
    let source: StatSource
    /// Description printed by `desc`.
    let desc: String
    /// Position in typed/JSON output (module columns after `-` shift down by one).
    let typedPos: Int
    /// Per kind (frontend, backend, server): nil = always empty for that kind.
    let specs: [KindSpec?]

    /// How a column renders for one object kind.
    struct KindSpec: Sendable {
        let type: StatType
        /// `<pos>.<name>.1:<tags>:<type>:` (typed output, after the object prefix).
        let typedSuffix: [UInt8]
        /// `"field":{"pos":P,"name":"N"},"processNum":1,"tags":{...},"value":{"type":"T","value":` (JSON).
        let jsonMiddle: [UInt8]
    }

    init(name: String, fe: String?, be: String?, srv: String?, source: StatSource, desc: String) {
        self.name = name
        self.source = source
        self.desc = desc
        self.typedPos = StatsColumns.nextTypedPos(name)
        let pos = typedPos
        self.specs = [fe, be, srv].map { spec in
            guard let spec else { return nil }
            let parts = spec.split(separator: ":")
            let tags = String(parts[0])
            let type: StatType
            switch parts[1] {
            case "u32": type = .u32
            case "u64": type = .u64
            case "s32": type = .s32
            case "s64": type = .s64
            default: type = .str
            }
            var typed: [UInt8] = []
            typed.appendDecimal(UInt64(pos))
            typed.append(".\(name).1:\(tags):\(parts[1]):")
            var json: [UInt8] = []
            json.append("\"field\":{\"pos\":\(pos),\"name\":\"\(name)\"},\"processNum\":1,\"tags\":")
            json.append(StatTags.json(tags))
            json.append(",\"value\":{\"type\":\"\(parts[1])\",\"value\":")
            return KindSpec(type: type, typedSuffix: typed, jsonMiddle: json)
        }
    }
}

/// Namespace of the single column table (`all`, in StatsColumnTable.swift) and derived data.
public enum StatsColumns {
    /// Typed positions skip the `-` separator: columns after it are numbered one lower.
    static func nextTypedPos(_ name: String) -> Int {
        guard let idx = csvIndex[name] else { return 0 }
        return idx > separatorIndex ? idx - 1 : idx
    }

    /// CSV position of each column name, from the canonical header.
    static let csvIndex: [String: Int] = {
        var m: [String: Int] = [:]
        for (i, n) in headerNames.enumerated() { m[n] = i }
        return m
    }()

    static let separatorIndex: Int = headerNames.firstIndex(of: "-") ?? Int.max

    /// The 128 column names of haproxy 2.6.12, in order.
    public static let headerNames: [String] = "pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out"
        .split(separator: ",").map(String.init)

    /// `# pxname,svname,...,h1_spliced_bytes_out,\n` exactly as haproxy 2.6.12 prints it.
    public static let csvHeader: [UInt8] = {
        var b: [UInt8] = Array("# ".utf8)
        for n in headerNames {
            b.append(n)
            b.append(UInt8(ascii: ","))
        }
        b.append(UInt8(ascii: "\n"))
        return b
    }()
}

/// Expansion of 3-letter tags (origin, nature, scope; management.txt §9.2) into the JSON object.
enum StatTags {
    static func json(_ tags: String) -> String {
        let c = Array(tags)
        let origin: String
        switch c[0] {
        case "M": origin = "Metric"
        case "S": origin = "Status"
        case "K": origin = "Key"
        case "C": origin = "Config"
        case "P": origin = "Product"
        default: origin = "Unknown"
        }
        let nature: String
        switch c[1] {
        case "A": nature = "Age"
        case "a": nature = "Avg"
        case "C": nature = "Counter"
        case "D": nature = "Duration"
        case "G": nature = "Gauge"
        case "L": nature = "Limit"
        case "M": nature = "Max"
        case "m": nature = "Min"
        case "N": nature = "Name"
        case "O": nature = "Output"
        case "R": nature = "Rate"
        case "T": nature = "Time"
        default: nature = "Unknown"
        }
        let scope: String
        switch c[2] {
        case "C": scope = "Cluster"
        case "P": scope = "Process"
        case "S": scope = "Service"
        case "s": scope = "System"
        default: scope = "Unknown"
        }
        return "{\"origin\":\"\(origin)\",\"nature\":\"\(nature)\",\"scope\":\"\(scope)\"}"
    }
}
