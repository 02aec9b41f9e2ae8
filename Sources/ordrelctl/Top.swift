import ArgumentParser
import OrdrelSystem
import OrdrelTop

/// `ordrelctl top -s <socket>`: proxies and servers of a running ordrel (or haproxy), refreshed
/// every `-d` seconds, with sorting and server state keys; plain text frames when stdout or stdin
/// is no terminal.
struct Top: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A live view of proxies and servers over the stats socket (like hatop).",
        discussion: """
        Keys: up/down or j/k select, PgUp/PgDn/Home/End (space, g, G) move by pages, < and > cycle \
        the sort column, i inverts it, d drains, m puts into maintenance and r makes ready the \
        selected server, q quits. When stdout or stdin is no terminal, prints -n frames (1 by \
        default) as plain text and exits: 0, or 1 when the last poll failed.
        """
    )

    @Option(name: .customShort("s"), help: "Path of the stats socket.")
    var socket: String

    @Option(name: .customShort("d"), help: "Seconds between refreshes.")
    var delay: Double = 2

    @Option(name: .customShort("n"), help: "Stop after this many refreshes (default: until q on a terminal, 1 otherwise).")
    var frames: Int?

    @Option(name: .long, help: "Seconds to wait for each reply.")
    var timeout: Double = 5

    func validate() throws {
        guard delay > 0, timeout > 0 else { throw ValidationError("-d and --timeout must be positive") }
        if let frames, frames <= 0 { throw ValidationError("-n must be positive") }
    }

    func run() throws {
        let input = FD(rawValue: 0)
        let output = FD(rawValue: 1)
        let session = TopSession(socket: socket, delay: delay, timeout: timeout, output: output)
        if Terminal.isTerminal(input) && Terminal.isTerminal(output) {
            try session.interactive(input: input, frames: frames)
        } else if try !session.plain(frames: frames ?? 1) {
            throw ExitCode(1)
        }
    }
}
