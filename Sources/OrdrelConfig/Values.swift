import OrdrelSystem

/// Argument checks shared by all sections; each reports a haproxy-worded alert and returns nil
/// (or false) so the caller simply skips the keyword and parsing goes on.
extension ConfigBuilder {
    /// The argument at `index` as a decimal integer within `range`.
    func integer(_ words: [String], _ index: Int, _ keyword: String,
                 in range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        guard index < words.count, !words[index].isEmpty else {
            alert("'\(keyword)' expects an integer argument.")
            return nil
        }
        guard let value = Int(words[index]) else {
            alert("'\(keyword)' expects an integer argument (got '\(words[index])').")
            return nil
        }
        guard range.contains(value) else {
            alert("'\(keyword)' value must be between \(range.lowerBound) and \(range.upperBound) (was \(value))")
            return nil
        }
        return value
    }

    /// The argument at `index` as a time value (ms by default), at most haproxy's 2^31-1 ms.
    func duration(_ words: [String], _ index: Int, _ keyword: String) -> UInt64? {
        guard index < words.count, !words[index].isEmpty else {
            alert("'\(keyword)' expects a time value (in milliseconds unless a unit is given).")
            return nil
        }
        let text = words[index]
        switch DurationParser.parse(text) {
        case .success(let ms) where ms <= DurationParser.maximumTimerMs:
            return ms
        case .success, .failure(.overflow):
            alert("timer overflow in argument '\(text)' to '\(keyword)' (maximum value is 2147483647 ms or ~24.8 days)")
        case .failure(.unexpectedCharacter(let c)):
            alert("unexpected character '\(c)' in '\(keyword)'")
        case .failure(.trailingCharacter(let c)):
            alert("unexpected character '\(c)' after the timer value '\(text)' in '\(keyword)', only one number with one unit (us, ms, s, m, h, d) is supported")
        case .failure(.empty):
            alert("'\(keyword)' expects a time value (in milliseconds unless a unit is given).")
        }
        return nil
    }

    /// A file mode written in octal (`600`, `0660`).
    func octalMode(_ words: [String], _ index: Int, _ prefix: String) -> UInt32? {
        let text = index < words.count ? words[index] : ""
        guard !text.isEmpty, let mode = UInt32(text, radix: 8), mode <= 0o7777 else {
            alert("\(prefix)'mode' : missing or invalid mode '\(text)' (octal integer expected)")
            return nil
        }
        return mode
    }

    /// The uid of `user <name>` or the gid of `group <name>` on a socket, from the system's user
    /// and group databases; an unknown name is haproxy's alert (for `stats socket`, `quoted`
    /// wraps it in quotes as haproxy does).
    func ownerID(_ option: String, _ name: String, quoted: Bool, prefix: String) -> Int? {
        let id = option == "user" ? Privileges.userIDs(named: name).map { Int($0.uid) } : Privileges.groupID(named: name).map { Int($0) }
        if let id { return id }
        let message = "'\(option)' : unknown \(option) name '\(name)'"
        alert(prefix + (quoted ? "'\(message)'" : message))
        return nil
    }

    /// True when the line has no word beyond `count` (empty quoted words are tolerated, as in haproxy).
    @discardableResult
    func noExtraArguments(_ words: [String], _ count: Int, _ keyword: String) -> Bool {
        guard words.count > count, !words[count].isEmpty else { return true }
        alert("'\(keyword)' cannot handle unexpected argument '\(words[count])'.")
        return false
    }

    /// The argument at `index`, or an alert that it is missing.
    func word(_ words: [String], _ index: Int, _ message: @autoclosure () -> String) -> String? {
        guard index < words.count, !words[index].isEmpty else {
            alert(message())
            return nil
        }
        return words[index]
    }
}
