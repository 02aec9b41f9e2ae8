/// Rows another thread makes for the session's thread: the daemon's `show stat` rows, built on
/// thread 0 while the CLI thread serves its other sessions. A dump asks `prepare()` before each
/// `next()`; when the answer is false the rows were asked for, and the session waits
/// (`CLIAction.awaitRows`) until its driver's `whenReady` callback runs.
public protocol DeferredRows: AnyObject {
    /// True when the iterator's `next()` answers at once (a row, or nil at the end); otherwise
    /// the next rows are asked for (once) and `whenReady`'s callback runs when they are there.
    func prepare() -> Bool
    /// Runs `resume` on the session's thread once rows arrive (replacing an earlier callback).
    func whenReady(_ resume: @escaping () -> Void)
}
