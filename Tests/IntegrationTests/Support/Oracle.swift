/// The two daemons a comparison test runs on the same config and traffic.
enum Side: String, CaseIterable, CustomStringConvertible {
    case haproxy, ordrel
    var description: String { rawValue }
}

/// Debian's haproxy 2.6, the oracle the comparison tests run next to ordrel.
let haproxyPath = "/usr/sbin/haproxy"
