/// One proxy of the stats page: what its title row shows, and its rows (FRONTEND, servers,
/// BACKEND, as `show stat` orders them).
public struct StatsPageProxy: Sendable {
    public var name: String
    public var id: Int
    /// haproxy's `proxy_cap_str`: `frontend`, `backend` or `proxy` (a listen section).
    public var capability: String
    /// `tcp` or `http`.
    public var mode: String
    public var description: String?
    /// The proxy has servers (the admin form is shown for it).
    public var hasServers: Bool
    public var rows: [StatsRow]

    public init(name: String, id: Int, capability: String, mode: String, description: String?,
                hasServers: Bool, rows: [StatsRow]) {
        self.name = name
        self.id = id
        self.capability = capability
        self.mode = mode
        self.description = description
        self.hasServers = hasServers
        self.rows = rows
    }
}

/// Everything the stats page shows, taken at one instant (the runtime builds it isolated; the
/// page renders it afterwards, without holding anything).
public struct StatsSnapshot: Sendable {
    /// `show info` values.
    public var info: InfoValues
    public var proxies: [StatsPageProxy]
    /// The host name (`stats show-node` without a name).
    public var nodeName: String

    public init(info: InfoValues, proxies: [StatsPageProxy], nodeName: String) {
        self.info = info
        self.proxies = proxies
        self.nodeName = nodeName
    }
}
