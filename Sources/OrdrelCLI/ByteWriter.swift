/// Where the renderers' number and text helpers (`appendDecimal`, `appendU2H`, ...) write:
/// a `[UInt8]`, or a `ByteWriter` for the stats page.
protocol ByteSink {
    mutating func append(_ byte: UInt8)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>)
}

extension ByteSink {
    @inline(__always)
    mutating func append(static text: StaticString) {
        text.withUTF8Buffer { append(bytes: $0) }
    }
}

extension Array: ByteSink where Element == UInt8 {
    @inline(__always)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
}

/// A growable byte buffer written through a plain pointer. The stats page appends some two
/// thousand pieces (tags, numbers, names) per request and a scrape some ten thousand, and each
/// `Array.append` checked the array's uniqueness in the runtime and went through generic code:
/// a sixth of the page's CPU.
/// A writer is one owner's buffer (copies share the memory, which its `ByteStorage` frees with
/// the last of them); `removeAll` keeps the memory for the next page.
public struct ByteWriter: ByteSink {
    private var storage: ByteStorage
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    public init(capacity: Int = 4096) {
        storage = ByteStorage(capacity: capacity)
        base = storage.base
        self.capacity = capacity
    }

    /// Empties the buffer, keeping its memory.
    public mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append(bytes: $0) }
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(bytes: $0) }
    }

    /// The bytes written so far, valid during `body`.
    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withExtendedLifetime(storage) { body(UnsafeBufferPointer(start: base, count: count)) }
    }

    /// At least doubles the memory, copying what was written.
    @inline(never)
    private mutating func grow(to needed: Int) {
        let bigger = ByteStorage(capacity: max(needed, 2 * capacity))
        bigger.base.update(from: base, count: count)
        storage = bigger
        base = bigger.base
        capacity = bigger.capacity
    }
}

/// The memory of a `ByteWriter`, freed with the object.
final class ByteStorage {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int

    init(capacity: Int) {
        base = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    deinit { base.deallocate() }
}
