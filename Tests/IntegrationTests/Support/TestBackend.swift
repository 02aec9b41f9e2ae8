#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A real TCP server on 127.0.0.1 for integration tests, one poll() thread, any number of clients.
final class TestBackend: @unchecked Sendable {
    /// What the backend does with each connection.
    enum Behaviour {
        /// Echoes every byte; after the client's FIN and the last echoed byte, sends FIN and closes.
        case echo
        /// Reads until the client's FIN, then sends `answer`, then closes.
        case answerAfterEOF([UInt8])
        /// Sends `greeting` at once, then behaves like `echo`.
        case greetThenEcho([UInt8])
        /// Reads and discards, never answers; closes after the client's FIN (for idle timeouts).
        case silent
        /// Answers the first bytes read with what `answer` makes of them, then closes (FIN) with
        /// the client's side still open, as an HTTP server does after a `Connection: close` reply.
        case answerThenClose(@Sendable ([UInt8]) -> [UInt8])
    }

    let port: UInt16
    private let listenFD: Int32
    private let behaviour: Behaviour
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let lock = NSLock()
    private var accepted = 0
    private var stopped = false
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    /// Connections accepted so far.
    var acceptedCount: Int { lock.withLock { accepted } }

    /// Starts serving on `port`, or (0) on a kernel-chosen port; a stopped backend's port can be reused.
    init(_ behaviour: Behaviour, port: UInt16 = 0) throws {
        let (fd, port) = try TestSocket.listen(port: port)
        listenFD = fd
        self.port = port
        self.behaviour = behaviour
        var fds: [Int32] = [0, 0]
        try TestSocket.check(pipe(&fds), "pipe")
        wakeRead = fds[0]
        wakeWrite = fds[1]
        let thread = Thread { [self] in self.serve() }
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    /// Stops serving and closes every connection; later calls do nothing.
    func stop() {
        guard lock.withLock({ () -> Bool in
            defer { stopped = true }
            return !stopped
        }) else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        done.wait()
        close(wakeRead)
        close(wakeWrite)
    }

    private final class Connection {
        let fd: Int32
        var output: [UInt8] = []
        var outputOffset = 0
        var readEOF = false
        var input: [UInt8] = []
        /// Closes once its output is out, whether or not the client has finished.
        var closesAfterOutput = false

        init(fd: Int32) { self.fd = fd }
        var pendingOutput: Int { output.count - outputOffset }
    }

    private func serve() {
        var connections: [Int32: Connection] = [:]
        var buffer = [UInt8](repeating: 0, count: 65536)
        loop: while true {
            var pollFDs = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)]
            for connection in connections.values {
                var events: Int16 = 0
                if !connection.readEOF { events |= Int16(POLLIN) }
                if connection.pendingOutput > 0 { events |= Int16(POLLOUT) }
                pollFDs.append(pollfd(fd: connection.fd, events: events, revents: 0))
            }
            let n = poll(&pollFDs, nfds_t(pollFDs.count), 1000)
            if n <= 0 { continue }
            if pollFDs[0].revents != 0 { break loop }
            if pollFDs[1].revents & Int16(POLLIN) != 0 {
                let fd = accept(listenFD, nil, nil)
                if fd >= 0 {
                    lock.withLock { accepted += 1 }
                    let flags = fcntl(fd, F_GETFL)
                    _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
                    let connection = Connection(fd: fd)
                    if case .greetThenEcho(let greeting) = behaviour { connection.output = greeting }
                    connections[fd] = connection
                }
            }
            for entry in pollFDs.dropFirst(2) where entry.revents != 0 {
                guard let connection = connections[entry.fd] else { continue }
                if entry.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 && !connection.readEOF {
                    let count = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
                    if count > 0 {
                        handle(Array(buffer[0..<count]), on: connection)
                    } else if count == 0 {
                        connection.readEOF = true
                        if case .answerAfterEOF(let answer) = behaviour { connection.output += answer }
                    } else if errno != EAGAIN && errno != EINTR {
                        close(connection.fd)
                        connections[connection.fd] = nil
                        continue
                    }
                }
                if connection.pendingOutput > 0 {
                    let count = connection.output.withUnsafeBytes {
                        send(connection.fd, $0.baseAddress! + connection.outputOffset, connection.pendingOutput, Int32(MSG_NOSIGNAL))
                    }
                    if count > 0 {
                        connection.outputOffset += count
                        if connection.outputOffset == connection.output.count {
                            connection.output.removeAll(keepingCapacity: true)
                            connection.outputOffset = 0
                        }
                    } else if count < 0 && errno != EAGAIN && errno != EINTR {
                        close(connection.fd)
                        connections[connection.fd] = nil
                        continue
                    }
                }
                if (connection.readEOF || connection.closesAfterOutput) && connection.pendingOutput == 0 {
                    shutdown(connection.fd, Int32(SHUT_WR))
                    close(connection.fd)
                    connections[connection.fd] = nil
                }
            }
        }
        for connection in connections.values { close(connection.fd) }
        close(listenFD)
        done.signal()
    }

    private func handle(_ bytes: [UInt8], on connection: Connection) {
        switch behaviour {
        case .echo, .greetThenEcho:
            connection.output += bytes
        case .answerAfterEOF:
            connection.input += bytes
        case .silent:
            break
        case .answerThenClose(let answer):
            guard !connection.closesAfterOutput else { return }
            connection.output += answer(bytes)
            connection.closesAfterOutput = true
        }
    }
}
