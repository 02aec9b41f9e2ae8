#if canImport(Glibc)
import Glibc
#endif
import OrdrelSystem
import XCTest

/// The calls `ordrelctl top` makes outside a terminal: on a pipe, and a signal through a signalfd.
/// (Raw mode and the window size on a real terminal are driven in tmux by TopTests.)
final class TerminalTests: XCTestCase {
    func testAPipeIsNoTerminal() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let (reader, writer) = (FD(rawValue: fds[0]), FD(rawValue: fds[1]))
        defer { reader.close() }
        XCTAssertFalse(Terminal.isTerminal(writer))
        XCTAssertNil(Terminal.size(of: writer))
        XCTAssertThrowsError(try Terminal.enterRawMode(reader)) {
            XCTAssertEqual(($0 as? SyscallError)?.call, "tcgetattr")
        }

        XCTAssertEqual(try Terminal.wait(for: [Terminal.PollRequest(fd: reader, events: .readable)], milliseconds: 0), [false])
        try Terminal.writeAll(Array("frame\n".utf8), to: writer)
        XCTAssertEqual(try Terminal.wait(for: [Terminal.PollRequest(fd: reader, events: .readable)], milliseconds: 1000), [true])
        XCTAssertEqual(try Terminal.read(reader), Array("frame\n".utf8))
        writer.close()
        XCTAssertNil(try Terminal.read(reader), "EOF")
    }

    func testASignalArrivesAsBytes() throws {
        let signals = try SignalDescriptor([.windowChange])
        defer { signals.fd.close() }
        XCTAssertEqual(try signals.pending(), [])
        // raise(3) targets this thread, which now blocks SIGWINCH: it waits for the signalfd.
        XCTAssertEqual(raise(SIGWINCH), 0)
        XCTAssertEqual(try Terminal.wait(for: [Terminal.PollRequest(fd: signals.fd, events: .readable)], milliseconds: 1000), [true])
        XCTAssertEqual(try signals.pending(), [SIGWINCH])
        XCTAssertEqual(try signals.pending(), [], "read once")
    }
}
