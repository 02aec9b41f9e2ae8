/// The stats page's HTML, as haproxy 2.6's `stats_dump_html_*` write it: the same head and
/// CSS, the process block, one table per proxy with the same columns, tooltips, CSS classes by
/// server state, and the admin form when `stats admin` allows it.
///
/// Written as bytes into the caller's buffer: the rows, which make most of the page, append
/// their fixed text and numbers directly; the parts printed once per page or per proxy use
/// String interpolation.
struct StatsPageHTML {
    let request: StatsPageRequest
    let snapshot: StatsSnapshot
    private var out: ByteWriter

    /// Appends the page to `out`.
    static func render(_ request: StatsPageRequest, _ snapshot: StatsSnapshot, into out: inout ByteWriter) {
        // The page takes the caller's writer (its memory) and hands it back, grown if need be.
        var page = StatsPageHTML(request: request, snapshot: snapshot, out: out)
        page.head()
        page.processInfo()
        for proxy in snapshot.proxies where request.shows(proxy: proxy.name) {
            page.proxyTable(proxy)
        }
        page.put("</body></html>\n")
        out = page.out
    }

    private var config: StatsPageSettings { request.config }
    private var node: String? {
        config.showNode.map { $0.isEmpty ? snapshot.nodeName : $0 }
    }
    private var admin: Bool { request.adminAllowed }

    /// The product name (`Name`), "HAProxy" when absent.
    private mutating func product() {
        if let name = snapshot.info[.name] { value(name) } else { put("HAProxy") }
    }

    /// ` on <node>` when `stats show-node` is set.
    private mutating func onNode() {
        guard let node else { return }
        put(" on ")
        escaped(node)
    }

    /// A `show info` value as text, unescaped.
    private mutating func value(_ value: InfoValue) {
        switch value {
        case .u(let n): out.appendDecimal(n)
        case .s(let n): out.appendDecimal(n)
        case .str(let text): plain(text)
        }
    }

    /// The value of `key`, `0` when absent.
    private mutating func info(_ key: InfoKey) {
        if let v = snapshot.info[key] { value(v) } else { put("0") }
    }

    /// A numeric `show info` value, 0 when absent or text.
    private func count(_ key: InfoKey) -> UInt64 {
        if case .u(let n) = snapshot.info[key] { return n }
        return 0
    }

    private mutating func head() {
        put("""
            <!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"
            "http://www.w3.org/TR/html4/loose.dtd">
            <html><head><title>Statistics Report for\u{20}
            """)
        product()
        onNode()
        put("</title>\n")
        put(Self.css)
        put("\n</style></head>\n")
    }

