/// The stats page's HTML, as haproxy 2.6's `stats_dump_html_*` write it: the same head and
/// CSS, the process block, one table per proxy with the same columns, tooltips, CSS classes by
/// server state, and the admin form when `stats admin` allows it.
struct StatsPageHTML {
    let request: StatsPageRequest
    let snapshot: StatsSnapshot
    private var out = ""

    init(request: StatsPageRequest, snapshot: StatsSnapshot) {
        self.request = request
        self.snapshot = snapshot
    }

    static func render(_ request: StatsPageRequest, _ snapshot: StatsSnapshot) -> [UInt8] {
        var page = StatsPageHTML(request: request, snapshot: snapshot)
        page.head()
        page.processInfo()
        for proxy in snapshot.proxies where request.shows(proxy: proxy.name) {
            page.proxyTable(proxy)
        }
        page.out += "</body></html>\n"
        return Array(page.out.utf8)
    }

    private var config: StatsPageSettings { request.config }
    private var product: String { snapshot.info["Name"].map(Self.text) ?? "HAProxy" }
    private var node: String? {
        config.showNode.map { $0.isEmpty ? snapshot.nodeName : $0 }
    }
    private var admin: Bool { request.adminAllowed }

    private mutating func head() {
        let onNode = node.map { " on \(Self.escape($0))" } ?? ""
        out += """
            <!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"
            "http://www.w3.org/TR/html4/loose.dtd">
            <html><head><title>Statistics Report for \(product)\(onNode)</title>

            """
        out += Self.css
        out += "\n</style></head>\n"
    }

    private mutating func processInfo() {
        let info = snapshot.info
        func value(_ name: String) -> String { info[name].map(Self.text) ?? "0" }
        let version = config.hideVersion ? "" : " version \(value("Version")), released \(value("Release_date"))"
        // Without text, haproxy shows the global `description`, which ordrel does not keep.
        let description = config.showDescription.flatMap { $0.isEmpty ? nil : ": \(Self.escape($0))" } ?? ""
        out += "<body><h1><a href=\"http://www.haproxy.org/\" style=\"text-decoration: none;\">\(product)\(version)</a></h1>\n"
        out += "<h2>Statistics Report for pid \(value("Pid"))\(node.map { " on \(Self.escape($0))" } ?? "")\(description)</h2>\n"
        out += "<hr width=\"100%\" class=\"hr\">\n<h3>&gt; General process information</h3>\n"
        let pipesUsed = value("PipesUsed")
        let pipesTotal = (UInt64(pipesUsed) ?? 0) + (UInt64(value("PipesFree")) ?? 0)
        out += """
            <table border=0><tr><td align="left" nowrap width="1%">
            <p><b>pid = </b> \(value("Pid")) (process #1, nbproc = 1, nbthread = \(value("Nbthread")))<br>
            <b>uptime = </b> \(value("Uptime"))<br>
            <b>system limits:</b> memmax = unlimited; ulimit-n = \(value("Ulimit-n"))<br>
            <b>maxsock = </b> \(value("Maxsock")); <b>maxconn = </b> \(value("Maxconn")); <b>maxpipes = </b> \(value("Maxpipes"))<br>
            current conns = \(value("CurrConns")); current pipes = \(pipesUsed)/\(pipesTotal); conn rate = \(value("ConnRate"))/sec; bit rate = 0.000 kbps<br>
            Running tasks: \(value("Run_queue"))/\(value("Tasks")); idle = \(value("Idle_pct")) %<br>
            </td><td align="center" nowrap>

            """
        out += Self.legend
        let prefix = config.uriPrefix
        let up = request.hideDown ? ";up" : ""
        let norefresh = request.noRefresh ? ";norefresh" : ""
        let scope = request.scopeSuffix
        out += "<td align=\"left\" valign=\"top\" nowrap width=\"1%\"><b>Display option:</b><ul style=\"margin-top: 0.25em;\">"
        out += "<li><form method=\"GET\">Scope : <input value=\"\(Self.escape(request.scope))\" name=\"scope\" size=\"8\" maxlength=\"20\" tabindex=\"1\"/></form>\n"
        out += request.hideDown
            ? "<li><a href=\"\(prefix)\(norefresh)\(scope)\">Show all servers</a><br>\n"
            : "<li><a href=\"\(prefix);up\(norefresh)\(scope)\">Hide 'DOWN' servers</a><br>\n"
        if config.refreshSeconds > 0 {
            out += request.noRefresh
                ? "<li><a href=\"\(prefix)\(up)\(scope)\">Enable refresh</a><br>\n"
                : "<li><a href=\"\(prefix)\(up);norefresh\(scope)\">Disable refresh</a><br>\n"
        }
        out += "<li><a href=\"\(prefix)\(up)\(norefresh)\(scope)\">Refresh now</a><br>\n"
        let exportRefresh = config.refreshSeconds > 0 ? ";norefresh" : ""
        out += "<li><a href=\"\(prefix);csv\(exportRefresh)\(scope)\">CSV export</a><br>\n"
        out += "<li><a href=\"\(prefix);json\(exportRefresh)\(scope)\">JSON export</a> (<a href=\"\(prefix);json-schema\">schema</a>)<br>\n"
        out += """
            </ul></td><td align="left" valign="top" nowrap width="1%"><b>External resources:</b><ul style="margin-top: 0.25em;">
            <li><a href="http://www.haproxy.org/">Primary site</a><br>
            <li><a href="http://www.haproxy.org/#down">Updates (v2.6)</a><br>
            <li><a href="http://www.haproxy.org/#docs">Online manual</a><br>
            </ul></td></tr></table>

            """
        if let code = request.statusCode { statusMessage(code) }
    }

