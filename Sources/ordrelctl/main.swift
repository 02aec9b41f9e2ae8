import ArgumentParser
import OrdrelSystem

/// `ordrelctl`: run one stats-socket command, probe a socket for early EOF at volume, or watch
/// proxies and servers live (`top`).
struct OrdrelCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ordrelctl",
        abstract: "Talk to an ordrel (or haproxy) stats socket.",
        subcommands: [Run.self, Probe.self, Top.self],
        defaultSubcommand: Run.self
    )
}

/// `ordrelctl -s <socket> <command ...>`: one command, reply to stdout.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Send one command and print the reply.")

    @Option(name: .customShort("s"), help: "Path of the stats socket.")
    var socket: String

    @Option(name: .long, help: "Seconds to wait for the reply.")
    var timeout: Double = 10

    @Argument(parsing: .captureForPassthrough, help: "The command, e.g. show stat")
    var command: [String]

    func run() throws {
        let line = command.joined(separator: " ")
        let reply = try StatsQuery.perform(socket: socket, command: line, timeout: timeout)
        try Terminal.writeAll(reply.bytes, to: FD(rawValue: 1))
        switch reply.end {
        case .eof: break
        case .reset(let errno): throw StatsQuery.Failure("connection reset while reading: \(SyscallError(call: "read", errno: errno))")
        case .timeout: throw StatsQuery.Failure("no complete reply within \(timeout) s")
        }
    }
}

OrdrelCtl.main()
