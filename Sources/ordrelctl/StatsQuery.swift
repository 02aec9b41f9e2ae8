import OrdrelSystem

/// One query over a blocking Unix socket: connect, send, shutdown(SHUT_WR), read to EOF.
enum StatsQuery {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// How the read side ended.
    enum End {
        case eof
        case reset(Int32)
        case timeout
    }

    struct Reply {
        var bytes: [UInt8]
        var end: End
    }

    static func perform(socket path: String, command: String, timeout: Double) throws -> Reply {
        var buffer = [UInt8](repeating: 0, count: 65536)
        return try perform(socket: path, command: command, timeout: timeout, buffer: &buffer)
    }

    /// One query, reading through the caller's `buffer` (reused across queries by the probe).
    static func perform(socket path: String, command: String, timeout: Double, buffer: inout [UInt8]) throws -> Reply {
        guard let address = SocketAddress(unixPath: path) else { throw Failure("socket path too long: \(path)") }
        let fd = try FD.streamSocket(for: .unix)
        defer { fd.close() }
        try fd.setBlocking(true)
        try fd.setReceiveTimeout(seconds: timeout)
        _ = try fd.connect(to: address)
        let request = Array((command + "\n").utf8)
        var sent = 0
        while sent < request.count {
            let result = try request.withUnsafeBytes { try fd.write(UnsafeRawBufferPointer(rebasing: $0[sent...])) }
            guard case .processed(let n) = result else { throw Failure("send would block") }
            sent += n
        }
        try fd.shutdown(.write)
        var bytes: [UInt8] = []
        while true {
            let result: IOResult<Int>
            do {
                result = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
            } catch let error as SyscallError {
                return Reply(bytes: bytes, end: .reset(error.errno))
            }
            switch result {
            case .wouldBlock:
                return Reply(bytes: bytes, end: .timeout)
            case .processed(0):
                return Reply(bytes: bytes, end: .eof)
            case .processed(let n):
                bytes.append(contentsOf: buffer[0..<n])
            }
        }
    }
}
