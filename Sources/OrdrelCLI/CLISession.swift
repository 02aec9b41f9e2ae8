/// What the driver must do next for a `CLISession`.
public enum CLIAction: Equatable {
    /// Write these bytes (or a prefix of them), then report the count with `didWrite(_:)`.
    case write(ArraySlice<UInt8>)
    /// No output pending: wait until the socket is readable, then call `receive` or `receiveEOF`.
    case read
    /// Every reply byte was written: `shutdown(SHUT_WR)`, then call `didShutdownWrite()`.
    case shutdownWrite
    /// Close the connection, then call `didClose()`.
    case close
    /// `_getsocks`: hand this process's listening sockets to the peer over this connection (if
    /// the socket allows it), then call `didTransferListeners()`. Comes after every pending
    /// byte is written and before the session ends.
    case transferListeners
    /// The reply waits for rows another thread is making (`DeferredRows`): call
    /// `whenRowsReady(_:)`, and `nextAction()` again once its callback runs. Pending output
    /// waits with the rows unless it fills a chunk (then it is handed out (`.write`) before).
    case awaitRows
    /// The session is over.
    case done
}

/// Lifecycle of a CLI connection.
public enum CLISessionState: Equatable, Sendable {
    /// Waiting for (the rest of) a command line.
    case awaitingCommand
    /// Collecting payload lines of a `<<` command until an empty line.
    case awaitingPayload
    /// A large reply is being generated chunk by chunk as the driver drains output.
    case streaming
    /// The session is ending: remaining output is flushed, then the write side is shut down.
    case ending
    /// All output written; waiting for the driver to shut down the write side.
    case awaitingShutdownWrite
    /// Write side shut down; waiting for the driver to close.
    case awaitingClose
    /// Closed; nothing more will happen.
    case closed
}

/// The sans-IO core of one stats-socket connection, speaking haproxy 2.6's CLI protocol.
///
/// Feed input with `receive(_:)` / `receiveEOF()`, then loop on `nextAction()` until it says
/// `.read` (wait for input), `.write` is only partially done (wait for writability), or `.done`.
/// Replies are produced lazily: a `show stat` over thousands of servers is rendered in ~16 KiB
/// chunks only as the driver drains them. The end of a session is always: whole reply written,
/// then `.shutdownWrite`, then `.close`; input EOF never discards pending output.
public final class CLISession {
    /// Current lifecycle state.
    public private(set) var state: CLISessionState = .awaitingCommand
    /// Current privilege; `operator`/`user` commands lower it.
    public private(set) var level: CLILevel
    /// The level the socket gave the session, which `user`/`operator` do not lower (haproxy's
    /// `bind_conf` level, which `show table` and `clear table` dumps check).
    public let socketLevel: CLILevel
    /// Interactive (`prompt`) mode.
    public private(set) var interactive = false
    /// Idle timeout set by `set timeout cli <s>` for this session; nil = the socket's default.
    /// Enforcing it is the driver's job.
    public private(set) var idleTimeoutSeconds: UInt32?

    let runtime: CLIRuntime
    /// Output is generated until this many bytes are pending, like haproxy's channel buffer.
    let outputChunkSize: Int
    /// Commands run in one `nextAction()` before the pending output is handed to the driver, so
    /// pipelined short commands are answered in bounded steps (the driver may yield between them).
    let commandsPerStep: Int
    /// Commands run since the current `nextAction()` began.
    private var commandsThisStep = 0
    /// Commands this session has run, the current one included (`show threads`' `calls`).
    private(set) var commandsRun: UInt64 = 0

    private var input: [UInt8] = []
    private var inputStart = 0
    private var inputEOF = false
    var output: [UInt8] = []
    private var outputStart = 0
    private var payloadCommand: [UInt8] = []
    private var payloadLines: [UInt8] = []
    private var payloadLineCount = 0
    var stream: ResponseStream?
    /// Set by `quit`: end without a terminator.
    var quitRequested = false
    /// Set by `_getsocks` until the driver reports the transfer done.
    var listenerTransferPending = false
    /// Set by replies that, in 2.6, lack their final LF (so only one LF follows them).
    var suppressTerminator = false

    public init(runtime: CLIRuntime, level: CLILevel, outputChunkSize: Int = 16384, commandsPerStep: Int = 16) {
        self.runtime = runtime
        self.level = level
        self.socketLevel = level
        self.outputChunkSize = max(outputChunkSize, 1)
        self.commandsPerStep = max(commandsPerStep, 1)
    }

    // MARK: driver API

