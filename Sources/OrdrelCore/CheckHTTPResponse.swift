/// An HTTP/1 response to a health check, parsed from the bytes received so far (what haproxy's
/// H1 mux hands the check as HTX): status line, then the body as far as it has arrived.
struct CheckHTTPResponse: Equatable {
    /// What the bytes received so far amount to.
    enum Parse: Equatable {
        /// The status line or headers are not complete yet.
        case incomplete
        /// Not an HTTP/1 response (HTX_FL_PARSING_ERROR).
        case invalid
        case response(CheckHTTPResponse)
    }

    var status: Int
    var reason: String
    /// Body bytes received so far, de-chunked.
    var body: [UInt8]
    /// The whole message has arrived (haproxy's HTX_FL_EOM).
    var complete: Bool

    /// Parses `bytes`; `closed` means the server ended the stream (a body without length ends
    /// there); `bodyless` is set for answers to HEAD.
    static func parse(_ bytes: [UInt8], closed: Bool, bodyless: Bool) -> Parse {
        guard let headerEnd = endOfHeaders(bytes) else {
            let prefix = Array("HTTP/".utf8)
            let seen = bytes.prefix(prefix.count)
            return seen.elementsEqual(prefix.prefix(seen.count)) ? .incomplete : .invalid
        }
        let lines = bytes[..<headerEnd.headers].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { line -> ArraySlice<UInt8> in line.last == UInt8(ascii: "\r") ? line.dropLast() : line }
        guard let statusLine = lines.first, let parsed = parseStatusLine(statusLine) else { return .invalid }
        var contentLength: Int?
        var chunked = false
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return .invalid }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
            if name == "content-length" {
                guard let length = Int(value), length >= 0 else { return .invalid }
                contentLength = length
            } else if name == "transfer-encoding" && value.lowercased().hasSuffix("chunked") {
                chunked = true
            }
        }
        let rest = Array(bytes[headerEnd.body...])
        var response = CheckHTTPResponse(status: parsed.status, reason: parsed.reason, body: [], complete: false)
        if bodyless || parsed.status == 204 || parsed.status == 304 || (100..<200).contains(parsed.status) {
            response.complete = true
        } else if chunked {
            guard let (body, complete) = dechunk(rest) else { return .invalid }
            response.body = body
            response.complete = complete
        } else if let contentLength {
            response.body = Array(rest.prefix(contentLength))
            response.complete = rest.count >= contentLength
        } else {
            response.body = rest
            response.complete = closed
        }
        return .response(response)
    }

    /// Offsets of the blank line ending the headers and of the first body byte.
    private static func endOfHeaders(_ bytes: [UInt8]) -> (headers: Int, body: Int)? {
        var index = 0
        while let newline = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) {
            let next = newline + 1
            if next < bytes.count, bytes[next] == UInt8(ascii: "\n") { return (newline, next + 1) }
            if next + 1 < bytes.count, bytes[next] == UInt8(ascii: "\r"), bytes[next + 1] == UInt8(ascii: "\n") {
                return (newline, next + 2)
            }
            index = next
        }
        return nil
    }

    /// `HTTP/1.x <3 digits> [reason]`.
    private static func parseStatusLine(_ line: ArraySlice<UInt8>) -> (status: Int, reason: String)? {
        let text = String(decoding: line, as: UTF8.self)
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[1].count == 3, let status = Int(parts[1]) else { return nil }
        return (status, parts.count > 2 ? String(parts[2]) : "")
    }

    /// Decodes chunked transfer coding as far as it goes; nil when malformed.
    private static func dechunk(_ bytes: [UInt8]) -> (body: [UInt8], complete: Bool)? {
        var body: [UInt8] = []
        var index = 0
        while let newline = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) {
            var sizeText = String(decoding: bytes[index..<newline], as: UTF8.self).trimmingSpaces
            if let semicolon = sizeText.firstIndex(of: ";") { sizeText = String(sizeText[..<semicolon]) }
            guard let size = Int(sizeText, radix: 16), size >= 0 else { return nil }
            let start = newline + 1
            if size == 0 { return (body, bytes[start...].contains(UInt8(ascii: "\n"))) }
            // A size past what has arrived (even a forged huge one) only means "more to come".
            guard size <= bytes.count - start else { return (body + bytes[start...], false) }
            body += bytes[start..<(start + size)]
            guard start + size + 2 <= bytes.count else { return (body, false) }
            index = start + size + (bytes[start + size] == UInt8(ascii: "\r") ? 2 : 1)
        }
        return (body, false)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and carriage returns.
    var trimmingSpaces: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(drop(while: blank).reversed().drop(while: blank).reversed())
    }
}
