/// What the master CLI reads from the master-worker master.
public protocol MasterCLIRuntime: AnyObject {
    /// `show version` text.
    var version: String { get }
    /// The full `show proc` reply.
    func showProc() -> String
    /// The current worker's pid: where `@1` goes. nil while there is none.
    var currentWorkerPID: Int32? { get }
    /// Whether `pid` is one of the master's workers, current or old (`@!<pid>`).
    func isWorker(_ pid: Int32) -> Bool
    /// Whether the last reload failed (`master[ReloadFailed]> `).
    var lastReloadFailed: Bool { get }
}

/// Where the commands of a master CLI session go.
public enum MasterCLITarget: Equatable, Sendable {
    case master
    case worker(pid: Int32)
}

/// What the driver must do next for a `MasterCLISession`.
public enum MasterCLIAction: Equatable {
    /// Write these bytes (or a prefix), then report the count with `didWrite(_:)`.
    case write(ArraySlice<UInt8>)
    /// Wait for input, then call `receive` or `receiveEOF`.
    case read
    /// Run `command` on worker `pid` at `level` as one CLI connection there; hand the whole
    /// reply to `forwardFinished(reply:)`, or call `forwardFailed()`.
    case forward(pid: Int32, command: [UInt8], level: CLILevel)
    /// A forward is in progress: wait for its end.
    case awaitForward
    /// Reload the master (the `reload` command), then carry on with the next action.
    case reload
    /// Every reply byte was written: `shutdown(SHUT_WR)`, then call `didShutdownWrite()`.
    case shutdownWrite
    /// Close, then call `didClose()`.
    case close
    /// The session is over.
    case done
}

/// Lifecycle of a master CLI connection.
public enum MasterCLIState: Equatable, Sendable {
    /// Waiting for (the rest of) a line.
    case awaitingCommand
    /// A command was handed to a worker; its reply has not come back yet.
    case forwarding(pid: Int32)
    /// Ending: remaining output is flushed, then the write side is shut down.
    case ending
    /// All output written; waiting for the driver to shut down the write side.
    case awaitingShutdownWrite
    /// Write side shut down; waiting for the driver to close.
    case awaitingClose
    case closed
}

/// The sans-IO core of one master CLI connection, speaking haproxy 2.6's master CLI: lines run
/// on the master, or with an `@` prefix (`@1`, `@!<pid>`, `@master`, `@`) go to a worker; a bare
/// prefix switches where the next lines go. Unlike a worker's CLI, a non-interactive session
/// runs every line until the client's EOF. `reload` ends the session with no output, as 2.6.
/// A target that does not exist ends the session after its error, as haproxy does.
public final class MasterCLISession {
    public private(set) var state: MasterCLIState = .awaitingCommand
    public private(set) var level: CLILevel
    public private(set) var interactive = false
    /// Where unprefixed lines go (a bare `@1` or `@!<pid>` changes it).
    public private(set) var target: MasterCLITarget = .master

    let runtime: MasterCLIRuntime
    private var input: [UInt8] = []
    private var inputEOF = false
    private var output: [UInt8] = []
    private var outputStart = 0
    /// Master commands of the current line still to run (a line splits at unescaped `;`).
    private var pendingCommands: [ArraySlice<UInt8>] = []
    private var pendingForward: (pid: Int32, command: [UInt8])?
    private var reloadRequested = false

    /// Longest line accepted (haproxy's buffer); a longer one ends the session.
    static let maxLineBytes = RequestParser.maxLineBytes

    public init(runtime: MasterCLIRuntime, level: CLILevel) {
        self.runtime = runtime
        self.level = level
    }

    // MARK: driver API

