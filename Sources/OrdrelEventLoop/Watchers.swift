import CLibev

/// Readiness interest for an `IOWatcher`.
public struct IOEvents: OptionSet, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let read = IOEvents(rawValue: Int32(EV_READ))
    public static let write = IOEvents(rawValue: Int32(EV_WRITE))
}

/// An `ev_io` at a stable heap address. Its `data` slot holds an unretained pointer to this object,
/// which forwards readiness to `handler`. The owner keeps the watcher alive and must not let the
/// handler capture it strongly (use `unowned(unsafe)` or a weak reference).
public final class IOWatcher {
    private let watcher: UnsafeMutablePointer<ev_io>
    /// Held so the loop is destroyed only after its last watcher.
    private let loop: EventLoop
    /// Called with the ready events.
    public var handler: (IOEvents) -> Void
    /// The interest currently registered (empty when stopped).
    public private(set) var events: IOEvents = []
    /// This watcher's address, which `show fd` prints as the fd's I/O callback.
    public var address: UInt { UInt(bitPattern: watcher) }
    public private(set) var fd: Int32

    public init(loop: EventLoop, fd: Int32, handler: @escaping (IOEvents) -> Void) {
        self.loop = loop
        self.fd = fd
        self.handler = handler
        watcher = .allocate(capacity: 1)
        ordrel_ev_io_init(watcher, ioTrampoline, fd, 0)
        ordrel_ev_set_data(watcher, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Registers exactly `wanted` (no syscall when it is already the registered interest).
    public func setInterest(_ wanted: IOEvents) {
        guard wanted != events else { return }
        if !events.isEmpty { ev_io_stop(loop.raw, watcher) }
        events = wanted
        guard !wanted.isEmpty else { return }
        ordrel_ev_io_set(watcher, fd, wanted.rawValue)
        ev_io_start(loop.raw, watcher)
    }

    /// Points a stopped watcher at another fd (a retried connect uses a new socket).
    public func rebind(fd newFD: Int32) {
        setInterest([])
        fd = newFD
    }

    deinit {
        if ordrel_ev_io_is_active(watcher) != 0 { ev_io_stop(loop.raw, watcher) }
        watcher.deallocate()
    }
}

private func ioTrampoline(_ loop: OpaquePointer?, _ w: UnsafeMutablePointer<ev_io>?, _ revents: Int32) {
    guard let w, let data = ordrel_ev_get_data(w) else { return }
    let owner = Unmanaged<IOWatcher>.fromOpaque(data).takeUnretainedValue()
    owner.handler(IOEvents(rawValue: revents & (Int32(EV_READ) | Int32(EV_WRITE))))
}

/// An `ev_timer` at a stable heap address, firing `handler` once per `schedule(after:)`.
public final class TimerWatcher {
    private let watcher: UnsafeMutablePointer<ev_timer>
    private let loop: EventLoop
    public var handler: () -> Void

    public init(loop: EventLoop, handler: @escaping () -> Void) {
        self.loop = loop
        self.handler = handler
        watcher = .allocate(capacity: 1)
        ordrel_ev_timer_init(watcher, timerTrampoline, 0, 0)
        ordrel_ev_set_data(watcher, Unmanaged.passUnretained(self).toOpaque())
    }

    public var isActive: Bool { ordrel_ev_timer_is_active(watcher) != 0 }

    /// (Re)arms the timer to fire once after `seconds`, replacing any earlier schedule.
    public func schedule(after seconds: Double) {
        cancel()
        ordrel_ev_timer_set(watcher, max(0, seconds), 0)
        ev_timer_start(loop.raw, watcher)
    }

    /// Stops the timer, including a firing already due in this loop iteration: a one-shot timer
    /// that expired is inactive but still pending, and only `ev_timer_stop` clears that.
    public func cancel() {
        ev_timer_stop(loop.raw, watcher)
    }

    deinit {
        cancel()
        watcher.deallocate()
    }
}

private func timerTrampoline(_ loop: OpaquePointer?, _ w: UnsafeMutablePointer<ev_timer>?, _ revents: Int32) {
    guard let w, let data = ordrel_ev_get_data(w) else { return }
    Unmanaged<TimerWatcher>.fromOpaque(data).takeUnretainedValue().handler()
}

/// An `ev_signal` (default loop only): the handler runs on the loop thread, never in signal context.
public final class SignalWatcher {
    private let watcher: UnsafeMutablePointer<ev_signal>
    private let loop: EventLoop
    public var handler: () -> Void

    public init(loop: EventLoop, signal: Int32, handler: @escaping () -> Void) {
        self.loop = loop
        self.handler = handler
        watcher = .allocate(capacity: 1)
        ordrel_ev_signal_init(watcher, signalTrampoline, signal)
        ordrel_ev_set_data(watcher, Unmanaged.passUnretained(self).toOpaque())
        ev_signal_start(loop.raw, watcher)
        ev_unref(loop.raw) // a signal watcher alone must not keep the loop running
    }

    deinit {
        ev_ref(loop.raw)
        ev_signal_stop(loop.raw, watcher)
        watcher.deallocate()
    }
}

private func signalTrampoline(_ loop: OpaquePointer?, _ w: UnsafeMutablePointer<ev_signal>?, _ revents: Int32) {
    guard let w, let data = ordrel_ev_get_data(w) else { return }
    Unmanaged<SignalWatcher>.fromOpaque(data).takeUnretainedValue().handler()
}

/// An `ev_async`: `wakeUp()` may be called from any thread; `handler` runs on the loop's thread.
public final class AsyncWatcher: @unchecked Sendable {
    private let watcher: UnsafeMutablePointer<ev_async>
    private let loop: EventLoop
    public var handler: () -> Void

    /// Unless `keepsLoopAlive`, the watcher alone does not keep `run()` from returning.
    public init(loop: EventLoop, keepsLoopAlive: Bool = false, handler: @escaping () -> Void) {
        self.loop = loop
        self.handler = handler
        self.keepsLoopAlive = keepsLoopAlive
        watcher = .allocate(capacity: 1)
        ordrel_ev_async_init(watcher, asyncTrampoline)
        ordrel_ev_set_data(watcher, Unmanaged.passUnretained(self).toOpaque())
        ev_async_start(loop.raw, watcher)
        if !keepsLoopAlive { ev_unref(loop.raw) }
    }

    private let keepsLoopAlive: Bool

    /// Thread-safe: wakes the loop and runs `handler` there.
    public func wakeUp() { ev_async_send(loop.raw, watcher) }

    deinit {
        if !keepsLoopAlive { ev_ref(loop.raw) }
        ev_async_stop(loop.raw, watcher)
        watcher.deallocate()
    }
}

private func asyncTrampoline(_ loop: OpaquePointer?, _ w: UnsafeMutablePointer<ev_async>?, _ revents: Int32) {
    guard let w, let data = ordrel_ev_get_data(w) else { return }
    Unmanaged<AsyncWatcher>.fromOpaque(data).takeUnretainedValue().handler()
}

/// An `ev_child` watching every child of the process (default loop only): libev reaps each one
/// and hands its pid and raw wait status to `handler`. An active watcher keeps the loop running.
public final class ChildWatcher {
    private let watcher: UnsafeMutablePointer<ev_child>
    private let loop: EventLoop
    public var handler: (_ pid: Int32, _ waitStatus: Int32) -> Void

    public init(loop: EventLoop, handler: @escaping (_ pid: Int32, _ waitStatus: Int32) -> Void) {
        self.loop = loop
        self.handler = handler
        watcher = .allocate(capacity: 1)
        ordrel_ev_child_init(watcher, childTrampoline, 0)
        ordrel_ev_set_data(watcher, Unmanaged.passUnretained(self).toOpaque())
        ev_child_start(loop.raw, watcher)
    }

    deinit {
        ev_child_stop(loop.raw, watcher)
        watcher.deallocate()
    }
}

private func childTrampoline(_ loop: OpaquePointer?, _ w: UnsafeMutablePointer<ev_child>?, _ revents: Int32) {
    guard let w, let data = ordrel_ev_get_data(w) else { return }
    Unmanaged<ChildWatcher>.fromOpaque(data).takeUnretainedValue().handler(w.pointee.rpid, w.pointee.rstatus)
}
