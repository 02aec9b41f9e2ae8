/// Fixed-size byte buffers (`tune.bufsize`) recycled through a free list, so an idle stream holds
/// none and the hot path never calls malloc. One pool per event loop: not thread-safe.
public final class BufferPool {
    public let bufferSize: Int
    private var free: [UnsafeMutableRawPointer] = []
    /// Keep at most this many idle buffers; more are returned to the allocator.
    private let maxIdle: Int
    /// Buffers currently handed out (for tests and `show info`-style accounting).
    public private(set) var inUse = 0

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
        if free.count < maxIdle { free.append(buffer) } else { buffer.deallocate() }
    }

    deinit {
        for buffer in free { buffer.deallocate() }
    }
}
