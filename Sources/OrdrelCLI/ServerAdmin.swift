// The admin vocabulary for `<backend>/<server>` commands, shared by the CLI and the runtime so
// a request or an outcome is defined once and never translated case by case.

/// Why `<backend>/<server>` did not resolve.
public enum ServerLookupError: Error, Sendable, Equatable {
    case noSuchBackend
    case noSuchServer

    /// haproxy's reply.
    var reply: String {
        switch self {
        case .noSuchBackend: return "No such backend.\n"
        case .noSuchServer: return "No such server.\n"
        }
    }
}

/// An action on `<backend>/<server>`: its outcome, or why the server did not resolve.
public typealias ServerResult<Outcome> = Result<Outcome, ServerLookupError>

extension Result where Failure == ServerLookupError {
    /// The lookup failure; nil when the server resolved.
    public var lookupError: ServerLookupError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// What the operator asked of a server (config `disabled`, `set server ... state <word>`).
public enum ServerAdminState: String, Sendable, Equatable {
    /// Takes traffic when its checks allow (leaves drain and maintenance).
    case ready
    /// Drain: keeps its open streams but takes no new load-balanced ones.
    case drain
    /// Maintenance: no new streams and no checks.
    case maint
}

/// The operational state `set server ... health <word>` forces.
public enum ServerHealthRequest: String, Sendable, Equatable {
    /// Running: takes traffic again.
    case up
    /// Running but `NOLB`: keeps its streams, takes no new load-balanced ones.
    case stopping
    /// Stopped: no traffic.
    case down
}

/// A validated weight change (`set weight`, `set server ... weight`).
public enum WeightRequest: Sendable, Equatable {
    /// 0...256.
    case absolute(UInt32)
    /// Percentage (0...25600) of the server's initial weight; the runtime caps the result at 256.
    case relative(UInt32)
}

/// A server's weights, as `get weight` prints them.
public struct ServerWeight: Sendable, Equatable {
    public var current: UInt32
    public var initial: UInt32

    public init(current: UInt32, initial: UInt32) {
        self.current = current
        self.initial = initial
    }
}

/// `set weight` outcome.
public enum SetWeightOutcome: Sendable, Equatable {
    case done
    /// Static LB algorithms only take 0% and 100% at runtime.
    case staticAlgorithm
}

/// Outcome of `enable/disable health` and of the agent commands (`enable/disable agent`,
/// `set server ... agent|agent-send`).
public enum HealthChecksOutcome: Sendable, Equatable {
    case done
    /// The server has no `check` (health commands), no `agent-check` (`enable/disable agent`), or
    /// no enabled agent (`set server ... agent|agent-send`).
    case notConfigured
}

/// A port given to `set server ... addr ... port`.
public enum PortRequest: Sendable, Equatable {
    /// An absolute port (haproxy truncates to 16 bits: 70000 becomes 4464).
    case absolute(UInt16)
    /// `+N`/`-N`: a port offset (port map).
    case offset(Int32)
    /// Not a number; echoed back in the error text.
    case invalid(String)
}

/// `set server <b>/<s> fqdn <name>` outcome.
public enum SetFQDNOutcome: Sendable, Equatable {
    /// `server` (`be/srv`) now resolves `to`; `from` is nil when it had no name.
    case changed(server: String, from: String?, to: String)
    /// The server has no `resolvers`.
    case noResolution
    /// A SRV template's server: its records name its host.
    case srvResolution
    /// Not a host name.
    case invalid
}

/// `set server ... addr` outcome; `reply(address:)` words it.
public enum SetAddressOutcome: Sendable, Equatable {
    /// The address did not parse; nothing changed.
    case invalidAddress
    /// Applied; `port` is nil when none was given.
    case updated(address: AddressOutcome, port: PortOutcome?)
}

/// What happened to the address (host only) of a `set server ... addr` request.
public enum AddressOutcome: Sendable, Equatable {
    case changed(from: String, to: String)
    case unchanged
}

/// What happened to the port of a `set server ... addr ... port` request.
public enum PortOutcome: Sendable, Equatable {
    case changed(from: UInt16, to: UInt16)
    case unchanged
    /// `problem converting port '<p>' to an int`.
    case invalid(String)
    /// A port map cannot be used with the server's health check port configuration.
    case incompatibleWithCheckPort
}

extension SetAddressOutcome {
    /// haproxy 2.6's sentence for this outcome of `set server ... addr <address>`.
    func reply(address: String) -> String {
        let by = " by 'stats socket command'\n"
        switch self {
        case .invalidAddress:
            return "Invalid addr '\(address)'" + by
        case .updated(let change, let port):
            var message: String
            switch change {
            case .changed(let from, let to): message = "IP changed from '\(from)' to '\(to)'"
            case .unchanged: message = "no need to change the addr"
            }
            switch port {
            case nil: break
            case .changed(let from, let to)?: message += ", port changed from '\(from)' to '\(to)'"
            case .unchanged?: message += ", no need to change the port"
            case .invalid(let text)?: message += ", problem converting port '\(text)' to an int"
            case .incompatibleWithCheckPort?:
                message += ", can't change <port> to port map because it is incompatible with current health check "
                    + "port configuration (use 'port' statement from the 'server' directive."
            }
            return message + by
        }
    }
}
