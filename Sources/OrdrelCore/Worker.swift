import OrdrelEventLoop
import OrdrelSystem

/// What one thread asks of another thread's loop.
enum WorkerMessage {
    /// A queued stream of this worker was given a slot by another thread (the slot is already
    /// counted): it connects, or gives the slot back if it has gone meanwhile.
    case dequeued(DequeuedStream)
    /// A connection accepted by another thread, already counted, for this thread to run.
    case adopt(AcceptedClient, Proxy, Proxy)
    /// A stream closed on another thread: listeners paused at `maxconn` may accept again.
    case resumeListeners
    /// Soft stop: the last stream closed on another thread (sent to worker 0).
    case softStopFinished
    /// Work the CLI thread hands to thread 0 and waits for (`Runtime.onThread0`): a command's
    /// isolated part.
    case run(HandedWork)
    /// The next batch of a CLI session's `show stat` rows, from where `StatsRowIterator` is.
    case buildStatsRows(StatsRowBatches, StatsRowIterator)
    /// The CLI thread rendered a built-in service's reply (sent to worker 0).
    case httpReplyRendered(HTTPRenderJob)
    /// The CLI thread, draining at the end of a stop, has no session left (sent to worker 0).
    case cliDrained
    /// After a hand-over, the CLI thread closed the stats sockets: the stop goes on (worker 0).
    case statsSocketsClosed
    /// The CLI thread has left its loop: thread 0 may leave its own (sent to worker 0).
    case cliExited
    /// The process is stopping: leave the loop.
    case exit
}

/// One thread of the process (haproxy's `thread`): its libev loop, the streams it runs, its
/// watchers on the listening sockets (every thread watches every bind's one socket; the thread
/// that accepts passes the connection on when another is less loaded), its buffer and pipe
/// pools. A stream lives and dies on the worker it started on. Worker 0 ("thread 0") also
/// carries the control plane: health checks, resolvers, signals, and what the stats sockets'
/// commands read and change (the sockets and their sessions run on `CLIThread`).
///
/// Sharing rules: what belongs to a worker is touched by its own thread, or by thread 0 while it
/// holds the worker's `loopLock` (`Runtime.isolated`). What all workers share (servers, balancers,
/// queues, counters other than bytes) changes under `Runtime.lock`.
final class Worker {
    let index: Int
    let loop: EventLoop
    unowned(unsafe) let runtime: Runtime
    let pool: BufferPool
    let pipes: PipePool
    let streams: StreamTable<Stream>
    var listeners: [Listener] = []
    /// Connections reading their PROXY header (`accept-proxy`), held until they finish.
    var proxyHandshakes: [ObjectIdentifier: ProxyHandshake] = [:]
    /// Held by this worker's loop except while it waits for events, so thread 0 can pause it
    /// between iterations. nil for worker 0, whose own thread is the one that isolates.
    let loopLock: Lock?
    /// Streams this worker runs or is about to adopt (guarded by `Runtime.lock`): where the
    /// next connection goes.
    var streamCount = 0
    /// `show activity`: connections this thread accepted, and streams given to it to run (by
    /// itself or another thread), as haproxy's `accepted` and `accq_pushed`. Under `Runtime.lock`.
    var acceptedCount: UInt64 = 0
    var assignedCount: UInt64 = 0
    /// `show activity`'s `stream_calls`: times a stream of this thread ran its forwarding step
    /// (haproxy's process_stream calls). This thread's alone; read while isolated.
    var streamCalls: UInt64 = 0
    /// The loop's iteration count at the last `clear counters` (libev's count cannot be reset).
    var loopsAtClear: UInt64 = 0
    /// Some listener of this worker is paused at a `maxconn` limit (guarded by `Runtime.lock`):
    /// streams closing on other threads must tell it.
    var hasListenersAtLimit = false
    /// pthread id of the thread running this loop (0 until it runs); written under `loopLock`
    /// (worker 0: before its loop runs), so `show threads` reads it while isolated.
    var threadID: UInt64 = 0
    private var mailbox: Mailbox<WorkerMessage>!
    /// The thread running this worker's loop (workers 1 and up; started and joined by thread 0).
    private var thread: ThreadHandle?

