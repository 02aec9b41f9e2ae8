import XCTest
@testable import OrdrelConfig

final class TokenizerTests: XCTestCase {
    private let env = ["FOO": "foo", "SP": "a b", "EMPTY": ""]

    private func words(_ line: String) -> [String] {
        let tokenizer = Tokenizer(lookup: { name in name == ".LINE" ? "7" : self.env[name] })
        switch tokenizer.split(line) {
        case .success(let result): return result.words
        case .failure(let failure): return ["FAILED: \(failure.description)"]
        }
    }

    func testSpacesTabsAndComments() {
        XCTAssertEqual(words("  bind\t:80   name x # comment"), ["bind", ":80", "name", "x"])
        XCTAssertEqual(words("# only a comment"), [])
        XCTAssertEqual(words("a#b c"), ["a"])
        XCTAssertEqual(words(""), [])
    }

    func testQuotingMatchesHaproxy() {
        // haproxy: unknown keyword 'a bc de f'
        XCTAssertEqual(words(#"a\ b"c d"'e f'"#), ["a bc de f"])
        XCTAssertEqual(words(#"x "a # b" 'c # d'"#), ["x", "a # b", "c # d"])
        XCTAssertEqual(words(#"x '${FOO}' "\$FOO""#), ["x", "${FOO}", "$FOO"])
        XCTAssertEqual(words(#"x "" y"#), ["x", "", "y"])
    }

    func testEscapes() {
        XCTAssertEqual(words(##"x \x41\t\\ \#\"\'"##), ["x", "A\t\\", "#\"'"])
        XCTAssertEqual(words(#"x a\nb \q \"#), ["x", "a\nb", "\\q", "\\"])
    }

    func testEnvironmentInDoubleQuotes() {
        XCTAssertEqual(words(#"x "${FOO}x" "$FOO.y" "${NOPE}" "${NOPE-dflt}" "${EMPTY-dflt}""#),
                       ["x", "foox", "foo.y", "", "dflt", ""])
        XCTAssertEqual(words(#"x "${SP}" "${SP[*]}" z"#), ["x", "a b", "a", "b", "z"])
        XCTAssertEqual(words(#"x "line ${.LINE}""#), ["x", "line 7"])
    }

    /// haproxy 2.6 expands a braced reference outside quotes too (`bind ${ADDR}:80` works there).
    func testUnquotedBracedVariablesExpand() throws {
        let tokenizer = Tokenizer(lookup: { self.env[$0] })
        let line = try tokenizer.split("bind ${FOO}:80 $FOO").get()
        XCTAssertEqual(line.words, ["bind", "foo:80", "$FOO"])
    }

    func testErrorsWithPositions() {
        XCTAssertEqual(words(#"daemon "abc"#), ["FAILED: unmatched quote at position 8"])
        XCTAssertEqual(words("daemon 'abc"), ["FAILED: unmatched quote at position 8"])
        XCTAssertEqual(words(#"daemon "${FOO"#), ["FAILED: unmatched brace in environment variable name at position 10"])
        XCTAssertEqual(words(#"daemon "${1X}""#), ["FAILED: forbidden first char in environment variable name at position 11"])
        XCTAssertEqual(words(#"daemon \xZZ"#), ["FAILED: truncated or invalid hexadecimal sequence at position 8"])
    }
}