    /// The result of an admin action (`;st=`), with haproxy's wording and colours.
    private mutating func statusMessage(_ code: String) {
        let (style, text): (String, String)
        switch code {
        case "DONE": (style, text) = ("active_up", "Action processed successfully.")
        case "NONE": (style, text) = ("active_going_down", "Nothing has changed.")
        case "PART": (style, text) = ("active_going_down", "Action partially processed.<br>Some server names are probably unknown or ambiguous (duplicated names in the backend).")
        case "ERRP": (style, text) = ("active_down", "Action not processed because of invalid parameters.<ul><li>The action is maybe unknown.</li><li>Invalid key parameter (empty or too long).</li><li>The backend name is probably unknown or ambiguous (duplicated names).</li><li>Some server names are probably unknown or ambiguous (duplicated names in the backend).</li></ul>")
        case "EXCD": (style, text) = ("active_down", "<b>Action not processed : the buffer couldn't store all the data.<br>You should retry with less servers at a time.</b>")
        case "DENY": (style, text) = ("active_down", "<b>Action denied.</b>")
        case "IVAL": (style, text) = ("active_down", "<b>Invalid requests (unsupported method or chunked encoded request).</b>")
        default: (style, text) = ("active_no_check", "Unexpected result.")
        }
        out += "<p><div class=\(style)><a class=lfsb href=\"\(config.uriPrefix)\(request.linkSuffix)\" title=\"Remove this message\">[X]</a> \(text)</div>\n<p>\n"
    }

