import ArgumentParser
import OrdrelSystem

/// `ordrelctl probe`: the early-EOF probe. Each query connects, sends its command, shuts down its
/// write side, reads to EOF and checks that the reply is complete.
struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check at volume that no reply ends early.")

    @Option(name: .customShort("s"), help: "Path of the stats socket.")
    var socket: String

    @Option(name: .customShort("n"), help: "Number of queries.")
    var count = 1000

    @Option(name: .customShort("c"), help: "Queries in flight at once.")
    var concurrency = 1

    @Option(name: .long, help: "The command each query sends.")
    var command = "show stat"

    @Option(name: .long, help: "Seconds to wait for each reply.")
    var timeout: Double = 10

    @Flag(name: .long, help: "Print the result as one JSON object.")
    var json = false

    func validate() throws {
        guard count > 0, concurrency > 0 else { throw ValidationError("-n and -c must be positive") }
    }

    func run() throws {
        let tally = SharedTally()
        let clock = ContinuousClock()
        let started = clock.now
        let perWorker = (0..<concurrency).map { count / concurrency + ($0 < count % concurrency ? 1 : 0) }
        var threads: [ThreadHandle] = []
        for share in perWorker where share > 0 {
            threads.append(try Threads.start(name: "probe") { [socket, command, timeout] in
                var local = ProbeTally()
                local.latencies.reserveCapacity(share)
                var buffer = [UInt8](repeating: 0, count: 65536)
                for _ in 0..<share {
                    let begin = clock.now
                    let outcome: ProbeOutcome
                    do {
                        let reply = try StatsQuery.perform(socket: socket, command: command, timeout: timeout, buffer: &buffer)
                        outcome = ReplyCheck.classify(reply, command: command)
                    } catch {
                        outcome = .connectFailed
                    }
                    local.record(outcome, nanoseconds: Self.nanoseconds(begin.duration(to: clock.now)))
                }
                tally.merge(local)
            })
        }
        threads.forEach(Threads.join)
        let elapsed = Double(Self.nanoseconds(started.duration(to: clock.now))) / 1e9
        let result = tally.total
        print(json ? result.json(elapsed: elapsed, command: command, concurrency: concurrency)
                   : result.report(elapsed: elapsed, command: command, concurrency: concurrency))
        if result.failures > 0 { throw ExitCode(1) }
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}

/// The probe threads' tallies, merged under a pthread mutex (which TSan sees, unlike a futex).
private final class SharedTally: @unchecked Sendable {
    private let lock = Lock()
    private var tally = ProbeTally()

    func merge(_ local: ProbeTally) { lock.withLock { tally.merge(local) } }
    var total: ProbeTally { lock.withLock { tally } }
}

/// How one probed query ended.
enum ProbeOutcome {
    /// The whole reply, then EOF.
    case complete
    /// EOF before any byte: the bug this probe exists for.
    case empty
    /// Some bytes, then EOF, but the reply is incomplete.
    case short
    /// The connection was reset or failed while reading.
    case reset
    /// No EOF within the timeout.
    case timeout
    /// Could not connect or send.
    case connectFailed
}

/// Counts and latencies of a probe run.
struct ProbeTally: Sendable {
    var complete = 0
    var empty = 0
    var short = 0
    var reset = 0
    var timeout = 0
    var connectFailed = 0
    var latencies: [UInt64] = []

    var failures: Int { empty + short + reset + timeout + connectFailed }

    mutating func record(_ outcome: ProbeOutcome, nanoseconds: UInt64) {
        switch outcome {
        case .complete: complete += 1
        case .empty: empty += 1
        case .short: short += 1
        case .reset: reset += 1
        case .timeout: timeout += 1
        case .connectFailed: connectFailed += 1
        }
        latencies.append(nanoseconds)
    }

    mutating func merge(_ other: ProbeTally) {
        complete += other.complete
        empty += other.empty
        short += other.short
        reset += other.reset
        timeout += other.timeout
        connectFailed += other.connectFailed
        latencies += other.latencies
    }

