/// A latency histogram with fixed buckets, recorded on the data path without allocating: the
/// bucket counts live inline (no heap array), and recording is a few compares and two adds.
/// The owner serialises `record` (ordrel records under the runtime lock, next to the averages
/// `show stat` prints) and reads it while the threads are isolated.
public struct LatencyHistogram: Sendable, Equatable {
    /// Upper bounds of the finite buckets, in microseconds (Prometheus `le`, inclusive): from
    /// 100 µs, where a local connect lands, to an hour, where long sessions end.
    public static let boundsMicros: [UInt64] = [
        100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000, 300_000_000,
        1_800_000_000, 3_600_000_000,
    ]
    /// Finite buckets plus `+Inf`.
    public static let bucketCount = 22

    /// Samples per bucket, not cumulative; the last one is `+Inf` (above every bound).
    private var buckets = InlineArray<22, UInt64>(repeating: 0)
    /// Sum of every sample, in microseconds.
    public private(set) var sumMicros: UInt64 = 0
    /// Number of samples.
    public private(set) var count: UInt64 = 0

    public init() {}

    /// Adds one sample.
    @inline(__always)
    public mutating func record(micros: UInt64) {
        let bounds = Self.boundsMicros
        var index = 0
        while index < bounds.count && micros > bounds[index] { index += 1 }
        buckets[index] &+= 1
        sumMicros &+= micros
        count &+= 1
    }

    /// Adds one sample given in seconds (a difference of loop times); negative counts as 0.
    @inline(__always)
    public mutating func record(seconds: Double) {
        record(micros: seconds > 0 ? UInt64(seconds * 1_000_000) : 0)
    }

    /// Samples in bucket `index` alone (`+Inf` for the last); Prometheus's `_bucket` lines are
    /// their running sum.
    public func samples(inBucket index: Int) -> UInt64 { buckets[index] }

    public static func == (a: LatencyHistogram, b: LatencyHistogram) -> Bool {
        guard a.count == b.count && a.sumMicros == b.sumMicros else { return false }
        for i in 0..<bucketCount where a.buckets[i] != b.buckets[i] { return false }
        return true
    }
}

/// The three latencies ordrel keeps per backend and per server beyond haproxy's averages.
public struct LatencyHistograms: Sendable, Equatable {
    /// Time from accept until a server was assigned, 0 when none had to wait (`qtime`'s samples).
    public var queue = LatencyHistogram()
    /// Time to establish the connection to the server (`ctime`'s samples).
    public var connect = LatencyHistogram()
    /// Whole session, from accept to close (`ttime`'s samples).
    public var session = LatencyHistogram()

    public init() {}
}