    private mutating func processInfo() {
        put("<body><h1><a href=\"http://www.haproxy.org/\" style=\"text-decoration: none;\">")
        product()
        if !config.hideVersion {
            put(" version ")
            info(.version)
            put(", released ")
            info(.releaseDate)
        }
        put("</a></h1>\n<h2>Statistics Report for pid ")
        info(.pid)
        onNode()
        // Without text, haproxy shows the global `description`, which ordrel does not keep.
        if let description = config.showDescription, !description.isEmpty {
            put(": ")
            escaped(description)
        }
        put("</h2>\n<hr width=\"100%\" class=\"hr\">\n<h3>&gt; General process information</h3>\n")
        put("<table border=0><tr><td align=\"left\" nowrap width=\"1%\">\n<p><b>pid = </b> ")
        info(.pid)
        put(" (process #1, nbproc = 1, nbthread = ")
        info(.nbthread)
        put(")<br>\n<b>uptime = </b> ")
        info(.uptime)
        put("<br>\n<b>system limits:</b> memmax = unlimited; ulimit-n = ")
        info(.ulimitN)
        put("<br>\n<b>maxsock = </b> ")
        info(.maxsock)
        put("; <b>maxconn = </b> ")
        info(.maxconn)
        put("; <b>maxpipes = </b> ")
        info(.maxpipes)
        put("<br>\ncurrent conns = ")
        info(.currConns)
        put("; current pipes = ")
        info(.pipesUsed)
        put("/")
        number(count(.pipesUsed) + count(.pipesFree))
        put("; conn rate = ")
        info(.connRate)
        put("/sec; bit rate = 0.000 kbps<br>\nRunning tasks: ")
        info(.runQueue)
        put("/")
        info(.tasks)
        put("; idle = ")
        info(.idlePct)
        put(" %<br>\n</td><td align=\"center\" nowrap>\n")
        put(Self.legend)
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
        let legends = config.showLegends
        if form { put("<form method=\"post\">") }
        put("<table class=\"tbl\" width=\"100%\">\n<tr class=\"titre\"><th class=\"pxname\" width=\"10%\"><a name=\"")
        escaped(proxy.name)
        put("\"></a>")
        if legends { put("<u>") }
        put("<a class=px href=\"#")
        escaped(proxy.name)
        put("\">")
        escaped(proxy.name)
        put("</a>")
        if legends {
            put("<div class=tips>cap: ")
            plain(proxy.capability)
            put(", mode: ")
            plain(proxy.mode)
            put(", id: ")
            out.appendDecimal(Int64(proxy.id))
            put("</div></u>")
        }
        if let description = proxy.description {
            put("</th><th class=\"desc\" width=\"90%\">")
            escaped(description)
        } else {
            put("</th><th class=\"empty\" width=\"90%\">")
        }
        put("</th></tr>\n</table>\n<table class=\"tbl\" width=\"100%\">\n<tr class=\"titre\">")
        if admin && form {
            put("<th rowspan=2 width=1><input type=\"checkbox\" onclick=\"for(c in document.getElementsByClassName('")
            escaped(proxy.name)
            put("-checkbox')) document.getElementsByClassName('")
            escaped(proxy.name)
            put("-checkbox').item(c).checked = this.checked\"></th>")
        } else if admin {
            put("<th rowspan=2></th>")
        }
        put("""
            <th rowspan=2></th><th colspan=3>Queue</th><th colspan=3>Session rate</th><th colspan=6>Sessions</th>\
            <th colspan=2>Bytes</th><th colspan=2>Denied</th><th colspan=3>Errors</th><th colspan=2>Warnings</th>\
            <th colspan=9>Server</th></tr>
            <tr class="titre"><th>Cur</th><th>Max</th><th>Limit</th><th>Cur</th><th>Max</th><th>Limit</th>\
            <th>Cur</th><th>Max</th><th>Limit</th><th>Total</th><th>LbTot</th><th>Last</th><th>In</th><th>Out</th>\
            <th>Req</th><th>Resp</th><th>Req</th><th>Conn</th><th>Resp</th><th>Retr</th><th>Redis</th>\
            <th>Status</th><th>LastChk</th><th>Wght</th><th>Act</th><th>Bck</th><th>Chk</th><th>Dwn</th><th>Dwntme</th><th>Thrtle</th>
            </tr>
            """)
        // Rows are read in place, through pointers: a StatsRow is large, a copy retains and
        // releases each of its strings, and one borrowed from the snapshot while `self` (which
        // holds the snapshot) is mutated is copied for every call.
        let filtered = request.hideDown || request.noMaint
        proxy.rows.withUnsafeBufferPointer { rows in
            guard let first = rows.baseAddress else { return }
            for index in rows.indices where !filtered || request.accepts(rows[index]) {
                switch rows[index].kind {
                case .frontend: frontendRow(first + index)
                case .server: serverRow(first + index)
                case .backend: backendRow(first + index)
                }
            }
        }
        put("</table>")
        if form {
            out += "Choose the action to perform on the checked servers : <select name=action>"
            for (value, label) in Self.actions { out += "<option value=\"\(value)\">\(label)</option>" }
            out += "</select><input type=\"hidden\" name=\"b\" value=\"#\(proxy.id)\">&nbsp;<input type=\"submit\" value=\"Apply\"></form>"
        }
        put("<p>\n")
    }

    // MARK: rows, as bytes

    /// Appends fixed text.
    @inline(__always)
    private mutating func put(_ text: StaticString) { out.append(text) }

    /// Appends text as it is (statuses and such, which haproxy does not escape either).
    @inline(__always)
    private mutating func plain(_ text: String) { out.append(text) }

