import OrdrelConfig
import FuzzSupport

/// Fuzzes `ConfigParser.parse(text:file:)` (no environment). Invariants beyond "does not crash":
/// - parsing is deterministic;
/// - a refused configuration carries at least one alert, an accepted one only warnings;
/// - every diagnostic location names the parsed file and one of its lines;
/// - an accepted configuration is consistent: proxy ids unique and positive, server names and
///   ids unique per proxy, weights within 0...256, every backend reference resolves.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    let first = parse(text)
    let second = parse(text)
    check(first == second, "parsing is not deterministic")
    let lineCount = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count
    switch first {
    case .refused(let diagnostics):
        check(diagnostics.contains { $0.severity == .alert }, "refused without an alert")
        checkLocations(diagnostics, lineCount: lineCount)
    case .accepted(let configuration, let warnings):
        check(warnings.allSatisfy { $0.severity == .warning }, "accepted with an alert")
        checkLocations(warnings, lineCount: lineCount)
        checkConsistent(configuration)
    }
    return 0
}

private let file = "fuzz.cfg"

/// The outcome of one parse, comparable.
private enum Outcome: Equatable {
    case accepted(Configuration, [ConfigDiagnostic])
    case refused([ConfigDiagnostic])
}

private func parse(_ text: String) -> Outcome {
    do {
        // No DNS from a fuzzer: only literal addresses and `localhost` resolve.
        let parsed = try ConfigParser.parse(text: text, file: file, resolves: { $0 == "localhost" })
        return .accepted(parsed.configuration, parsed.warnings)
    } catch {
        return .refused(error.diagnostics)
    }
}

private func checkLocations(_ diagnostics: [ConfigDiagnostic], lineCount: Int) {
    for diagnostic in diagnostics {
        guard let location = diagnostic.location else { continue }
        check(location.file == file && (1...max(lineCount, 1)).contains(location.line),
              "diagnostic at \(location) outside the \(lineCount) lines: \(diagnostic)")
    }
}

private func checkConsistent(_ configuration: Configuration) {
    let proxies = configuration.proxies
    check(Set(proxies.map(\.id)).count == proxies.count && proxies.allSatisfy { $0.id > 0 }, "proxy ids")
    for proxy in proxies {
        let servers = proxy.servers
        check(Set(servers.map(\.name)).count == servers.count, "server names in \(proxy.name)")
        check(Set(servers.map(\.id)).count == servers.count && servers.allSatisfy { $0.id > 0 }, "server ids in \(proxy.name)")
        check(servers.allSatisfy { (0...256).contains($0.weight) }, "server weight in \(proxy.name)")
        check(proxy.isBackend || servers.isEmpty, "frontend \(proxy.name) has servers")
        guard proxy.isFrontend else { continue }
        for name in [proxy.defaultBackend].compactMap({ $0 }) + proxy.rules.useBackends.map(\.backend) {
            check(proxies.contains { $0.name == name && $0.isBackend }, "\(proxy.name) uses unknown backend \(name)")
        }
    }
}
