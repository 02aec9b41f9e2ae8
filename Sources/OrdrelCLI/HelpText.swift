/// haproxy 2.6 usage / help messages (src/cli.c `cli_gen_usage_msg`), including its fuzzy
/// "maybe one of the following ones is a better match" suggestions.
enum HelpText {
    /// A keyword as haproxy registers it: its fixed words and optional usage line.
    struct Keyword {
        let words: [[UInt8]]
        let usage: String?
    }

    static let helpHeader = "The following commands are valid at this level:\n"
    static let emptyHeader = "Unknown command. Please enter one of the following commands only:\n"
    static let unknownHeader = "Unknown command, but maybe one of the following ones is a better match:\n"
    static let alwaysShown =
        "  help [<command>]                        : list matching or all commands\n"
        + "  prompt                                  : toggle interactive mode with prompt\n"
        + "  quit                                    : disconnect\n"

    /// Visible keywords: every listed usage line, plus help/prompt/quit and hidden ones without usage.
    static let keywords: [Keyword] = {
        var k = usageLines.map { Keyword(words: keywordWords(of: $0), usage: $0) }
        for w in ["help", "prompt", "quit", "_getsocks"] {
            k.append(Keyword(words: [Array(w.utf8)], usage: nil))
        }
        return k
    }()

    /// The fixed words of a usage line: leading words before the first placeholder/option.
    static func keywordWords(of usage: String) -> [[UInt8]] {
        let head = usage.split(separator: ":", maxSplits: 1).first.map(String.init) ?? usage
        var words: [[UInt8]] = []
        for w in head.split(separator: " ") {
            guard let c = w.first, c != "<", c != "[", c != "{", c != "(", c != "@" else { break }
            words.append(Array(w.utf8))
            if words.count == 5 { break }
        }
        return words
    }

    /// The message haproxy prints for `help [words]` (`isHelp`), an empty line or an unknown command.
    static func message(args: [[UInt8]], isHelp: Bool) -> String {
        var args = args
        if isHelp { args.removeFirst() }
        func arg(_ i: Int) -> [UInt8] { i < args.count ? args[i] : [] }

        var length = 0
        for kw in keywords {
            var idx = 0
            while idx < 5 {
                if idx >= kw.words.count || arg(idx).isEmpty || kw.words[idx] != arg(idx) { break }
                if idx + 1 > length { length = idx + 1 }
                idx += 1
            }
        }

        var out: String
        if isHelp {
            out = helpHeader
        } else if length == 0 && arg(0).isEmpty {
            out = emptyHeader
        } else {
            out = unknownHeader
        }

        var matches: [(kw: Int, dist: Int)] = Array(repeating: (-1, Int.max), count: 5)
        if !arg(length).isEmpty {
            for (ki, kw) in keywords.enumerated() {
                guard kw.usage != nil, prefixMatches(kw, args, length) else { continue }
                var wordSig = [UInt8](repeating: 0, count: 1024)
                var listSig = [UInt8](repeating: 0, count: 1024)
                var totlen = 0
                var i = length
                while i < 5 && !arg(i).isEmpty {
                    updateFingerprint(&wordSig, arg(i))
                    totlen += arg(i).count
                    i += 1
                }
                i = length
                while i < 5 && i < kw.words.count {
                    updateFingerprint(&listSig, kw.words[i])
                    totlen += kw.words[i].count
                    i += 1
                }
                let dist = fingerprintDistance(wordSig, listSig)
                if dist < 5 * totlen / 2 && dist < matches[4].dist {
                    matches[4] = (ki, dist)
                    var j = 4
                    while j > 0 && matches[j].dist < matches[j - 1].dist {
                        matches.swapAt(j, j - 1)
                        j -= 1
                    }
                }
            }
        }

        var entries: [String] = []
        if matches[0].kw >= 0 {
            for m in matches where m.kw >= 0 {
                if m.dist > 5 * matches[0].dist / 2 { break }
                if let u = keywords[m.kw].usage { entries.append(u) }
            }
        } else {
            for kw in keywords where kw.usage != nil && prefixMatches(kw, args, length) {
                entries.append(kw.usage!)
            }
        }
        entries.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for e in entries {
            out += "  " + e + "\n"
        }
        out += alwaysShown
        return out
    }

    /// True when the first `length` words of the keyword equal the arguments (haproxy's loop
    /// stops early at the keyword's or the line's end, which then fails the `idx == length` test).
    private static func prefixMatches(_ kw: Keyword, _ args: [[UInt8]], _ length: Int) -> Bool {
        var idx = 0
        while idx < length {
            if idx >= kw.words.count || idx >= args.count || args[idx].isEmpty || kw.words[idx] != args[idx] { break }
            idx += 1
        }
        return idx == length
    }

    /// haproxy's bigram fingerprint (src/tools.c `update_word_fingerprint`).
    static func updateFingerprint(_ fp: inout [UInt8], _ word: [UInt8]) {
        var from = 28
        for c in word {
            let to: Int
            switch c {
            case 0x61...0x7A: to = Int(c - 0x61) + 1
            case 0x41...0x5A: to = Int(c - 0x41) + 1
            case 0x30...0x39: to = 27
            default: to = 28
            }
            fp[32 * from + to] &+= 1
            from = to
        }
        fp[32 * from + 28] &+= 1
    }

    static func fingerprintDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var d = 0
        for i in 0..<1024 { d += abs(Int(a[i]) - Int(b[i])) }
        return d
    }
}
