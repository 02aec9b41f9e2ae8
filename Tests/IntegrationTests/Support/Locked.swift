import Foundation

/// A value shared between test threads, guarded by an `NSLock`.
///
/// The tests use this rather than `Synchronization.Mutex`: on Linux that one is built on
/// futexes, which ThreadSanitizer does not see, so the TSan suite reports its users as races.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try lock.withLock { try body(&stored) }
    }
}
