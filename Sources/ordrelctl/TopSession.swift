import ArgumentParser
import OrdrelSystem
import OrdrelTop

/// The I/O around `TopScreen`: polls the stats socket, reads keys and signals, writes frames.
struct TopSession {
    let socket: String
    let delay: Double
    let timeout: Double
    let output: FD

    /// `-d` as the header shows it: `2`, `0.5`.
    private var interval: String { Self.seconds(delay) }

    /// Plain frames to a pipe or file, `delay` apart. Whether the last poll answered.
    func plain(frames: Int) throws -> Bool {
        var screen = TopScreen(source: socket, interval: interval, size: nil)
        var answered = false
        for frame in 0..<frames {
            if frame > 0 {
                _ = try Terminal.wait(for: [], milliseconds: Int32(delay * 1000))
                try Terminal.writeAll(Array("\n".utf8), to: output)
            }
            answered = poll(into: &screen)
            try Terminal.writeAll(Array(screen.render().plain.utf8), to: output)
        }
        return answered
    }

    /// The full-screen view until `q`, Ctrl-C, SIGTERM/SIGHUP/SIGINT, EOF on stdin or `frames`
    /// refreshes. The terminal is put back however the loop ends; a signal exits 128 + its number.
    func interactive(input: FD, frames: Int?) throws {
        let signals = try SignalDescriptor([.windowChange, .terminate, .interrupt, .hangUp])
        defer { signals.fd.close() }
        let saved = try Terminal.enterRawMode(input)
        try Terminal.writeAll(Array(ScreenMode.enter.utf8), to: output)
        defer {
            try? Terminal.writeAll(Array(ScreenMode.leave.utf8), to: output)
            try? saved.restore()
        }
        var screen = TopScreen(source: socket, interval: interval, size: size())
        let monotonic = ContinuousClock()
        var nextPoll = monotonic.now
        var polls = 0
        while true {
            if monotonic.now >= nextPoll {
                _ = poll(into: &screen)
                polls += 1
                nextPoll = monotonic.now + .seconds(delay)
            }
            try draw(screen)
            if let frames, polls >= frames { return }
            let left = monotonic.now.duration(to: nextPoll)
            let milliseconds = left <= .zero ? 0 : Int32(min(left / .milliseconds(1) + 1, 60_000))
            let ready = try Terminal.wait(for: [PollRequest(fd: input, events: .readable),
                                                PollRequest(fd: signals.fd, events: .readable)],
                                          milliseconds: milliseconds)
            if ready[1] {
                for signal in try signals.pending() {
                    guard signal == Signal.windowChange.number else { throw ExitCode(128 + signal) }
                    screen.resize(size())
                }
            }
            guard ready[0] else { continue }
            guard let bytes = try Terminal.read(input) else { return }
            for key in KeyDecoder.decode(bytes) {
                switch screen.handle(key) {
                case .quit?:
                    return
                case .change(let change)?:
                    send(change, to: &screen)
                    nextPoll = monotonic.now
                case nil:
                    break
                }
            }
        }
    }

    private typealias PollRequest = Terminal.PollRequest

    private func size() -> ScreenSize? {
        Terminal.size(of: output).map { ScreenSize(rows: $0.rows, columns: $0.columns) }
    }

    private func draw(_ screen: TopScreen) throws {
        let size = screen.size ?? ScreenSize(rows: 24, columns: 80)
        try Terminal.writeAll(Array(screen.render().ansi(width: size.columns, height: size.rows).utf8), to: output)
    }

    /// `show info` and `show stat` into the screen; whether both answered.
    private func poll(into screen: inout TopScreen) -> Bool {
        do {
            let info = InfoSummary(parsing: try query("show info"))
            let rows = try StatCSV.parse(try query("show stat"))
            screen.update(rows: rows, info: info, at: clock())
            return true
        } catch {
            screen.pollFailed("\(error)", at: clock())
            return false
        }
    }

    private func send(_ change: StateChange, to screen: inout TopScreen) {
        do {
            screen.changeFinished(change, reply: try query(change.command))
        } catch {
            screen.changeFinished(change, reply: nil, transportError: "\(error)")
        }
    }

    /// One command's whole reply; a reset or a timeout throws.
    private func query(_ command: String) throws -> String {
        let reply = try StatsQuery.perform(socket: socket, command: command, timeout: timeout)
        switch reply.end {
        case .eof: return String(decoding: reply.bytes, as: UTF8.self)
        case .reset(let errno): throw StatsQuery.Failure("\(command): \(SyscallError(call: "read", errno: errno))")
        case .timeout: throw StatsQuery.Failure("\(command): no reply within \(Self.seconds(timeout)) s")
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The local wall-clock time, `HH:MM:SS`.
    private func clock() -> String {
        let now = WallClock.localTime(seconds: WallClock.micros() / 1_000_000)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(now.hour)):\(two(now.minute)):\(two(now.second))"
    }
}
