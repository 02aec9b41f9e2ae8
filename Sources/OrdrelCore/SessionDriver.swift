import OrdrelCLI
import OrdrelEventLoop
import OrdrelSystem

/// What a driven session asks of its connection next: the lifecycle every session shares, or an
/// action only its side has (`Extra`).
enum SessionStep<Extra> {
    case write(ArraySlice<UInt8>)
    case read
    case shutdownWrite
    case close
    case done
    case extra(Extra)
}

/// A sans-IO session a `SessionDriver` runs.
protocol DrivenSession: AnyObject {
    var wantsInput: Bool { get }
    func receive(_ bytes: UnsafeRawBufferPointer)
    func receiveEOF()
    func didWrite(_ count: Int)
    func didShutdownWrite()
    func didClose()
}

extension CLISession: DrivenSession {}
extension MasterCLISession: DrivenSession {}
extension HTTPSession: DrivenSession {}

/// The connection a `SessionDriver` works for: what differs between the worker's CLI, the
/// master's, and the HTTP built-in services.
protocol SessionDriverHost: AnyObject {
    associatedtype Session: DrivenSession
    associatedtype Extra
    var session: Session { get }
    /// The session's next action.
    func nextStep() -> SessionStep<Extra>
    /// Carries out an action only this side has; false when the session now waits for something
    /// other than its socket (the driver stops watching the socket).
    func perform(_ extra: Extra) -> Bool
    /// Seconds an active session may go without activity (written bytes, `touch()`,
    /// `restartTimeout()`) before `timedOut()`; nil = no limit.
    var timeout: Double? { get }
    /// `count` bytes of a reply went out (they count as activity).
    func wrote(_ count: Int)
    /// `count` bytes of input came in; whether that counts as activity is the host's call
    /// (`touch()`): the CLI's idle timeout starts again, HTTP's request timeout does not.
    func received(_ count: Int)
    /// The timeout expired while active: true when the host handled it and the session goes on
    /// (the host drives it), false to close it.
    func timedOut() -> Bool
    /// The connection is closed and its watchers stopped: the host drops it.
    func finished()
    /// With turns: whether the session's next step may do work (run a command, render, write),
    /// so that the driver waits for a turn first; when false the driver carries on (to a read,
    /// the FIN, the close) in the same turn.
    var sessionHasWorkLeft: Bool { get }
}

extension SessionDriverHost {
    /// Hosts driven without turns never ask.
    var sessionHasWorkLeft: Bool { true }
}

/// Where a driven connection is in its close path.
private enum SessionDriverPhase {
    /// The session is reading commands and writing replies.
    case active
    /// The reply is written and the write side shut down; unread client input is drained until the
    /// client's EOF so that close() cannot turn into a reset that would destroy the reply.
    case lingering
    case closed
}

/// Drives one sans-IO session (CLI or HTTP) over a non-blocking socket: speculative reads and
/// writes, a watcher armed only after EAGAIN, the host's timeout, and ordrel's orderly release:
/// whole reply written, `shutdown(SHUT_WR)`, the client's remaining input drained (bounded), then
/// `close()`.
///
/// Lifetime: the host owns the driver and the driver its watchers (stable heap addresses for
/// libev); the watchers' handlers hold the driver `unowned(unsafe)` and keep driver and host alive
/// while they run, as finishing drops the host's last reference.
final class SessionDriver<Host: SessionDriverHost>: TurnTaking {
    let fd: FD
    private unowned(unsafe) let host: Host
    private let loop: EventLoop
    /// Scratch space for reads, shared with whatever else runs on this loop thread.
    private let readBuffer: UnsafeMutableRawBufferPointer
    /// nil: the session runs until it waits. Else it runs one turn per wake-up (at most one read
    /// and one write), and with work left waits here for its next turn.
    private let turns: SessionTurns?
    /// The socket watcher (`show fd` reports its handler and interest).
    private(set) var watcher: IOWatcher!
    private var timer: TimerWatcher!
    private var phase = SessionDriverPhase.active
    private var inputEOF = false
    /// The FIN is sent (`.shutdownWrite`, or `.close` before draining).
    private var outputShut = false
    private var lastActivity: Double

    /// Longest time a finished session waits for the client's EOF before closing anyway.
    static var lingerSeconds: Double { 2 }

    /// With `turns`, one turn runs per wake-up before the loop's other work goes on.
    init(fd: FD, host: Host, loop: EventLoop, readBuffer: UnsafeMutableRawBufferPointer,
         turns: SessionTurns?) {
        self.fd = fd
        self.host = host
        self.loop = loop
        self.readBuffer = readBuffer
        self.turns = turns
        lastActivity = loop.now
        watcher = IOWatcher(loop: loop, fd: fd.rawValue) { [unowned(unsafe) self] _ in self.wake { $0.drive() } }
        timer = TimerWatcher(loop: loop) { [unowned(unsafe) self] in self.wake { $0.timerFired() } }
        if let timeout { timer.schedule(after: timeout) }
    }

    /// Runs a watcher's handler with the driver and its host alive to its end.
    private func wake(_ body: (SessionDriver) -> Void) {
        withExtendedLifetime((self, host)) { body(self) }
    }

