import OrdrelCLI
import OrdrelConfig
import OrdrelSystem

/// Run-time DNS of servers with `resolvers` (haproxy 2.6 server.c `snr_resolution_cb` and
/// `snr_resolution_error_cb`, resolvers.c `resolv_srvrq_*`): addresses follow the answers,
/// servers without one wait in `MAINT (resolution)`.
extension Runtime {
    /// Opens each used section's name server channels and starts resolving its servers' names.
    func startResolvers() throws {
        for proxy in proxies where proxy.isBackend {
            for server in proxy.servers {
                let target = server.config.srvRecord ?? server.config.host
                // An IP literal has nothing to resolve (haproxy only resolves host names).
                guard SocketAddress(ip: target, port: 0) == nil, let section = try resolversSection(for: server) else { continue }
                section.attach(server, name: target, service: server.config.srvRecord != nil)
            }
        }
    }

    /// The running section of the server's `resolvers`, opened on first use; nil without one.
    private func resolversSection(for server: Server) throws -> ResolversSection? {
        guard let name = server.config.resolution.resolvers,
              let config = configuration.resolvers.first(where: { $0.name == name }) else { return nil }
        if let running = resolverSections.first(where: { $0.config.name == name }) { return running }
        do {
            let section = try ResolversSection(config: config, runtime: self)
            resolverSections.append(section)
            return section
        } catch {
            throw RuntimeSetupError(location: config.location, message: "resolvers '\(name)' : \(error)")
        }
    }

    public func setServerFQDN(backend: String, server: String, fqdn: String) -> ServerResult<SetFQDNOutcome> {
        withServer(backend, server) { setServerFQDN($0, fqdn) }
    }

    /// `set server <b>/<s> fqdn <name>`: the server leaves its old name's resolution and joins
    /// the new one's, resolved at once; it keeps its address until the answer comes.
    func setServerFQDN(_ server: Server, _ fqdn: String) -> SetFQDNOutcome {
        guard server.config.srvRecord == nil else { return .srvResolution }
        guard let section = try? resolversSection(for: server) else { return .noResolution }
        guard DNSServerDecision.isValidHostName(fqdn) else { return .invalid }
        let old = server.fqdn
        if let old { section.detach(server, name: old) }
        server.fqdn = fqdn
        section.attach(server, name: fqdn, service: false)
        return .changed(server: server.qualifiedName, from: old, to: fqdn)
    }

    /// Stops every query and resolution timer (the process is stopping).
    func stopResolvers() {
        resolverSections.forEach { $0.stop() }
    }

    /// `show resolvers`: every section of the configuration, in file order; one no server
    /// uses has its name servers with zero counters.
    public func resolvers() -> [ResolversInfo] {
        configuration.resolvers.map { config in
            let running = resolverSections.first { $0.config.name == config.name }
            return ResolversInfo(name: config.name, nameservers: config.nameservers.map { nameserver in
                (nameserver.name, running?.links.first { $0.config.name == nameserver.name }?.counters ?? NameserverCounters())
            })
        }
    }

    /// A valid answer for `resolution`: each of its servers takes an address (or a SRV record).
    /// Returns whether a server changed. Runs isolated.
    func dnsAnswered(_ resolution: DNSResolution, _ answer: DNSAnswer, section: ResolversSection, by link: NameserverLink) -> Bool {
        switch answer {
        case .addresses(let records):
            var changed = false
            // As haproxy: the server whose resolution it is names the name server, the ones
            // sharing it took the answer from its cache.
            for (position, server) in resolution.servers.enumerated() {
                let source = position == 0 ? "\(section.config.name)/\(link.config.name)" : "DNS cache"
                changed = dnsTakeAddress(server, from: records, source: source) || changed
            }
            return changed
        case .services(let records):
            return dnsTakeServices(resolution, records, section: section)
        case .failure:
            return false
        }
    }

    /// Every try for `resolution` failed: its servers go to maintenance once the failure's
    /// `hold` period has passed without a valid answer. Runs isolated.
    /// A failed SRV label also takes its records away from the template's servers, which stop
    /// resolving those hosts.
    func dnsFailed(_ resolution: DNSResolution, _ failure: DNSFailure, section: ResolversSection) {
        guard DNSServerDecision.failureStopsServer(failure, lastValidMs: resolution.lastValidMs, nowMs: nowMs,
                                                   hold: section.config.hold) else { return }
        let reason = DNSServerDecision.maintenanceReason(failure)
        for server in resolution.servers {
            if resolution.attempt.preferred == .srv, let slot = section.serviceSlots[ObjectIdentifier(server)] {
                section.serviceSlots[ObjectIdentifier(server)] = nil
                section.detach(server, name: slot.record.target)
                server.fqdn = nil
                server.fqdnFromRecord = false
            }
            if server.hasAddress { enterResolutionMaintenance(server, reason: reason) }
        }
    }

