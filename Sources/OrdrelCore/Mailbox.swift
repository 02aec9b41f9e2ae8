import OrdrelEventLoop
import OrdrelSystem

/// Messages for one loop's thread, posted from any thread: a locked queue and the async watcher
/// that wakes the loop to take them. The watcher keeps its loop running even with nothing else
/// to watch, so the thread is there to hear the message that tells it to stop.
final class Mailbox<Message> {
    private let lock = Lock()
    private var messages: [Message] = []
    private var watcher: AsyncWatcher!

    /// `deliver` runs on the loop's thread with the messages taken in one wake-up, oldest first.
    init(loop: EventLoop, deliver: @escaping ([Message]) -> Void) {
        watcher = AsyncWatcher(loop: loop, keepsLoopAlive: true) { [unowned(unsafe) self] in
            let taken = self.lock.withLock {
                let taken = self.messages
                self.messages.removeAll(keepingCapacity: true)
                return taken
            }
            deliver(taken)
        }
    }

    /// Queues `message` and wakes the loop. Any thread.
    func post(_ message: Message) {
        lock.withLock { messages.append(message) }
        watcher.wakeUp()
    }

    /// Wakes the loop with no message (it then applies watcher changes made while isolated).
    func wakeUp() {
        watcher.wakeUp()
    }

    /// Messages posted and not yet taken.
    var isEmpty: Bool { lock.withLock { messages.isEmpty } }

    /// Messages posted and not yet taken that match `predicate`.
    func count(where predicate: (Message) -> Bool) -> Int {
        lock.withLock { messages.reduce(0) { predicate($1) ? $0 + 1 : $0 } }
    }
}
