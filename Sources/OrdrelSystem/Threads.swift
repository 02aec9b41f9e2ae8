#if canImport(Glibc)
import Glibc
#endif
import CLibev

/// A pthread mutex at a stable heap address, so libev can be handed the raw mutex of a loop.
public final class Lock: @unchecked Sendable {
    /// The mutex itself, for `EventLoop.runHoldingLock`.
    public let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init() {
        mutex = .allocate(capacity: 1)
        let result = pthread_mutex_init(mutex, nil)
        precondition(result == 0, "pthread_mutex_init failed: \(result)")
    }

    public func lock() {
        let result = pthread_mutex_lock(mutex)
        precondition(result == 0, "pthread_mutex_lock failed: \(result)")
    }

    public func unlock() {
        let result = pthread_mutex_unlock(mutex)
        precondition(result == 0, "pthread_mutex_unlock failed: \(result)")
    }

    /// Inlinable: a generic call across modules is otherwise made unspecialized, through type
    /// metadata and a copy of the result, on every counter update of the data path.
    @inlinable @inline(__always)
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
}

/// A one-shot event: one thread waits until another signals it (a mutex and a condition
/// variable; the waiter sees everything the signaller wrote before `signal()`).
public final class Completion: @unchecked Sendable {
    private let lock = Lock()
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var done = false

    public init() {
        condition = .allocate(capacity: 1)
        let result = pthread_cond_init(condition, nil)
        precondition(result == 0, "pthread_cond_init failed: \(result)")
    }

    public func signal() {
        lock.withLock {
            done = true
            pthread_cond_signal(condition)
        }
    }

    /// Blocks until `signal()` (at once if it came first).
    public func wait() {
        lock.withLock {
            while !done { pthread_cond_wait(condition, lock.mutex) }
        }
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
    }
}

/// A thread from `Threads.start`, to join.
public struct ThreadHandle: @unchecked Sendable {
    let raw: pthread_t
}

/// Threads that run an event loop each: started, named and joined through pthreads.
public enum Threads {
    /// CPUs this process may run on (haproxy's default `nbthread`).
    public static var availableCPUs: Int {
        let bound = Int(ordrel_available_cpus())
        return bound > 0 ? bound : max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// Starts `body` on a new thread named `name` (at most 15 bytes are kept). With
    /// `blockingSignals` (the default) the thread blocks every signal: signals are for the thread
    /// that runs the loop watching them, as libev asks. Otherwise it inherits the caller's mask.
    public static func start(name: String, blockingSignals: Bool = true,
                             _ body: @escaping @Sendable () -> Void) throws -> ThreadHandle {
        final class Start: @unchecked Sendable {
            let name: String
            let body: @Sendable () -> Void
            init(name: String, body: @escaping @Sendable () -> Void) { self.name = name; self.body = body }
        }
        var all = sigset_t()
        sigfillset(&all)
        var previous = sigset_t()
        if blockingSignals { pthread_sigmask(SIG_SETMASK, &all, &previous) }
        defer { if blockingSignals { pthread_sigmask(SIG_SETMASK, &previous, nil) } }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        let result = pthread_create(&thread, nil, { raw in
            let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
            ordrel_set_thread_name(start.name)
            start.body()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Start>.fromOpaque(context).release()
            throw SyscallError(call: "pthread_create", errno: result)
        }
        return ThreadHandle(raw: thread)
    }

    /// Sleeps the calling thread (start-up retries only; never on a loop thread).
    public static func sleep(milliseconds: Int) {
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    /// Blocks every signal on the calling thread (one that hands its loop to another thread, or
    /// the last one of a process on its way out).
    public static func blockAllSignals() {
        var all = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, nil)
    }

    /// Waits for a thread from `start` to return.
    public static func join(_ thread: ThreadHandle) {
        pthread_join(thread.raw, nil)
    }

    /// Lowers the calling thread's CPU priority to `nice` (Linux nices threads one by one:
    /// `setpriority(PRIO_PROCESS, gettid(), nice)`), so the kernel runs the process's other
    /// threads first. Raising it back would need privileges; lowering never does.
    public static func lowerPriority(toNice nice: Int32) throws {
        let tid = id_t(ordrel_thread_id())
        guard setpriority(__priority_which_t(PRIO_PROCESS.rawValue), tid, nice) == 0 else {
            throw SyscallError(call: "setpriority", errno: errno)
        }
    }

    /// The calling thread's pthread id (`show threads`' `id`).
    public static var currentID: UInt64 { UInt64(pthread_self()) }

    /// CPU time used so far by the thread with this pthread id, in ns; nil if it cannot be read
    /// (the thread has exited).
    public static func cpuNanoseconds(ofThread id: UInt64) -> UInt64? {
        var clock = clockid_t()
        guard pthread_getcpuclockid(pthread_t(id), &clock) == 0 else { return nil }
        var time = timespec()
        guard clock_gettime(clock, &time) == 0 else { return nil }
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// The index of the ordrel worker whose loop runs on the calling thread (a C11 thread-local);
    /// 0 on threads that never set it, `notAWorker` on the CLI thread.
    public static var currentWorker: Int {
        get { Int(ordrel_current_worker()) }
        set { ordrel_set_current_worker(Int32(newValue)) }
    }

    /// `currentWorker` of a thread that runs no worker's loop (the CLI thread).
    public static let notAWorker = -1
}
