import FuzzSupport
import OrdrelCLI

/// Fuzzes `RequestParser`: the input is scanned into lines (command and payload modes, a large and
/// a small buffer), every line is split into words, and the input's first line is also parsed as a
/// `<<` command with the rest as payload. Invariants beyond "does not crash":
/// - `scanLine` ends a line at the first unescaped delimiter (checked against a plain reference),
///   strips only a CR before it, and reports overflow or "need more" only when that is true;
/// - words never contain NUL and never exceed 64; re-escaped words parse back to the same words,
///   and the escaped line scans as one line;
/// - a payload reaches a `<<` command byte for byte and does not change its words.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    for payloadMode in [false, true] {
        for room in [RequestParser.maxLineBytes, 64] {
            scanAll(input, payloadMode: payloadMode, room: room)
        }
    }
    let split = input.firstIndex(of: lf) ?? input.endIndex
    checkPayload(input[..<split], payload: Array(input[min(split + 1, input.endIndex)...]))
    return 0
}

private let lf: UInt8 = 0x0A
private let cr: UInt8 = 0x0D
private let semicolon: UInt8 = 0x3B
private let backslash: UInt8 = 0x5C

/// Index of the first delimiter in `buf[start..<limit]` not protected by a backslash.
private func referenceDelimiter(_ buf: [UInt8], from start: Int, limit: Int, payloadMode: Bool) -> Int? {
    var protected = false
    for i in start..<limit {
        if protected {
            protected = false
        } else if buf[i] == lf || (!payloadMode && buf[i] == semicolon) {
            return i
        } else if !payloadMode && buf[i] == backslash {
            protected = true
        }
    }
    return nil
}

private func scanAll(_ buf: [UInt8], payloadMode: Bool, room: Int) {
    var start = 0
    while true {
        let limit = min(buf.count, start + room)
        let delimiter = referenceDelimiter(buf, from: start, limit: limit, payloadMode: payloadMode)
        switch RequestParser.scanLine(buf, from: start, payloadMode: payloadMode, room: room) {
        case .needMore:
            check(delimiter == nil && buf.count - start < room, "needMore at \(start) with delimiter \(String(describing: delimiter))")
            return
        case .overflow:
            check(delimiter == nil && buf.count - start >= room, "overflow at \(start) with delimiter \(String(describing: delimiter))")
            return
        case .line(let line, let consumed):
            check(delimiter == start + consumed - 1, "line at \(start) consumed \(consumed), delimiter at \(String(describing: delimiter))")
            let stripped = line.endIndex == start + consumed - 2 && buf[line.endIndex] == cr
            check(line.startIndex == start && (line.endIndex == start + consumed - 1 || stripped), "line bounds \(line.indices)")
            if !payloadMode { checkWords(line) }
            start += consumed
        }
    }
}

private func checkWords(_ line: ArraySlice<UInt8>) {
    let request = RequestParser.parse(line: line)
    check(request.words.count <= RequestParser.maxArgs, "\(request.words.count) words")
    check(request.words.allSatisfy { !$0.contains(0) }, "a word contains NUL")
    guard request.payload == nil, request.words.count < RequestParser.maxArgs,
          request.words.allSatisfy({ !$0.isEmpty }) else { return }
    var escaped: [UInt8] = []
    for (n, word) in request.words.enumerated() {
        if n > 0 { escaped.append(0x20) }
        for b in word {
            if [0x20, 0x09, backslash, semicolon, lf, cr, UInt8(ascii: "<")].contains(b) { escaped.append(backslash) }
            escaped.append(b)
        }
    }
    let reparsed = RequestParser.parse(line: escaped[...])
    check(reparsed == request, "escaped words \(request.words) parse back as \(reparsed.words)")
    guard escaped.last != cr else { return }
    let scan = RequestParser.scanLine(escaped + [lf], from: 0, payloadMode: false, room: escaped.count + 1)
    check(scan == .line(escaped[...], consumed: escaped.count + 1), "escaped line scans as \(scan)")
}

private func checkPayload(_ line: ArraySlice<UInt8>, payload: [UInt8]) {
    guard !line.contains(0) else { return }
    let alone = RequestParser.parse(line: line)
    let withPayload = RequestParser.parse(line: line, payload: payload)
    if alone.payload == [] && RequestParser.startsPayload(line) {
        check(withPayload.payload == payload, "payload of \(payload.count) bytes arrives as \(String(describing: withPayload.payload?.count))")
        check(withPayload.words == alone.words, "payload changed the words")
    } else if alone.payload == nil {
        check(withPayload.words.starts(with: alone.words), "payload changed the command words")
    }
}
