import OrdrelConfig
@testable import OrdrelCore
import OrdrelSystem
import XCTest

/// Socket options a `bind` line sets, read back from the kernel.
final class ListenerOptionsTests: XCTestCase {
    /// `tfo`: TCP_FASTOPEN with the backlog as queue length (haproxy 2.6.12 under strace:
    /// `setsockopt(4, SOL_TCP, TCP_FASTOPEN, [50], 4)` for `backlog 50`); off without it.
    func testFastOpenQueueIsTheBacklog() throws {
        var bind = BindConfig(address: .tcp(host: "127.0.0.1", port: 0), location: SourceLocation(file: "t.cfg", line: 1))
        bind.backlog = 50
        bind.tfo = true
        let (fd, _) = try Listener.open(bind, inherited: InheritedListeners([]), reusePort: false)
        defer { fd.close() }
        XCTAssertEqual(try fd.fastOpenQueueLength(), 50)
        bind.tfo = false
        let (plain, _) = try Listener.open(bind, inherited: InheritedListeners([]), reusePort: false)
        defer { plain.close() }
        XCTAssertEqual(try plain.fastOpenQueueLength(), 0)
    }
}