    private mutating func proxyTable(_ proxy: StatsPageProxy) {
        let form = admin && proxy.hasServers
        let name = Self.escape(proxy.name)
        if form { out += "<form method=\"post\">" }
        out += "<table class=\"tbl\" width=\"100%\">\n<tr class=\"titre\"><th class=\"pxname\" width=\"10%\">"
        out += "<a name=\"\(name)\"></a>\(config.showLegends ? "<u>" : "")<a class=px href=\"#\(name)\">\(name)</a>"
        if config.showLegends {
            out += "<div class=tips>cap: \(proxy.capability), mode: \(proxy.mode), id: \(proxy.id)</div>"
        }
        let description = proxy.description.map(Self.escape)
        out += "\(config.showLegends ? "</u>" : "")</th><th class=\"\(description == nil ? "empty" : "desc")\" width=\"90%\">\(description ?? "")</th></tr>\n</table>\n"
        out += "<table class=\"tbl\" width=\"100%\">\n<tr class=\"titre\">"
        if admin {
            out += form
                ? "<th rowspan=2 width=1><input type=\"checkbox\" onclick=\"for(c in document.getElementsByClassName('\(name)-checkbox')) document.getElementsByClassName('\(name)-checkbox').item(c).checked = this.checked\"></th>"
                : "<th rowspan=2></th>"
        }
        out += """
            <th rowspan=2></th><th colspan=3>Queue</th><th colspan=3>Session rate</th><th colspan=6>Sessions</th>\
            <th colspan=2>Bytes</th><th colspan=2>Denied</th><th colspan=3>Errors</th><th colspan=2>Warnings</th>\
            <th colspan=9>Server</th></tr>
            <tr class="titre"><th>Cur</th><th>Max</th><th>Limit</th><th>Cur</th><th>Max</th><th>Limit</th>\
            <th>Cur</th><th>Max</th><th>Limit</th><th>Total</th><th>LbTot</th><th>Last</th><th>In</th><th>Out</th>\
            <th>Req</th><th>Resp</th><th>Req</th><th>Conn</th><th>Resp</th><th>Retr</th><th>Redis</th>\
            <th>Status</th><th>LastChk</th><th>Wght</th><th>Act</th><th>Bck</th><th>Chk</th><th>Dwn</th><th>Dwntme</th><th>Thrtle</th>
            </tr>
            """
        for row in proxy.rows where request.accepts(row) {
            switch row.kind {
            case .frontend: frontendRow(row)
            case .server: serverRow(row)
            case .backend: backendRow(row)
            }
        }
        out += "</table>"
        if form {
            out += "Choose the action to perform on the checked servers : <select name=action>"
            for (value, label) in Self.actions { out += "<option value=\"\(value)\">\(label)</option>" }
            out += "</select><input type=\"hidden\" name=\"b\" value=\"#\(proxy.id)\">&nbsp;<input type=\"submit\" value=\"Apply\"></form>"
        }
        out += "<p>\n"
    }

    private mutating func frontendRow(_ r: StatsRow) {
        let name = Self.escape(r.pxname)
        let http = r.mode == "http"
        out += "<tr class=\"frontend\">\(admin ? "<td></td>" : "")<td class=ac><a name=\"\(name)/Frontend\"></a><a class=lfsb href=\"#\(name)/Frontend\">Frontend</a></td><td colspan=3></td>"
        out += "<td><u>\(Self.u2h(r.rate))<div class=tips><table class=det><tr><th>Current connection rate:</th><td>\(Self.u2h(r.connRate))/s</td></tr><tr><th>Current session rate:</th><td>\(Self.u2h(r.rate))/s</td></tr>"
        if http { out += "<tr><th>Current request rate:</th><td>\(Self.u2h(r.rate))/s</td></tr>" }
        out += "</table></div></u></td><td><u>\(Self.u2h(r.rateMax))<div class=tips><table class=det><tr><th>Max connection rate:</th><td>\(Self.u2h(r.connRateMax))/s</td></tr><tr><th>Max session rate:</th><td>\(Self.u2h(r.rateMax))/s</td></tr>"
        if http { out += "<tr><th>Max request rate:</th><td>\(Self.u2h(r.rateMax))/s</td></tr>" }
        out += "</table></div></u></td><td>\(Self.limit(r.rateLim))</td>"
        out += "<td>\(Self.u2h(r.scur))</td><td>\(Self.u2h(r.smax))</td><td>\(Self.u2h(r.slim ?? 0))</td>"
        out += "<td><u>\(Self.u2h(r.stot))<div class=tips><table class=det><tr><th>Cum. connections:</th><td>\(Self.u2h(r.connTot))</td></tr><tr><th>Cum. sessions:</th><td>\(Self.u2h(r.stot))</td></tr>"
        out += "</table></div></u></td><td></td><td></td><td>\(Self.u2h(r.bytesIn))</td>"
        bytesOut(r)
        out += "<td>\(Self.u2h(r.dreq))</td><td>\(Self.u2h(r.dresp))</td><td>\(Self.u2h(r.ereq))</td><td></td><td></td><td></td><td></td>"
        out += "<td class=ac>\(r.status)</td><td class=ac colspan=8></td></tr>"
    }

