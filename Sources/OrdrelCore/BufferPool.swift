/// Fixed-size byte buffers (`tune.bufsize`) recycled through a free list, so an idle stream holds
/// none and the hot path never calls malloc. One pool per event loop: not thread-safe.
public final class BufferPool {
    public let bufferSize: Int
    private var free: [UnsafeMutableRawPointer] = []
    /// Keep at most this many idle buffers; more are returned to the allocator.
    private let maxIdle: Int
    /// Buffers currently handed out (for tests and `show info`-style accounting).
    public private(set) var inUse = 0
    /// Idle buffers kept for reuse.
    public var idleCount: Int { free.count }
    /// Sliding sum of `inUse` sampled at each return (haproxy's `needed_avg`, `PoolAverage`).
    public private(set) var neededSum = 0

    public init(bufferSize: Int, maxIdle: Int = 1024) {
        precondition(bufferSize > 0, "buffer size must be positive")
        self.bufferSize = bufferSize
        self.maxIdle = maxIdle
    }

    public func take() -> UnsafeMutableRawPointer {
        inUse += 1
        if let buffer = free.popLast() { return buffer }
        return .allocate(byteCount: bufferSize, alignment: 16)
    }

    public func give(_ buffer: UnsafeMutableRawPointer) {
        inUse -= 1
        neededSum = PoolAverage.add(neededSum, inUse)
        if free.count < maxIdle { free.append(buffer) } else { buffer.deallocate() }
    }

    deinit {
        for buffer in free { buffer.deallocate() }
    }
}

/// haproxy's `swrate` over 1024 samples, its pools' `needed_avg`: a sliding average of the
/// objects in use, updated with integer arithmetic only.
public enum PoolAverage {
    static let samples = 1024

    static func add(_ sum: Int, _ value: Int) -> Int { sum - (sum + samples - 1) / samples + value }

    public static func average(_ sum: Int) -> Int { (sum + samples - 1) / samples }
}