    /// One server's pick among A/AAAA records; an address no other server of its backend on the
    /// same name holds, unless `allow-dup-ip`.
    private func dnsTakeAddress(_ server: Server, from records: [SocketAddress], source: String) -> Bool {
        let options = server.config.resolution
        let taken = Set(server.backend.servers.filter { $0 !== server && $0.hasAddress && $0.fqdn == server.fqdn }.map(\.address.host))
        let current = server.hasAddress ? server.address : nil
        guard let pick = DNSServerDecision.pickAddress(from: records, current: current, taken: taken, preferIPv4: options.preferIPv4,
                                                       networks: options.networks, allowDuplicates: options.allowDuplicateIP) else {
            guard server.hasAddress else { return false }
            enterResolutionMaintenance(server, reason: "No IP for server ")
            return true
        }
        guard current?.host != pick.host else { return false }
        let resolving = server.adminState == .maint && server.maintenanceFromResolution
        logger.warning("\(server.qualifiedName) changed its IP from \(current?.host ?? "(none)") to \(pick.host) by \(source).",
                       metadata: LogMetadata.for(proxy: server.backend, level: .notice))
        _ = setServerAddress(server, address: pick.host, port: nil)
        if resolving {
            logger.warning("Server \(server.qualifiedName) administratively READY thanks to valid DNS answer.",
                           metadata: LogMetadata.for(proxy: server.backend, level: .notice))
        }
        return true
    }

    /// SRV records over the template's servers: each keeps or takes a record (host, port,
    /// weight) and then resolves the record's host on its own; one that lost its record goes
    /// to maintenance.
    private func dnsTakeServices(_ resolution: DNSResolution, _ records: [DNSServiceRecord], section: ResolversSection) -> Bool {
        let servers = resolution.servers
        let current = servers.map { section.serviceSlots[ObjectIdentifier($0)] }
        let assigned = DNSServerDecision.assignServices(records, to: current, nowMs: nowMs, obsoleteMs: section.config.hold.obsolete)
        var changed = false
        for (index, server) in servers.enumerated() {
            let old = current[index]?.record
            let new = assigned[index]?.record
            section.serviceSlots[ObjectIdentifier(server)] = assigned[index]
            guard let new else {
                guard let old else { continue }
                section.detach(server, name: old.target)
                server.fqdn = nil
                server.fqdnFromRecord = false
                if server.hasAddress { enterResolutionMaintenance(server, reason: "No IP for server ") }
                changed = true
                continue
            }
            if !server.config.resolution.ignoreWeight {
                let weight = DNSServerDecision.weight(fromSRV: new.weight)
                if weight != server.weight { setServerWeight(server, .absolute(UInt32(weight))) }
            }
            guard old?.target != new.target || old?.port != new.port else { continue }
            changed = true
            if let old { section.detach(server, name: old.target) }
            server.fqdn = new.target
            server.fqdnFromRecord = true
            server.address.port = new.port
            if server.config.checkAddr == nil && server.config.checkPort == nil { server.checkAddress.port = new.port }
            section.attach(server, name: new.target, service: false)
        }
        return changed
    }

    /// `MAINT (resolution)`: the server loses its address and takes no streams until DNS gives
    /// it one, logged as haproxy does ("is going DOWN for maintenance (DNS NX status)").
    func enterResolutionMaintenance(_ server: Server, reason: String) {
        let wasMaintenance = server.adminState == .maint
        let wasDown = server.operationalStateCode == 0
        server.hasAddress = false
        server.maintenanceFromResolution = true
        server.healthClearedByResolution = true
        guard !wasMaintenance else { return }
        server.adminState = .maint
        if var health = server.health {
            health.pause()
            server.health = health
        }
        server.check?.stop()
        if !wasDown { noteStateChange(server, wasDown: false) }
        let sessions = server.counters.current
        let name = (server.isBackup ? "Backup " : "") + "Server \(server.qualifiedName)"
        serverChanged(server) { moves in
            logger.warning("\(name) is going DOWN for maintenance (\(reason))\(serversLeft(server, sessions: sessions, requeued: moves.requeued))",
                           metadata: LogMetadata.for(proxy: server.backend, level: .alert))
        }
    }
}