    private mutating func bytesOut(_ r: StatsRow) {
        out += "<td>\(Self.u2h(r.bytesOut))<div class=tips><table class=det><tr><th>Response bytes in:</th><td>\(Self.u2h(r.bytesOut))</td></tr><tr><th>Compression in:</th><td>0</td></tr><tr><th>Compression out:</th><td>0</td><td>(0%)</td></tr><tr><th>Compression bypass:</th><td>0</td></tr><tr><th>Total bytes saved:</th><td>0</td><td>(0%)</td></tr></table></div></td>"
    }

    private mutating func times(_ r: StatsRow) {
        out += "<tr><th colspan=3>Max / Avg over last 1024 success. conn.</th></tr>"
        out += "<tr><th>- Queue time:</th><td>\(Self.u2h(r.qtimeMax)) / \(Self.u2h(r.qtime))</td><td>ms</td></tr>"
        out += "<tr><th>- Connect time:</th><td>\(Self.u2h(r.ctimeMax)) / \(Self.u2h(r.ctime))</td><td>ms</td></tr>"
        out += "<tr><th>- Total time:</th><td>\(Self.u2h(r.ttimeMax)) / \(Self.u2h(r.ttime))</td><td>ms</td></tr>"
    }

    /// `rise + fall - 1`, the health of a server whose checks all pass, in haproxy's unsigned
    /// 32-bit arithmetic: a server without checks has rise and fall 0, hence 2^32-1, so a
    /// drained one shows haproxy's "going down" arrow too.
    static func fullHealth(_ r: StatsRow) -> UInt32 {
        UInt32(truncatingIfNeeded: Int64(r.checkRise ?? 0) + Int64(r.checkFall ?? 0) - 1)
    }

    /// haproxy's row class for a server: its state, and active or backup.
    static func serverClass(_ r: StatsRow) -> String {
        if r.status.hasPrefix("MAINT") { return "maintain" }
        let style: String
        if r.status == "DOWN" || r.status == "DOWN (agent)" {
            style = "down"
        } else if r.status.hasPrefix("DOWN ") {
            style = "going_up"
        } else if r.status == "DRAIN" {
            style = "draining"
        } else if r.status.hasPrefix("NOLB ") {
            style = "going_down"
        } else if r.status == "NOLB" {
            style = "nolb"
        } else if r.status == "no check" {
            style = "no_check"
        } else if r.chkfail == nil || UInt32(r.checkHealth ?? 0) == Self.fullHealth(r) {
            style = r.weight > 0 ? "up" : "draining"
        } else {
            style = "going_down"
        }
        return "\(r.bck > 0 ? "backup" : "active")_\(style)"
    }

