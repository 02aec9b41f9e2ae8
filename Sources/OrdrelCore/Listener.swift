import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// Why a listener is not accepting right now.
enum ListenerPause: Equatable {
    /// The process or frontend is at `maxconn`: new connections wait in the kernel backlog.
    case limit
    /// accept() hit EMFILE/ENFILE/ENOMEM: wait a moment instead of spinning.
    case resources
    /// The process-wide accept rate reached `set rate-limit`: wait until it allows one more.
    case rateLimited
    /// `disable frontend` or a soft stop.
    case disabled
}

/// A bound, listening socket of a frontend.
final class Listener {
    let fd: FD
    let bind: BindConfig
    unowned let proxy: Proxy
    private(set) var watcher: IOWatcher!
    private(set) var pause: ListenerPause?
    private var resumeTimer: TimerWatcher?
    /// This listener opened the socket and closes it; other threads' listeners on the same
    /// socket only watch it.
    let ownsFD: Bool
    /// The socket came from the old process (`-x`): another process may hold it too.
    let inherited: Bool
    /// SIGTTOU: the socket does not listen at all (its port is free for a new process to bind)
    /// until SIGTTIN; independent of `pause`, which only stops watching.
    private(set) var suspended = false

    /// Uses the matching socket received from the old process, if any; otherwise creates, binds
    /// and listens. Unix socket files are created under a temporary name and renamed over the
    /// final path, so a restart never leaves a window without a socket.
    init(bind: BindConfig, proxy: Proxy, loop: EventLoop, inherited: InheritedListeners, reusePort: Bool,
         onReadable: @escaping (Listener) -> Void) throws {
        self.bind = bind
        self.proxy = proxy
        (fd, self.inherited) = try Listener.open(bind, inherited: inherited, reusePort: reusePort)
        ownsFD = true
        watcher = IOWatcher(loop: loop, fd: fd.rawValue) { [unowned(unsafe) self] _ in onReadable(self) }
    }

    /// Watches `shared`'s socket from another thread's loop: whichever loop accepts first gets
    /// the connection.
    init(sharing shared: Listener, loop: EventLoop, onReadable: @escaping (Listener) -> Void) {
        bind = shared.bind
        proxy = shared.proxy
        fd = shared.fd
        ownsFD = false
        inherited = shared.inherited
        watcher = IOWatcher(loop: loop, fd: fd.rawValue) { [unowned(unsafe) self] _ in onReadable(self) }
    }

    /// SO_REUSEPORT unless `noreuseport`, as haproxy: a plain `-sf` reload can bind next to the
    /// old process.
    static func open(_ bind: BindConfig, inherited: InheritedListeners, reusePort: Bool) throws -> (FD, inherited: Bool) {
        switch bind.address {
        case .tcp(let host, let port):
            let bindHost = host.isEmpty || host == "*" ? "0.0.0.0" : host
            guard let address = SocketAddress.resolve(host: bindHost, port: port) else {
                throw ListenerError(bind: bind, reason: "cannot resolve address '\(host)'")
            }
            if let fd = inherited.take(tcp: address, ipv6Only: bind.ipv6Only) { return (fd, true) }
            let fd = try FD.streamSocket(for: address.family)
            do {
                try fd.setReuseAddress()
                if reusePort { try fd.setReusePort() }
                if address.family == .inet6, let only = bind.ipv6Only { try fd.setIPv6Only(only) }
                try fd.bind(to: address)
                // `tfo`: the fast-open queue is as long as the backlog, as haproxy sets it.
                if bind.tfo { try fd.setFastOpen(queueLength: Int32(bind.backlog ?? 1024)) }
                try fd.listen(backlog: Int32(bind.backlog ?? 1024))
            } catch {
                fd.close()
                throw ListenerError(bind: bind, reason: "\(error)",
                                    addressInUse: (error as? SyscallError)?.isAddressInUse ?? false)
            }
            return (fd, false)
        case .unix(let path):
            if let fd = inherited.take(unixPath: path) { return (fd, true) }
            return (try UnixListenSocket.bindAtomically(path: path, mode: bind.mode, uid: bind.uid, gid: bind.gid,
                                                        backlog: Int32(bind.backlog ?? 1024), location: bind.location), false)
        case .inherited(let number):
            return (try adoptInherited(number, backlog: Int32(bind.backlog ?? 1024), location: bind.location,
                                       address: bind.address.description), false)
        case .socketPair(let number):
            let fd = FD(rawValue: number)
            do {
                guard try FD.inheritedTraits(number).isStream else {
                    throw ListenerError(bind: bind, reason: "not a stream socket")
                }
                try fd.setBlocking(false)
            } catch let error as ListenerError {
                throw error
            } catch {
                throw ListenerError(bind: bind, reason: "\(error)")
            }
            return (fd, false)
        }
    }