    func percentileMs(_ p: Double, sorted: [UInt64]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * p / 100).rounded(.up)) - 1)
        return Double(sorted[max(0, index)]) / 1e6
    }

    func report(elapsed: Double, command: String, concurrency: Int) -> String {
        let sorted = latencies.sorted()
        let total = latencies.count
        func ms(_ value: Double) -> String { Self.fixed(value, decimals: 3) }
        return """
        probe: \(total) queries of "\(command)", \(concurrency) at a time, in \(Self.fixed(elapsed, decimals: 2)) s (\(Self.fixed(Double(total) / max(elapsed, 1e-9), decimals: 0)) q/s)
          complete \(complete)  empty \(empty)  short \(short)  reset \(reset)  timeout \(timeout)  connect-failed \(connectFailed)
          latency ms: p50 \(ms(percentileMs(50, sorted: sorted)))  p90 \(ms(percentileMs(90, sorted: sorted)))  p99 \(ms(percentileMs(99, sorted: sorted)))  max \(ms(percentileMs(100, sorted: sorted)))
          \(failures == 0 ? "OK: every reply was complete" : "FAIL: \(failures) replies were not complete")
        """
    }

    func json(elapsed: Double, command: String, concurrency: Int) -> String {
        let sorted = latencies.sorted()
        let qps = Double(latencies.count) / max(elapsed, 1e-9)
        let escaped = command.reduce(into: "") { out, character in
            if character == "\\" || character == "\"" { out.append("\\") }
            out.append(character)
        }
        return "{\"command\":\"\(escaped)\",\"queries\":\(latencies.count),\"concurrency\":\(concurrency),"
            + "\"seconds\":\(elapsed),\"qps\":\(qps),\"complete\":\(complete),\"empty\":\(empty),\"short\":\(short),"
            + "\"reset\":\(reset),\"timeout\":\(timeout),\"connect_failed\":\(connectFailed),"
            + "\"p50_ms\":\(percentileMs(50, sorted: sorted)),\"p99_ms\":\(percentileMs(99, sorted: sorted)),"
            + "\"max_ms\":\(percentileMs(100, sorted: sorted))}"
    }

    /// `value` rounded to `decimals` places, as printf's `%.Nf` writes a non-negative number.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = UInt64((max(0, value) * Double(scale)).rounded())
        guard decimals > 0 else { return String(scaled) }
        let fraction = String(scaled % scale)
        return "\(scaled / scale)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}

/// Whether a reply is whole: every reply ends with an empty line; `show stat` also has its
/// header and the header's column count on every row; `show info` has its Name line.
enum ReplyCheck {
    static func classify(_ reply: StatsQuery.Reply, command: String) -> ProbeOutcome {
        switch reply.end {
        case .reset: return .reset
        case .timeout: return .timeout
        case .eof: break
        }
        if reply.bytes.isEmpty { return .empty }
        return isComplete(reply.bytes, command: command) ? .complete : .short
    }

    static func isComplete(_ bytes: [UInt8], command: String) -> Bool {
        guard bytes.count >= 2, bytes[bytes.count - 1] == 10, bytes[bytes.count - 2] == 10 else { return false }
        let words = command.split(separator: " ")
        let plain = !words.contains("json") && !words.contains("typed")
        if words.starts(with: ["show", "stat"]) && plain { return isCompleteCSV(bytes) }
        if words.starts(with: ["show", "info"]) && plain { return bytes.starts(with: Array("Name: ".utf8)) }
        return true
    }

    /// `# pxname,svname,...` header, then rows with exactly the header's number of commas.
    /// Scans bytes once; a probe must not cost more CPU than the server it measures.
    static func isCompleteCSV(_ bytes: [UInt8]) -> Bool {
        let prefix = Array("# pxname,svname,".utf8)
        guard bytes.starts(with: prefix) else { return false }
        var expected = -1
        var commas = 0
        var lineLength = 0
        for byte in bytes {
            if byte == UInt8(ascii: ",") {
                commas += 1
            } else if byte == 10 {
                if lineLength > 0 {
                    if expected < 0 { expected = commas } else if commas != expected { return false }
                }
                commas = 0
                lineLength = 0
                continue
            }
            lineLength += 1
        }
        return expected > 0
    }
}