    @inline(__always)
    private mutating func number(_ value: UInt64) { out.appendDecimal(value) }

    @inline(__always)
    private mutating func u2h(_ value: UInt64) { out.appendU2H(value) }

    /// `LIM2A`: a limit, `-` when there is none.
    private mutating func limit(_ value: UInt64) {
        if value == 0 { out.append(UInt8(ascii: "-")) } else { out.appendU2H(value) }
    }

    @inline(__always)
    private mutating func escaped(_ text: String) { out.appendHTMLEscaped(text) }

    @inline(__always)
    private mutating func humanTime(_ seconds: Int64) { out.appendHumanTime(seconds) }

    private mutating func frontendRow(_ r: UnsafePointer<StatsRow>) {
        let http = r.pointee.mode == "http"
        put("<tr class=\"frontend\">")
        if admin { put("<td></td>") }
        put("<td class=ac><a name=\"")
        escaped(r.pointee.pxname)
        put("/Frontend\"></a><a class=lfsb href=\"#")
        escaped(r.pointee.pxname)
        put("/Frontend\">Frontend</a></td><td colspan=3></td>")
        put("<td><u>")
        u2h(r.pointee.rate)
        put("<div class=tips><table class=det><tr><th>Current connection rate:</th><td>")
        u2h(r.pointee.connRate)
        put("/s</td></tr><tr><th>Current session rate:</th><td>")
        u2h(r.pointee.rate)
        put("/s</td></tr>")
        if http {
            put("<tr><th>Current request rate:</th><td>")
            u2h(r.pointee.reqRate)
            put("/s</td></tr>")
        }
        put("</table></div></u></td><td><u>")
        u2h(r.pointee.rateMax)
        put("<div class=tips><table class=det><tr><th>Max connection rate:</th><td>")
        u2h(r.pointee.connRateMax)
        put("/s</td></tr><tr><th>Max session rate:</th><td>")
        u2h(r.pointee.rateMax)
        put("/s</td></tr>")
        if http {
            put("<tr><th>Max request rate:</th><td>")
            u2h(r.pointee.reqRateMax)
            put("/s</td></tr>")
        }
        put("</table></div></u></td><td>")
        limit(r.pointee.rateLim)
        put("</td><td>")
        u2h(r.pointee.scur)
        put("</td><td>")
        u2h(r.pointee.smax)
        put("</td><td>")
        u2h(r.pointee.slim ?? 0)
        put("</td><td><u>")
        u2h(r.pointee.stot)
        put("<div class=tips><table class=det><tr><th>Cum. connections:</th><td>")
        u2h(r.pointee.connTot)
        put("</td></tr><tr><th>Cum. sessions:</th><td>")
        u2h(r.pointee.stot)
        put("</td></tr>")
        if http {
            httpRequests(r)
            put("<tr><th>Intercepted requests:</th><td>")
            u2h(r.pointee.intercepted ?? 0)
            put("</td></tr>")
            httpTrailer(r)
        }
        put("</table></div></u></td><td></td><td></td><td>")
        u2h(r.pointee.bytesIn)
        put("</td>")
        bytesOut(r)
        put("<td>")
        u2h(r.pointee.dreq)
        put("</td><td>")
        u2h(r.pointee.dresp)
        put("</td><td>")
        u2h(r.pointee.ereq)
        put("</td><td></td><td></td><td></td><td></td><td class=ac>")
        plain(r.pointee.status)
        put("</td><td class=ac colspan=8></td></tr>")
    }

