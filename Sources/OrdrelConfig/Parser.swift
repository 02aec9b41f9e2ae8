import OrdrelLog
import OrdrelSystem

/// A configuration that parsed without alerts, with the warnings to print at start-up.
public struct ParsedConfiguration: Sendable {
    public var configuration: Configuration
    public var warnings: [ConfigDiagnostic]

    public init(configuration: Configuration, warnings: [ConfigDiagnostic]) {
        self.configuration = configuration
        self.warnings = warnings
    }
}

/// Entry points of the haproxy-format configuration parser.
public enum ConfigParser {
    /// Whether `host` resolves with the system's resolver (`/etc/hosts`, DNS).
    public static func resolvesWithSystem(_ host: String) -> Bool {
        SocketAddress.resolve(host: host, port: 0) != nil
    }

    /// `/etc/resolv.conf`'s text (`parse-resolv-conf`, the implicit `default` resolvers); nil
    /// when it cannot be read.
    public static func systemResolvConf() -> String? {
        (try? Files.contents(of: "/etc/resolv.conf", maxBytes: 1 << 20))?.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Parses files in order; a directory contributes its `*.cfg` files in lexical order
    /// (haproxy `-f dir`). Throws every diagnostic (alerts and warnings) when any alert is found.
    public static func parse(
        paths: [String],
        environment: [String: String] = CurrentProcess.environmentVariables
    ) throws(ConfigError) -> ParsedConfiguration {
        let builder = ConfigBuilder(environment: environment)
        let filesRead = paths.reduce(0) { $0 + ConfigFiles.load($1, into: builder) }
        if filesRead == 0 && builder.diagnostics.isEmpty {
            builder.diagnostics.append(ConfigDiagnostic(
                .alert, nil, "No configuration file found in \(paths.joined(separator: ", ")) (a directory contributes its *.cfg files)."))
        }
        return try builder.finish()
    }

    /// Parses `text` as if read from `file` (tests); a last line without LF is accepted.
    /// `resolves` decides whether a `bind` host name resolves (the fuzz target answers without
    /// asking DNS); `resolvConf` stands for `/etc/resolv.conf`.
    public static func parse(
        text: String,
        file: String,
        environment: [String: String] = [:],
        resolves: @escaping (String) -> Bool = resolvesWithSystem,
        resolvConf: @escaping () -> String? = systemResolvConf
    ) throws(ConfigError) -> ParsedConfiguration {
        let builder = ConfigBuilder(environment: environment, resolves: resolves, resolvConf: resolvConf)
        builder.parse(text: text, file: file)
        return try builder.finish()
    }
}

/// A proxy or `defaults` section while it is being read: the resolved-model values plus what is
/// only needed until the end of parsing (default-server template, where things were written).
struct ProxyDraft {
    /// Which section declared it; `defaults` has both capabilities, like in haproxy.
    enum Role: String {
        case defaults, frontend, backend, listen

        var hasFrontend: Bool { self != .backend }
        var hasBackend: Bool { self != .frontend }
        /// haproxy's `proxy_type_str`: a `listen` is called "proxy" in messages.
        var typeName: String { self == .listen ? "proxy" : rawValue }
    }

    /// One `log` line of a proxy; `log global` is resolved once the global section is known.
    enum LogEntry: Equatable {
        case global
        case target(LogTarget)
    }

    var role: Role
    var config: ProxyConfig
    /// `default-server` values: the starting point of every later `server` line.
    var defaultServer: ServerConfig
    var logs: [LogEntry] = []
    var defaultBackendLocation: SourceLocation?
    /// The section's `acl` lines so far, and how conditions are parsed against them.
    var acls = ACLParser()
    /// A `bind` line was refused: its alert says so, the "no 'bind' directive" warning would not.
    var refusedBind = false
    /// `option tcp-check|httpchk|...`: which check the servers run; nil = a plain connect.
    var checkOption: CheckOptionDraft?
    var checkOptionLocation: SourceLocation?
    /// `tcp-check` / `http-check` lines; inherited from `defaults` until the section writes its own.
    var tcpCheckLines: [CheckLineDraft] = []
    var httpCheckLines: [CheckLineDraft] = []
    var ownTCPCheckLines = false
    var ownHTTPCheckLines = false
    /// Where `mode http` was set (in this section or the `defaults` it inherits).
    var modeLocation: SourceLocation?
    /// Where `option httplog` was set: a tcp proxy falls back to tcplog with a warning there.
    var httplogLocation: SourceLocation?
    /// `option forwardfor` is set: a tcp proxy ignores it with a warning.
    var forwardfor = false

    /// A fresh unnamed `defaults`: haproxy's built-in values.
    static func builtinDefaults(location: SourceLocation) -> ProxyDraft {
        ProxyDraft(
            role: .defaults,
            config: ProxyConfig(name: "", kind: .listen, id: 0, location: location),
            defaultServer: ServerConfig(name: "", host: "", port: 0, id: 0, location: location))
    }

