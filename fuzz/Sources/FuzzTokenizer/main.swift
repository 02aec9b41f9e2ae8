@testable import OrdrelConfig
import FuzzSupport

/// Fuzzes `Tokenizer.split` on one line. Invariants beyond "does not crash":
/// - a line without quotes, escapes, `$` or `#` splits exactly on blanks;
/// - every produced word list re-encodes (strong quotes, and separately backslash escapes) into a
///   line that splits back to the same words with no expansion;
/// - failures point inside the line (1-based, at most one past the end);
/// - reported unquoted expansions are variable names.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    let tokenizer = Tokenizer(lookup: { name in variables[name] })
    switch tokenizer.split(text) {
    case .failure(let failure):
        check(failure.position >= 1 && failure.position <= text.utf8.count + 1, "position \(failure.position) outside the line")
    case .success(let line):
        if !text.utf8.contains(where: { special.contains($0) }) {
            let plain = text.utf8.split(whereSeparator: { blanks.contains($0) }).map { String(decoding: $0, as: UTF8.self) }
            check(line.words == plain, "plain line split as \(line.words), expected \(plain)")
        }
        roundTrip(line.words, encoded: line.words.map(strongQuoted).joined(separator: " "))
        roundTrip(line.words, encoded: line.words.map(escaped).joined(separator: "\t"))
    }
    return 0
}

/// Variables the fuzzed lines may reference; one has spaces so that `${SP[*]}` splits.
private let variables = ["A": "a", "SP": "x y  z", "EMPTY": "", ".LINE": "1"]
private let blanks: Set<UInt8> = [0x20, 0x09, 0x0D, 0x0A]
private let special: Set<UInt8> = Set("\\\"'$#".utf8)

/// `'...'`, a quote inside written as `'\''` (close, escaped quote, reopen). Works on scalars, so
/// a quote followed by a combining mark is still seen.
private func strongQuoted(_ word: String) -> String {
    var out = "'"
    for c in word.unicodeScalars {
        if c == "'" { out += #"'\''"# } else { out.unicodeScalars.append(c) }
    }
    return out + "'"
}

/// Every byte the tokenizer interprets is backslash-escaped; the empty word is `""`.
private func escaped(_ word: String) -> String {
    if word.isEmpty { return #""""# }
    var out = ""
    for c in word.unicodeScalars {
        switch c {
        case " ", "\t", "#", "\\", "'", "\"", "$": out += "\\\(c)"
        case "\n": out += #"\n"#
        case "\r": out += #"\r"#
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}

private func roundTrip(_ words: [String], encoded: String) {
    let tokenizer = Tokenizer(lookup: { _ in nil })
    switch tokenizer.split(encoded) {
    case .failure(let failure):
        fatalError("re-encoded words \(words) fail: \(failure.description) in \(encoded)")
    case .success(let line):
        check(line.words == words, "re-encoded \(words) as \(encoded), split back as \(line.words)")
    }
}