    private mutating func serverRow(_ r: StatsRow) {
        let px = Self.escape(r.pxname)
        let sv = Self.escape(r.svname)
        out += "<tr class=\"\(Self.serverClass(r))\">"
        if admin { out += "<td><input class='\(px)-checkbox' type=\"checkbox\" name=\"s\" value=\"\(sv)\"></td>" }
        out += "<td class=ac><a name=\"\(px)/\(sv)\"></a>\(config.showLegends ? "<u>" : "")<a class=lfsb href=\"#\(px)/\(sv)\">\(sv)</a>"
        if config.showLegends {
            out += "<div class=tips>"
            if let addr = r.addr, !addr.isEmpty {
                out += addr.first?.isNumber == true ? "IPv4: \(addr), " : addr.first == "[" ? "IPv6: \(addr), " : "\(Self.escape(addr)), "
            }
            out += "id: \(r.sid)</div>"
        }
        out += "\(config.showLegends ? "</u>" : "")</td><td>\(Self.u2h(r.qcur))</td><td>\(Self.u2h(r.qmax))</td><td>\(Self.limit(r.qlimit ?? 0))</td>"
        out += "<td>\(Self.u2h(r.rate))</td><td>\(Self.u2h(r.rateMax))</td><td></td>"
        out += "<td><u>\(Self.u2h(r.scur))<div class=tips><table class=det><tr><th>Current active connections:</th><td>\(Self.u2h(r.scur))</td></tr><tr><th>Current used connections:</th><td>\(Self.u2h(r.usedConnCur))</td></tr><tr><th>Current idle connections:</th><td>\(Self.u2h(r.srvIcur))</td></tr><tr><th>- unsafe:</th><td>\(Self.u2h(r.idleConnCur))</td></tr><tr><th>- safe:</th><td>\(Self.u2h(r.safeConnCur))</td></tr><tr><th>Estimated need of connections:</th><td>\(Self.u2h(r.needConnEst))</td></tr><tr><th>Active connections limit:</th><td>\(Self.limit(r.slim ?? 0))</td></tr><tr><th>Idle connections limit:</th><td>\(r.srcIlim.map(Self.u2h) ?? "-")</td></tr></table></div></u></td>"
        out += "<td>\(Self.u2h(r.smax))</td><td>\(Self.limit(r.slim ?? 0))</td>"
        out += "<td><u>\(Self.u2h(r.stot))<div class=tips><table class=det><tr><th>Cum. sessions:</th><td>\(Self.u2h(r.stot))</td></tr>"
        times(r)
        out += "</table></div></u></td><td>\(Self.u2h(r.lbtot))</td><td>\(Self.humanTime(r.lastsess))</td>"
        out += "<td>\(Self.u2h(r.bytesIn))</td><td>\(Self.u2h(r.bytesOut))</td><td></td><td>\(Self.u2h(r.dresp))</td><td></td><td>\(Self.u2h(r.econ))</td>"
        out += "<td><u>\(Self.u2h(r.eresp))<div class=tips>Connection resets during transfers: \(r.cliAbrt) client, \(r.srvAbrt) server</div></u></td>"
        out += "<td>\(r.wretr)</td><td>\(r.wredis)</td><td class=ac>"
        if r.status.hasPrefix("MAINT") {
            out += "\(Self.humanTime(Int64(r.lastchg))) MAINT"
        } else if r.status == "no check" {
            out += "<i>no check</i>"
        } else {
            out += "\(Self.humanTime(Int64(r.lastchg))) \(r.status)"
            let health = UInt32(r.checkHealth ?? 0)
            if r.status.hasPrefix("DOWN") {
                if health > 0 { out += " &uarr;" }
            } else if health < Self.fullHealth(r) {
                out += " &darr;"
            }
        }
        if let status = r.checkStatus {
            out += "</td><td class=ac><u> \(status)"
            if let code = r.checkCode { out += "/\(code)" }
            if let duration = r.checkDuration { out += " in \(duration)ms" }
            out += "<div class=tips>\(Self.escape(r.checkDesc ?? ""))"
            if let last = r.lastChk, !last.isEmpty { out += ": \(Self.escape(last))" }
            out += "</div></u>"
        } else {
            out += "</td><td>"
        }
        out += "</td><td class=ac>\(r.weight)/\(r.uweight)</td><td class=ac>\(r.bck > 0 ? "-" : "Y")</td><td class=ac>\(r.bck > 0 ? "Y" : "-")</td>"
        if let fails = r.chkfail {
            out += "<td><u>\(fails)<div class=tips>Failed Health Checks</div></u></td><td>\(r.chkdown ?? 0)</td><td>\(Self.humanTime(Int64(r.downtime ?? 0)))</td>"
        } else {
            out += "<td colspan=3></td>"
        }
        out += r.throttle.map { "<td class=ac>\($0) %</td>\n" } ?? "<td class=ac>-</td>"
        out += "</tr>\n"
    }

