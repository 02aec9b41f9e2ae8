/// A stream's identity: its slot in the table plus the slot's generation when it was created.
/// The generation grows every time a slot is reused, so an id is never reused while the daemon
/// runs and a stale id can never reach the stream that now holds its slot.
public struct StreamID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    init(slot: Int, generation: UInt32) {
        rawValue = UInt64(generation) << 32 | UInt64(UInt32(slot))
    }

    var slot: Int { Int(rawValue & 0xffff_ffff) }
    var generation: UInt32 { UInt32(rawValue >> 32) }

    /// `0x...` as `show sess` prints stream ids.
    public var description: String { "0x" + String(rawValue, radix: 16) }
}

/// Slots for live objects, addressed by `StreamID`. Lookups check the generation, so a stale id
/// finds nothing. One table per event loop.
public final class StreamTable<Element: AnyObject> {
    private var slots: [Element?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [Int] = []
    public private(set) var count = 0

    public init() {}

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
        return StreamID(slot: slot, generation: generations[slot])
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
        guard slot < slots.count, generations[slot] == id.generation else { return nil }
        return slots[slot]
    }

    /// Frees the slot; its generation advances on the next `reserve`.
    public func remove(_ id: StreamID) {
        guard lookup(id) != nil else { return }
        slots[id.slot] = nil
        freeSlots.append(id.slot)
        count -= 1
    }

    /// Releases a reserved slot that was never filled.
    public func cancel(_ id: StreamID) {
        guard id.slot < slots.count, slots[id.slot] == nil, generations[id.slot] == id.generation else { return }
        freeSlots.append(id.slot)
    }

    /// Live elements in slot order (a snapshot: safe to mutate the table while iterating it).
    public var all: [Element] { slots.compactMap { $0 } }
}
