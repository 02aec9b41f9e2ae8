/// The stats page's output formats (`;csv`, `;json`, `;typed`, `;json-schema`, or the HTML page).
public enum StatsPageFormat: Sendable, Equatable {
    case html
    case csv
    case json
    case typed
    /// The JSON schema of the `;json` document (`show schema json`).
    case jsonSchema
}

/// A request for the stats page, with haproxy's URI modifiers read from what follows the
/// `stats uri` prefix: `;csv`, `;json`, `;json-schema`, `;typed`, `;up`, `;no-maint`, `;norefresh`, `;st=<code>`,
/// and the scope form's `?scope=<text>`.
public struct StatsPageRequest: Sendable {
    public let config: StatsPageSettings
    public let proxyName: String
    public let format: StatsPageFormat
    /// `;up`: servers that are not up are left out.
    public let hideDown: Bool
    /// `;no-maint`: servers in maintenance are left out.
    public let noMaint: Bool
    /// `;norefresh`: no `refresh` header.
    public let noRefresh: Bool
    /// `?scope=`: only proxies whose name contains it (case-insensitive), at most 20 characters.
    public let scope: String
    /// `;st=<code>`: the result of an admin action, shown above the tables.
    public let statusCode: String?
    public let headOnly: Bool
    /// The reply must end the connection.
    public let closes: Bool
    /// `stats admin` allows this client the action form.
    public let adminAllowed: Bool

    public init(request: HTTPRequest, config: StatsPageSettings, proxyName: String, adminAllowed: Bool) {
        self.config = config
        self.proxyName = proxyName
        self.adminAllowed = adminAllowed
        let rest = String(request.target.dropFirst(config.uriPrefix.count))
        if Self.find(";csv", in: rest) != nil {
            format = .csv
        } else if Self.find(";typed", in: rest) != nil {
            format = .typed
        } else if Self.find(";json-schema", in: rest) != nil {
            format = .jsonSchema
        } else if Self.find(";json", in: rest) != nil {
            format = .json
        } else {
            format = .html
        }
        hideDown = Self.find(";up", in: rest) != nil
        noMaint = Self.find(";no-maint", in: rest) != nil
        noRefresh = Self.find(";norefresh", in: rest) != nil
        statusCode = Self.find(";st=", in: rest).map { String(rest[$0...].prefix(4)) }
        if let (source, found) = Self.find("?scope=", in: rest).map({ (rest, $0) })
            ?? Self.find("?scope=", in: request.target).map({ (request.target, $0) }) {
            scope = String(source[found...].prefix { $0 != "&" && $0 != ";" }.prefix(20))
        } else {
            scope = ""
        }
        headOnly = request.method == "HEAD"
        closes = !request.wantsKeepAlive || request.hasUnreadBody
    }

    /// Where the first `needle` (ASCII) in `text` ends, compared byte by byte: the modifiers
    /// are looked for on every request, and a generic substring search costs more than the
    /// page's rows.
    static func find(_ needle: StaticString, in text: String) -> String.Index? {
        let utf8 = text.utf8
        return needle.withUTF8Buffer { pattern -> String.Index? in
            guard let first = pattern.first else { return utf8.startIndex }
            var start = utf8.startIndex
            while let hit = utf8[start...].firstIndex(of: first) {
                var end = hit
                var matched = 0
                while matched < pattern.count && end < utf8.endIndex && utf8[end] == pattern[matched] {
                    matched += 1
                    end = utf8.index(after: end)
                }
                if matched == pattern.count { return end }
                start = utf8.index(after: hit)
            }
            return nil
        }
    }

    /// `;up`, `;norefresh` and the scope as haproxy appends them to the page's own links.
    var linkSuffix: String {
        (hideDown ? ";up" : "") + (noRefresh ? ";norefresh" : "") + scopeSuffix
    }

    /// `?scope=<text>` when a scope is set.
    var scopeSuffix: String { scope.isEmpty ? "" : "?scope=\(scope)" }

    /// Whether the page lists this proxy: `stats scope` lines (`.` is the page's own proxy),
    /// then the scope form's text.
    func shows(proxy name: String) -> Bool {
        if !config.scopes.isEmpty && !config.scopes.contains(where: { $0 == name || ($0 == "." && name == proxyName) }) {
            return false
        }
        return scope.isEmpty || name.lowercased().contains(scope.lowercased())
    }

    /// `;up` and `;no-maint` on server rows, as `show stat up|no-maint` filters them.
    func accepts(_ row: borrowing StatsRow) -> Bool {
        StatsFilter(onlyUp: hideDown, noMaint: noMaint).accepts(row)
    }
}
