import OrdrelEventLoop
import OrdrelSystem

/// `bind ... accept-proxy` (or `tcp-request connection expect-proxy layer4`): the phase between
/// accept and the stream, as haproxy 2.6's `conn_recv_proxy`. It peeks at what the client sent,
/// consumes exactly the PROXY header's bytes (so the payload stays in the socket for the
/// stream), and then opens the stream with the header's addresses as the client's. `timeout
/// client` bounds it, as in haproxy. A bad header, an early close or the timeout closes the
/// connection, counts it as a connection but not a session (haproxy's `CumConns` and
/// `conn_tot`, not `stot` nor `ereq`), and logs haproxy's embryonic-session line.
final class ProxyHandshake {
    private unowned(unsafe) let runtime: Runtime
    private unowned(unsafe) let worker: Worker
    private var client: AcceptedClient
    private let listener: Listener
    /// Header bytes consumed so far (a header that arrives in pieces).
    private var received: [UInt8] = []
    private var watcher: IOWatcher!
    private var timer: TimerWatcher!
    private let acceptedWallMicros: UInt64

    /// Largest header accepted: the buffer size, as haproxy's trash buffer.
    private var limit: Int { runtime.configuration.global.tuneBufsize }

    init(runtime: Runtime, worker: Worker, client: AcceptedClient, listener: Listener) {
        self.runtime = runtime
        self.worker = worker
        self.client = client
        self.listener = listener
        acceptedWallMicros = runtime.wallClockMicros()
        watcher = IOWatcher(loop: worker.loop, fd: client.fd.rawValue) { [unowned(unsafe) self] _ in
            withExtendedLifetime(self) { $0.readable() }
        }
        timer = TimerWatcher(loop: worker.loop) { [unowned(unsafe) self] in
            // haproxy 2.6.12 reports a timeout only when nothing came; part of a header is
            // "Truncated".
            withExtendedLifetime(self) { $0.finish($0.received.isEmpty ? .timeout : .truncated) }
        }
    }

    /// Registers with the worker (which holds it until it finishes) and reads what is there.
    func start() {
        worker.proxyHandshakes[ObjectIdentifier(self)] = self
        if let ms = listener.proxy.config.timeouts.client { timer.schedule(after: Double(ms) / 1000) }
        watcher.setInterest(.read)
        readable()
    }

    private func readable() {
        var window = [UInt8](repeating: 0, count: limit - received.count)
        let peeked: Int
        do {
            guard case .processed(let count) = try window.withUnsafeMutableBytes({ try client.fd.peek(into: $0) }) else { return }
            peeked = count
        } catch {
            finish(.aborted)
            return
        }
        if peeked == 0 {
            finish(received.isEmpty ? .empty : .truncated)
            return
        }
        switch ProxyHeaderParser.parse(received + window.prefix(peeked), limit: limit) {
        case .needMore:
            // Every byte before a complete header is part of it: consume them all.
            guard consume(peeked), received.count < limit else { return finish(.badHeader) }
        case .header(let header, let length):
            guard consume(length - received.count) else { return finish(.aborted) }
            if case .proxied(let source, let destination) = header {
                client.address = source
                client.destination = destination
            }
            finish(nil)
        case .invalid(let error):
            finish(error)
        }
    }

    /// Reads exactly `count` bytes already known to be there into `received`.
    private func consume(_ count: Int) -> Bool {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return true }
        guard case .processed(let read)? = try? bytes.withUnsafeMutableBytes({ try client.fd.read(into: $0) }),
              read == count else { return false }
        received += bytes
        return true
    }

    /// Stops watching; opens the stream, or (with an error) closes, counts and logs.
    private func finish(_ failure: ProxyHeaderError?) {
        watcher.rebind(fd: -1)
        timer.cancel()
        worker.proxyHandshakes[ObjectIdentifier(self)] = nil
        if let failure {
            runtime.handshakeFailed(client, error: failure, listener: listener, acceptedWallMicros: acceptedWallMicros)
            client.stickCounters?.release(nowMs: Int64(worker.loop.nowMilliseconds))
            // haproxy only peeks, so closing with the client's bytes unread resets the connection
            // (checked with 2.6.12); a client that sent nothing sees a FIN. The bytes consumed
            // here are not there any more: reset explicitly.
            if !received.isEmpty { try? client.fd.setLingerZero() }
            client.fd.close()
        } else {
            // `tcp-request session` rules see the header's addresses. haproxy 2.6.12 logs a session
            // they refuse after a header as an embryonic one whose error is none: "Success".
            let accepted = runtime.sessionRulesAccept(client: client.fd, address: client.address,
                                                      destination: client.destination, frontend: listener.proxy,
                                                      counters: client.stickCounters, nowMs: worker.loop.nowMilliseconds)
            if !accepted {
                runtime.logEmbryonic(client, reason: "Success", listener: listener, acceptedWallMicros: acceptedWallMicros)
            }
            runtime.openStream(on: worker, client: client, frontend: listener.proxy, refused: accepted ? nil : .session)
        }
    }
}

extension Runtime {
    /// Counts a connection whose PROXY header failed (a connection, not a session) and logs
    /// why (an empty connection is not logged with `dontlognull`).
    func handshakeFailed(_ client: AcceptedClient, error: ProxyHeaderError, listener: Listener, acceptedWallMicros: UInt64) {
        let frontend = listener.proxy
        lock.withLock {
            cumulativeConnections += 1
            frontend.frontendCounters.connectionsTotal += 1
        }
        guard !(error == .empty && frontend.config.options.dontlognull) else { return }
        logEmbryonic(client, reason: error.rawValue, listener: listener, acceptedWallMicros: acceptedWallMicros)
    }

    /// haproxy's `sess_log_embryonic` line for a connection that never became a stream:
    /// `127.0.0.1:52328 [01/Dec/2026:22:49:23.307] c/1: <reason>`, at `info`, to the frontend's
    /// log targets.
    func logEmbryonic(_ client: AcceptedClient, reason: String, listener: Listener, acceptedWallMicros: UInt64) {
        let frontend = listener.proxy
        guard let sinks = frontend.logSinks else { return }
        let from = TCPLogLine.endpoint(client.address, unixPort: 0)
        let bind = listener.bind.name ?? String((frontend.config.binds.firstIndex(of: listener.bind) ?? 0) + 1)
        let text = "\(from.host):\(from.port) [\(TCPLogLine.date(micros: acceptedWallMicros))] \(frontend.name)/\(bind): \(reason)"
        logOutput.send(Array(text.utf8), level: .info, to: sinks)
    }
}