    /// Seconds until the timeout ends the session; nil = no limit.
    var secondsToTimeout: UInt64? {
        timeout.map { UInt64(max(0, lastActivity + $0 - loop.now).rounded(.up)) }
    }

    private var session: Host.Session { host.session }

    private var timeout: Double? {
        phase == .lingering ? Self.lingerSeconds : host.timeout
    }

    /// A turn from `turns`: the next step.
    func takeTurn() { wake { $0.drive() } }

    /// Runs the session until it waits, or, with `turns`, for one turn: at most one read and one
    /// write, so at most what one step of the session produces (one command or one output
    /// chunk); then the loop's other work goes first and the session waits for its next turn.
    /// The FIN and the close cost no turn of their own: after the last reply a session ends in
    /// the turn that wrote it.
    func drive() {
        var wrote = false
        var read = false
        while phase == .active {
            if let turns, wrote, host.sessionHasWorkLeft { return waitForTurn(turns) }
            switch host.nextStep() {
            case .write(let bytes):
                guard write(bytes) else { return }
                wrote = true
            case .read:
                if let turns, read { return waitForTurn(turns) }
                read = true
                guard readInput() else { return }
            case .shutdownWrite:
                shutdownWrite()
                session.didShutdownWrite()
            case .close:
                // A silent close (an idle HTTP keep-alive, a client gone) has not sent its FIN yet.
                shutdownWrite()
                session.didClose()
                linger()
                return
            case .done:
                finish()
                return
            case .extra(let action):
                guard host.perform(action) else {
                    watcher.setInterest([])
                    return
                }
            }
        }
        if phase == .lingering { linger() }
    }

    /// Stops watching the socket until `turns` hands this session its next turn.
    private func waitForTurn(_ turns: SessionTurns) {
        watcher.setInterest([])
        turns.wait(self)
    }

    private func shutdownWrite() {
        guard !outputShut else { return }
        outputShut = true
        _ = try? fd.shutdown(.write)
    }

    /// Writes once from the session. Returns false when the caller must stop: the socket is full
    /// (the watcher waits for writability) or the client went away (the session is finished).
    private func write(_ bytes: ArraySlice<UInt8>) -> Bool {
        let result: IOResult<Int>
        do {
            result = try bytes.withUnsafeBytes { try fd.write($0) }
        } catch {
            // The client went away mid-reply: nothing of anyone else's is affected.
            finish()
            return false
        }
        guard case .processed(let count) = result else {
            watcher.setInterest(.write)
            return false
        }
        session.didWrite(count)
        host.wrote(count)
        touch()
        guard count == bytes.count else {
            watcher.setInterest(.write)
            return false
        }
        return true
    }

    /// Reads once into the session. Returns false when the caller must wait for readability.
    private func readInput() -> Bool {
        guard session.wantsInput, !inputEOF else {
            watcher.setInterest([])
            return false
        }
        do {
            switch try fd.read(into: readBuffer) {
            case .wouldBlock:
                watcher.setInterest(.read)
                return false
            case .processed(0):
                inputEOF = true
                session.receiveEOF()
            case .processed(let count):
                session.receive(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                host.received(count)
            }
        } catch {
            inputEOF = true
            session.receiveEOF()
        }
        return true
    }

    /// After the reply and the FIN: discard what the client still sends until its EOF, then close.
    private func linger() {
        if phase != .lingering {
            phase = .lingering
            touch()
            timer.schedule(after: Self.lingerSeconds)
        }
        while !inputEOF {
            do {
                switch try fd.read(into: readBuffer) {
                case .wouldBlock:
                    watcher.setInterest(.read)
                    return
                case .processed(0):
                    inputEOF = true
                case .processed:
                    continue
                }
            } catch {
                inputEOF = true
            }
        }
        finish()
    }

    /// Counts as activity: the timeout starts again from now.
    func touch() {
        lastActivity = loop.now
    }

    /// The session began a new wait, maybe with another timeout (`host.timeout`): it starts
    /// from now.
    func restartTimeout() {
        touch()
        scheduleTimer()
    }

    /// Arms the timer for the current timeout from the last activity, or stops it when there is none.
    private func scheduleTimer() {
        if let timeout { timer.schedule(after: max(0, lastActivity + timeout - loop.now)) } else { timer.cancel() }
    }

    private func timerFired() {
        guard phase != .closed, let timeout else { return }
        let due = lastActivity + timeout
        let now = loop.now
        if now + 0.0005 < due {
            timer.schedule(after: due - now)
            return
        }
        // Idle too long (or the client never sent its EOF while lingering): close, unless the host
        // handles it and the session goes on.
        guard phase == .active, host.timedOut() else { return finish() }
        if phase != .closed { scheduleTimer() }
    }

    /// Ends the session now: closes the connection and stops its watchers (also when the process stops).
    func finish() {
        guard phase != .closed else { return }
        session.didClose()
        phase = .closed
        watcher.setInterest([])
        timer.cancel()
        turns?.leave(self)
        fd.close()
        host.finished()
    }
}
