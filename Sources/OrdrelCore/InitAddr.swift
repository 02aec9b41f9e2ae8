import OrdrelConfig
import OrdrelSystem

/// Where a server's address comes from at start-up: haproxy 2.6's `init-addr` walk (server.c
/// `srv_iterate_initaddr`), kept pure; the resolver is passed in so tests need no DNS.
public enum InitAddr {
    /// The outcome of the walk.
    public enum Outcome: Equatable {
        /// An address; `warning` is haproxy's "falling back to configured address" when an
        /// earlier method failed.
        case address(SocketAddress, warning: String?)
        /// `none` was reached: start in maintenance (`MAINT (resolution)`) without an address;
        /// `warning` is "disabling server" when an earlier method failed.
        case noAddress(warning: String?)
        /// Nothing worked: the configuration is refused with this message.
        case failure(String)
    }

    /// Walks `methods` for `host`:`port`. An IP literal host needs no walk (haproxy only walks
    /// for host names). `last` never yields (ordrel loads no server-state-file).
    public static func resolve(host: String, port: UInt16, methods: [InitAddrMethod],
                               resolver: (String, UInt16) -> SocketAddress?) -> Outcome {
        if let literal = SocketAddress(ip: host, port: port) { return .address(literal, warning: nil) }
        var failed = false
        for method in methods {
            switch method {
            case .last:
                continue
            case .libc:
                if let address = resolver(host, port) { return .address(address, warning: nil) }
                failed = true
            case .none:
                return .noAddress(warning: failed ? "could not resolve address '\(host)', disabling server." : nil)
            case .ip(let ip):
                guard let address = SocketAddress(ip: ip, port: port) else { continue }
                return .address(address, warning: failed ? "could not resolve address '\(host)', falling back to configured address." : nil)
            }
        }
        return .failure(failed ? "could not resolve address '\(host)'." : "no method found to resolve address '\(host)'.")
    }
}
