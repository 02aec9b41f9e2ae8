import OrdrelSystem

/// Address syntax shared by `bind` and `server`: haproxy's `str2sa_range` rules, restricted to
/// what ordrel can listen on or connect to.
enum AddressSyntax {
    /// Address family forced by an `ipv4@` / `ipv6@` prefix.
    enum Family {
        case any, ipv4, ipv6
    }

    /// `[host]:port` split: brackets for IPv6, otherwise the last colon separates the port
    /// (so `::1:80` is `::1` port 80). `port` is nil when there is no colon at all.
    static func splitHostPort(_ text: Substring) -> (host: Substring, port: Substring?)? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return (host, nil) }
            guard rest.hasPrefix(":") else { return nil }
            return (host, rest.dropFirst())
        }
        guard let colon = text.lastIndex(of: ":") else { return (text, nil) }
        return (text[..<colon], text[text.index(after: colon)...])
    }

    /// Strips `ipv4@` / `ipv6@`; nil for prefixes ordrel does not handle (returned as `other`).
    static func family(of text: Substring) -> (Family, Substring, other: String?) {
        if text.hasPrefix("ipv4@") { return (.ipv4, text.dropFirst(5), nil) }
        if text.hasPrefix("ipv6@") { return (.ipv6, text.dropFirst(5), nil) }
        if let at = text.firstIndex(of: "@"), !text[..<at].contains(":") {
            return (.any, text, String(text[...at]))
        }
        return (.any, text, nil)
    }

    static func isIPv4(_ host: Substring) -> Bool {
        SocketAddress(ip: String(host), port: 0)?.family == .inet
    }

    static func isIPv6(_ host: Substring) -> Bool {
        SocketAddress(ip: String(host), port: 0)?.family == .inet6
    }

    /// A literal of the requested family, or (for `.any`) an IP literal or a plausible host name.
    static func isValidHost(_ host: Substring, _ family: Family) -> Bool {
        switch family {
        case .ipv4: return isIPv4(host)
        case .ipv6: return isIPv6(host)
        case .any:
            if isIPv4(host) || isIPv6(host) { return true }
            return !host.isEmpty && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
        }
    }

    /// A port 1...65535 written in decimal.
    static func port(_ text: Substring) -> UInt16? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text), (1...65535).contains(n) else {
            return nil
        }
        return UInt16(n)
    }
}

extension ConfigBuilder {
    /// `bind <addr>[,<addr>...] [options]`: one BindConfig per address and per port of a range.
    func parseBind(_ words: [String]) {
        guard words.count > 1, !words[1].isEmpty else {
            alert("'bind' expects {<path>|[addr1]:port1[-end1]}{,[addr]:port[-end]}... as arguments.")
            return
        }
        var addresses: [BindAddress] = []
        for piece in words[1].split(separator: ",") {
            guard let parsed = bindAddresses(piece) else {
                current.refusedBind = true
                return
            }
            addresses += parsed
        }
        let prefix = "'bind \(words[1])' in section '\(current.role.rawValue)' : "
        var template = BindConfig(address: .unix(path: ""), location: location)
        template.mode = global.unixBind.mode
        template.uid = global.unixBind.uid
        template.gid = global.unixBind.gid
        var index = 2
        var ok = true
        options: while index < words.count {
            let option = words[index]
            let takesValue = ["name", "backlog", "maxconn", "mode", "uid", "gid", "user", "group"].contains(option)
            let value = index + 1 < words.count ? words[index + 1] : ""
            if takesValue && value.isEmpty {
                alert(prefix + "'\(option)' : missing value")
                ok = false
                break options
            }
            switch option {
            case "name": template.name = value
            case "backlog", "maxconn", "uid", "gid":
                guard let n = Int(value), n >= 0 else {
                    alert(prefix + "'\(option)' expects a non-negative integer (got '\(value)')")
                    ok = false
                    break options
                }
                switch option {
                case "backlog": template.backlog = n
                case "maxconn": template.maxconn = n
                case "uid": template.uid = n
                default: template.gid = n
                }
            case "mode":
                if let mode = octalMode(words, index + 1, prefix) { template.mode = mode } else { ok = false }
            case "user", "group":
                guard let id = ownerID(option, value, quoted: false, prefix: prefix) else {
                    ok = false
                    break options
                }
                if option == "user" { template.uid = id } else { template.gid = id }
            case "v4v6": template.ipv6Only = false
            case "v6only": template.ipv6Only = true
            case "accept-proxy": template.acceptProxy = true
            case "tfo": template.tfo = true
            default:
                // Every unsupported option is reported: haproxy's own value-taking keywords
                // skip their value, any other word is taken as an option of its own.
                alert(prefix + "unsupported bind option '\(option)'.")
                ok = false
                index += Keywords.haproxyBindOptionsWithValue.contains(option) ? 2 : 1
                continue options
            }
            index += takesValue ? 2 : 1
        }
        guard ok else {
            current.refusedBind = true
            return
        }
        for address in addresses {
            var bind = template
            bind.address = address
            current.config.binds.append(bind)
        }
    }

