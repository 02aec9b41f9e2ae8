import DequeModule

/// Streams waiting for a connection slot, oldest first (haproxy's pendconn queues: one per
/// backend for streams any server may take, one per server for streams bound to it by `source`).
///
/// Every entry carries its backend-wide arrival number, so a freed slot can take the older of a
/// server's head and the backend's head, and an entry that leaves early (client gone, `timeout
/// queue`) is found by binary search on it. Appending and serving are O(1); leaving early is
/// O(log n) to find plus a pointer move of the shorter side.
struct PendingQueue<Element> {
    /// One waiting element and its arrival number.
    struct Entry {
        let sequence: UInt64
        let element: Element
    }

    private var entries = Deque<Entry>()
    /// Entries taken out for service so far (haproxy's `queue.idx`): the difference between two
    /// readings is how many were served ahead of an entry while it waited (`%sq`/`%bq`).
    private(set) var servedCount: UInt64 = 0

    init() {}

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    /// The oldest entry.
    var first: Entry? { entries.first }

    /// Adds at the tail; `sequence` must exceed every sequence already queued.
    mutating func append(_ element: Element, sequence: UInt64) {
        precondition(entries.last.map { $0.sequence < sequence } ?? true, "queue sequences must increase")
        entries.append(Entry(sequence: sequence, element: element))
    }

    /// Takes the oldest entry out for service.
    mutating func popFirst() -> Element? {
        guard let entry = entries.popFirst() else { return nil }
        servedCount += 1
        return entry.element
    }

    /// Takes out the entry with this arrival number without serving it; nil when it is not here.
    @discardableResult
    mutating func remove(sequence: UInt64) -> Element? {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].sequence < sequence { low = middle + 1 } else { high = middle }
        }
        guard low < entries.count, entries[low].sequence == sequence else { return nil }
        return entries.remove(at: low).element
    }

    /// Empties the queue without serving anything, returning the entries oldest first.
    mutating func removeAll() -> [Entry] {
        let all = Array(entries)
        entries.removeAll()
        return all
    }

    /// Inserts entries from another queue (sorted by arrival), keeping this queue in arrival order.
    mutating func merge(_ incoming: [Entry]) {
        guard !incoming.isEmpty else { return }
        if entries.last.map({ $0.sequence < incoming[0].sequence }) ?? true {
            entries.append(contentsOf: incoming)
            return
        }
        var merged = Deque<Entry>()
        merged.reserveCapacity(entries.count + incoming.count)
        var other = incoming.makeIterator()
        var next = other.next()
        for entry in entries {
            while let pending = next, pending.sequence < entry.sequence {
                merged.append(pending)
                next = other.next()
            }
            merged.append(entry)
        }
        while let pending = next {
            merged.append(pending)
            next = other.next()
        }
        entries = merged
    }
}

/// Where a queued stream waits.
enum QueuePlace {
    /// In its backend's queue: the first server with a free slot takes it.
    case backend
    /// In this server's own queue (`balance source` keeps the client on its hashed server).
    case server(Server)
}

extension QueuePlace {
    /// The server whose own queue this is.
    var server: Server? {
        if case .server(let server) = self { return server }
        return nil
    }
}

/// What a stream keeps of its place in line: where it joined and its arrival number. Moving it
/// to the backend queue (its server stopped serving) keeps the number, so the stream can still
/// find itself.
struct QueueTicket {
    let place: QueuePlace
    let sequence: UInt64
}

/// Streams served ahead of one while it waited: in a server's queue (`%sq`) and in the backend
/// queue (`%bq`).
struct ServedAhead {
    var server = 0
    var backend = 0
}

/// A waiting stream as its queue holds it: the queue's served count when it joined, and what it
/// was served ahead of in a server queue it was moved from.
struct QueuedStream {
    let stream: Stream
    let servedAtEntry: UInt64
    var servedAhead = ServedAhead()
}

/// How a stream left its queue without being served: from which queue, after how many others
/// were served ahead of it.
struct QueueExit {
    let place: QueuePlace
    let servedAhead: ServedAhead
}

/// A queued stream given a slot on `server` (already counted for it), to be connected by its own
/// thread once the shared lock is released.
struct DequeuedStream {
    let stream: Stream
    let server: Server
    let servedAhead: ServedAhead
}
