import OrdrelSystem

/// `source <addr>[:<port>]` in a backend (or `defaults`) and as a server option: the local
/// address outgoing connections bind to before connecting (haproxy's `conn_src`). The server's
/// own overrides its backend's. `usesrc` (transparent proxying) and `interface` need privileges
/// ordrel does not take: refused.
extension ConfigBuilder {
    /// The proxy keyword.
    func parseSource(_ words: [String]) {
        guard words.count >= 2, !words[1].isEmpty else {
            alert("'source' expects <addr>[:<port>] as argument.")
            return
        }
        if words.count > 2 {
            alert("'source' : '\(words[2])' is not supported by ordrel (only 'source <addr>[:<port>]').")
            return
        }
        switch Self.sourceAddress(words[1]) {
        case .success(let address): current.config.source = address
        case .failure(let message): alert("'source' : \(message.text)")
        }
    }

    /// An IP literal with an optional port (0: the kernel picks one), `ipv4@`/`ipv6@` allowed.
    static func sourceAddress(_ text: String) -> Result<SocketAddress, SourceError> {
        let (family, rest, other) = AddressSyntax.family(of: Substring(text))
        guard other == nil, let (host, portText) = AddressSyntax.splitHostPort(rest),
              AddressSyntax.isValidHost(host, family),
              AddressSyntax.isIPv4(host) || AddressSyntax.isIPv6(host) else {
            return .failure(SourceError(text: "invalid source address '\(text)' (ordrel takes an IP address here)."))
        }
        var port: UInt16 = 0
        if let portText, !portText.isEmpty {
            guard let parsed = AddressSyntax.port(portText) else {
                return .failure(SourceError(text: "invalid source port '\(portText)' (port ranges are not supported by ordrel)."))
            }
            port = parsed
        }
        guard let address = SocketAddress(ip: String(host), port: port) else {
            return .failure(SourceError(text: "invalid source address '\(text)'."))
        }
        return .success(address)
    }

    /// A refused `source` address, in words for the alert.
    struct SourceError: Error {
        var text: String
    }
}