    private mutating func backendRow(_ r: StatsRow) {
        let px = Self.escape(r.pxname)
        out += "<tr class=\"backend\">\(admin ? "<td></td>" : "")<td class=ac>\(config.showLegends ? "<u>" : "")<a name=\"\(px)/Backend\"></a><a class=lfsb href=\"#\(px)/Backend\">Backend</a>"
        if config.showLegends { out += "<div class=tips>balancing: \(r.algo ?? "")</div>" }
        out += "\(config.showLegends ? "</u>" : "")</td><td>\(Self.u2h(r.qcur))</td><td>\(Self.u2h(r.qmax))</td><td></td>"
        out += "<td>\(Self.u2h(r.rate))</td><td>\(Self.u2h(r.rateMax))</td><td></td>"
        out += "<td>\(Self.u2h(r.scur))</td><td>\(Self.u2h(r.smax))</td><td>\(Self.u2h(r.slim ?? 0))</td>"
        out += "<td><u>\(Self.u2h(r.stot))<div class=tips><table class=det><tr><th>Cum. sessions:</th><td>\(Self.u2h(r.stot))</td></tr>"
        times(r)
        out += "</table></div></u></td><td>\(Self.u2h(r.lbtot))</td><td>\(Self.humanTime(r.lastsess))</td><td>\(Self.u2h(r.bytesIn))</td>"
        bytesOut(r)
        out += "<td>\(Self.u2h(r.dreq))</td><td>\(Self.u2h(r.dresp))</td><td></td><td>\(Self.u2h(r.econ))</td>"
        out += "<td><u>\(Self.u2h(r.eresp))<div class=tips>Connection resets during transfers: \(r.cliAbrt) client, \(r.srvAbrt) server</div></u></td>"
        out += "<td>\(r.wretr)</td><td>\(r.wredis)</td>"
        let status = r.status == "DOWN" ? "<font color=\"red\"><b>DOWN</b></font>" : r.status
        out += "<td class=ac>\(Self.humanTime(Int64(r.lastchg))) \(status)</td><td class=ac>&nbsp;</td><td class=ac>\(r.weight)/\(r.uweight)</td>"
        out += "<td class=ac>\(r.act)</td><td class=ac>\(r.bck)</td><td class=ac>&nbsp;</td><td>\(r.chkdown ?? 0)</td>"
        out += "<td>\(r.downtime.map { Self.humanTime(Int64($0)) } ?? "&nbsp;")</td><td></td></tr>"
    }

    // MARK: haproxy's formatting helpers

    /// `U2H`: digits in groups of three, every group but the last in a `rls` span.
    static func u2h(_ value: UInt64) -> String {
        let digits = String(value)
        guard digits.count > 3 else { return digits }
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return groups.dropLast().map { "<span class=\"rls\">\($0)</span>" }.joined() + groups.last!
    }

    /// `LIM2A`: a limit, `-` when there is none.
    static func limit(_ value: UInt64) -> String { value == 0 ? "-" : u2h(value) }