    /// One comma-separated element of a `bind` line.
    private func bindAddresses(_ text: Substring) -> [BindAddress]? {
        if text.hasPrefix("fd@") || text.hasPrefix("sockpair@") { return inheritedSocket(text) }
        if text.hasPrefix("unix@") || text.hasPrefix("/") {
            let relative = text.hasPrefix("unix@") ? text.dropFirst(5) : text
            guard !relative.isEmpty else {
                alert("'bind' : missing path in '\(text)'")
                return nil
            }
            let path = Substring(global.unixBind.prefix + relative)
            guard fitsUnixListener(path, as: text, keyword: "bind") else { return nil }
            return [.unix(path: String(path))]
        }
        let (family, rest, other) = AddressSyntax.family(of: text)
        if let other {
            alert("'bind' : ordrel does not support '\(other)' addresses (in '\(text)').")
            return nil
        }
        guard let (rawHost, portText) = AddressSyntax.splitHostPort(rest) else {
            alert("'bind' : invalid address: '\(text)'")
            return nil
        }
        guard let portText, !portText.isEmpty else {
            alert("'bind' : missing port specification in '\(text)'")
            return nil
        }
        var host = rawHost == "*" ? "" : rawHost
        if host.isEmpty && family == .ipv6 { host = "::" }
        // Names are resolved now, as haproxy does, so `-c` refuses what could not be bound.
        if !host.isEmpty && (!AddressSyntax.isValidHost(host, family)
            || !resolves(String(host))) {
            alert("'bind' : invalid address: '\(host)' in '\(text)'")
            return nil
        }
        let ports: ClosedRange<UInt16>
        if let dash = portText.firstIndex(of: "-") {
            guard let low = AddressSyntax.port(portText[..<dash]),
                  let high = AddressSyntax.port(portText[portText.index(after: dash)...]), low <= high else {
                alert("'bind' : invalid port range '\(portText)'")
                return nil
            }
            ports = low...high
        } else {
            guard let port = AddressSyntax.port(portText) else {
                alert("'bind' : invalid port '\(portText)'")
                return nil
            }
            ports = port...port
        }
        return ports.map { .tcp(host: String(host), port: $0) }
    }

    /// `fd@<n>` or `sockpair@<n>`, checked now as haproxy's `str2sa_range` does, so `-c` and
    /// start-up refuse a descriptor that is closed or not a stream socket.
    func inheritedSocket(_ text: Substring) -> [BindAddress]? {
        let pair = text.hasPrefix("sockpair@")
        let number = text.dropFirst(pair ? "sockpair@".count : "fd@".count)
        guard let fd = Int32(number), fd >= 0 else {
            alert("'bind' : file descriptor '\(number)' is not a valid integer in '\(text)'")
            return nil
        }
        let traits: SocketTraits
        do {
            traits = try FD.inheritedTraits(fd)
        } catch {
            alert("'bind' : cannot use file descriptor '\(fd)' : \((error as? SyscallError)?.reason ?? "\(error)").")
            return nil
        }
        guard traits.isStream else {
            alert("'bind' : socket on file descriptor '\(fd)' is of the wrong type.")
            return nil
        }
        return [pair ? .socketPair(fd: fd) : .inherited(fd: fd)]
    }

    /// Whether a Unix socket path fits `FD.unixListener`'s temporary name; alerts as haproxy
    /// does otherwise (its own limit, 97, is smaller than sun_path for the same reason).
    func fitsUnixListener(_ path: Substring, as written: Substring, keyword: String) -> Bool {
        guard path.utf8.count > FD.maxUnixListenerPathLength else { return true }
        alert("'\(keyword)' : socket path '\(written)' too long (max \(FD.maxUnixListenerPathLength))")
        return false
    }
}