    /// The session tooltip's HTTP lines of a `mode http` frontend or backend: requests and
    /// responses per class (ordrel compresses nothing, so no 2xx was compressed).
    private mutating func httpRequests(_ r: UnsafePointer<StatsRow>) {
        put("<tr><th>Cum. HTTP requests:</th><td>")
        u2h(r.pointee.reqTot ?? 0)
        put("</td></tr><tr><th>- HTTP 1xx responses:</th><td>")
        u2h(r.pointee.hrsp1xx ?? 0)
        put("</td></tr><tr><th>- HTTP 2xx responses:</th><td>")
        u2h(r.pointee.hrsp2xx ?? 0)
        put("</td></tr><tr><th>&nbsp;&nbsp;Compressed 2xx:</th><td>0</td><td>(0%)</td></tr><tr><th>- HTTP 3xx responses:</th><td>")
        u2h(r.pointee.hrsp3xx ?? 0)
        put("</td></tr><tr><th>- HTTP 4xx responses:</th><td>")
        u2h(r.pointee.hrsp4xx ?? 0)
        put("</td></tr><tr><th>- HTTP 5xx responses:</th><td>")
        u2h(r.pointee.hrsp5xx ?? 0)
        put("</td></tr><tr><th>- other responses:</th><td>")
        u2h(r.pointee.hrspOther ?? 0)
        put("</td></tr>")
    }

    /// The HTTP tooltip's last lines: ordrel has no cache and rewrites no header.
    private mutating func httpTrailer(_ r: UnsafePointer<StatsRow>) {
        put("<tr><th>Cache lookups:</th><td>0</td></tr><tr><th>Cache hits:</th><td>0</td><td>(0%)</td></tr><tr><th>Failed hdr rewrites:</th><td>0</td></tr><tr><th>Internal errors:</th><td>")
        u2h(r.pointee.eint)
        put("</td></tr>")
    }

    private mutating func bytesOut(_ r: UnsafePointer<StatsRow>) {
        put("<td>")
        u2h(r.pointee.bytesOut)
        put("<div class=tips><table class=det><tr><th>Response bytes in:</th><td>")
        u2h(r.pointee.bytesOut)
        put("</td></tr><tr><th>Compression in:</th><td>0</td></tr><tr><th>Compression out:</th><td>0</td><td>(0%)</td></tr><tr><th>Compression bypass:</th><td>0</td></tr><tr><th>Total bytes saved:</th><td>0</td><td>(0%)</td></tr></table></div></td>")
    }

    /// The averages; `http` rows also show the response time.
    private mutating func times(_ r: UnsafePointer<StatsRow>, http: Bool = false) {
        put("<tr><th colspan=3>Max / Avg over last 1024 success. conn.</th></tr><tr><th>- Queue time:</th><td>")
        u2h(r.pointee.qtimeMax)
        put(" / ")
        u2h(r.pointee.qtime)
        put("</td><td>ms</td></tr><tr><th>- Connect time:</th><td>")
        u2h(r.pointee.ctimeMax)
        put(" / ")
        u2h(r.pointee.ctime)
        if http {
            put("</td><td>ms</td></tr><tr><th>- Responses time:</th><td>")
            u2h(r.pointee.rtimeMax)
            put(" / ")
            u2h(r.pointee.rtime)
        }
        put("</td><td>ms</td></tr><tr><th>- Total time:</th><td>")
        u2h(r.pointee.ttimeMax)
        put(" / ")
        u2h(r.pointee.ttime)
        put("</td><td>ms</td></tr>")
    }

    /// `rise + fall - 1`, the health of a server whose checks all pass, in haproxy's unsigned
    /// 32-bit arithmetic: a server without checks has rise and fall 0, hence 2^32-1, so a
    /// drained one shows haproxy's "going down" arrow too.
    static func fullHealth(_ r: borrowing StatsRow) -> UInt32 {
        UInt32(truncatingIfNeeded: Int64(r.checkRise ?? 0) + Int64(r.checkFall ?? 0) - 1)
    }

    /// haproxy's row class for a server: its state, and active or backup.
    static func serverClass(_ r: borrowing StatsRow) -> String {
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
        return (r.bck > 0 ? "backup_" : "active_") + style
    }