    /// A section inheriting everything a `defaults` section can set.
    func inherited(name: String, role: Role, location: SourceLocation) -> ProxyDraft {
        var draft = self
        draft.role = role
        draft.config.name = name
        draft.config.location = location
        draft.config.id = 0
        draft.config.forcedID = false
        draft.config.description = nil
        draft.config.binds = []
        draft.refusedBind = false
        draft.ownTCPCheckLines = false
        draft.ownHTTPCheckLines = false
        draft.config.servers = []
        draft.config.rules = ConnectionRules()
        draft.config.rules.inspectDelayMs = config.rules.inspectDelayMs
        draft.config.useServers = []
        draft.config.responseRules.content = []
        draft.acls = ACLParser()
        if !role.hasFrontend {
            draft.config.maxconn = nil
            draft.config.defaultBackend = nil
            draft.defaultBackendLocation = nil
        }
        switch role {
        case .frontend: draft.config.kind = .frontend
        case .backend: draft.config.kind = .backend
        case .listen, .defaults: draft.config.kind = .listen
        }
        return draft
    }
}

/// Reads sections line by line, collecting every diagnostic rather than stopping at the first.
final class ConfigBuilder {
    /// What the lines being read belong to.
    enum Section {
        /// Before the first section header of a file.
        case none
        case global
        /// A `defaults`, `frontend`, `backend` or `listen` section: see `current`.
        case proxy
        /// A `resolvers` section: see `currentResolvers`.
        case resolvers
        /// A section ordrel does not read (peers, mailers, ...): lines are skipped.
        case skipped
    }

    var environment: [String: String]
    var diagnostics: [ConfigDiagnostic] = []
    var global = GlobalConfig()
    var proxies: [ProxyDraft] = []
    /// `resolvers` sections read so far, and the one being read.
    var resolvers: [ResolversConfig] = []
    var currentResolvers = ResolversConfig(name: "", location: SourceLocation(file: "", line: 0))
    /// The `defaults` the next proxy inherits from (the last one read, named or not).
    var lastDefaults: ProxyDraft
    var namedDefaults: [String: ProxyDraft] = [:]
    /// Named defaults (by declaration) used implicitly / referenced with `from`: haproxy 2.6
    /// refuses a mix of both for one section, as it is ambiguous.
    var implicitlyUsedDefaults: Set<SourceLocation> = []
    var explicitlyUsedDefaults: Set<SourceLocation> = []
    var section: Section = .none
    var current: ProxyDraft
    var location = SourceLocation(file: "", line: 0)
    /// The section name for `${.SECTION}`.
    var sectionName = ""
    var pidfileSet = false
    var userSet = false
    var groupSet = false

    /// Whether a `bind` host name resolves; names are resolved when parsed, as haproxy does.
    let resolves: (String) -> Bool
    /// `/etc/resolv.conf`'s text, or nil.
    let resolvConf: () -> String?

    init(environment: [String: String], resolves: @escaping (String) -> Bool = ConfigParser.resolvesWithSystem,
         resolvConf: @escaping () -> String? = ConfigParser.systemResolvConf) {
        self.resolvConf = resolvConf
        self.environment = environment
        self.resolves = resolves
        let start = SourceLocation(file: "", line: 0)
        lastDefaults = ProxyDraft.builtinDefaults(location: start)
        current = lastDefaults
    }

    func alert(_ message: String) {
        diagnostics.append(ConfigDiagnostic(.alert, location, message))
    }

    func warn(_ message: String) {
        diagnostics.append(ConfigDiagnostic(.warning, location, message))
    }

    /// Parses one file's text. Sections do not continue across files, but `defaults` do.
    func parse(text: String, file: String) {
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so CRLF files need the explicit check.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            parseLine(String(rawLine), at: SourceLocation(file: file, line: lineNumber))
        }
        endFile()
    }

    /// Parses one line (without its line end) of the file being read.
    func parseLine(_ rawLine: String, at location: SourceLocation) {
        self.location = location
        let tokenizer = Tokenizer(lookup: { [unowned self] name in self.variable(name) })
        switch tokenizer.split(rawLine) {
        case .failure(let failure):
            alert(failure.description)
        case .success(let line):
            guard !line.words.isEmpty else { return }
            guard line.words.count <= Self.maxWords else {
                alert(tooManyWords(line.words))
                return
            }
            handle(line.words)
        }
    }

    /// Ends the file being read: its last section ends with it.
    func endFile() {
        endSection()
        section = .none
        sectionName = ""
    }

    /// haproxy's MAX_LINE_ARGS: a line with more words is refused.
    static let maxWords = 64

    /// haproxy's alert for a line over `maxWords`: the last word kept and its 1-based position in
    /// the line as haproxy stores it (words after unquoting, each followed by one separator).
    private func tooManyWords(_ words: [String]) -> String {
        let last = words[Self.maxWords - 1]
        let position = words.prefix(Self.maxWords - 1).reduce(1) { $0 + $1.utf8.count + 1 }
        return "too many words, truncating after word \(Self.maxWords), position \(position): <\(last)>."
    }