    init(index: Int, loop: EventLoop, runtime: Runtime, bufferSize: Int) {
        self.index = index
        self.loop = loop
        self.runtime = runtime
        self.pool = BufferPool(bufferSize: bufferSize)
        self.pipes = PipePool(limit: 0)
        self.streams = StreamTable(tag: UInt32(index))
        self.loopLock = index == 0 ? nil : Lock()
        // Every loop runs until the process stops, even with nothing of its own to watch: worker
        // 0 while streams finish on other threads, the others until told to exit.
        mailbox = Mailbox(loop: loop) { [unowned(unsafe) self] in self.handle($0) }
    }

    /// Whether the calling thread is this worker's.
    var isCurrentThread: Bool { Threads.currentWorker == index }

    /// Queues a message for this worker's thread and wakes its loop. Any thread.
    func post(_ message: WorkerMessage) {
        mailbox.post(message)
    }

    /// Wakes the loop so it applies watcher changes made by thread 0 while isolated.
    func wakeUp() {
        mailbox.wakeUp()
    }

    /// Messages wait in the mailbox, not yet run.
    var hasMail: Bool { !mailbox.isEmpty }

    /// Connections handed to this thread and not yet adopted (`show activity`'s `accq_ring`).
    var adoptionsWaiting: Int {
        mailbox.count {
            if case .adopt = $0 { return true }
            return false
        }
    }

    private func handle(_ messages: [WorkerMessage]) {
        for message in messages {
            switch message {
            case .dequeued(let entry):
                withExtendedLifetime(entry.stream) { $0.leftQueue(entry) }
            case .adopt(let client, let frontend, let backend):
                runtime.startStream(on: self, client: client, frontend: frontend, backend: backend)
            case .resumeListeners:
                resumeListenersBelowLimits()
            case .softStopFinished:
                runtime.finishSoftStopIfDone()
            case .run(let work):
                work.run()
            case .buildStatsRows(let batches, let rows):
                batches.build(from: rows)
            case .httpReplyRendered(let job):
                job.connection.rendered(job)
            case .cliDrained:
                runtime.cliSessionsDrained()
            case .statsSocketsClosed:
                runtime.statsSocketsClosed()
            case .cliExited, .exit:
                loop.stop()
            }
        }
    }

    // MARK: listeners

    /// Pauses a listener at a `maxconn` limit, deciding under the shared lock so that a stream
    /// closing on another thread either sees the flag or frees the room. Below the limit,
    /// `takingSlot` takes a slot for one accept (`Runtime.acceptsInFlight`) in the same hold.
    /// Returns true when the listener was paused.
    func pauseIfAtLimit(_ listener: Listener, takingSlot: Bool = false) -> Bool {
        let atLimit = runtime.lock.withLock {
            if runtime.isAtConnectionLimit(listener.proxy) {
                hasListenersAtLimit = true
                return true
            }
            if takingSlot { runtime.countAcceptSlot(of: listener.proxy, taken: true) }
            return false
        }
        if atLimit { listener.pause(.limit, loop: loop) }
        return atLimit
    }

    /// Listeners held back by `maxconn` accept again once their limits allow.
    func resumeListenersBelowLimits() {
        runtime.lock.withLock {
            var stillLimited = false
            for listener in listeners where listener.pause == .limit {
                if runtime.isAtConnectionLimit(listener.proxy) {
                    stillLimited = true
                } else {
                    listener.resume()
                }
            }
            hasListenersAtLimit = stillLimited
        }
    }

    // MARK: the thread

    /// Starts this worker's thread (workers 1 and up); its loop runs until `.exit`.
    func startThread() throws {
        guard let loopLock else { return }
        let index = self.index
        let loop = UncheckedSendable(self.loop)
        let worker = UncheckedSendable(self)
        thread = try Threads.start(name: "ordrel-\(index)") {
            Threads.currentWorker = index
            loopLock.withLock { worker.value.threadID = Threads.currentID }
            loop.value.runHoldingLock(loopLock)
        }
    }

    /// Waits for the thread to leave its loop.
    func join() {
        guard let thread else { return }
        Threads.join(thread)
        self.thread = nil
    }
}

/// Work one thread runs for another that waits (`Runtime.onThread0`). The work is a closure
/// that does not escape its caller's frame (`withoutActuallyEscaping`, which traps if it is
/// still referenced when the caller returns): it is let go before the waiter is woken.
final class HandedWork {
    private var body: (() -> Void)?
    let completion = Completion()

    init(_ body: @escaping () -> Void) { self.body = body }

    /// Runs the work, drops it, then wakes the waiter.
    func run() {
        body?()
        body = nil
        completion.signal()
    }
}

/// Hands a value to the thread that will own it from then on (a worker's loop to its thread).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