    private mutating func serverRow(_ r: UnsafePointer<StatsRow>) {
        let legends = config.showLegends
        put("<tr class=\"")
        plain(Self.serverClass(r.pointee))
        put("\">")
        if admin {
            put("<td><input class='")
            escaped(r.pointee.pxname)
            put("-checkbox' type=\"checkbox\" name=\"s\" value=\"")
            escaped(r.pointee.svname)
            put("\"></td>")
        }
        put("<td class=ac><a name=\"")
        escaped(r.pointee.pxname)
        put("/")
        escaped(r.pointee.svname)
        put("\"></a>")
        if legends { put("<u>") }
        put("<a class=lfsb href=\"#")
        escaped(r.pointee.pxname)
        put("/")
        escaped(r.pointee.svname)
        put("\">")
        escaped(r.pointee.svname)
        put("</a>")
        if legends {
            put("<div class=tips>")
            if let addr = r.pointee.addr, !addr.isEmpty {
                if addr.first?.isNumber == true {
                    put("IPv4: ")
                    plain(addr)
                } else if addr.first == "[" {
                    put("IPv6: ")
                    plain(addr)
                } else {
                    escaped(addr)
                }
                put(", ")
            }
            put("id: ")
            number(r.pointee.sid)
            put("</div>")
        }
        if legends { put("</u>") }
        put("</td><td>")
        u2h(r.pointee.qcur)
        put("</td><td>")
        u2h(r.pointee.qmax)
        put("</td><td>")
        limit(r.pointee.qlimit ?? 0)
        put("</td><td>")
        u2h(r.pointee.rate)
        put("</td><td>")
        u2h(r.pointee.rateMax)
        put("</td><td></td><td><u>")
        u2h(r.pointee.scur)
        put("<div class=tips><table class=det><tr><th>Current active connections:</th><td>")
        u2h(r.pointee.scur)
        put("</td></tr><tr><th>Current used connections:</th><td>")
        u2h(r.pointee.usedConnCur)
        put("</td></tr><tr><th>Current idle connections:</th><td>")
        u2h(r.pointee.srvIcur)
        put("</td></tr><tr><th>- unsafe:</th><td>")
        u2h(r.pointee.idleConnCur)
        put("</td></tr><tr><th>- safe:</th><td>")
        u2h(r.pointee.safeConnCur)
        put("</td></tr><tr><th>Estimated need of connections:</th><td>")
        u2h(r.pointee.needConnEst)
        put("</td></tr><tr><th>Active connections limit:</th><td>")
        limit(r.pointee.slim ?? 0)
        put("</td></tr><tr><th>Idle connections limit:</th><td>")
        if let idleLimit = r.pointee.srcIlim { u2h(idleLimit) } else { put("-") }
        put("</td></tr></table></div></u></td><td>")
        u2h(r.pointee.smax)
        put("</td><td>")
        limit(r.pointee.slim ?? 0)
        put("</td><td><u>")
        u2h(r.pointee.stot)
        put("<div class=tips><table class=det><tr><th>Cum. sessions:</th><td>")
        u2h(r.pointee.stot)
        put("</td></tr>")
        times(r)
        put("</table></div></u></td><td>")
        u2h(r.pointee.lbtot)
        put("</td><td>")
        humanTime(r.pointee.lastsess)
        put("</td><td>")
        u2h(r.pointee.bytesIn)
        put("</td><td>")
        u2h(r.pointee.bytesOut)
        put("</td><td></td><td>")
        u2h(r.pointee.dresp)
        put("</td><td></td><td>")
        u2h(r.pointee.econ)
        put("</td>")
        resets(r)
        put("<td>")
        number(r.pointee.wretr)
        put("</td><td>")
        number(r.pointee.wredis)
        put("</td><td class=ac>")
        if r.pointee.status.hasPrefix("MAINT") {
            humanTime(Int64(r.pointee.lastchg))
            put(" MAINT")
        } else if r.pointee.status == "no check" {
            put("<i>no check</i>")
        } else {
            humanTime(Int64(r.pointee.lastchg))
            put(" ")
            plain(r.pointee.status)
            let health = UInt32(r.pointee.checkHealth ?? 0)
            if r.pointee.status.hasPrefix("DOWN") {
                if health > 0 { put(" &uarr;") }
            } else if health < Self.fullHealth(r.pointee) {
                put(" &darr;")
            }
        }
        if let status = r.pointee.checkStatus {
            put("</td><td class=ac><u> ")
            plain(status)
            if let code = r.pointee.checkCode {
                put("/")
                number(code)
            }
            if let duration = r.pointee.checkDuration {
                put(" in ")
                number(duration)
                put("ms")
            }
            put("<div class=tips>")
            escaped(r.pointee.checkDesc ?? "")
            if let last = r.pointee.lastChk, !last.isEmpty {
                put(": ")
                escaped(last)
            }
            put("</div></u>")
        } else {
            put("</td><td>")
        }
        put("</td><td class=ac>")
        number(r.pointee.weight)
        put("/")
        number(r.pointee.uweight)
        put(r.pointee.bck > 0 ? "</td><td class=ac>-</td><td class=ac>Y</td>" : "</td><td class=ac>Y</td><td class=ac>-</td>")
        if let fails = r.pointee.chkfail {
            put("<td><u>")
            number(fails)
            put("<div class=tips>Failed Health Checks</div></u></td><td>")
            number(r.pointee.chkdown ?? 0)
            put("</td><td>")
            humanTime(Int64(r.pointee.downtime ?? 0))
            put("</td>")
        } else {
            put("<td colspan=3></td>")
        }
        if let throttle = r.pointee.throttle {
            put("<td class=ac>")
            number(throttle)
            put(" %</td>\n")
        } else {
            put("<td class=ac>-</td>")
        }
        put("</tr>\n")
    }

