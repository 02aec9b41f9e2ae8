/// The sections a keyword is allowed in: haproxy's `CFG_GLOBAL` and `CFG_LISTEN`, with the proxy
/// sides its parsers require. A `listen` section has both sides; `defaults` is a side of its own.
struct KeywordSections: OptionSet, Sendable {
    let rawValue: UInt8

    static let global = KeywordSections(rawValue: 1)
    static let defaults = KeywordSections(rawValue: 2)
    static let frontend = KeywordSections(rawValue: 4)
    static let backend = KeywordSections(rawValue: 8)
    /// Every proxy section.
    static let proxies: KeywordSections = [.defaults, .frontend, .backend]
}

/// One keyword of the configuration language and its parser, as an entry of haproxy's `cfg_kws`.
struct ConfigKeyword: Sendable {
    let names: [String]
    let sections: KeywordSections
    /// Parses a line whose first word is one of `names`; it reports its own alerts and warnings.
    let parse: @Sendable (ConfigBuilder, [String]) -> Void

    init(_ names: String..., in sections: KeywordSections,
         _ parse: @escaping @Sendable (ConfigBuilder, [String]) -> Void) {
        self.names = names
        self.sections = sections
        self.parse = parse
    }
}

/// Every keyword by name. Global and proxy keywords share one table, told apart by their sections
/// (`maxconn` or `log` have a parser in each).
enum KeywordTable {
    private static let byName: [String: [ConfigKeyword]] = {
        var table: [String: [ConfigKeyword]] = [:]
        for keyword in ConfigBuilder.globalKeywords + ConfigBuilder.proxyKeywords + ConfigBuilder.loggingKeywords
            + ConfigBuilder.checkKeywords {
            for name in keyword.names { table[name, default: []].append(keyword) }
        }
        return table
    }()

    /// The keyword called `name` that has a parser for any of `sections`.
    static func lookup(_ name: String, in sections: KeywordSections) -> ConfigKeyword? {
        byName[name]?.first { !$0.sections.isDisjoint(with: sections) }
    }
}
