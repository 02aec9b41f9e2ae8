import Synchronization
import OrdrelCLI

/// Events per second over a sliding one-second window (haproxy's `freq_ctr`): the current
/// second's count plus the previous second's, weighted by how much of it is still in the window.
public struct RateCounter: Sendable {
    private var second: UInt64 = 0
    private var current: UInt32 = 0
    private var previous: UInt32 = 0
    /// Highest rate seen.
    public private(set) var max: UInt32 = 0

    public init() {}

    public mutating func record(nowMs: UInt64) {
        rotate(nowMs: nowMs)
        current &+= 1
        let rate = self.rate(nowMs: nowMs)
        if rate > max { max = rate }
    }

    public func rate(nowMs: UInt64) -> UInt32 {
        let s = nowMs / 1000
        if s <= second {
            let remaining = 1000 - nowMs % 1000
            return current + UInt32(UInt64(previous) * remaining / 1000)
        }
        if s == second + 1 {
            let remaining = 1000 - nowMs % 1000
            return UInt32(UInt64(current) * remaining / 1000)
        }
        return 0
    }

    private mutating func rotate(nowMs: UInt64) {
        let s = nowMs / 1000
        // Each thread's loop caches its own time: a reading a few ms behind the newest one
        // counts in the current second rather than wiping it.
        if s <= second { return }
        previous = s == second + 1 ? current : 0
        current = 0
        second = s
    }

    public mutating func reset() { self = RateCounter() }
}

/// Running average over the last 1024 samples, as haproxy's `swrate` for qtime/ctime/ttime.
public struct SlidingAverage: Sendable {
    private var sum: UInt64 = 0
    /// Largest sample seen.
    public private(set) var max: UInt64 = 0
    private static let window: UInt64 = 1024

    public init() {}

    public mutating func add(_ sample: UInt64) {
        sum = sum - (sum + Self.window - 1) / Self.window + sample
        if sample > max { max = sample }
    }

    /// The average over the whole window (haproxy's exporter divides this way).
    public var average: UInt64 { average(samples: Self.window) }

    /// The average as `show stat` gives it: over `samples` (the streams balanced so far) while
    /// fewer than the window were, so early figures are not diluted by a window of zeros.
    public func average(samples: UInt64) -> UInt64 {
        let n = samples > 0 && samples < Self.window ? samples : Self.window
        return (sum + n - 1) / n
    }
}

/// The counters behind `show stat` for one frontend, backend or server.
public struct TrafficCounters: Sendable {
    /// Streams currently open.
    public var current = 0
    /// Highest `current` seen.
    public var maxCurrent = 0
    /// Streams since start (`stot`).
    public var total: UInt64 = 0
    /// Request errors (`ereq`): early client errors.
    public var requestErrors: UInt64 = 0
    /// Connection errors to servers (`econ`).
    public var connectionErrors: UInt64 = 0
    /// Response errors (`eresp`): server-side aborts while forwarding.
    public var responseErrors: UInt64 = 0
    /// Connect retries (`wretr`).
    public var retries: UInt64 = 0
    /// Redispatches to another server (`wredis`).
    public var redispatches: UInt64 = 0
    /// Streams aborted by the client (`cli_abrt`).
    public var clientAborts: UInt64 = 0
    /// Streams aborted by the server (`srv_abrt`).
    public var serverAborts: UInt64 = 0
    /// Times the server was picked by load balancing (`lbtot`).
    public var loadBalanced: UInt64 = 0
    /// Connections accepted (`conn_tot`, frontends).
    public var connectionsTotal: UInt64 = 0
    /// Connections denied (`dcon`, `dses`).
    public var deniedConnections: UInt64 = 0
    public var deniedSessions: UInt64 = 0
    /// Requests refused by `tcp-request content` rules (`dreq`).
    public var deniedRequests: UInt64 = 0
    /// Responses refused by `tcp-response content` rules (`dresp`).
    public var deniedResponses: UInt64 = 0
    /// Wall-clock second of the last stream assigned (`lastsess`).
    public var lastSessionWallSeconds: UInt64?
    /// New streams per second (`rate`) and new connections per second (`conn_rate`).
    public var sessionRate = RateCounter()
    public var connectionRate = RateCounter()
    /// Queue, connect and total times in ms (`qtime`, `ctime`, `ttime` and their maxima).
    public var queueTime = SlidingAverage()
    public var connectTime = SlidingAverage()
    public var totalTime = SlidingAverage()
    /// The same three times as histograms (backends and servers; the exporter's `ordrel_*`).
    public var latency = LatencyHistograms()
    /// Highest queue length seen (`qmax`).
    public var maxQueue = 0
    /// HTTP requests and responses (`mode http` proxies only).
    public var http = HTTPCounters()

    public init() {}