    /// The `Resp` errors cell with its tooltip of aborted transfers.
    private mutating func resets(_ r: UnsafePointer<StatsRow>) {
        put("<td><u>")
        u2h(r.pointee.eresp)
        put("<div class=tips>Connection resets during transfers: ")
        number(r.pointee.cliAbrt)
        put(" client, ")
        number(r.pointee.srvAbrt)
        put(" server</div></u></td>")
    }

    private mutating func backendRow(_ r: UnsafePointer<StatsRow>) {
        let legends = config.showLegends
        put("<tr class=\"backend\">")
        if admin { put("<td></td>") }
        put("<td class=ac>")
        if legends { put("<u>") }
        put("<a name=\"")
        escaped(r.pointee.pxname)
        put("/Backend\"></a><a class=lfsb href=\"#")
        escaped(r.pointee.pxname)
        put("/Backend\">Backend</a>")
        if legends {
            put("<div class=tips>balancing: ")
            plain(r.pointee.algo ?? "")
            put("</div></u>")
        }
        put("</td><td>")
        u2h(r.pointee.qcur)
        put("</td><td>")
        u2h(r.pointee.qmax)
        put("</td><td></td><td>")
        u2h(r.pointee.rate)
        put("</td><td>")
        u2h(r.pointee.rateMax)
        put("</td><td></td><td>")
        u2h(r.pointee.scur)
        put("</td><td>")
        u2h(r.pointee.smax)
        put("</td><td>")
        u2h(r.pointee.slim ?? 0)
        put("</td><td><u>")
        u2h(r.pointee.stot)
        put("<div class=tips><table class=det><tr><th>Cum. sessions:</th><td>")
        u2h(r.pointee.stot)
        put("</td></tr>")
        let http = r.pointee.mode == "http"
        if http {
            put("<tr><th>New connections:</th><td>")
            u2h(r.pointee.connect)
            put("</td></tr><tr><th>Reused connections:</th><td>")
            u2h(r.pointee.reuse)
            put("</td><td>(")
            number(r.pointee.connect > 0 ? 100 * r.pointee.reuse / (r.pointee.connect + r.pointee.reuse) : 0)
            put("%)</td></tr>")
            httpRequests(r)
            httpTrailer(r)
        }
        times(r, http: http)
        put("</table></div></u></td><td>")
        u2h(r.pointee.lbtot)
        put("</td><td>")
        humanTime(r.pointee.lastsess)
        put("</td><td>")
        u2h(r.pointee.bytesIn)
        put("</td>")
        bytesOut(r)
        put("<td>")
        u2h(r.pointee.dreq)
        put("</td><td>")
        u2h(r.pointee.dresp)
        put("</td><td></td><td>")
        u2h(r.pointee.econ)
        put("</td>")
        resets(r)
        put("<td>")
        number(r.pointee.wretr)
        put("</td><td>")
        number(r.pointee.wredis)
        put("</td><td class=ac>")
        humanTime(Int64(r.pointee.lastchg))
        put(r.pointee.status == "DOWN" ? " <font color=\"red\"><b>DOWN</b></font>" : " ")
        if r.pointee.status != "DOWN" { plain(r.pointee.status) }
        put("</td><td class=ac>&nbsp;</td><td class=ac>")
        number(r.pointee.weight)
        put("/")
        number(r.pointee.uweight)
        put("</td><td class=ac>")
        number(r.pointee.act)
        put("</td><td class=ac>")
        number(r.pointee.bck)
        put("</td><td class=ac>&nbsp;</td><td>")
        number(r.pointee.chkdown ?? 0)
        put("</td><td>")
        if let downtime = r.pointee.downtime { humanTime(Int64(downtime)) } else { put("&nbsp;") }
        put("</td><td></td></tr>")
    }