    /// Bytes read from the client.
    public func receive<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard !isEnding else { return }
        input.append(contentsOf: bytes)
    }

    /// The client shut down its write side (or the read returned 0).
    public func receiveEOF() {
        inputEOF = true
    }

    /// The next thing the driver must do. Call again after each completed step.
    public func nextAction() -> CLIAction {
        advance()
        // A reply waiting for rows keeps a part-filled chunk: it goes out with the rows in one
        // write (a `show stat` header alone would cost the client a wake-up of its own).
        let awaitingRows = stream?.awaitingRows == true
        if outputStart < output.count && (!awaitingRows || pendingOutputCount >= outputChunkSize) {
            return .write(output[outputStart...])
        }
        if listenerTransferPending { return .transferListeners }
        if awaitingRows { return .awaitRows }
        switch state {
        case .ending, .awaitingShutdownWrite:
            state = .awaitingShutdownWrite
            return .shutdownWrite
        case .awaitingClose:
            return .close
        case .closed:
            return .done
        case .awaitingCommand, .awaitingPayload, .streaming:
            return .read
        }
    }

    /// The driver wrote `count` bytes of the last `.write` slice (0 when the socket was full).
    public func didWrite(_ count: Int) {
        outputStart += min(max(count, 0), output.count - outputStart)
        if outputStart == output.count {
            output.removeAll(keepingCapacity: true)
            outputStart = 0
        }
    }

    /// After `.awaitRows`: `resume` runs on this thread once the rows are there.
    public func whenRowsReady(_ resume: @escaping () -> Void) {
        guard let deferred = stream?.deferred else { preconditionFailure("whenRowsReady without .awaitRows") }
        deferred.whenReady(resume)
    }

    /// The driver ran (or refused) the listener transfer `.transferListeners` asked for.
    public func didTransferListeners() {
        listenerTransferPending = false
    }

    /// The driver shut down the write side.
    public func didShutdownWrite() {
        if state == .awaitingShutdownWrite { state = .awaitingClose }
    }

    /// The driver closed the connection (also valid at any time on a socket error).
    public func didClose() {
        state = .closed
        listenerTransferPending = false
        stream = nil
        input = []
        output = []
        outputStart = 0
    }

    /// Bytes generated but not yet written.
    public var pendingOutputCount: Int { output.count - outputStart }

    /// True when the session can use more input (the driver may stop reading otherwise).
    public var wantsInput: Bool {
        (state == .awaitingCommand || state == .awaitingPayload) && !inputEOF
    }

    /// Whether `nextAction()` may do work: run a command, render a chunk, write or hand over
    /// sockets. False when all it can ask for is input, the FIN or the close, so a driver that
    /// paces sessions may carry on to those at once.
    public var hasWorkLeft: Bool {
        pendingOutputCount > 0 || listenerTransferPending || (!isEnding && (stream != nil || inputStart < input.count))
    }

    // MARK: state machine

    private var isEnding: Bool {
        switch state {
        case .ending, .awaitingShutdownWrite, .awaitingClose, .closed: return true
        default: return false
        }
    }

    private func endSession() {
        stream = nil
        state = .ending
        input = []
        inputStart = 0
    }

    /// Runs commands and generates output until blocked on input or on output room, or until
    /// `commandsPerStep` commands have produced output to hand over. A dump's first chunk goes
    /// out with its header, in one write.
    private func advance() {
        commandsThisStep = 0
        while !isEnding {
            if pendingOutputCount >= outputChunkSize { return }
            if let s = stream {
                switch fill(s) {
                case .complete:
                    stream = nil
                    finishCommand()
                case .chunkFull:
                    break
                case .awaitingRows:
                    return
                }
                continue
            }
            if commandsThisStep >= commandsPerStep && pendingOutputCount > 0 { return }
            let inPayload = state == .awaitingPayload
            let used = inPayload ? payloadCommand.count + 1 + payloadLines.count : 0
            switch RequestParser.scanLine(input, from: inputStart, payloadMode: inPayload,
                                          room: RequestParser.maxLineBytes - used) {
            case .needMore:
                if inputEOF { endSession() }
                return
            case .overflow:
                endSession()
                return
            case .line(let line, let consumed):
                inputStart += consumed
                if inputStart == input.count {
                    input.removeAll(keepingCapacity: true)
                    inputStart = 0
                } else if inputStart >= 65536 {
                    input.removeFirst(inputStart)
                    inputStart = 0
                }
                handleLine(line, inPayload: inPayload)
            }
        }
    }

    private func handleLine(_ line: ArraySlice<UInt8>, inPayload: Bool) {
        if inPayload {
            if !line.isEmpty {
                payloadLines.append(contentsOf: line)
                payloadLines.append(0x0A)
                payloadLineCount += 1
                if interactive { output.append("+ ") }
                return
            }
            if !payloadLines.isEmpty { payloadLines.removeLast() }
            let request = RequestParser.parse(line: payloadCommand[...], payload: payloadLines)
            payloadCommand = []
            payloadLines = []
            payloadLineCount = 0
            state = .awaitingCommand
            run(request)
            return
        }
        if RequestParser.startsPayload(line) {
            payloadCommand = Array(line)
            state = .awaitingPayload
            if interactive { output.append("+ ") }
            return
        }
        run(RequestParser.parse(line: line))
    }

    private func run(_ request: RequestParser.Request) {
        commandsThisStep += 1
        commandsRun += 1
        execute(request)
        if stream != nil {
            state = .streaming
        } else {
            finishCommand()
        }
    }

    /// Writes the post-command terminator/prompt and decides whether the session goes on.
    private func finishCommand() {
        if quitRequested {
            endSession()
            return
        }
        if interactive {
            output.append("\n> ")
        } else if !suppressTerminator {
            output.append(0x0A)
        }
        suppressTerminator = false
        state = .awaitingCommand
        if !interactive && inputStart >= input.count {
            endSession()
        }
    }

    /// Toggles interactive mode (`prompt`).
    func togglePrompt() { interactive.toggle() }

    func setLevel(_ l: CLILevel) { level = l }

    func setIdleTimeout(_ s: UInt32) { idleTimeoutSeconds = s }
}
