#if canImport(Glibc)
import Glibc
#endif
import CLibev

/// The terminal `ordrelctl top` draws on: whether an fd is one, its size, raw mode, writing to
/// it, and waiting for a key, a signal or a deadline at once.
public enum Terminal {
    /// Rows and columns of a terminal window.
    public struct Size: Equatable, Sendable {
        public let rows: Int
        public let columns: Int

        public init(rows: Int, columns: Int) {
            self.rows = rows
            self.columns = columns
        }
    }

    /// isatty(3).
    public static func isTerminal(_ fd: FD) -> Bool { isatty(fd.rawValue) == 1 }

    /// The window size (TIOCGWINSZ); nil when `fd` is no terminal or reports 0 columns.
    public static func size(of fd: FD) -> Size? {
        var window = winsize()
        guard ioctl(fd.rawValue, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else { return nil }
        return Size(rows: Int(window.ws_row), columns: Int(window.ws_col))
    }

    /// Writes every byte with write(2) (a terminal or pipe is no socket, so `FD.write`'s send(2)
    /// does not apply), waiting out EAGAIN with poll(2).
    public static func writeAll(_ bytes: [UInt8], to fd: FD) throws {
        var offset = 0
        while offset < bytes.count {
            let result = try bytes.withUnsafeBytes { raw in
                try syscall("write") { Glibc.write(fd.rawValue, raw.baseAddress! + offset, raw.count - offset) }
            }
            switch result {
            case .processed(let written): offset += written
            case .wouldBlock: _ = try wait(for: [PollRequest(fd: fd, events: .writable)], milliseconds: -1)
            }
        }
    }

    /// read(2) of what is waiting on a terminal or pipe: nil at EOF, empty when nothing is ready.
    public static func read(_ fd: FD, upTo count: Int = 256) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        let result = try buffer.withUnsafeMutableBytes { raw in
            try syscall("read") { Glibc.read(fd.rawValue, raw.baseAddress, raw.count) }
        }
        switch result {
        case .processed(0): return nil
        case .processed(let n): return Array(buffer[..<n])
        case .wouldBlock: return []
        }
    }

    /// The settings raw mode replaced, to put back on the way out.
    public struct SavedMode: Sendable {
        fileprivate let fd: FD
        fileprivate let settings: termios

        /// tcsetattr(TCSAFLUSH) of the saved settings.
        public func restore() throws {
            var settings = settings
            _ = try syscallBlocking("tcsetattr") { tcsetattr(fd.rawValue, TCSAFLUSH, &settings) }
        }
    }

    /// Keys one at a time without echo, line editing or signals (Ctrl-C arrives as byte 3, so the
    /// caller restores the terminal before it exits); output processing stays on.
    public static func enterRawMode(_ fd: FD) throws -> SavedMode {
        var settings = termios()
        _ = try syscallBlocking("tcgetattr") { tcgetattr(fd.rawValue, &settings) }
        let saved = SavedMode(fd: fd, settings: settings)
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        settings.c_iflag &= ~tcflag_t(IXON | ICRNL | BRKINT | INPCK | ISTRIP)
        withUnsafeMutableBytes(of: &settings.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        _ = try syscallBlocking("tcsetattr") { tcsetattr(fd.rawValue, TCSAFLUSH, &settings) }
        return saved
    }

    /// What `wait` watches an fd for.
    public enum PollEvent: Sendable {
        case readable
        case writable
    }

    /// One fd for `wait`.
    public struct PollRequest: Sendable {
        public let fd: FD
        public let events: PollEvent

        public init(fd: FD, events: PollEvent) {
            self.fd = fd
            self.events = events
        }
    }

    /// poll(2): which of `requests` are ready (hang-up and error count as ready, so the caller's
    /// read sees them); all false when `milliseconds` (-1: forever) pass first.
    public static func wait(for requests: [PollRequest], milliseconds: Int32) throws -> [Bool] {
        var fds = requests.map {
            pollfd(fd: $0.fd.rawValue, events: Int16($0.events == .readable ? POLLIN : POLLOUT), revents: 0)
        }
        switch try syscall("poll", { poll(&fds, nfds_t(fds.count), milliseconds) }) {
        case .processed: return fds.map { $0.revents != 0 }
        case .wouldBlock: return fds.map { _ in false }
        }
    }
}

/// Signals delivered as readable bytes on an fd (signalfd(2)) instead of to a handler, so a
/// poll(2) loop sees a window resize or SIGTERM next to its other fds. The signals are blocked
/// for the calling thread; create it before starting other threads.
public struct SignalDescriptor: Sendable {
    public let fd: FD

    /// Blocks `signals` and opens a non-blocking, close-on-exec signalfd for them.
    public init(_ signals: [Signal]) throws {
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in signals { sigaddset(&mask, signal.number) }
        let rc = pthread_sigmask(SIG_BLOCK, &mask, nil)
        if rc != 0 { throw SyscallError(call: "pthread_sigmask", errno: rc) }
        fd = FD(rawValue: try syscallBlocking("signalfd") { ordrel_signalfd(&mask) })
    }

    /// The signals that arrived since the last call, oldest first; empty when none.
    public func pending() throws -> [Int32] {
        var numbers: [Int32] = []
        while case .processed(let number) = try syscall("read(signalfd)", { ordrel_signalfd_next(fd.rawValue) }) {
            numbers.append(number)
        }
        return numbers
    }
}
