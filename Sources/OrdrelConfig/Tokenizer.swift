/// Splits one configuration line into words the way haproxy 2.6 does (configuration.txt §2.2–2.3):
/// spaces and tabs separate words, `#` starts a comment, `\` escapes, `"..."` quotes weakly
/// (environment variables expand), `'...'` quotes strongly (nothing is interpreted).
/// An unquoted `${NAME}` expands too, as haproxy 2.6 does (its documentation says "within double
/// quotes", its parser expands braced references anywhere outside single quotes).
struct Tokenizer {
    /// The words of a line.
    struct Line: Equatable {
        var words: [String] = []
    }

    /// A line haproxy would refuse; `position` is 1-based, like haproxy's caret messages.
    struct Failure: Error, Equatable {
        var message: String
        var position: Int

        var description: String { "\(message) at position \(position)" }
    }

    /// Looks up a variable (`NAME` or a pseudo-variable such as `.LINE`); nil when unset.
    var lookup: (String) -> String?

    func split(_ text: String) -> Result<Line, Failure> {
        let bytes = Array(text.utf8)
        var line = Line()
        var word: [UInt8] = []
        var inWord = false
        var quote: UInt8? = nil
        var quoteStart = 0
        var i = 0

        func endWord() {
            if inWord { line.words.append(String(decoding: word, as: UTF8.self)) }
            word.removeAll(keepingCapacity: true)
            inWord = false
        }

        while i < bytes.count {
            let c = bytes[i]
            if quote == UInt8(ascii: "'") {
                if c == UInt8(ascii: "'") { quote = nil } else { word.append(c) }
                i += 1
                continue
            }
            if c == UInt8(ascii: "\\") {
                inWord = true
                switch escaped(bytes, i) {
                case .success(let (produced, length)):
                    word.append(contentsOf: produced)
                    i += length
                case .failure(let failure):
                    return .failure(failure)
                }
                continue
            }
            if quote == UInt8(ascii: "\"") {
                if c == UInt8(ascii: "\"") {
                    quote = nil
                    i += 1
                } else if c == UInt8(ascii: "$") {
                    switch expand(bytes, i) {
                    case .success(let (values, length)):
                        append(values, to: &word, line: &line, inWord: &inWord)
                        i += length
                    case .failure(let failure):
                        return .failure(failure)
                    }
                } else {
                    word.append(c)
                    i += 1
                }
                continue
            }
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                endWord()
                i += 1
            case UInt8(ascii: "#"):
                i = bytes.count
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                inWord = true
                quote = c
                quoteStart = i
                i += 1
            case UInt8(ascii: "$") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "{"):
                switch expand(bytes, i) {
                case .success(let (values, length)):
                    inWord = true
                    append(values, to: &word, line: &line, inWord: &inWord)
                    i += length
                case .failure(let failure):
                    return .failure(failure)
                }
            default:
                inWord = true
                word.append(c)
                i += 1
            }
        }
        if quote != nil {
            return .failure(Failure(message: "unmatched quote", position: quoteStart + 1))
        }
        endWord()
        return .success(line)
    }

    /// Appends expanded values: the first joins the current word, each further one (from
    /// `${NAME[*]}`) starts a new word.
    private func append(_ values: [String], to word: inout [UInt8], line: inout Line, inWord: inout Bool) {
        for (n, value) in values.enumerated() {
            if n > 0 {
                line.words.append(String(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
            word.append(contentsOf: value.utf8)
            inWord = true
        }
    }

    /// Decodes the escape at `i` (a backslash): the bytes it stands for and how many it consumed.
    /// Unknown escapes (and a trailing backslash) stay literal, as in haproxy.
    private func escaped(_ bytes: [UInt8], _ i: Int) -> Result<([UInt8], Int), Failure> {
        guard i + 1 < bytes.count else { return .success(([bytes[i]], 1)) }
        let next = bytes[i + 1]
        switch next {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "#"), UInt8(ascii: "\\"),
             UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "$"):
            return .success(([next], 2))
        case UInt8(ascii: "n"):
            return .success(([0x0A], 2))
        case UInt8(ascii: "r"):
            return .success(([0x0D], 2))
        case UInt8(ascii: "t"):
            return .success(([0x09], 2))
        case UInt8(ascii: "x"):
            guard i + 3 < bytes.count, let hi = hexValue(bytes[i + 2]), let lo = hexValue(bytes[i + 3]) else {
                return .failure(Failure(message: "truncated or invalid hexadecimal sequence", position: i + 1))
            }
            return .success(([hi << 4 | lo], 4))
        default:
            return .success(([bytes[i]], 1))
        }
    }

    private func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Expands the variable reference at `i` (a `$`): `$NAME`, `${NAME}`, `${NAME-default}` or
    /// `${NAME[*]}` (split on spaces into several words). Returns the values and the bytes
    /// consumed. An unset variable expands to nothing.
    private func expand(_ bytes: [UInt8], _ i: Int) -> Result<([String], Int), Failure> {
        var j = i + 1
        let braced = j < bytes.count && bytes[j] == UInt8(ascii: "{")
        if braced { j += 1 }
        let nameStart = j
        if j < bytes.count && bytes[j] == UInt8(ascii: ".") && braced { j += 1 }
        guard j < bytes.count, isNameStart(bytes[j]) else {
            return .failure(Failure(message: "forbidden first char in environment variable name", position: j + 1))
        }
        while j < bytes.count && isNameChar(bytes[j]) { j += 1 }
        let name = String(decoding: bytes[nameStart..<j], as: UTF8.self)
        guard braced else { return .success(([lookup(name) ?? ""], j - i)) }

        var fallback: String? = nil
        var splitWords = false
        if j < bytes.count && bytes[j] == UInt8(ascii: "-") {
            let start = j + 1
            j = start
            while j < bytes.count && bytes[j] != UInt8(ascii: "}") { j += 1 }
            fallback = String(decoding: bytes[start..<min(j, bytes.count)], as: UTF8.self)
        } else if j + 2 < bytes.count && bytes[j] == UInt8(ascii: "[") && bytes[j + 1] == UInt8(ascii: "*")
                    && bytes[j + 2] == UInt8(ascii: "]") {
            splitWords = true
            j += 3
        }
        guard j < bytes.count && bytes[j] == UInt8(ascii: "}") else {
            return .failure(Failure(message: "unmatched brace in environment variable name", position: i + 2))
        }
        let value = lookup(name) ?? fallback ?? ""
        let values = splitWords ? value.split(separator: " ").map(String.init) : [value]
        return .success((values.isEmpty ? [""] : values, j + 1 - i))
    }

    private func isNameStart(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "_") || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
            || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }

    private func isNameChar(_ c: UInt8) -> Bool {
        isNameStart(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }
}