    public func receive<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard state == .awaitingCommand || isForwarding else { return }
        input.append(contentsOf: bytes)
    }

    public func receiveEOF() { inputEOF = true }

    /// True when the session can use more input.
    public var wantsInput: Bool { !inputEOF && (state == .awaitingCommand || isForwarding) }

    public func nextAction() -> MasterCLIAction {
        advance()
        if outputStart < output.count { return .write(output[outputStart...]) }
        if reloadRequested {
            reloadRequested = false
            return .reload
        }
        if let forward = pendingForward {
            pendingForward = nil
            return .forward(pid: forward.pid, command: forward.command, level: level)
        }
        switch state {
        case .awaitingCommand: return .read
        case .forwarding: return .awaitForward
        case .ending, .awaitingShutdownWrite:
            state = .awaitingShutdownWrite
            return .shutdownWrite
        case .awaitingClose: return .close
        case .closed: return .done
        }
    }

    public func didWrite(_ count: Int) {
        outputStart += min(max(count, 0), output.count - outputStart)
        if outputStart == output.count {
            output.removeAll(keepingCapacity: true)
            outputStart = 0
        }
    }

    /// The worker's whole reply to the forwarded command (it carries its own terminator).
    public func forwardFinished(reply: [UInt8]) {
        guard isForwarding else { return }
        output.append(contentsOf: reply)
        state = .awaitingCommand
        commandDone()
    }

    /// The worker could not be reached: haproxy's error, then the session ends.
    public func forwardFailed() {
        guard isForwarding else { return }
        output.append(contentsOf: Array("Can't connect to the target CLI!\n".utf8))
        end()
    }

    public func didShutdownWrite() {
        if state == .awaitingShutdownWrite { state = .awaitingClose }
    }

    public func didClose() {
        state = .closed
        input = []
        output = []
        outputStart = 0
        pendingCommands = []
        pendingForward = nil
    }

    // MARK: state machine

    private var isForwarding: Bool {
        if case .forwarding = state { return true }
        return false
    }

    /// The prompt after each command in interactive mode.
    var prompt: String {
        switch target {
        case .master: return runtime.lastReloadFailed ? "master[ReloadFailed]> " : "master> "
        case .worker(let pid): return "\(pid)> "
        }
    }

    private func end() {
        state = .ending
        input = []
        pendingCommands = []
    }

    /// Runs lines until one is forwarded, input runs out, or the session ends.
    private func advance() {
        while state == .awaitingCommand {
            if let command = pendingCommands.first {
                pendingCommands.removeFirst()
                runOnMaster(RequestParser.parse(line: command))
                if state == .awaitingCommand && pendingCommands.isEmpty { commandDone() }
                continue
            }
            guard let newline = input.firstIndex(of: 0x0A) else {
                if input.count >= Self.maxLineBytes || inputEOF { end() }
                return
            }
            guard newline < Self.maxLineBytes else {
                end()
                return
            }
            var line = input[..<newline]
            input.removeSubrange(...newline)
            if line.last == 0x0D { line = line.dropLast() }
            handleLine(line)
        }
    }

    private func handleLine(_ line: ArraySlice<UInt8>) {
        let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 }
        if trimmed.first == UInt8(ascii: "@") {
            let prefixEnd = trimmed.firstIndex { $0 == 0x20 || $0 == 0x09 } ?? trimmed.endIndex
            let prefix = String(decoding: trimmed[..<prefixEnd], as: UTF8.self)
            guard let destination = resolve(prefix) else {
                output.append(contentsOf: Array("Can't find the target PID matching the prefix '\(prefix)'\n".utf8))
                end()
                return
            }
            let rest = trimmed[prefixEnd...].drop { $0 == 0x20 || $0 == 0x09 }
            if rest.isEmpty {
                target = destination
                commandDone()
                return
            }
            dispatch(Array(rest), to: destination)
            return
        }
        dispatch(Array(line), to: target)
    }

    /// Sends a line to a worker as is (`;` and all), or splits it into master commands.
    private func dispatch(_ line: [UInt8], to destination: MasterCLITarget) {
        switch destination {
        case .worker(let pid):
            pendingForward = (pid, line)
            state = .forwarding(pid: pid)
        case .master:
            var commands: [ArraySlice<UInt8>] = []
            var start = 0
            var buffer = line
            buffer.append(0x0A)
            while case .line(let command, let consumed) = RequestParser.scanLine(
                buffer, from: start, payloadMode: false, room: buffer.count - start) {
                commands.append(command)
                start += consumed
                if start >= buffer.count { break }
            }
            pendingCommands = commands
        }
    }

    /// `@master` or `@`: the master; `@<n>`: the current worker when n is 1 (haproxy 2.6 has one
    /// worker, relative pid 1); `@!<pid>`: that worker, current or old.
    func resolve(_ prefix: String) -> MasterCLITarget? {
        let name = prefix.dropFirst()
        if name.isEmpty || name == "master" { return .master }
        if name.first == "!" {
            guard let pid = Int32(name.dropFirst()), runtime.isWorker(pid) else { return nil }
            return .worker(pid: pid)
        }
        guard name == "1", let pid = runtime.currentWorkerPID else { return nil }
        return .worker(pid: pid)
    }

    /// After a command (or a bare prefix): the prompt in interactive mode, and in either mode
    /// the session ends once the client's input is all used.
    private func commandDone() {
        guard state == .awaitingCommand else { return }
        if interactive { output.append(contentsOf: Array(prompt.utf8)) }
    }

    private func reply(_ text: String) {
        output.append(contentsOf: Array(text.utf8))
        output.append(0x0A)
    }

    private func runOnMaster(_ request: RequestParser.Request) {
        let words = request.words.map { String(decoding: $0, as: UTF8.self) }
        switch words.first ?? "" {
        case "prompt" where words.count == 1:
            interactive.toggle()
        case "quit" where words.count == 1:
            if interactive { output.append(contentsOf: Array(prompt.utf8)) }
            end()
        case "help":
            reply(MasterHelp.message(args: Array(request.words.dropFirst()), isHelp: true))
        case "reload" where words.count == 1:
            guard level >= .operator else { return reply("Permission denied\n") }
            reloadRequested = true
            end()
        case "operator" where words.count == 1:
            guard level >= .operator else { return reply("Permission denied\n") }
            level = .operator
        case "user" where words.count == 1:
            level = .user
        case "show" where words == ["show", "proc"]:
            reply(runtime.showProc())
        case "show" where words == ["show", "version"]:
            reply(runtime.version + "\n")
        case "show" where words == ["show", "cli", "level"]:
            reply(level.name + "\n")
        default:
            reply(MasterHelp.message(args: request.words, isHelp: false))
        }
    }
}

