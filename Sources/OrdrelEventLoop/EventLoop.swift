import CLibev
import OrdrelSystem

/// One libev loop. Each thread that runs streams owns exactly one; nothing here is thread-safe
/// except `wakeUp`, which uses an `ev_async` as libev intends.
///
/// The loop is freed (`ev_loop_destroy`) when the last reference goes. Every watcher holds its
/// loop, so that is after the last watcher has stopped: a clean exit leaves nothing of libev's
/// behind for LeakSanitizer to report. Keep one `EventLoop` for the default loop at a time.
public final class EventLoop {
    /// The underlying `struct ev_loop *`.
    public let raw: OpaquePointer
    /// Runs `closePending` at the start of the next iteration; armed only while `closing` holds
    /// descriptors. Owned here (not an own watcher class), since watchers hold their loop.
    private let closer: UnsafeMutablePointer<ev_prepare>
    /// Descriptors `closeSoon` was given, closed by `closer`.
    private var closing: [FD] = []

    /// The process's default loop: the only one that can watch signals.
    public static func makeDefault() -> EventLoop {
        guard let loop = ordrel_ev_default_loop() else { fatalError("libev: no usable backend for the default loop") }
        return EventLoop(raw: loop)
    }

    /// A fresh loop for an extra thread.
    public static func makeNew() -> EventLoop {
        guard let loop = ordrel_ev_loop_new() else { fatalError("libev: no usable backend for a new loop") }
        return EventLoop(raw: loop)
    }

    private init(raw: OpaquePointer) {
        self.raw = raw
        closer = .allocate(capacity: 1)
        ordrel_ev_prepare_init(closer, prepareTrampoline)
        ordrel_ev_set_data(closer, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        closePending()
        closer.deallocate()
        ev_loop_destroy(raw)
    }

    /// Closes `fd` at the start of the loop's next iteration, after the callbacks of this one and
    /// before libev hands its watcher changes to epoll; every watcher on `fd` must be stopped.
    /// libev remembers the last interest of each fd number and trusts it is still registered:
    /// a number closed and taken again in the same iteration (the next `accept` or `socket`)
    /// with another interest costs a failing `EPOLL_CTL_MOD` before the `EPOLL_CTL_ADD`. Closed
    /// once libev has seen its watchers stop, the number is known free and is added at once.
    /// On the loop's thread, or from another while it holds the loop's lock (`runHoldingLock`),
    /// as for any watcher change.
    public func closeSoon(_ fd: FD) {
        if closing.isEmpty { ev_prepare_start(raw, closer) }
        closing.append(fd)
    }

    fileprivate func closePending() {
        guard !closing.isEmpty else { return }
        ev_prepare_stop(raw, closer)
        for fd in closing { fd.close() }
        closing.removeAll(keepingCapacity: true)
    }

    /// libev's version, `major.minor` (`ordrel -vv`).
    public static var libevVersion: String { "\(ev_version_major()).\(ev_version_minor())" }

    /// The backends this libev supports, as its `EVBACKEND_*` bit mask (`ordrel -vv`).
    public static var supportedBackends: UInt32 { ev_supported_backends() }

    /// Runs until `stop()` is called or no active watcher remains; what `closeSoon` was given is
    /// closed before it returns.
    public func run() {
        ev_run(raw, 0)
        closePending()
    }

    /// Runs until `stop()` on a thread of its own, holding `lock` except while it waits for
    /// events: another thread that takes `lock` finds the loop between iterations and may use
    /// its watchers, then calls an `AsyncWatcher`'s `wakeUp()` so the loop sees the change.
    public func runHoldingLock(_ lock: Lock) {
        ordrel_ev_set_loop_mutex(raw, lock.mutex)
        lock.lock()
        ev_run(raw, 0)
        closePending()
        lock.unlock()
    }

    /// Runs one iteration, blocking for events if `block` is true (used by tests).
    public func runOnce(block: Bool) { ev_run(raw, block ? Int32(EVRUN_ONCE) : Int32(EVRUN_NOWAIT)) }

    /// Makes `run()` return after the current iteration.
    public func stop() { ev_break(raw, Int32(EVBREAK_ALL)) }

    /// The loop's cached time in seconds (updated once per iteration; cheap).
    public var now: Double { ev_now(raw) }

    /// Refreshes the cached time (after a long computation inside a callback).
    public func updateNow() { ev_now_update(raw) }

    /// Must be called in the child after fork() before the loop runs again (libev's rule).
    public func afterFork() { ev_loop_fork(raw) }

    /// Monotonic milliseconds, from the loop's cached time.
    /// Loop iterations so far (`ev_iteration`), for `show activity`'s `loops`. Read it from the
    /// loop's thread, or while that loop is parked.
    public var iterations: UInt64 { UInt64(ev_iteration(raw)) }

    /// Watchers whose events are pending, not yet run (`ev_pending_count`): `show threads`' rqsz.
    /// Read it from the loop's thread, or while that loop is parked.
    public var pendingCount: Int { Int(ev_pending_count(raw)) }

    public var nowMilliseconds: UInt64 { UInt64(max(0, ev_now(raw)) * 1000) }
}

private func prepareTrampoline(_ loop: OpaquePointer?, _ w: UnsafeMutablePointer<ev_prepare>?, _ revents: Int32) {
    guard let w, let data = ordrel_ev_get_data(w) else { return }
    Unmanaged<EventLoop>.fromOpaque(data).takeUnretainedValue().closePending()
}
