#if canImport(Glibc)
import Glibc
#endif
import Foundation
import OrdrelEventLoop
import OrdrelSystem
import XCTest

/// The libev wrappers on a private loop: timers, io readiness and cross-thread wake-ups.
final class WatcherTests: XCTestCase {
    func testTimerFiresOnceAfterItsDelay() {
        let loop = EventLoop.makeNew()
        var fired = 0
        let timer = TimerWatcher(loop: loop) { fired += 1 }
        let started = loop.now
        timer.schedule(after: 0.05)
        XCTAssertTrue(timer.isActive)
        loop.run()
        XCTAssertEqual(fired, 1)
        XCTAssertFalse(timer.isActive)
        XCTAssertGreaterThanOrEqual(loop.now - started, 0.045)
    }

    /// Two timers due in the same iteration, each cancelling the other: only the first runs. A
    /// cancelled timer that had already expired still fired, after its owner could have freed it
    /// (a CLI session ended by a stop: heap-use-after-free under ASan).
    func testCancellingATimerAlreadyDueInThisIterationKeepsItFromFiring() {
        let loop = EventLoop.makeNew()
        var fired: [String] = []
        var first: TimerWatcher!
        var second: TimerWatcher!
        first = TimerWatcher(loop: loop) { fired.append("first"); second.cancel() }
        second = TimerWatcher(loop: loop) { fired.append("second"); first.cancel() }
        first.schedule(after: 0)
        second.schedule(after: 0)
        loop.runOnce(block: true)
        loop.runOnce(block: false)
        XCTAssertEqual(fired.count, 1, "fired: \(fired)")
    }

    func testIOWatcherReportsReadinessAndInterestChanges() throws {
        let loop = EventLoop.makeNew()
        let (a, b) = try FD.socketPair()
        defer { a.close(); b.close() }
        var seen: [IOEvents] = []
        var watcher: IOWatcher!
        watcher = IOWatcher(loop: loop, fd: a.rawValue) { events in
            seen.append(events)
            watcher.setInterest([])
        }
        // Writable at once: an empty socket buffer.
        watcher.setInterest(.write)
        loop.runOnce(block: true)
        XCTAssertEqual(seen, [.write])
        // Readable only after the peer writes.
        watcher.setInterest(.read)
        loop.runOnce(block: false)
        XCTAssertEqual(seen, [.write], "nothing to read yet")
        _ = try [UInt8]("x".utf8).withUnsafeBytes { try b.write($0) }
        loop.runOnce(block: true)
        XCTAssertEqual(seen, [.write, .read])
        XCTAssertEqual(watcher.events, [])
    }

    /// `closeSoon` keeps the number taken until the next iteration starts, so nothing opened in
    /// this one's callbacks reuses it; then it closes (the peer reads EOF), and a watcher on a
    /// socket that takes the number with another interest gets its events.
    func testCloseSoonClosesAtTheNextIterationAndTheNumberServesAgain() throws {
        let loop = EventLoop.makeNew()
        let (a, b) = try FD.socketPair()
        defer { b.close() }
        var reopened: (FD, FD)?
        var watcher: IOWatcher!
        watcher = IOWatcher(loop: loop, fd: a.rawValue) { _ in
            var x: UInt8 = 0
            _ = read(a.rawValue, &x, 1)
            watcher.setInterest([])
            loop.closeSoon(a)
            XCTAssertTrue(a.isOpen, "still open until the iteration's callbacks are done")
            reopened = try? FD.socketPair()
        }
        _ = try [UInt8]("x".utf8).withUnsafeBytes { try b.write($0) }
        watcher.setInterest(.read)
        loop.runOnce(block: true)
        let (c, d) = try XCTUnwrap(reopened)
        defer { c.close(); d.close() }
        XCTAssertNotEqual(c.rawValue, a.rawValue, "opened while a was pending: another number")
        XCTAssertNotEqual(d.rawValue, a.rawValue)
        XCTAssertTrue(a.isOpen)
        loop.runOnce(block: false)
        XCTAssertFalse(a.isOpen, "closed at the start of the next iteration")
        var byte: UInt8 = 0
        XCTAssertEqual(read(b.rawValue, &byte, 1), 0, "the peer reads EOF")

        // A new socket on the freed number, read and write wanted where reads were.
        let (e, f) = try FD.socketPair()
        defer { f.close() }
        if e.rawValue != a.rawValue {
            XCTAssertEqual(dup2(e.rawValue, a.rawValue), a.rawValue)
            e.close()
        }
        defer { a.close() }
        var seen: [IOEvents] = []
        let again = IOWatcher(loop: loop, fd: a.rawValue) { seen.append($0) }
        again.setInterest([.read, .write])
        loop.runOnce(block: true)
        XCTAssertEqual(seen, [.write])
        again.setInterest([])
        watcher = nil
    }

