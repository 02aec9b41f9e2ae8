/// A stream's identity: its slot in the table plus the slot's generation when it was created.
/// The generation grows every time a slot is reused, so an id is never reused while the daemon
/// runs and a stale id can never reach the stream that now holds its slot.
public struct StreamID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    init(tag: UInt32, slot: Int, generation: UInt32) {
        rawValue = UInt64(generation) << 32 | UInt64(tag) << Self.slotBits | UInt64(UInt32(slot))
    }

    /// Low 24 bits: the slot; the next 8: the table's tag (the worker that owns the stream).
    static let slotBits = 24

    var slot: Int { Int(rawValue & (1 << Self.slotBits - 1)) }
    var tag: UInt32 { UInt32(rawValue >> UInt64(Self.slotBits) & 0xff) }
    var generation: UInt32 { UInt32(rawValue >> 32) }

    /// `0x...` as `show sess` prints stream ids.
    public var description: String { "0x" + String(rawValue, radix: 16) }
}

/// Slots for live objects, addressed by `StreamID`. Lookups check the generation, so a stale id
/// finds nothing. One table per event loop; its tag is part of every id it hands out, so ids of
/// different loops never collide and an id names its loop.
public final class StreamTable<Element: AnyObject> {
    private var slots: [Element?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [Int] = []
    public private(set) var count = 0
    public let tag: UInt32

    public init(tag: UInt32 = 0) {
        precondition(tag < 256, "stream table tags have 8 bits")
        self.tag = tag
    }

    /// Reserves a slot and returns the id the new element will carry.
    public func reserve() -> StreamID {
        let slot: Int
        if let reused = freeSlots.popLast() {
            slot = reused
        } else {
            slot = slots.count
            slots.append(nil)
            generations.append(0)
        }
        generations[slot] &+= 1
        if generations[slot] == 0 { generations[slot] = 1 }
        precondition(slot < 1 << StreamID.slotBits, "more than 16M streams on one loop")
        return StreamID(tag: tag, slot: slot, generation: generations[slot])
    }

    /// Stores `element` under an id from `reserve()`.
    public func insert(_ element: Element, at id: StreamID) {
        precondition(slots[id.slot] == nil && generations[id.slot] == id.generation, "slot not reserved for \(id)")
        slots[id.slot] = element
        count += 1
    }

    /// The live element with exactly this id, or nil when it closed (even if its slot was reused).
    public func lookup(_ id: StreamID) -> Element? {
        let slot = id.slot
        guard id.tag == tag, slot < slots.count, generations[slot] == id.generation else { return nil }
        return slots[slot]
    }

    /// Frees the slot; its generation advances on the next `reserve`.
    public func remove(_ id: StreamID) {
        guard lookup(id) != nil else { return }
        slots[id.slot] = nil
        freeSlots.append(id.slot)
        count -= 1
    }

    /// Live elements in slot order (a snapshot: safe to mutate the table while iterating it).
    public var all: [Element] { slots.compactMap { $0 } }
}