/// The master CLI's `help` and unknown-command texts: haproxy 2.6's master keywords (those ordrel
/// implements), matched with the same fuzzy rules as the worker CLI's.
enum MasterHelp {
    static let usages: [(words: [String], usage: String)] = [
        (["@!<pid>"], "@!<pid>                                 : send a command to the <pid> process"),
        (["@<relative pid>"], "@<relative pid>                         : send a command to the <relative pid> process"),
        (["@master"], "@master                                 : send a command to the master process"),
        (["operator"], "operator                                : lower the level of the current CLI session to operator"),
        (["reload"], "reload                                  : reload haproxy"),
        (["show", "cli", "level"], "show cli level                          : display the level of the current CLI session"),
        (["show", "proc"], "show proc                               : show processes status"),
        (["show", "version"], "show version                            : show version of the current process"),
        (["user"], "user                                    : lower the level of the current CLI session to user"),
    ]

    static let catalog = HelpText.Catalog(
        listed: usages.map { HelpText.Keyword(words: $0.words.map { Array($0.utf8) }, usage: $0.usage) },
        unlisted: ["help", "prompt", "quit"])

    /// `help [words]` (without `help`), an empty line, or an unknown command.
    static func message(args: [[UInt8]], isHelp: Bool) -> String {
        catalog.message(args: args, isHelp: isHelp)
    }
}