    // MARK: haproxy's formatting helpers

    /// `escape` for the parts of the page built as Strings.
    static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.appendHTMLEscaped(text)
        return String(decoding: bytes, as: UTF8.self)
    }

    static let actions: [(String, String)] = [
        ("", ""), ("ready", "Set state to READY"), ("drain", "Set state to DRAIN"), ("maint", "Set state to MAINT"),
        ("dhlth", "Health: disable checks"), ("ehlth", "Health: enable checks"), ("hrunn", "Health: force UP"),
        ("hnolb", "Health: force NOLB"), ("hdown", "Health: force DOWN"), ("dagent", "Agent: disable checks"),
        ("eagent", "Agent: enable checks"), ("arunn", "Agent: force UP"), ("adown", "Agent: force DOWN"),
        ("shutdown", "Kill Sessions"),
    ]

    static let legend: StaticString = """
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
    static let css: StaticString = #"""
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

/// String parts of the page (printed once per page or per proxy) appended as bytes.
private func += (out: inout ByteWriter, text: String) {
    out.append(text)
}

extension ByteSink {
    /// haproxy's `U2H`: digits in groups of three, every group but the last in a `rls` span.
    mutating func appendU2H(_ value: UInt64) {
        guard value >= 1000 else { return appendDecimal(value) }
        var scale: UInt64 = 1000
        while value / scale >= 1000 { scale *= 1000 }
        append(static: "<span class=\"rls\">")
        appendDecimal(value / scale)
        append(static: "</span>")
        while scale > 1 {
            scale /= 1000
            let group = value / scale % 1000
            if scale > 1 { append(static: "<span class=\"rls\">") }
            append(UInt8(truncatingIfNeeded: group / 100) &+ 0x30)
            append(UInt8(truncatingIfNeeded: group / 10 % 10) &+ 0x30)
            append(UInt8(truncatingIfNeeded: group % 10) &+ 0x30)
            if scale > 1 { append(static: "</span>") }
        }
    }

    /// haproxy's `human_time`: two units at most (`1d2h`, `5m3s`, `0s`), `?` for a negative age.
    mutating func appendHumanTime(_ seconds: Int64) {
        guard seconds >= 0 else { return append(UInt8(ascii: "?")) }
        let value = UInt64(seconds)
        var left = 2
        func unit(_ amount: UInt64, _ letter: Character) {
            appendDecimal(amount)
            append(letter.asciiValue!)
            left -= 1
        }
        if value >= 86400 { unit(value / 86400, "d") }
        if left > 0 && value % 86400 / 3600 > 0 { unit(value % 86400 / 3600, "h") }
        if left > 0 && value % 3600 / 60 > 0 { unit(value % 3600 / 60, "m") }
        if (left > 0 && value % 60 > 0) || value == 0 { unit(value % 60, "s") }
    }

    /// Appends `text` with `&`, `<`, `>`, `"` and `'` as HTML entities (byte by byte: no byte
    /// of a multi-byte UTF-8 sequence is one of them).
    mutating func appendHTMLEscaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): append(static: "&amp;")
            case UInt8(ascii: "<"): append(static: "&lt;")
            case UInt8(ascii: ">"): append(static: "&gt;")
            case UInt8(ascii: "\""): append(static: "&quot;")
            case UInt8(ascii: "'"): append(static: "&#39;")
            default: append(byte)
            }
        }
    }
}
