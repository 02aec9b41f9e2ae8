#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A minimal HTTP/1.1 client over a raw socket, for the built-in services: it reads one response
/// at a time (Content-Length or chunked), so keep-alive and pipelining can be checked.
final class HTTPTestClient {
    struct Response {
        var status: Int
        /// Header names lowercased.
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        /// Status line and header block as sent.
        var head: String
    }

    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: UInt16) throws {
        fd = try TestSocket.connect(port: port)
        TestSocket.setReceiveTimeout(fd, seconds: 8)
    }

    deinit { close(fd) }

    func send(_ text: String) throws { try TestSocket.sendAll(fd, Array(text.utf8)) }

    /// One request on this connection, then its response.
    func get(_ target: String, method: String = "GET", headers: [String] = [], body: String = "") throws -> Response? {
        var request = "\(method) \(target) HTTP/1.1\r\nHost: test\r\n"
        for header in headers { request += header + "\r\n" }
        if !body.isEmpty || method == "POST" {
            request += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n"
        }
        try send(request + "\r\n" + body)
        return readResponse(headOnly: method == "HEAD")
    }

    /// Reads more; false at EOF, error or timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// The next whole response, nil if the connection ended first.
    func readResponse(headOnly: Bool = false) -> Response? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while true {
            if buffer.count >= 4, let index = (0...(buffer.count - 4)).first(where: { Array(buffer[$0..<($0 + 4)]) == separator }) {
                headEnd = index
                break
            }
            guard fill() else { return nil }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        let lines = head.components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        if headOnly {
            // No body follows a HEAD response.
        } else if headers["transfer-encoding"] == "chunked" {
            while true {
                guard let size = readChunkSize() else { return nil }
                while buffer.count < size + 2 { guard fill() else { return nil } }
                body.append(contentsOf: buffer[0..<size])
                buffer.removeFirst(size + 2)
                if size == 0 { break }
            }
        } else if let length = Int(headers["content-length"] ?? "") {
            while buffer.count < length { guard fill() else { return nil } }
            body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else {
            while fill() {}
            body = buffer
            buffer = []
        }
        return Response(status: status, headers: headers, body: body, head: head)
    }

    private func readChunkSize() -> Int? {
        while true {
            if let lf = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[0..<lf], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                buffer.removeFirst(lf + 1)
                return Int(line, radix: 16)
            }
            guard fill() else { return nil }
        }
    }

    /// Everything until EOF (or the receive timeout), and how it ended.
    func readToEnd() -> (String, TestSocket.End) {
        let (rest, end) = TestSocket.readAll(fd)
        let all = buffer + rest
        buffer = []
        return (String(decoding: all, as: UTF8.self), end)
    }
}
