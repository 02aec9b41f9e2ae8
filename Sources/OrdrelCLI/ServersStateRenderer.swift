/// `show servers state` (format version 1, the format `server-state-file` reloads consume).
enum ServersStateRenderer {
    static let header: [UInt8] = Array(("1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state "
        + "srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health "
        + "srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl "
        + "srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n").utf8)

    /// Appends one space-separated row; empty strings print as `-`.
    static func appendRow(_ r: ServerStateRow, into out: inout [UInt8]) {
        @inline(__always) func sp() { out.append(0x20) }
        @inline(__always) func str(_ s: String?) {
            if let s, !s.isEmpty { out.append(s) } else { out.append(UInt8(ascii: "-")) }
        }
        out.appendDecimal(r.backendID); sp()
        str(r.backendName); sp()
        out.appendDecimal(r.serverID); sp()
        str(r.serverName); sp()
        str(r.address); sp()
        out.appendDecimal(UInt64(r.opState)); sp()
        out.appendDecimal(UInt64(r.adminState)); sp()
        out.appendDecimal(UInt64(r.userWeight)); sp()
        out.appendDecimal(UInt64(r.initialWeight)); sp()
        out.appendDecimal(r.secondsSinceLastChange); sp()
        out.appendDecimal(UInt64(r.checkStatus)); sp()
        out.appendDecimal(UInt64(r.checkResult)); sp()
        out.appendDecimal(UInt64(r.checkHealth)); sp()
        out.appendDecimal(UInt64(r.checkState)); sp()
        out.appendDecimal(UInt64(r.agentState)); sp()
        out.appendDecimal(UInt64(r.backendForcedID ? 1 : 0)); sp()
        out.appendDecimal(UInt64(r.serverForcedID ? 1 : 0)); sp()
        str(r.fqdn); sp()
        out.appendDecimal(UInt64(r.port)); sp()
        str(r.srvRecord); sp()
        out.appendDecimal(UInt64(r.useSSL ? 1 : 0)); sp()
        out.appendDecimal(UInt64(r.checkPort)); sp()
        str(r.checkAddress); sp()
        str(r.agentAddress); sp()
        out.appendDecimal(UInt64(r.agentPort))
        out.append(0x0A)
    }
}

/// `show sess` lines in haproxy 2.6's layout; fields ordrel has no equivalent for (buffer flags,
/// analysers) print their idle values.
enum SessionRenderer {
    static func appendID(_ id: UInt64, into out: inout [UInt8]) {
        if id == 0 {
            out.append("(nil)")
        } else {
            out.append("0x")
            out.appendHex(id)
        }
    }

    static func appendLine(_ s: SessionInfo, into out: inout [UInt8]) {
        appendID(s.id, into: &out)
        out.append(": proto=")
        out.append(s.proto)
        out.append(" src=")
        out.append(s.source)
        out.append(" fe=")
        out.append(s.frontend)
        out.append(" be=")
        out.append(s.backend ?? "<NONE>")
        out.append(" srv=")
        out.append(s.server ?? "<none>")
        out.append(" ts=00 epoch=0 age=")
        appendHumanTime(s.ageSeconds, into: &out)
        out.append(" calls=")
        out.appendDecimal(s.calls)
        out.append(" rate=0 cpu=0 lat=0 rq[f=0h,i=0,an=00h,rx=,wx=,ax=] rp[f=0h,i=0,an=00h,rx=,wx=,ax=] scf=[8,0h,fd=")
        out.appendDecimal(Int64(s.frontendFD))
        out.append("] scb=[8,1h,fd=")
        out.appendDecimal(Int64(s.backendFD))
        out.append("] exp=")
        if let e = s.expiresInSeconds { appendHumanTime(e, into: &out) }
        out.append(" rc=0 c_exp=\n")
    }

    /// The detailed `show sess <id>` form, limited to what ordrel knows (no internal pointers).
    static func appendDetail(_ s: SessionInfo, into out: inout [UInt8]) {
        appendID(s.id, into: &out)
        out.append(": [\(s.acceptDate)] id=")
        out.appendDecimal(s.uniqueID)
        out.append(" proto=\(s.proto) source=\(s.source)\n")
        out.append("  frontend=\(s.frontend) (id=\(s.frontendID) mode=tcp), listener=? (id=1) addr=\(s.listenerAddress)\n")
        if let be = s.backend {
            out.append("  backend=\(be) (id=\(s.backendID) mode=tcp) addr=\(s.backendLocalAddress)\n")
        } else {
            out.append("  backend=<NONE> (id=-1 mode=-)\n")
        }
        if let srv = s.server {
            out.append("  server=\(srv) (id=\(s.serverID)) addr=\(s.serverAddress)\n")
        } else {
            out.append("  server=<NONE> (id=-1)\n")
        }
        out.append("  req=(total=\(s.bytesIn))\n  res=(total=\(s.bytesOut))\n")
    }

    /// haproxy's `human_time`: at most two units among d/h/m/s, "0s" for zero.
    static func appendHumanTime(_ t: UInt64, into out: inout [UInt8]) {
        var cnt = 2
        if t >= 86400 {
            out.appendDecimal(t / 86400); out.append(UInt8(ascii: "d")); cnt -= 1
        }
        if cnt > 0 && t % 86400 / 3600 != 0 {
            out.appendDecimal(t % 86400 / 3600); out.append(UInt8(ascii: "h")); cnt -= 1
        }
        if cnt > 0 && t % 3600 / 60 != 0 {
            out.appendDecimal(t % 3600 / 60); out.append(UInt8(ascii: "m")); cnt -= 1
        }
        if (cnt > 0 && t % 60 != 0) || t == 0 {
            out.appendDecimal(t % 60); out.append(UInt8(ascii: "s"))
        }
    }
}
