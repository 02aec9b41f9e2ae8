import OrdrelCLI
import OrdrelConfig
import OrdrelSystem

/// The built-in services of `mode http` sections: accepting their connections and what the
/// stats page shows.
extension Runtime {
    /// Counts a connection as the frontend's (sessions, rates, `CumConns`) and starts serving
    /// it on thread 0. Not a stream: `maxconn` and soft stops concern forwarded connections.
    func openHTTPConnection(client: FD, address: SocketAddress, frontend: Proxy, services: BuiltinServices) {
        let now = nowMs
        let wall = wallSeconds
        // What the rules track counts this connection (and session); a built-in service's
        // connection is not a stream, so it leaves the entries at once.
        let counters = stickTablesByName.isEmpty ? nil : StickCounters()
        let rejected = connectionVerdict(client: client, address: address, frontend: frontend, counters: counters, nowMs: now) == .reject
        let sessionRejected = !rejected && !sessionRulesAccept(client: client, address: address, destination: nil, frontend: frontend,
                                                               counters: counters, nowMs: now)
        if !rejected && !sessionRejected { counters?.countSession(nowMs: Int64(now)) }
        counters?.release(nowMs: Int64(now))
        lock.withLock {
            // The accept slot its listener took becomes this connection's count, or is freed.
            countAcceptSlot(of: frontend, taken: false)
            frontend.frontendCounters.connectionsTotal += 1
            frontend.frontendCounters.connectionRate.record(nowMs: now)
            cumulativeConnections += 1
            // `tcp-request connection|session reject`: counted as accepted by the listener, then denied.
            if rejected {
                frontend.frontendCounters.deniedConnections += 1
                return
            }
            if sessionRejected {
                frontend.frontendCounters.deniedSessions += 1
                return
            }
            frontend.frontendCounters.opened(nowMs: now, wallSeconds: wall)
        }
        if rejected || sessionRejected {
            // As haproxy, a connection rejected at accept is closed with a single RST, one
            // rejected by session rules with a FIN.
            if rejected { try? client.setLingerZero() }
            client.close()
            resumeListenersAtLimit(from: workers[0])
            return
        }
        let connection = HTTPConnection(fd: client, client: address, proxy: frontend, services: services, runtime: self)
        httpConnections[ObjectIdentifier(connection)] = connection
        connection.drive()
    }

    /// A connection ended: its section's `maxconn` may let its listener accept again.
    func httpConnectionClosed(_ connection: HTTPConnection) {
        httpConnections[ObjectIdentifier(connection)] = nil
        let waiting = lock.withLock {
            connection.proxy.frontendCounters.current -= 1
            return workers[0].hasListenersAtLimit
        }
        if waiting { workers[0].resumeListenersBelowLimits() }
        sessionEnded()
    }

    /// The HTTP session rejected a request itself (invalid, timed out, or the client closed
    /// before sending one): a request, a request error and a response of `status` to haproxy.
    func countRejectedHTTPRequest(_ frontend: Proxy, status: Int) {
        let now = nowMs
        lock.withLock {
            frontend.frontendCounters.http.request(nowMs: now)
            frontend.frontendCounters.http.response(status: status)
            frontend.frontendCounters.requestErrors += 1
        }
    }

    /// What the stats page shows: `rows` (a `StatsRowCollection`'s) by proxy, and `show info`
    /// taken with the other threads paused. Thread 0.
    func statsSnapshot(rows: [StatsRow]) -> StatsSnapshot {
        var next = rows.startIndex
        // Proxies disabled in the configuration have no rows and, as in haproxy, no table.
        let pageProxies = proxies.filter { !$0.config.disabled }.map { proxy in
            let start = next
            while next < rows.endIndex && rows[next].iid == UInt64(proxy.id) { next += 1 }
            return StatsPageProxy(name: proxy.name, id: proxy.id,
                                  capability: proxy.isFrontend && proxy.isBackend ? "proxy" : proxy.isFrontend ? "frontend" : "backend",
                                  mode: proxy.config.mode.rawValue, description: proxy.config.description,
                                  hasServers: !proxy.servers.isEmpty, rows: Array(rows[start..<next]))
        }
        return StatsSnapshot(info: isolated(readOnly: true) { info() }, proxies: pageProxies, nodeName: hostName)
    }
}

/// The rows of a stats page or a scrape, built on thread 0 one batch per turn of the connection
/// (`show stat`'s batch, each row under `Runtime.lock` as `StatsRowIterator` builds them), so a
/// configuration of thousands of servers holds up thread 0's streams for one batch at a time.
struct StatsRowCollection {
    private var iterator: StatsRowIterator
    private(set) var rows: [StatsRow] = []

    /// `latency`: the rows carry the histograms (the exporter's).
    init(runtime: Runtime, latency: Bool) {
        iterator = StatsRowIterator(runtime: runtime, latency: latency)
        rows.reserveCapacity(runtime.proxies.reduce(0) { $0 + runtime.statsRowCount(of: $1) })
    }

    /// Builds the next batch; true once every row is built.
    mutating func advance() -> Bool { iterator.appendBatch(to: &rows) }
}

extension BuiltinServices {
    /// The services a `mode http` section's configuration asks for.
    init(config: ProxyConfig) {
        let rules = config.http.serviceRules
        let settings = BuiltinServiceSettings(
            monitorURI: config.http.monitorURI,
            usesPrometheusExporter: { path in rules.contains { $0.service == .prometheusExporter && $0.matches(path: path) } },
            stats: config.http.stats?.page,
            errorFiles: config.http.errorFiles)
        self.init(config: settings, proxyName: config.name)
    }
}