    /// `human_time`: two units at most (`1d2h`, `5m3s`, `0s`), `?` for a negative age.
    static func humanTime(_ seconds: Int64) -> String {
        guard seconds >= 0 else { return "?" }
        var out = ""
        var left = 2
        if seconds >= 86400 {
            out += "\(seconds / 86400)d"
            left -= 1
        }
        if left > 0 && seconds % 86400 / 3600 > 0 {
            out += "\(seconds % 86400 / 3600)h"
            left -= 1
        }
        if left > 0 && seconds % 3600 / 60 > 0 {
            out += "\(seconds % 3600 / 60)m"
            left -= 1
        }
        if (left > 0 && seconds % 60 > 0) || seconds == 0 { out += "\(seconds % 60)s" }
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func text(_ value: InfoValue) -> String {
        switch value {
        case .u(let n): return String(n)
        case .s(let n): return String(n)
        case .str(let s): return s
        }
    }

    static let actions: [(String, String)] = [
        ("", ""), ("ready", "Set state to READY"), ("drain", "Set state to DRAIN"), ("maint", "Set state to MAINT"),
        ("dhlth", "Health: disable checks"), ("ehlth", "Health: enable checks"), ("hrunn", "Health: force UP"),
        ("hnolb", "Health: force NOLB"), ("hdown", "Health: force DOWN"), ("dagent", "Agent: disable checks"),
        ("eagent", "Agent: enable checks"), ("arunn", "Agent: force UP"), ("adown", "Agent: force DOWN"),
        ("shutdown", "Kill Sessions"),
    ]

    static let legend = """
        <table class="lgd"><tr>
        <td class="active_up">&nbsp;</td><td class="noborder">active UP </td><td class="backup_up">&nbsp;</td><td class="noborder">backup UP </td></tr><tr>
        <td class="active_going_down"></td><td class="noborder">active UP, going down </td><td class="backup_going_down"></td><td class="noborder">backup UP, going down </td></tr><tr>
        <td class="active_going_up"></td><td class="noborder">active DOWN, going up </td><td class="backup_going_up"></td><td class="noborder">backup DOWN, going up </td></tr><tr>
        <td class="active_down"></td><td class="noborder">active or backup DOWN &nbsp;</td><td class="active_no_check"></td><td class="noborder">not checked </td></tr><tr>
        <td class="maintain"></td><td class="noborder" colspan="3">active or backup DOWN for maintenance (MAINT) &nbsp;</td></tr><tr>
        <td class="active_draining"></td><td class="noborder" colspan="3">active or backup SOFT STOPPED for maintenance &nbsp;</td></tr></table>
        Note: "NOLB"/"DRAIN" = UP with load-balancing disabled.</td>
        """

    /// haproxy 2.6's style sheet, verbatim.
    static let css = #"""
<link rel="icon" href="data:,">
<meta http-equiv="content-type" content="text/html; charset=iso-8859-1">
<style type="text/css"><!--
body { font-family: arial, helvetica, sans-serif; font-size: 12px; font-weight: normal; color: black; background: white;}
th,td { font-size: 10px;}
h1 { font-size: x-large; margin-bottom: 0.5em;}
h2 { font-family: helvetica, arial; font-size: x-large; font-weight: bold; font-style: italic; color: #6020a0; margin-top: 0em; margin-bottom: 0em;}
h3 { font-family: helvetica, arial; font-size: 16px; font-weight: bold; color: #b00040; background: #e8e8d0; margin-top: 0em; margin-bottom: 0em;}
li { margin-top: 0.25em; margin-right: 2em;}
.hr {margin-top: 0.25em; border-color: black; border-bottom-style: solid;}
.titre	{background: #20D0D0;color: #000000; font-weight: bold; text-align: center;}
.total	{background: #20D0D0;color: #ffff80;}
.frontend	{background: #e8e8d0;}
.socket	{background: #d0d0d0;}
.backend	{background: #e8e8d0;}
.active_down		{background: #ff9090;}
.active_going_up		{background: #ffd020;}
.active_going_down	{background: #ffffa0;}
.active_up		{background: #c0ffc0;}
.active_nolb		{background: #20a0ff;}
.active_draining		{background: #20a0FF;}
.active_no_check		{background: #e0e0e0;}
.backup_down		{background: #ff9090;}
.backup_going_up		{background: #ff80ff;}
.backup_going_down	{background: #c060ff;}
.backup_up		{background: #b0d0ff;}
.backup_nolb		{background: #90b0e0;}
.backup_draining		{background: #cc9900;}
.backup_no_check		{background: #e0e0e0;}
.maintain	{background: #c07820;}
.rls      {letter-spacing: 0.2em; margin-right: 1px;}

a.px:link {color: #ffff40; text-decoration: none;}a.px:visited {color: #ffff40; text-decoration: none;}a.px:hover {color: #ffffff; text-decoration: none;}a.lfsb:link {color: #000000; text-decoration: none;}a.lfsb:visited {color: #000000; text-decoration: none;}a.lfsb:hover {color: #505050; text-decoration: none;}
table.tbl { border-collapse: collapse; border-style: none;}
table.tbl td { text-align: right; border-width: 1px 1px 1px 1px; border-style: solid solid solid solid; padding: 2px 3px; border-color: gray; white-space: nowrap;}
table.tbl td.ac { text-align: center;}
table.tbl th { border-width: 1px; border-style: solid solid solid solid; border-color: gray;}
table.tbl th.pxname { background: #b00040; color: #ffff40; font-weight: bold; border-style: solid solid none solid; padding: 2px 3px; white-space: nowrap;}
table.tbl th.empty { border-style: none; empty-cells: hide; background: white;}
table.tbl th.desc { background: white; border-style: solid solid none solid; text-align: left; padding: 2px 3px;}

table.lgd { border-collapse: collapse; border-width: 1px; border-style: none none none solid; border-color: black;}
table.lgd td { border-width: 1px; border-style: solid solid solid solid; border-color: gray; padding: 2px;}
table.lgd td.noborder { border-style: none; padding: 2px; white-space: nowrap;}
table.det { border-collapse: collapse; border-style: none; }
table.det th { text-align: left; border-width: 0px; padding: 0px 1px 0px 0px; font-style:normal;font-size:11px;font-weight:bold;font-family: sans-serif;}
table.det td { text-align: right; border-width: 0px; padding: 0px 0px 0px 4px; white-space: nowrap; font-style:normal;font-size:11px;font-weight:normal;}
u {text-decoration:none; border-bottom: 1px dotted black;}
div.tips {
 display:block;
 visibility:hidden;
 z-index:2147483647;
 position:absolute;
 padding:2px 4px 3px;
 background:#f0f060; color:#000000;
 border:1px solid #7040c0;
 white-space:nowrap;
 font-style:normal;font-size:11px;font-weight:normal;
 -moz-border-radius:3px;-webkit-border-radius:3px;border-radius:3px;
 -moz-box-shadow:gray 2px 2px 3px;-webkit-box-shadow:gray 2px 2px 3px;box-shadow:gray 2px 2px 3px;
}
u:hover div.tips {visibility:visible;}
@media (prefers-color-scheme: dark) {
 body { font-family: arial, helvetica, sans-serif; font-size: 12px; font-weight: normal; color: #e8e6e3; background: #131516;}
 h1 { color: #a265e0!important; }
 h2 { color: #a265e0; }
 h3 { color: #ff5190; background-color: #3e3e1f; }
 a { color: #3391ff; }
 input { background-color: #2f3437; }
 .hr { border-color: #8c8273; }
 .titre { background-color: #1aa6a6; color: #e8e6e3; }
 .frontend {background: #2f3437;}
 .socket	{background: #2a2d2f;}
 .backend {background: #2f3437;}
 .active_down {background: #760000;}
 .active_going_up {background: #b99200;}
 .active_going_down {background: #6c6c00;}
 .active_up {background: #165900;}
 .active_nolb {background: #006ab9;}
 .active_draining {background: #006ab9;}
 .active_no_check {background: #2a2d2f;}
 .backup_down {background: #760000;}
 .backup_going_up {background: #7f007f;}
 .backup_going_down {background: #580092;}
 .backup_up {background: #2e3234;}
 .backup_nolb {background: #1e3c6a;}
 .backup_draining {background: #a37a00;}
 .backup_no_check {background: #2a2d2f;}
 .maintain {background: #9a601a;}
 a.px:link {color: #d8d83b; text-decoration: none;}
 a.px:visited {color: #d8d83b; text-decoration: none;}
 a.px:hover {color: #ffffff; text-decoration: none;}
 a.lfsb:link {color: #e8e6e3; text-decoration: none;}
 a.lfsb:visited {color: #e8e6e3; text-decoration: none;}
 a.lfsb:hover {color: #b5afa6; text-decoration: none;}
 table.tbl th.empty { background-color: #181a1b; }
 table.tbl th.desc { background: #181a1b; }
 table.tbl th.pxname { background-color: #8d0033; color: #ffff46; }
 table.tbl th { border-color: #808080; }
 table.tbl td { border-color: #808080; }
 u {text-decoration:none; border-bottom: 1px dotted #e8e6e3;}
 div.tips {
  background:#8e8e0d;
  color:#e8e6e3;
  border-color: #4e2c86;
  -moz-box-shadow: #60686c 2px 2px 3px;
  -webkit-box-shadow: #60686c 2px 2px 3px;
  box-shadow: #60686c 2px 2px 3px;
 }
}
-->
"""#
}