    /// What is still pending when the loop goes is closed with it.
    func testCloseSoonPendingAtTheLoopsEndIsClosed() throws {
        var loop: EventLoop? = EventLoop.makeNew()
        let (a, b) = try FD.socketPair()
        defer { b.close() }
        loop?.closeSoon(a)
        XCTAssertTrue(a.isOpen)
        loop = nil
        XCTAssertFalse(a.isOpen)
    }

    func testWakeUpFromAnotherThreadRunsTheHandlerOnTheLoop() {
        let loop = EventLoop.makeNew()
        let loopThread = pthread_self()
        var ranOnLoopThread = false
        var async: AsyncWatcher!
        async = AsyncWatcher(loop: loop) {
            ranOnLoopThread = pthread_equal(pthread_self(), loopThread) != 0
            loop.stop()
        }
        // Keeps the loop alive (async watchers do not) until the wake-up stops it.
        let guardTimer = TimerWatcher(loop: loop) { loop.stop() }
        guardTimer.schedule(after: 5)
        let waker = async!
        Thread { usleep(20_000); waker.wakeUp() }.start()
        loop.run()
        XCTAssertTrue(ranOnLoopThread, "the handler must run on the loop's thread, woken from another")
        XCTAssertTrue(guardTimer.isActive, "woken before the 5 s guard")
        guardTimer.cancel()
    }

    /// The pattern `nbthread` relies on: a loop runs on its own thread holding a lock it lets go
    /// of only while waiting; another thread takes the lock, adds a watcher to the loop, wakes it,
    /// and the watcher fires on the loop's thread.
    func testAnotherThreadTakesTheLoopLockAddsAWatcherAndTheLoopRunsIt() throws {
        final class Shared: @unchecked Sendable {
            let loop = EventLoop.makeNew()
            let lock = Lock()
            var wake: AsyncWatcher!
            var timer: TimerWatcher!
            var loopThread: pthread_t?
            var timerThread: pthread_t?
        }
        let shared = Shared()
        shared.wake = AsyncWatcher(loop: shared.loop, keepsLoopAlive: true) {}
        let thread = try Threads.start(name: "loop-test") {
            shared.loopThread = pthread_self()
            shared.loop.runHoldingLock(shared.lock)
        }
        usleep(50_000)
        shared.lock.withLock {
            shared.timer = TimerWatcher(loop: shared.loop) {
                shared.timerThread = pthread_self()
                shared.loop.stop()
            }
            shared.timer.schedule(after: 0.01)
        }
        shared.wake.wakeUp()
        Threads.join(thread)
        let loopThread = try XCTUnwrap(shared.loopThread)
        let timerThread = try XCTUnwrap(shared.timerThread, "the timer added from another thread fired")
        XCTAssertTrue(pthread_equal(loopThread, timerThread) != 0, "on the loop's own thread")
        XCTAssertEqual(pthread_equal(loopThread, pthread_self()), 0, "not on the test's thread")
    }
}
