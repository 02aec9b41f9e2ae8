import OrdrelCLI
import OrdrelEventLoop
import OrdrelSystem

/// What thread 0 asks of the CLI thread.
enum CLIMessage {
    /// The listening sockets went to a new process (`_getsocks`) and this one is stopping: the
    /// stats sockets stop accepting (their paths belong to the new process), then thread 0
    /// closes the frontends (`WorkerMessage.statsSocketsClosed`).
    case closeSockets
    /// The streams are done: the stats sockets serve what the kernel already queued (when
    /// `acceptQueued`) and stop accepting; once the last session has ended, thread 0 hears of it
    /// (`WorkerMessage.cliDrained`).
    case drain(acceptQueued: Bool)
    /// The process exits: every session ends now, the sockets close, the loop stops.
    case exit
    /// Thread 0 built a batch of a session's `show stat` rows; `rest` builds the
    /// ones after it, nil when they were the last.
    case statsRowsBuilt(StatsRowBatches, [StatsRow], rest: StatsRowIterator?)
    /// A stats page or scrape to render for a connection of thread 0, and send back to it
    /// (`WorkerMessage.httpReplyRendered`).
    case renderHTTPReply(HTTPRenderJob)
}

/// The thread of the stats sockets, their sessions and the master link: a libev loop of its own
/// at the lowest CPU priority (nice 19), so the kernel runs the workers' streams first and gives
/// the CLI what CPU is left; however busy a stats client is, it cannot take CPU from traffic.
/// What a command reads or changes of the workers it hands to thread 0 (`Runtime.isolated`
/// from this thread: `Runtime.onThread0`), and waits: this thread holds no lock a worker could
/// wait for while the kernel, preferring the workers, keeps it off the CPU.
final class CLIThread {
    /// Niceness the thread gives itself: the lowest priority an unprivileged thread can take.
    static let nice: Int32 = 19

    let loop: EventLoop
    /// Keeps the loop running until `.exit`, even with no stats socket to watch.
    private let mailbox: Mailbox<CLIMessage>
    private var thread: ThreadHandle?

    /// `handle` runs each message on the CLI thread.
    init(handle: @escaping (CLIMessage) -> Void) {
        loop = .makeNew()
        mailbox = Mailbox(loop: loop) { $0.forEach(handle) }
    }

    /// Queues a message for the CLI thread and wakes its loop. Any thread.
    func post(_ message: CLIMessage) {
        mailbox.post(message)
    }

    /// Starts the thread, named `ordrel-cli`; `lowered` gets the error if it could not lower its
    /// priority (it runs anyway).
    func start(lowered: @escaping (Error) -> Void) throws {
        let loop = UncheckedSendable(self.loop)
        let report = UncheckedSendable(lowered)
        thread = try Threads.start(name: "ordrel-cli") {
            Threads.currentWorker = Threads.notAWorker
            do {
                try Threads.lowerPriority(toNice: CLIThread.nice)
            } catch {
                report.value(error)
            }
            loop.value.run()
        }
    }

    /// Waits for the thread to leave its loop (after `.exit`); nothing if it never started.
    func join() {
        guard let thread else { return }
        Threads.join(thread)
        self.thread = nil
    }
}
