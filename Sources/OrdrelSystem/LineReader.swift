#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One step of reading a text file line by line (`LineReader.next()`).
public enum TextLine: Equatable, Sendable {
    /// A line, without its LF.
    case line([UInt8])
    /// The last line of the file, which has no LF: the file may have been truncated.
    case unterminated([UInt8])
    /// A NUL byte at `position` (1-based) of the current line; the reader stops.
    case nul(position: Int)
    /// The current line grew past `maxLineLength` bytes without an LF; the reader stops.
    case lineTooLong
    /// The file grew past `maxTotalLength` bytes; the reader stops.
    case fileTooLong
    /// read(2) failed; the reader stops.
    case failed(SyscallError)
}

/// Reads a file (or standard input) in bounded chunks and hands out its lines, so neither an
/// endless file (`/dev/zero`) nor one huge line can exhaust memory: memory stays within
/// `maxLineLength` plus one chunk.
public final class LineReader {
    public let maxLineLength: Int
    public let maxTotalLength: Int
    private let fd: Int32
    private let ownsFD: Bool
    private var chunk = [UInt8](repeating: 0, count: 65536)
    /// Bytes of `chunk` read but not handed out yet: `chunk[start..<end]`.
    private var start = 0
    private var end = 0
    private var total = 0
    private var finished = false

    /// Opens `path` for reading; throws naming the call and errno (ENOENT, EACCES ...).
    public init(path: String, maxLineLength: Int, maxTotalLength: Int) throws(SyscallError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SyscallError(call: "open(\(path))", errno: errno) }
        ownsFD = true
        self.maxLineLength = maxLineLength
        self.maxTotalLength = maxTotalLength
    }

    /// Reads standard input, which stays open.
    public init(standardInputWithMaxLineLength maxLineLength: Int, maxTotalLength: Int) {
        fd = STDIN_FILENO
        ownsFD = false
        self.maxLineLength = maxLineLength
        self.maxTotalLength = maxTotalLength
    }

    deinit {
        if ownsFD { close(fd) }
    }

    /// The next line, or nil at the end of the file or after a step that stops the reader.
    public func next() -> TextLine? {
        guard !finished else { return nil }
        var line: [UInt8] = []
        while true {
            if start == end {
                if let failure = fill() { return stop(failure) }
                if end == 0 {
                    finished = true
                    return line.isEmpty ? nil : .unterminated(line)
                }
            }
            let available = chunk[start..<end]
            let stop = available.firstIndex { $0 == 0x0A || $0 == 0 } ?? end
            let taken = stop - start
            if line.count + taken > maxLineLength { return self.stop(.lineTooLong) }
            line.append(contentsOf: available[..<stop])
            start = stop
            guard stop < end else { continue }
            if chunk[stop] == 0 { return self.stop(.nul(position: line.count + 1)) }
            start += 1
            return .line(line)
        }
    }

    private func stop(_ step: TextLine) -> TextLine {
        finished = true
        return step
    }

    /// One read(2) into the chunk, retried on EINTR (`end` is 0 at the end of the file); the step
    /// that stops the reader when it fails or passes `maxTotalLength`.
    private func fill() -> TextLine? {
        let count = chunk.withUnsafeMutableBytes { raw in
            var count: Int
            repeat { count = read(fd, raw.baseAddress!, raw.count) } while count < 0 && errno == EINTR
            return count
        }
        guard count >= 0 else { return .failed(SyscallError(call: "read", errno: errno)) }
        start = 0
        end = count
        total += count
        return total > maxTotalLength ? .fileTooLong : nil
    }
}
