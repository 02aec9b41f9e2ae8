import Foundation
import XCTest

/// Only OrdrelSystem calls libc (README, Package.swift): it retries EINTR, returns would-block as a
/// value and throws errors naming the call. This reads every module under Sources/ and fails on an
/// import of a libc module, or of libev's C shims, from a module not allowed to use it.
final class LibcBoundaryTests: XCTestCase {
    /// Who may import what. libc is OrdrelSystem's alone. CLibev (libev and the C macros Swift
    /// cannot import: CMSG_*, accept4, splice, a thread-local) is also OrdrelEventLoop's, which is
    /// the libev wrapper: every other module reaches libev through `EventLoop` and its watchers.
    /// CAres (c-ares) is OrdrelSystem's too: the runtime sees `DNSChannel` only.
    /// Foundation re-exports libc (fopen, inet_pton, strerror ...) and, linked statically, makes the
    /// container image's binaries tens of MB larger (ICU data): no module under Sources imports it.
    static let allowedImporters: [String: Set<String>] = [
        "Glibc": ["OrdrelSystem"],
        "Musl": ["OrdrelSystem"],
        "Darwin": ["OrdrelSystem"],
        "CLibev": ["OrdrelSystem", "OrdrelEventLoop"],
        "CAres": ["OrdrelSystem"],
        "Foundation": [],
    ]

    /// `Sources/`, found from this file's own path (Tests/OrdrelSystemTests/<this file>).
    static let sourcesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    func testOnlyAllowedModulesImportLibcOrLibev() throws {
        var violations: [String] = []
        var seen: [String: Set<String>] = [:]
        for (module, file, lineNumber, imported) in try Self.imports() {
            seen[imported, default: []].insert(module)
            guard let allowed = Self.allowedImporters[imported], !allowed.contains(module) else { continue }
            violations.append("Sources/\(module)/\(file):\(lineNumber): import \(imported) (only \(allowed.sorted().joined(separator: ", ")))")
        }
        XCTAssertEqual(violations, [], "libc and libev belong to OrdrelSystem and OrdrelEventLoop")
        // The scan found the tree: OrdrelSystem itself imports Glibc.
        XCTAssertTrue(seen["Glibc", default: []].contains("OrdrelSystem"), "no sources found at \(Self.sourcesDirectory.path)")
    }

    /// Every `import` of a checked module: (module, file, line, imported module). Recognises
    /// `import M`, `import M.Sub`, `import func M.name` and attributes such as `@preconcurrency`.
    static func imports() throws -> [(String, String, Int, String)] {
        let manager = FileManager.default
        var found: [(String, String, Int, String)] = []
        for module in try manager.contentsOfDirectory(atPath: sourcesDirectory.path).sorted() {
            let root = sourcesDirectory.appendingPathComponent(module)
            guard let files = manager.enumerator(atPath: root.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    guard let imported = importedModule(line), allowedImporters[imported] != nil else { continue }
                    found.append((module, file, index + 1, imported))
                }
            }
        }
        return found
    }

    /// The top-level module a line imports, or nil when it is no import.
    static func importedModule(_ line: Substring) -> String? {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        while let first = words.first, first.hasPrefix("@") { words = words.dropFirst() }
        guard words.first == "import" else { return nil }
        words = words.dropFirst()
        let kinds: Set<Substring> = ["typealias", "struct", "class", "enum", "protocol", "let", "var", "func"]
        if let first = words.first, kinds.contains(first) { words = words.dropFirst() }
        return words.first.map { String($0.prefix { $0 != "." }) }
    }

    func testImportLinesAreRecognised() {
        XCTAssertEqual(Self.importedModule("import Glibc"), "Glibc")
        XCTAssertEqual(Self.importedModule("  @preconcurrency import Darwin.C"), "Darwin")
        XCTAssertEqual(Self.importedModule("import func Glibc.write"), "Glibc")
        XCTAssertEqual(Self.importedModule("@_exported import CLibev"), "CLibev")
        XCTAssertEqual(Self.importedModule("@preconcurrency import Foundation"), "Foundation")
        XCTAssertNil(Self.importedModule("// import Glibc is not allowed here"))
    }
}
