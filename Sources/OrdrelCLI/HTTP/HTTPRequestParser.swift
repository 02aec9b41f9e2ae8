/// Parses HTTP/1.x requests from the bytes received so far: sans-IO, so that the fuzz target
/// and the unit tests drive it directly. haproxy's rules where they matter to a client: a head
/// larger than the buffer is a 400, as is any malformed line; a body larger than the buffer is a 413.
public struct HTTPRequestParser: Sendable {
    /// What the bytes received so far hold.
    public enum Result: Sendable, Equatable {
        /// More bytes are needed.
        case incomplete
        /// A whole request, and how many bytes of the input it took.
        case request(HTTPRequest, consumed: Int)
        /// The request is invalid: answer with this status and close.
        case invalid(status: Int)
    }

    /// Largest request head (request line and headers) accepted.
    public var maxHeadBytes: Int
    /// Largest `Content-Length` body accepted.
    public var maxBodyBytes: Int
    /// Most header lines accepted (haproxy's `tune.http.maxhdr`, 101).
    public var maxHeaders = 101

    public init(maxHeadBytes: Int, maxBodyBytes: Int) {
        self.maxHeadBytes = maxHeadBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// Whether the input starts with a request: empty lines before the request line are skipped,
    /// as RFC 9112 allows.
    public func parse(_ input: ArraySlice<UInt8>) -> Result {
        var start = input.startIndex
        while start < input.endIndex, input[start] == 0x0D || input[start] == 0x0A { start += 1 }
        guard let headEnd = Self.endOfHead(input[start...]) else {
            return input.endIndex - start > maxHeadBytes ? .invalid(status: 400) : .incomplete
        }
        guard headEnd.bodyStart - start <= maxHeadBytes else { return .invalid(status: 400) }
        var lines = Self.lines(input[start..<headEnd.headEnd])
        guard !lines.isEmpty, var request = Self.requestLine(lines.removeFirst()) else { return .invalid(status: 400) }
        guard lines.count <= maxHeaders else { return .invalid(status: 400) }
        var contentLength: Int?
        var chunked = false
        for line in lines {
            guard let header = Self.headerLine(line) else { return .invalid(status: 400) }
            switch header.name {
            case "content-length":
                guard let length = Int(header.value), length >= 0, header.value.allSatisfy(\.isASCII),
                      contentLength == nil || contentLength == length else { return .invalid(status: 400) }
                contentLength = length
            case "transfer-encoding":
                chunked = true
            default:
                break
            }
            request.headers.append(header)
        }
        if chunked {
            // haproxy drops Content-Length beside Transfer-Encoding; ordrel does not decode chunked
            // request bodies (no built-in service needs one), so the reply ends the connection.
            request.hasUnreadBody = true
            return .request(request, consumed: headEnd.bodyStart - input.startIndex)
        }
        let length = contentLength ?? 0
        guard length <= maxBodyBytes else { return .invalid(status: 413) }
        guard input.endIndex - headEnd.bodyStart >= length else { return .incomplete }
        request.body = Array(input[headEnd.bodyStart..<(headEnd.bodyStart + length)])
        return .request(request, consumed: headEnd.bodyStart + length - input.startIndex)
    }

    /// Where the head ends (before its empty line) and the body starts; LF alone ends lines too.
    static func endOfHead(_ bytes: ArraySlice<UInt8>) -> (headEnd: Int, bodyStart: Int)? {
        var index = bytes.startIndex
        while let lf = bytes[index...].firstIndex(of: 0x0A) {
            let next = lf + 1
            if next < bytes.endIndex, bytes[next] == 0x0A { return (lf, next + 1) }
            if next + 1 < bytes.endIndex, bytes[next] == 0x0D, bytes[next + 1] == 0x0A { return (lf, next + 2) }
            index = next
        }
        return nil
    }

    /// The head's lines without their CR LF or LF.
    private static func lines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        head.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? line.dropLast() : line
        }
    }

    /// `METHOD SP target SP HTTP/1.x`.
    private static func requestLine(_ line: ArraySlice<UInt8>) -> HTTPRequest? {
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte),
              !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        let version = Array(parts[2])
        guard version.count == 8, version.starts(with: Array("HTTP/1.".utf8)),
              version[7] == UInt8(ascii: "0") || version[7] == UInt8(ascii: "1") else { return nil }
        return HTTPRequest(method: String(decoding: parts[0], as: UTF8.self),
                           target: String(decoding: parts[1], as: UTF8.self),
                           minorVersion: Int(version[7] - UInt8(ascii: "0")))
    }

    /// `name: value`; a folded line (leading space) or a control byte in the value is invalid.
    private static func headerLine(_ line: ArraySlice<UInt8>) -> HTTPHeader? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
              line[line.startIndex..<colon].allSatisfy(isTokenByte) else { return nil }
        let value = line[(colon + 1)...]
        guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else { return nil }
        return HTTPHeader(name: String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased(),
                          value: String(decoding: value, as: UTF8.self).trimmingCharacters(in: " \t"))
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
