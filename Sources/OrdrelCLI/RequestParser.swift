/// haproxy 2.6 request framing and word splitting (src/cli.c `cli_io_handler`, `cli_parse_request`).
public enum RequestParser {
    /// Maximum number of words (`MAX_CLI_ARGS`); words beyond are ignored.
    public static let maxArgs = 64
    /// A command line (or command + payload) must fit in tune.bufsize - 1 bytes, delimiter included.
    public static let maxLineBytes = 16383

    /// Result of looking for one line in the buffered input.
    public enum LineScan: Equatable {
        /// No delimiter yet; wait for more bytes.
        case needMore
        /// The line would exceed the buffer: haproxy closes without replying.
        case overflow
        /// A line: its bytes without delimiter and trailing CR, and how many input bytes it consumed.
        case line(ArraySlice<UInt8>, consumed: Int)
    }

    /// Finds the next command in `buf[start...]`: it ends at LF or at the first unescaped `;`
    /// (`\` protects any next byte, LF included). In payload mode only LF ends a line and
    /// nothing is escaped. `room` is how many bytes the line may use, delimiter included.
    public static func scanLine(_ buf: [UInt8], from start: Int, payloadMode: Bool, room: Int) -> LineScan {
        var i = start
        let end = buf.count
        let limit = min(end, start + max(room, 0))
        while i < limit {
            let b = buf[i]
            if b == 0x0A || (!payloadMode && b == 0x3B) {
                var lineEnd = i
                if lineEnd > start && buf[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                return .line(buf[start..<lineEnd], consumed: i + 1 - start)
            }
            if !payloadMode && b == 0x5C {
                i += 2
                continue
            }
            i += 1
        }
        if end - start >= room { return .overflow }
        return .needMore
    }

    /// Whether a command line asks for a payload: it ends with `<<` (checked on the raw line, as 2.6 does).
    public static func startsPayload(_ line: ArraySlice<UInt8>) -> Bool {
        line.count >= 2 && line[line.endIndex - 1] == 0x3C && line[line.endIndex - 2] == 0x3C
    }

    /// A parsed request: the words (unescaped) and the payload when the command used `<<`.
    public struct Request: Equatable {
        public var words: [[UInt8]]
        public var payload: [UInt8]?

        /// Word `i` as text ("" past the end, like haproxy's empty slots).
        public func arg(_ i: Int) -> String {
            i < words.count ? String(decoding: words[i], as: UTF8.self) : ""
        }
    }

    /// Splits a command into words exactly like haproxy 2.6: blanks (space, tab) separate words,
    /// `\x` gives `x`, a NUL byte ends the current word (parsing resumes after it unless it
    /// follows a blank), at most 64 words. `payload` is the collected payload for `<<` commands;
    /// as in 2.6, words are parsed over the command, a NUL, then the payload, and the payload is
    /// only recognized when `<<` is a word of its own.
    public static func parse(line: ArraySlice<UInt8>, payload: [UInt8]? = nil) -> Request {
        var chunk = [UInt8](line)
        if let payload {
            chunk.append(0)
            chunk.append(contentsOf: payload)
        }
        let end = chunk.count
        chunk.append(0)
        var words: [[UInt8]] = []
        var foundPayload: [UInt8]?
        var p = 0
        while words.count < maxArgs && p < end {
            while chunk[p] == 0x20 || chunk[p] == 0x09 { p += 1 }
            if chunk[p] == 0 { break }
            if chunk[p] == 0x3C && chunk[p + 1] == 0x3C && chunk[p + 2] == 0 {
                let start = min(p + 3, end)
                foundPayload = Array(chunk[start..<end])
                break
            }
            let wordStart = p
            while true {
                while chunk[p] != 0x20 && chunk[p] != 0x09 && chunk[p] != 0x5C && chunk[p] != 0 { p += 1 }
                if chunk[p] == 0x5C {
                    p += 1
                    if chunk[p] == 0 { break }
                    p += 1
                    if chunk[p] == 0 { break }
                } else {
                    break
                }
            }
            let wordEnd = p
            p += 1
            var word: [UInt8] = []
            word.reserveCapacity(wordEnd - wordStart)
            var k = wordStart
            while k < wordEnd {
                if chunk[k] == 0x5C {
                    if k + 1 < wordEnd && chunk[k + 1] == 0x5C {
                        k += 1
                    } else {
                        k += 1
                        continue
                    }
                }
                word.append(chunk[k])
                k += 1
            }
            words.append(word)
        }
        return Request(words: words, payload: foundPayload)
    }
}
