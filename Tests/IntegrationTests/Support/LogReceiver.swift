#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A syslog server for tests: a UDP socket on 127.0.0.1 and a Unix datagram socket, read by one
/// poll() thread that keeps every datagram, in arrival order per socket.
final class LogReceiver: @unchecked Sendable {
    let udpPort: UInt16
    let unixPath: String
    private let udpFD: Int32
    private let unixFD: Int32
    private let received = Locked((udp: [String](), unix: [String]()))
    private let running = Locked(true)
    private let done = DispatchSemaphore(value: 0)

    /// Binds both sockets; `reading: false` leaves the Unix one unread, so that its queue fills.
    init(unixPath: String, reading: Bool = true) throws {
        let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        try TestSocket.check(udp, "socket(udp)")
        var address = TestSocket.loopback(port: 0)
        try TestSocket.check(withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(udp, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }, "bind(udp)")
        udpFD = udp
        udpPort = try TestSocket.localPort(udp)
        self.unixPath = unixPath
        let local = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        try TestSocket.check(local, "socket(unix)")
        var unixAddress = sockaddr_un()
        unixAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &unixAddress.sun_path) { raw in
            for (index, byte) in unixPath.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        unlink(unixPath)
        try TestSocket.check(withUnsafePointer(to: &unixAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(local, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }, "bind(unix)")
        unixFD = local
        let thread = Thread { [self] in self.serve(readingUnix: reading) }
        thread.start()
    }

    /// Datagrams so far, as text (each keeps its final LF).
    var udp: [String] { received.withLock { $0.udp } }
    var unix: [String] { received.withLock { $0.unix } }

    func stop() {
        guard running.withLock({ let was = $0; $0 = false; return was }) else { return }
        done.wait()
        close(udpFD)
        close(unixFD)
        unlink(unixPath)
    }

    deinit { stop() }

    private func serve(readingUnix: Bool) {
        defer { done.signal() }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while running.withLock({ $0 }) {
            var fds = [pollfd(fd: udpFD, events: Int16(POLLIN), revents: 0)]
            if readingUnix { fds.append(pollfd(fd: unixFD, events: Int16(POLLIN), revents: 0)) }
            guard poll(&fds, nfds_t(fds.count), 50) > 0 else { continue }
            for entry in fds where entry.revents & Int16(POLLIN) != 0 {
                let count = recv(entry.fd, &buffer, buffer.count, 0)
                guard count > 0 else { continue }
                let text = String(decoding: buffer[..<count], as: UTF8.self)
                received.withLock { if entry.fd == udpFD { $0.udp.append(text) } else { $0.unix.append(text) } }
            }
        }
    }
}