    public mutating func opened(nowMs: UInt64, wallSeconds: UInt64) {
        current += 1
        total += 1
        if current > maxCurrent { maxCurrent = current }
        sessionRate.record(nowMs: nowMs)
        lastSessionWallSeconds = wallSeconds
    }

    /// A stream waited `seconds` in a queue: `qtime` and the queue histogram.
    public mutating func recordQueueTime(seconds: Double) {
        queueTime.add(Self.milliseconds(seconds))
        latency.queue.record(seconds: seconds)
    }

    /// A server connection took `seconds` to establish: `ctime` and the connect histogram.
    public mutating func recordConnectTime(seconds: Double) {
        connectTime.add(Self.milliseconds(seconds))
        latency.connect.record(seconds: seconds)
    }

    /// A stream ended `seconds` after it was accepted: `ttime` and the session histogram.
    public mutating func recordSessionTime(seconds: Double) {
        totalTime.add(Self.milliseconds(seconds))
        latency.session.record(seconds: seconds)
    }

    /// Whole milliseconds, as haproxy's averages count them.
    private static func milliseconds(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1000) }

    /// `clear counters`: maxima and rates only. `clear counters all`: everything but `current`.
    public mutating func clear(all: Bool) {
        if all {
            let keep = current
            self = TrafficCounters()
            current = keep
        } else {
            maxCurrent = current
            maxQueue = 0
            sessionRate = RateCounter()
            connectionRate = RateCounter()
            http.requestRate = RateCounter()
        }
    }
}

/// What a `mode http` proxy counts of requests (`req_tot`, `req_rate`, `intercepted`) and of
/// responses by status class (`hrsp_1xx`...`hrsp_other`).
public struct HTTPCounters: Sendable {
    /// Requests received, including those rejected as invalid (`req_tot`).
    public var requests: UInt64 = 0
    /// Requests per second (`req_rate`, `req_rate_max`).
    public var requestRate = RateCounter()
    /// Responses per status class: 1xx, 2xx, 3xx, 4xx, 5xx, other.
    public var responses: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    /// Requests a built-in service answered (`intercepted`): stats, monitor-uri, exporter.
    public var intercepted: UInt64 = 0

    public init() {}

    /// A request arrived (counted before its reply, as haproxy does).
    public mutating func request(nowMs: UInt64) {
        requests += 1
        requestRate.record(nowMs: nowMs)
    }

    /// A response with `status` was sent or, for a connection that closed first, decided.
    public mutating func response(status: Int) {
        switch status {
        case 100..<200: responses.0 += 1
        case 200..<300: responses.1 += 1
        case 300..<400: responses.2 += 1
        case 400..<500: responses.3 += 1
        case 500..<600: responses.4 += 1
        default: responses.5 += 1
        }
    }
}

/// Bytes forwarded through one frontend, backend or server (`bin`, `bout`), kept per thread:
/// each thread adds to its own cache line on the forwarding path without a lock. The slots are
/// relaxed atomics (a plain load and store on the owning thread, no locked instruction), so a
/// `show stat` on thread 0 reads the sums while the traffic flows, without pausing the threads.
final class PerThreadBytes {
    /// Two counters per thread (in, out), each thread's pair on its own 64-byte line.
    private let slots: UnsafeMutablePointer<Atomic<UInt64>>
    private let threads: Int
    private static let stride = 8

    init(threads: Int) {
        self.threads = threads
        let count = threads * Self.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<UInt64>.stride, alignment: 64)
        slots = raw.bindMemory(to: Atomic<UInt64>.self, capacity: count)
        for index in 0..<count { (slots + index).initialize(to: Atomic(0)) }
    }

    deinit {
        slots.deinitialize(count: threads * Self.stride)
        slots.deallocate()
    }

    /// Only `thread` writes its slots: a load and a store, no read-modify-write.
    @inline(__always)
    private func add(_ count: UInt64, at index: Int) {
        slots[index].store(slots[index].load(ordering: .relaxed) &+ count, ordering: .relaxed)
    }

    /// Adds bytes from clients (request direction) on `thread`.
    @inline(__always)
    func addIn(_ count: UInt64, thread: Int) { add(count, at: thread * Self.stride) }

    /// Adds bytes to clients (response direction) on `thread`.
    @inline(__always)
    func addOut(_ count: UInt64, thread: Int) { add(count, at: thread * Self.stride + 1) }

    var totalIn: UInt64 { (0..<threads).reduce(0) { $0 &+ slots[$1 * Self.stride].load(ordering: .relaxed) } }
    var totalOut: UInt64 { (0..<threads).reduce(0) { $0 &+ slots[$1 * Self.stride + 1].load(ordering: .relaxed) } }

    /// `clear counters all` (isolated: no thread adds meanwhile).
    func reset() {
        for thread in 0..<threads {
            slots[thread * Self.stride].store(0, ordering: .relaxed)
            slots[thread * Self.stride + 1].store(0, ordering: .relaxed)
        }
    }
}
