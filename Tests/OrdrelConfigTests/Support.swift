import XCTest
@testable import OrdrelConfig

/// Parses `text` and fails the test (showing every diagnostic) if it has alerts.
func parseOK(_ text: String, file: String = "test.cfg", environment: [String: String] = [:],
             line: UInt = #line) -> ParsedConfiguration? {
    do {
        return try ConfigParser.parse(text: text, file: file, environment: environment)
    } catch {
        XCTFail("unexpected alerts:\n\(error)", line: line)
        return nil
    }
}

/// Parses `text` expecting alerts; returns every diagnostic, failing the test if none is thrown.
func diagnostics(_ text: String, file: String = "bad.cfg", environment: [String: String] = [:],
                 line: UInt = #line) -> [ConfigDiagnostic] {
    do {
        let parsed = try ConfigParser.parse(text: text, file: file, environment: environment)
        XCTFail("expected alerts, got a configuration with \(parsed.configuration.proxies.count) proxies", line: line)
        return []
    } catch {
        return error.diagnostics
    }
}

/// The formatted alert lines only.
func alertLines(_ diagnostics: [ConfigDiagnostic]) -> [String] {
    diagnostics.filter { $0.severity == .alert }.map(\.description)
}

extension Configuration {
    /// The proxy named `name` (tests crash loudly on a typo rather than pass vacuously).
    func proxy(_ name: String) -> ProxyConfig {
        guard let proxy = proxies.first(where: { $0.name == name }) else {
            preconditionFailure("no proxy '\(name)' in \(proxies.map(\.name))")
        }
        return proxy
    }
}

/// Timeouts so a proxy parses without the "missing timeouts" warning.
let quietDefaults = """
    defaults
        timeout connect 5s
        timeout client 30s
        timeout server 30s

    """
