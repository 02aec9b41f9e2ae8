/// The half-close state of one direction of a stream (client→server or server→client).
public enum HalfCloseState: Sendable, Equatable {
    /// The source is open: bytes are read from it and written to the sink.
    case open
    /// The source sent FIN; bytes still buffered are being written to the sink before it is shut.
    case draining
    /// Every byte was written and the sink was shut for writing (FIN forwarded); this direction is done.
    case closed
    /// The direction ended abnormally (reset, error, timeout); the whole stream must close.
    case aborted
}

/// One direction of a stream as a sans-IO state machine: it owns a pooled buffer, says which
/// operation is due next (`wantsRead`, `wantsWrite`, `needsShutdown`) and is told what happened.
/// `Tunnel` performs the syscalls; tests drive it with plain events.
public struct Channel {
    public private(set) var state: HalfCloseState = .open
    private var storage: UnsafeMutableRawPointer?
    private var head = 0
    private var tail = 0
    /// Bytes moved through this direction so far.
    public private(set) var totalBytes: UInt64 = 0
    /// Bytes spliced from the source into this direction's kernel pipe and not yet spliced out.
    /// The buffer always drains before the pipe is used, so order is kept.
    public private(set) var piped = 0

    public init() {}

    /// Bytes read from the source and not yet written to the sink.
    public var buffered: Int { tail - head }

    /// Whether the channel currently holds a pool buffer.
    public var holdsBuffer: Bool { storage != nil }

    /// A read from the source is due: the source is open and there is room to put bytes.
    public func wantsRead(capacity: Int) -> Bool { state == .open && tail - head < capacity }

    /// A write to the sink is due (from the buffer first, then from the pipe).
    public var wantsWrite: Bool { (tail > head || piped > 0) && (state == .open || state == .draining) }

    /// The source ended and everything was written: shut the sink for writing now.
    public var needsShutdown: Bool { state == .draining && tail == head && piped == 0 }

    /// A splice from the source into the pipe is due: open, nothing buffered, room in the pipe.
    public func wantsSpliceIn(pipeCapacity: Int) -> Bool { state == .open && tail == head && piped < pipeCapacity }

    /// `count` bytes went from the source into the pipe.
    public mutating func didSpliceIn(_ count: Int) {
        precondition(count > 0 && tail == head, "splice in only with an empty buffer")
        piped += count
        totalBytes += UInt64(count)
    }

    /// `count` bytes went from the pipe to the sink.
    public mutating func didSpliceOut(_ count: Int) {
        precondition(count <= piped, "spliced out more than was piped")
        piped -= count
    }

    /// Free space to read into, taking a buffer from the pool if the channel has none.
    public mutating func readSpace(pool: BufferPool) -> UnsafeMutableRawBufferPointer {
        if storage == nil {
            storage = pool.take()
            head = 0
            tail = 0
        } else if tail == pool.bufferSize && head > 0 {
            let count = tail - head
            storage!.copyMemory(from: storage! + head, byteCount: count)
            head = 0
            tail = count
        }
        return UnsafeMutableRawBufferPointer(start: storage! + tail, count: pool.bufferSize - tail)
    }

    /// `count` bytes landed in the space returned by `readSpace`.
    public mutating func didRead(_ count: Int, pool: BufferPool) {
        precondition(count > 0 && storage != nil, "didRead needs a positive count into readSpace")
        tail += count
        totalBytes += UInt64(count)
    }

    /// Nothing was read (would block): give an unused buffer back so idle streams hold none.
    public mutating func readFoundNothing(pool: BufferPool) {
        releaseIfEmpty(pool: pool)
    }

    /// The source sent FIN.
    public mutating func didReadEOF(pool: BufferPool) {
        guard state == .open else { return }
        state = .draining
        releaseIfEmpty(pool: pool)
    }

    /// The bytes waiting to be written to the sink.
    public var pending: UnsafeRawBufferPointer {
        guard let storage else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: storage + head, count: tail - head)
    }

    /// `count` bytes of `pending` reached the sink.
    public mutating func didWrite(_ count: Int, pool: BufferPool) {
        precondition(count <= tail - head, "wrote more than was pending")
        head += count
        releaseIfEmpty(pool: pool)
    }

    /// The sink was shut for writing: the FIN is forwarded.
    public mutating func didShutdown() {
        precondition(needsShutdown, "shutdown before the channel drained")
        state = .closed
    }

    /// A reset or error: drop what is buffered, the stream closes.
    public mutating func abort(pool: BufferPool) {
        state = .aborted
        piped = 0
        if let storage { pool.give(storage) }
        storage = nil
        head = 0
        tail = 0
    }

    private mutating func releaseIfEmpty(pool: BufferPool) {
        guard head == tail, let buffer = storage else { return }
        pool.give(buffer)
        storage = nil
        head = 0
        tail = 0
    }
}
