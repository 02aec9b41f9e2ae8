#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A TCP server on 127.0.0.1 that plays a protocol from a script, for health-check tests:
/// it may greet, then answers each request once `reply` recognises it complete. One thread per
/// connection; connections and the listener close on `stop()`.
final class ScriptedPeer: @unchecked Sendable {
    /// What to answer to the bytes received since the last answer; nil waits for more.
    typealias Reply = @Sendable ([UInt8]) -> [UInt8]?

    let port: UInt16
    private let listenFD: Int32
    private let greeting: [UInt8]
    private let reply: Reply
    private let closeAfterReply: Bool
    private let closeAfterGreeting: Bool
    private let connections = Locked<[Int32]>([])
    private let stopped = Locked(false)
    private let acceptorDone = DispatchSemaphore(value: 0)

    /// `greeting` is sent on accept (then the connection closes if `closeAfterGreeting`); after a
    /// reply it closes if `closeAfterReply`.
    init(greeting: [UInt8] = [], closeAfterGreeting: Bool = false, closeAfterReply: Bool = true,
         reply: @escaping Reply = { _ in nil }) throws {
        (listenFD, port) = try TestSocket.listen()
        self.greeting = greeting
        self.reply = reply
        self.closeAfterReply = closeAfterReply
        self.closeAfterGreeting = closeAfterGreeting
        let thread = Thread { [self] in acceptLoop() }
        thread.stackSize = 1 << 18
        thread.start()
    }

    /// An HTTP server answering every request with `status()` and `body`, then closing.
    static func http(status: @escaping @Sendable () -> (Int, String), body: String = "") throws -> ScriptedPeer {
        try ScriptedPeer { request in
            guard TestSocket.contains(request, Array("\r\n\r\n".utf8)) else { return nil }
            let (code, reason) = status()
            return Array("HTTP/1.1 \(code) \(reason)\r\ncontent-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n\(body)".utf8)
        }
    }

    func stop() {
        guard stopped.withLock({ value -> Bool in defer { value = true }; return !value }) else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        acceptorDone.wait()
        close(listenFD)
        connections.withLock { fds in
            for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    deinit { stop() }

    private func acceptLoop() {
        defer { acceptorDone.signal() }
        while !stopped.withLock({ $0 }) {
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            connections.withLock { $0.append(fd) }
            let thread = Thread { [self] in serve(fd) }
            thread.stackSize = 1 << 18
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            connections.withLock { $0.removeAll { $0 == fd } }
            close(fd)
        }
        TestSocket.setReceiveTimeout(fd, seconds: 10)
        if !greeting.isEmpty, (try? TestSocket.sendAll(fd, greeting)) == nil || closeAfterGreeting { return }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &chunk, chunk.count)
            guard count > 0 else { return }
            received += chunk[..<count]
            guard let answer = reply(received) else { continue }
            received = []
            if (try? TestSocket.sendAll(fd, answer)) == nil || closeAfterReply { return }
        }
    }
}

extension TestSocket {
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