    /// An inherited descriptor (`fd@<n>`) made ready to accept: a stream socket, non-blocking,
    /// listening (listen() is called when the parent did not).
    static func adoptInherited(_ number: Int32, backlog: Int32, location: SourceLocation, address: String) throws -> FD {
        let fd = FD(rawValue: number)
        do {
            let traits = try FD.inheritedTraits(number)
            guard traits.isStream else { throw ListenerError(location: location, address: address, reason: "not a stream socket") }
            try fd.setBlocking(false)
            if !traits.isListening { try fd.listen(backlog: backlog) }
        } catch let error as ListenerError {
            throw error
        } catch {
            throw ListenerError(location: location, address: address, reason: "\(error)")
        }
        return fd
    }

    func start() { if !suspended { watcher.setInterest(.read) } }

    var isTCP: Bool {
        switch bind.address {
        case .tcp: return true
        case .unix, .socketPair: return false
        case .inherited: return (try? fd.localAddress())?.family != .unix
        }
    }

    func pause(_ reason: ListenerPause, loop: EventLoop, for seconds: Double? = nil) {
        pause = reason
        watcher.setInterest([])
        guard let seconds else { return }
        let timer = resumeTimer ?? TimerWatcher(loop: loop) { [unowned(unsafe) self] in self.resume() }
        resumeTimer = timer
        timer.schedule(after: seconds)
    }

    func resume() {
        pause = nil
        resumeTimer?.cancel()
        if !suspended { watcher.setInterest(.read) }
    }

    /// SIGTTOU, as haproxy's pause: stop watching and, on the thread owning the socket, stop
    /// listening, which frees the port for a new process's bind.
    func suspend() {
        guard !suspended else { return }
        suspended = true
        watcher.setInterest([])
        if pause != .disabled { try? stopListening() }
    }

    /// SIGTTIN: listen again (on the owning thread), then watch as before unless paused otherwise;
    /// a disabled frontend stays out of LISTEN until `enable frontend`.
    func unsuspend() throws {
        guard suspended else { return }
        if pause != .disabled { try listenAgain() }
        suspended = false
        if pause == nil { watcher.setInterest(.read) }
    }

    /// `disable frontend`: a TCP socket leaves the LISTEN state (clients are refused, queued ones
    /// reset), as haproxy 2.6 does on Linux; a Unix socket only stops being watched, as there.
    /// Only the thread that owns the socket changes it; the others stop watching.
    func disable(loop: EventLoop) throws {
        let wasListening = pause != .disabled && !suspended
        pause(.disabled, loop: loop)
        resumeTimer?.cancel()
        if wasListening { try stopListening() }
    }

    /// `enable frontend`: listening again with the configured backlog (unless SIGTTOU holds it
    /// suspended), then watched.
    func enable() throws {
        if pause == .disabled && !suspended { try listenAgain() }
        resume()
    }

    /// Takes the owned TCP socket out of LISTEN (connect(AF_UNSPEC)); the port stays bound.
    private func stopListening() throws {
        guard ownsFD, isTCP else { return }
        try fd.stopListening()
    }

    private func listenAgain() throws {
        guard ownsFD, isTCP else { return }
        try fd.listen(backlog: Int32(bind.backlog ?? 1024))
    }

    /// Stops listening for good (soft stop) with close() only, never shutdown(): the socket may
    /// have been handed to the next process, whose accept backlog it now is. A Unix socket file
    /// is left for the next process.
    func close() {
        watcher.setInterest([])
        resumeTimer?.cancel()
        pause = .disabled
        if ownsFD { fd.close() }
    }
}

/// A bind or socket-file failure, naming the config line it came from.
public struct ListenerError: Error, CustomStringConvertible {
    public let location: SourceLocation
    public let address: String
    public let reason: String
    /// EADDRINUSE: worth retrying once an old process paused its listeners.
    public let addressInUse: Bool

    init(bind: BindConfig, reason: String, addressInUse: Bool = false) {
        self.location = bind.location
        self.address = bind.address.description
        self.reason = reason
        self.addressInUse = addressInUse
    }

    init(location: SourceLocation, address: String, reason: String) {
        self.location = location
        self.address = address
        self.reason = reason
        self.addressInUse = false
    }

    public var description: String { "[\(location)] : cannot bind \(address): \(reason)" }
}

/// Unix stream sockets bound atomically (`FD.unixListener`), their failures naming the config line.
enum UnixListenSocket {
    static func bindAtomically(path: String, mode: UInt32?, uid: Int?, gid: Int?, backlog: Int32,
                               location: SourceLocation) throws -> FD {
        do {
            return try FD.unixListener(path: path, mode: mode, uid: uid, gid: gid, backlog: backlog)
        } catch let error as UnixListenerError {
            throw ListenerError(location: location, address: "unix@\(path)", reason: error.description)
        }
    }
}
