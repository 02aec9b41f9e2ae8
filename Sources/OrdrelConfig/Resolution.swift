import OrdrelLog

/// What haproxy does after reading every file (`check_config_validity`): ids, backend
/// references, inherited defaults that depend on other values, and sanity warnings.
extension ConfigBuilder {
    func finish() throws(ConfigError) -> ParsedConfiguration {
        var proxies = self.proxies.map(\.config)
        assignProxyIDs(&proxies)
        for index in proxies.indices {
            let draft = self.proxies[index]
            var proxy = proxies[index]
            assignServerIDs(&proxy.servers)
            proxy.logTargets = draft.logs.flatMap { entry -> [LogTarget] in
                switch entry {
                case .global: return global.logTargets
                case .target(let target): return [target]
                }
            }
            if proxy.timeouts.queue == nil { proxy.timeouts.queue = proxy.timeouts.connect }
            if proxy.kind == .listen && proxy.defaultBackend == nil { proxy.defaultBackend = proxy.name }
            proxy.healthCheck = resolvedHealthCheck(draft)
            checkHTTPMode(&proxy, draft)
            checkReferences(proxy, draft, all: proxies)
            checkSanity(proxy, draft)
            proxies[index] = proxy
        }
        checkStickTables(&proxies)
        addDefaultResolvers()
        checkResolvers(proxies)
        let configuration = Configuration(global: global, proxies: proxies, resolvers: resolvers)
        if diagnostics.contains(where: { $0.severity == .alert }) {
            throw ConfigError(diagnostics: diagnostics)
        }
        return ParsedConfiguration(configuration: configuration, warnings: diagnostics)
    }

    /// haproxy 2.6's numbering (`check_config_validity`): a counter starts at 1 and advances by
    /// one per proxy in file order, forced id or not; a proxy without `id` takes the first free id
    /// at or above the counter. With a stats socket the CLI's internal `GLOBAL` frontend comes
    /// first: it takes no id but advances the counter, so the first proxy gets 2.
    private func assignProxyIDs(_ proxies: inout [ProxyConfig]) {
        var used: [Int: ProxyConfig] = [:]
        for proxy in proxies where proxy.forcedID {
            if let other = used[proxy.id] {
                diagnostics.append(ConfigDiagnostic(.alert, proxy.location,
                    "\(proxy.kind.rawValue) \(proxy.name) reuses same custom id as \(other.kind.rawValue) \(other.name) (declared at \(other.location))."))
            } else {
                used[proxy.id] = proxy
            }
        }
        var next = global.statsSockets.isEmpty ? 1 : 2
        for index in proxies.indices {
            if !proxies[index].forcedID {
                while used[next] != nil { next += 1 }
                proxies[index].id = next
                used[next] = proxies[index]
            }
            next += 1
        }
    }

    /// The same counter rule per backend for servers (`srv->puid`).
    private func assignServerIDs(_ servers: inout [ServerConfig]) {
        var used = Set(servers.filter(\.forcedID).map(\.id))
        var next = 1
        for index in servers.indices {
            if !servers[index].forcedID {
                while used.contains(next) { next += 1 }
                servers[index].id = next
                used.insert(next)
            }
            next += 1
        }
    }

    /// `default_backend` and `use_backend` must name a proxy with backend capability.
    private func checkReferences(_ proxy: ProxyConfig, _ draft: ProxyDraft, all: [ProxyConfig]) {
        func exists(_ name: String) -> Bool { all.contains { $0.name == name && $0.isBackend } }
        if proxy.isFrontend, let name = proxy.defaultBackend, !exists(name) {
            diagnostics.append(ConfigDiagnostic(.alert, draft.defaultBackendLocation ?? proxy.location,
                "Proxy '\(proxy.name)': unable to find required default_backend: '\(name)'."))
        }
        for rule in proxy.rules.useBackends where !exists(rule.backend) {
            diagnostics.append(ConfigDiagnostic(.alert, rule.location,
                "Proxy '\(proxy.name)': unable to find required use_backend: '\(rule.backend)'."))
        }
        for rule in proxy.useServers where !proxy.servers.contains(where: { $0.name == rule.server }) {
            diagnostics.append(ConfigDiagnostic(.alert, rule.location,
                "\(proxy.kind == .listen ? "proxy" : "backend") '\(proxy.name)' : unable to find server '\(rule.server)' referenced in a 'use-server' rule."))
        }
    }

    /// Every server's `resolvers` names a section with name servers; a SRV template needs one.
    private func checkResolvers(_ proxies: [ProxyConfig]) {
        for proxy in proxies {
            for server in proxy.servers {
                if let name = server.resolution.resolvers {
                    guard let section = resolvers.first(where: { $0.name == name }) else {
                        diagnostics.append(ConfigDiagnostic(.alert, server.location,
                            "\(proxy.kind == .listen ? "proxy" : proxy.kind.rawValue) '\(proxy.name)', server '\(server.name)': unable to find required resolvers '\(name)'"))
                        continue
                    }
                    if section.nameservers.isEmpty {
                        diagnostics.append(ConfigDiagnostic(.alert, section.location,
                            "resolvers '\(name)' has no nameserver, server '\(proxy.name)/\(server.name)' cannot use it."))
                    }
                } else if let record = server.srvRecord {
                    diagnostics.append(ConfigDiagnostic(.alert, server.location,
                        "\(proxy.kind == .listen ? "proxy" : proxy.kind.rawValue) '\(proxy.name)', server '\(server.name)': SRV record '\(record)' needs a 'resolvers' section to be resolved."))
                }
            }
        }
    }

    /// haproxy's start-up warnings that point at a likely mistake.
    private func checkSanity(_ proxy: ProxyConfig, _ draft: ProxyDraft) {
        let label = "\(draft.role.typeName) '\(proxy.name)'"
        if proxy.kind == .frontend && proxy.binds.isEmpty && !draft.refusedBind {
            diagnostics.append(ConfigDiagnostic(.warning, proxy.location,
                "frontend '\(proxy.name)' has no 'bind' directive. Please declare it as a backend if this was intended."))
        }
        if proxy.isFrontend && proxy.logFormat != nil && proxy.logTargets.isEmpty {
            diagnostics.append(ConfigDiagnostic(.warning, proxy.location,
                "log format ignored for \(label) since it has no log address."))
        }
        // haproxy 2.6 refuses a check with no port to go to (its `srv_init_addr` checks).
        let connectPorts = proxy.healthCheck?.rules.contains {
            if case .connect(let connect) = $0.action { return connect.port != nil } else { return false }
        } ?? false
        for server in proxy.servers where server.check && server.port == 0 && server.checkPort == nil && !connectPorts {
            diagnostics.append(ConfigDiagnostic(.alert, server.location,
                "config: \(draft.role.typeName) '\(proxy.name)': server '\(server.name)' has neither service port nor check port."))
        }
        var missing: [String] = []
        if proxy.isFrontend && proxy.timeouts.client == nil { missing.append("client") }
        // As haproxy: the server side only matters with servers (a stats section has none).
        let forwards = proxy.isBackend && !proxy.servers.isEmpty
        if forwards && proxy.timeouts.connect == nil { missing.append("connect") }
        if forwards && proxy.timeouts.server == nil { missing.append("server") }
        if !missing.isEmpty {
            diagnostics.append(ConfigDiagnostic(.warning, proxy.location,
                "missing timeouts for \(label) (\(missing.map { "'\($0)'" }.joined(separator: ", "))); unset timeouts never expire."))
        }
    }
}
