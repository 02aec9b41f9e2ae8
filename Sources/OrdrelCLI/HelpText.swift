/// haproxy 2.6 usage / help messages (src/cli.c `cli_gen_usage_msg`), including its fuzzy
/// "maybe one of the following ones is a better match" suggestions, over the commands ordrel
/// implements and the session's level allows. Each line is haproxy's own (`HelpUsage.swift`).
enum HelpText {
    static let helpHeader = "The following commands are valid at this level:\n"
    static let emptyHeader = "Unknown command. Please enter one of the following commands only:\n"
    static let unknownHeader = "Unknown command, but maybe one of the following ones is a better match:\n"
    static let alwaysShown =
        "  help [<command>]                        : list matching or all commands\n"
        + "  prompt                                  : toggle interactive mode with prompt\n"
        + "  quit                                    : disconnect\n"

    /// The fixed words of every haproxy usage line, implemented or not.
    static let haproxyKeywords: [[[UInt8]]] = usageLines.map(keywordWords(of:))

    /// The keywords a session of each level sees, built once per level (indexed by raw value).
    private static let catalogs: [Catalog] = (0...CLILevel.admin.rawValue).map { raw in
        Catalog(level: CLILevel(rawValue: raw) ?? .user)
    }

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
    static func message(args: [[UInt8]], isHelp: Bool, level: CLILevel) -> String {
        catalogs[level.rawValue].message(args: isHelp ? Array(args.dropFirst()) : args, isHelp: isHelp)
    }

    /// A keyword as the help code sees it: fixed words, usage line (nil for the always-shown and
    /// hidden ones) and the fingerprints of its word tails.
    struct Keyword {
        let words: [[UInt8]]
        let usage: String?
        /// `tails[i]`: fingerprint of words `i..<min(5, words.count)`, for `i` in `0...words.count`.
        let tails: [Fingerprint]
    }

    /// The keywords of one level, sorted by usage line, and the texts that do not depend on the
    /// request, so an unknown command costs little.
    struct Catalog {
        let keywords: [Keyword]
        /// Every usage line of the level, indented, in haproxy's order.
        let fullList: String

        init(level: CLILevel) {
            var listed: [Keyword] = []
            for command in CLISession.commands where command.level <= level {
                guard let usage = usageLines.first(where: { keywordWords(of: $0) == command.words }) else { continue }
                listed.append(Keyword(words: command.words, usage: usage))
            }
            // help, prompt and quit print apart; _getsocks is registered without usage.
            self.init(listed: listed, unlisted: ["help", "prompt", "quit", "_getsocks"])
        }

        /// The keywords `listed` with their usage lines, and the one-word `unlisted` ones that
        /// match but print apart or not at all (the master CLI has its own).
        init(listed: [Keyword], unlisted: [String]) {
            let sorted = listed.sorted { $0.usage!.utf8.lexicographicallyPrecedes($1.usage!.utf8) }
            fullList = sorted.map { "  " + $0.usage! + "\n" }.joined()
            keywords = sorted + unlisted.map { Keyword(words: [Array($0.utf8)], usage: nil) }
        }

        func message(args: [[UInt8]], isHelp: Bool) -> String {
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
                out = HelpText.helpHeader
            } else if length == 0 && arg(0).isEmpty {
                out = HelpText.emptyHeader
            } else {
                out = HelpText.unknownHeader
            }
            if length == 0 && arg(0).isEmpty {
                return out + fullList + HelpText.alwaysShown
            }

            var matches: [(kw: Int, dist: Int)] = Array(repeating: (-1, Int.max), count: 5)
            if !arg(length).isEmpty {
                var typed = Fingerprint.Dense()
                var i = length
                while i < 5 && !arg(i).isEmpty {
                    typed.add(arg(i))
                    i += 1
                }
                for (ki, kw) in keywords.enumerated() where kw.usage != nil && prefixMatches(kw, args, length) {
                    let tail = kw.tails[min(length, kw.words.count)]
                    let dist = typed.distance(to: tail)
                    if dist < 5 * (typed.length + tail.length) / 2 && dist < matches[4].dist {
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
                entries.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            } else {
                for kw in keywords where kw.usage != nil && prefixMatches(kw, args, length) {
                    entries.append(kw.usage!)
                }
            }
            for e in entries {
                out += "  " + e + "\n"
            }
            return out + HelpText.alwaysShown
        }

        /// True when the first `length` words of the keyword equal the arguments (haproxy's loop
        /// stops early at the keyword's or the line's end, which then fails the `idx == length` test).
        private func prefixMatches(_ kw: Keyword, _ args: [[UInt8]], _ length: Int) -> Bool {
            var idx = 0
            while idx < length {
                if idx >= kw.words.count || idx >= args.count || args[idx].isEmpty || kw.words[idx] != args[idx] { break }
                idx += 1
            }
            return idx == length
        }
    }
}

extension HelpText.Keyword {
    init(words: [[UInt8]], usage: String?) {
        self.words = words
        self.usage = usage
        tails = (0...words.count).map { start in
            var fp = Fingerprint.Dense()
            for w in words.dropFirst(start).prefix(max(0, 5 - start)) { fp.add(w) }
            return fp.sparse
        }
    }
}

/// haproxy's bigram fingerprint of words (src/tools.c `update_word_fingerprint`): 32x32 counters
/// of letter pairs, compared by the sum of absolute differences.
struct Fingerprint {
    /// The non-zero counters.
    let cells: [(index: Int, count: UInt8)]
    /// Total length of the words it was built from.
    let length: Int

    /// All counters, for the words typed by the operator.
    struct Dense {
        private(set) var counts = [UInt8](repeating: 0, count: 1024)
        private(set) var length = 0
        private var total = 0

        mutating func add(_ word: [UInt8]) {
            var from = 28
            for c in word {
                let to: Int
                switch c {
                case 0x61...0x7A: to = Int(c - 0x61) + 1
                case 0x41...0x5A: to = Int(c - 0x41) + 1
                case 0x30...0x39: to = 27
                default: to = 28
                }
                bump(32 * from + to)
                from = to
            }
            bump(32 * from + 28)
            length += word.count
        }

        private mutating func bump(_ i: Int) {
            total += counts[i] == 255 ? -255 : 1
            counts[i] &+= 1
        }

        var sparse: Fingerprint {
            Fingerprint(cells: counts.indices.filter { counts[$0] != 0 }.map { ($0, counts[$0]) }, length: length)
        }

        /// Sum over all 1024 counters of |self - other|, visiting only `other`'s non-zero cells.
        func distance(to other: Fingerprint) -> Int {
            var d = total
            for (i, count) in other.cells {
                let mine = Int(counts[i])
                d += abs(mine - Int(count)) - mine
            }
            return d
        }
    }
}
