/// `show resolvers` counters of one name server (haproxy 2.6's `struct dns_counters`).
public struct NameserverCounters: Sendable, Equatable {
    public var sent: UInt64 = 0
    public var sendError: UInt64 = 0
    public var valid: UInt64 = 0
    public var update: UInt64 = 0
    public var cname: UInt64 = 0
    public var cnameError: UInt64 = 0
    public var anyError: UInt64 = 0
    public var nx: UInt64 = 0
    public var timeout: UInt64 = 0
    public var refused: UInt64 = 0
    public var other: UInt64 = 0
    public var invalid: UInt64 = 0
    public var tooBig: UInt64 = 0
    public var truncated: UInt64 = 0
    public var outdated: UInt64 = 0

    public init() {}
}

/// One `resolvers` section for `show resolvers`.
public struct ResolversInfo: Sendable, Equatable {
    public var name: String
    public var nameservers: [(name: String, counters: NameserverCounters)]

    public init(name: String, nameservers: [(name: String, counters: NameserverCounters)]) {
        self.name = name
        self.nameservers = nameservers
    }

    public static func == (a: ResolversInfo, b: ResolversInfo) -> Bool {
        a.name == b.name && a.nameservers.map(\.name) == b.nameservers.map(\.name)
            && a.nameservers.map(\.counters) == b.nameservers.map(\.counters)
    }
}

/// haproxy 2.6's `show resolvers` layout (resolvers.c `cli_io_handler_dump_resolvers_to_buffer`).
enum ResolversRenderer {
    static func render(_ sections: [ResolversInfo]) -> String {
        var text = ""
        for section in sections {
            text += "Resolvers section \(section.name)\n"
            for (name, c) in section.nameservers {
                text += " nameserver \(name):\n"
                let rows: [(String, UInt64)] = [
                    ("sent", c.sent), ("snd_error", c.sendError), ("valid", c.valid), ("update", c.update),
                    ("cname", c.cname), ("cname_error", c.cnameError), ("any_err", c.anyError), ("nx", c.nx),
                    ("timeout", c.timeout), ("refused", c.refused), ("other", c.other), ("invalid", c.invalid),
                    ("too_big", c.tooBig), ("truncated", c.truncated), ("outdated", c.outdated),
                ]
                for (label, value) in rows {
                    text += "  \(label):" + String(repeating: " ", count: 12 - label.count) + "\(value)\n"
                }
            }
        }
        return text
    }
}
