import Foundation
@testable import OrdrelCore
import OrdrelSystem
import XCTest

/// Matching received sockets to `bind` and `stats socket` lines, with real sockets whose traits
/// are read back from the kernel as after a transfer.
final class InheritedListenersTests: XCTestCase {
    private func inherited(_ fd: FD) throws -> InheritedSocket {
        InheritedSocket(fd: fd, namespace: "", interface: "", traits: try fd.traits())
    }

    private func tcpListener(_ ip: String, v6only: Bool? = nil) throws -> (FD, SocketAddress) {
        let fd = try FD.streamSocket(for: ip.contains(":") ? .inet6 : .inet)
        if let v6only { try fd.setIPv6Only(v6only) }
        try fd.bind(to: try XCTUnwrap(SocketAddress(ip: ip, port: 0)))
        try fd.listen(backlog: 4)
        return (fd, try fd.localAddress())
    }

    func testTCPMatchesFamilyAddressPortAndV6Only() throws {
        let (v4, v4Address) = try tcpListener("127.0.0.1")
        let pool = InheritedListeners([try inherited(v4)])
        XCTAssertNil(pool.take(tcp: try XCTUnwrap(SocketAddress(ip: "127.0.0.1", port: v4Address.port &+ 1)), ipv6Only: nil),
                     "another port")
        XCTAssertNil(pool.take(tcp: try XCTUnwrap(SocketAddress(ip: "127.0.0.2", port: v4Address.port)), ipv6Only: nil),
                     "another address")
        XCTAssertEqual(pool.take(tcp: try XCTUnwrap(SocketAddress(ip: "127.0.0.1", port: v4Address.port)), ipv6Only: nil), v4)
        XCTAssertTrue(pool.isEmpty, "a socket is used once")
        v4.close()

        guard let (v6, v6Address) = try? tcpListener("::1", v6only: true) else {
            throw XCTSkip("no IPv6 loopback here")
        }
        let v6Pool = InheritedListeners([try inherited(v6)])
        let wanted = try XCTUnwrap(SocketAddress(ip: "::1", port: v6Address.port))
        XCTAssertNil(v6Pool.take(tcp: wanted, ipv6Only: false), "a v4v6 bind does not take a v6only socket")
        XCTAssertEqual(v6Pool.take(tcp: wanted, ipv6Only: true), v6)
        v6.close()
    }

    /// A Unix socket is named `<path>.<pid>.tmp` by the kernel (bound, then renamed); the path
    /// without that suffix is what a config line names. Non-listening sockets never match, and
    /// what nothing matched is closed.
    func testUnixPathIgnoresTheTemporarySuffixAndLeftoversClose() throws {
        let path = NSTemporaryDirectory() + "ordrel-inherit-\(CurrentProcess.id).sock"
        defer { try? Files.unlinkIfPresent(path) }
        let unix = try FD.unixListener(path: path, mode: nil, uid: nil, gid: nil, backlog: 4)
        XCTAssertTrue(try unix.traits().address.host.hasSuffix(".tmp"))
        let (a, b) = try FD.socketPair()
        defer { b.close() }
        let (spare, _) = try tcpListener("127.0.0.1")
        let pool = InheritedListeners([try inherited(a), try inherited(unix), try inherited(spare)])
        XCTAssertNil(pool.take(unixPath: path + ".other"))
        XCTAssertEqual(pool.take(unixPath: path), unix, "the listening socket, not the connected pair")
        unix.close()
        XCTAssertEqual(pool.closeLeftovers(), 2)
        XCTAssertFalse(a.isOpen)
        XCTAssertFalse(spare.isOpen)
    }
}