    private func variable(_ name: String) -> String? {
        switch name {
        case ".FILE": return location.file
        case ".LINE": return String(location.line)
        case ".SECTION": return sectionName
        default: return environment[name]
        }
    }

    private func handle(_ words: [String]) {
        let keyword = words[0]
        if keyword.hasPrefix(".") {
            alert("'\(keyword)' : conditional blocks and dot directives are not supported by ordrel")
            return
        }
        switch keyword {
        case "global":
            endSection()
            section = .global
            sectionName = "global"
            if words.count > 1 { alert("'global' cannot handle unexpected argument '\(words[1])'.") }
            return
        case "defaults", "frontend", "backend", "listen":
            endSection()
            startProxy(words)
            return
        case "resolvers":
            endSection()
            startResolvers(words)
            return
        default:
            break
        }
        if Keywords.unsupportedSections.contains(keyword) {
            endSection()
            section = .skipped
            sectionName = keyword
            alert("'\(keyword)' sections are not supported by ordrel")
            return
        }
        switch section {
        case .none:
            alert("unknown keyword '\(keyword)' out of section.")
        case .global:
            parseGlobal(words)
        case .proxy:
            parseProxy(words)
        case .resolvers:
            parseResolversLine(words)
        case .skipped:
            break
        }
    }

    /// Closes the current section: a proxy joins the list, a `defaults` becomes the one to inherit.
    private func endSection() {
        if case .resolvers = section {
            resolvers.append(currentResolvers)
            section = .none
        }
        guard case .proxy = section else { return }
        if current.role == .defaults {
            lastDefaults = current
            if !current.config.name.isEmpty { namedDefaults[current.config.name] = current }
        } else {
            proxies.append(current)
        }
        section = .none
    }

    /// `defaults [<name>] [from <defaults>]`, `frontend|backend|listen <name> [from <defaults>]`.
    private func startProxy(_ words: [String]) {
        let role = ProxyDraft.Role(rawValue: words[0])!
        var rest = Array(words.dropFirst())
        var name = ""
        if let first = rest.first, role != .defaults || first != "from" {
            name = first
            rest.removeFirst()
        }
        if role != .defaults && name.isEmpty {
            alert("'\(role.rawValue)' expects an <id> argument")
        }
        if let bad = name.first(where: { !($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) {
            alert("character '\(bad)' is not permitted in '\(role.rawValue)' name '\(name)'.")
        }
        // A defaults section without `from` starts again from the built-in values.
        var parent = role == .defaults ? ProxyDraft.builtinDefaults(location: location) : lastDefaults
        var explicit = false
        let fromGiven = rest.first == "from"
        if let first = rest.first {
            if first == "from" {
                if rest.count < 2 || rest[1].isEmpty {
                    alert("'from' expects the name of a defaults section for \(role.typeName) '\(name)'.")
                } else if let named = namedDefaults[rest[1]] {
                    parent = named
                    explicit = true
                } else {
                    alert("defaults section '\(rest[1])' not found for \(role.typeName) '\(name)'.")
                }
                if rest.count > 2 { alert("'\(role.rawValue)' cannot handle unexpected argument '\(rest[2])'.") }
            } else {
                alert("'\(role.rawValue)' cannot handle unexpected argument '\(first)'.")
            }
        }
        if role != .defaults, !name.isEmpty,
           let other = proxies.first(where: { $0.config.name == name && overlaps($0.role, role) }) {
            alert("\(role.typeName) '\(name)' has the same name as \(other.role.typeName) '\(name)' declared at \(other.config.location).")
        }
        if explicit || !fromGiven { checkDefaultsUsage(parent, explicit: explicit, role: role) }
        current = parent.inherited(name: name, role: role, location: location)
        section = .proxy
        sectionName = name.isEmpty ? role.rawValue : name
    }

    private func checkDefaultsUsage(_ parent: ProxyDraft, explicit: Bool, role: ProxyDraft.Role) {
        guard !parent.config.name.isEmpty, explicit || role != .defaults else { return }
        let declared = parent.config.location
        let conflict = explicit ? implicitlyUsedDefaults.contains(declared) : explicitlyUsedDefaults.contains(declared)
        if explicit {
            explicitlyUsedDefaults.insert(declared)
        } else {
            implicitlyUsedDefaults.insert(declared)
        }
        if conflict {
            alert("defaults section '\(parent.config.name)' (declared at \(declared)) is explicitly referenced by another proxy and implicitly used here. To avoid any ambiguity don't mix both usage. Add a last defaults section not explicitly used or always use explicit references.")
        }
    }

    /// haproxy refuses two proxies with one name only when their capabilities overlap.
    private func overlaps(_ a: ProxyDraft.Role, _ b: ProxyDraft.Role) -> Bool {
        (a.hasFrontend && b.hasFrontend) || (a.hasBackend && b.hasBackend)
    }
}
