import OrdrelCLI
import OrdrelConfig
import OrdrelEventLoop
import OrdrelSystem

/// One name server of a `resolvers` section on thread 0's loop: its c-ares channel, an `ev_io`
/// per socket the channel wants watched and an `ev_timer` for its next time-out. Nothing blocks:
/// c-ares only reads and writes when libev says a socket is ready.
final class NameserverLink {
    let config: NameserverConfig
    private let channel: DNSChannel
    private let loop: EventLoop
    /// `show resolvers` counters.
    var counters = NameserverCounters()
    private var watchers: [Int32: IOWatcher] = [:]
    private var timer: TimerWatcher!

    init(config: NameserverConfig, section: ResolversConfig, loop: EventLoop) throws {
        self.config = config
        self.loop = loop
        channel = try DNSChannel(server: config.address, timeoutMs: Int(section.retryTimeoutMs),
                                 ednsPayload: section.acceptedPayloadSize)
        timer = TimerWatcher(loop: loop) { [unowned(unsafe) self] in self.ready(fd: nil, events: []) }
    }

    /// Sends a query; `completion` runs on this loop when the server answers or the query times out.
    func query(_ name: String, type: DNSRecordType, completion: @escaping (DNSAnswer) -> Void) {
        counters.sent += 1
        channel.query(name, type: type, completion: completion)
        sync()
    }

    /// Stops watching (the process is stopping); pending queries never complete.
    func stop() {
        for watcher in watchers.values { watcher.setInterest([]) }
        watchers = [:]
        timer.cancel()
    }

    /// A socket is ready (or, with no fd, the time-out passed): c-ares reads, writes, expires.
    private func ready(fd: Int32?, events: IOEvents) {
        channel.process(readable: events.contains(.read) ? fd : nil, writable: events.contains(.write) ? fd : nil)
        sync()
    }

    /// Watches exactly the sockets c-ares wants now and arms the timer for its next time-out.
    /// Each watcher is registered afresh: c-ares may have closed a socket and opened another
    /// under the same fd number meanwhile (after an ICMP refusal), which the kernel dropped from
    /// epoll, and only a new registration (`ev_io_set`) adds it again.
    private func sync() {
        let wanted = channel.sockets()
        for (fd, watcher) in watchers where !wanted.contains(where: { $0.fd == fd }) {
            watcher.setInterest([])
            watchers[fd] = nil
        }
        for socket in wanted {
            let fd = socket.fd
            let watcher = watchers[fd] ?? IOWatcher(loop: loop, fd: fd) { [unowned(unsafe) self] events in
                self.ready(fd: fd, events: events)
            }
            watchers[fd] = watcher
            watcher.setInterest([])
            watcher.setInterest((socket.read ? IOEvents.read : []).union(socket.write ? .write : []))
        }
        if let ms = channel.nextTimeoutMs() { timer.schedule(after: Double(ms) / 1000) } else { timer.cancel() }
    }
}

/// One name being resolved for one or more servers, again every `timeout resolve`.
final class DNSResolution {
    let name: String
    var attempt: ResolutionAttempt
    /// The servers this name gives their address (or, for a SRV label, the template's servers).
    var servers: [Server] = []
    /// Tells answers to the query in flight from late ones (`outdated`).
    var generation = 0
    var running = false
    /// When the last valid answer came (the `hold` periods count from it; from the start, as
    /// haproxy, before the first).
    var lastValidMs: UInt64
    var timer: TimerWatcher?

    init(name: String, preferred: DNSRecordType, retries: Int, nowMs: UInt64) {
        self.name = name
        attempt = ResolutionAttempt(preferred: preferred, retries: retries)
        lastValidMs = nowMs
    }
}

/// A `resolvers` section at run time: its name servers and the resolutions of the servers that
/// name it. Runs on thread 0; server changes are applied isolated.
final class ResolversSection {
    let config: ResolversConfig
    let links: [NameserverLink]
    private unowned(unsafe) let runtime: Runtime
    /// By name and preferred type.
    private var resolutions: [String: DNSResolution] = [:]
    /// SRV template servers: their record and when it was last answered.
    var serviceSlots: [ObjectIdentifier: (record: DNSServiceRecord, seenMs: UInt64)] = [:]

    init(config: ResolversConfig, runtime: Runtime) throws {
        self.config = config
        self.runtime = runtime
        links = try config.nameservers.map { try NameserverLink(config: $0, section: config, loop: runtime.loop) }
    }

    /// The resolution of `name` for `server`, created on first use.
    func attach(_ server: Server, name: String, service: Bool) {
        let preferred: DNSRecordType = service ? .srv : (server.config.resolution.preferIPv4 ? .a : .aaaa)
        let key = "\(name)/\(preferred.rawValue)"
        let resolution = resolutions[key] ?? {
            let created = DNSResolution(name: name, preferred: preferred, retries: config.resolveRetries, nowMs: runtime.nowMs)
            created.timer = TimerWatcher(loop: runtime.loop) { [unowned(unsafe) self, unowned(unsafe) created] in self.run(created) }
            resolutions[key] = created
            return created
        }()
        resolution.servers.append(server)
        if !resolution.running && resolution.timer?.isActive != true { resolution.timer?.schedule(after: 0) }
    }

    /// Takes `server` off the resolution of `name` (its SRV record changed or went away).
    func detach(_ server: Server, name: String) {
        for resolution in resolutions.values where resolution.name == name {
            resolution.servers.removeAll { $0 === server }
        }
    }

    /// Stops every query and timer (the process is stopping).
    func stop() {
        links.forEach { $0.stop() }
        for resolution in resolutions.values {
            resolution.timer?.cancel()
            resolution.running = false
        }
    }

    /// Starts a resolution: the preferred type to every name server.
    private func run(_ resolution: DNSResolution) {
        guard !resolution.servers.isEmpty else { return }
        resolution.attempt = ResolutionAttempt(preferred: resolution.attempt.preferred, retries: config.resolveRetries)
        resolution.running = true
        send(resolution, type: resolution.attempt.preferred)
    }

    private func send(_ resolution: DNSResolution, type: DNSRecordType) {
        resolution.generation += 1
        let generation = resolution.generation
        resolution.attempt.sent(to: links.count)
        for link in links {
            link.query(resolution.name, type: type) { [unowned(unsafe) self, unowned(unsafe) link] answer in
                self.answered(resolution, by: link, generation: generation, answer)
            }
        }
    }

    private func answered(_ resolution: DNSResolution, by link: NameserverLink, generation: Int, _ answer: DNSAnswer) {
        link.counters.count(answer)
        guard resolution.running, generation == resolution.generation else {
            link.counters.outdated += 1
            return
        }
        switch resolution.attempt.receive(answer) {
        case .wait:
            break
        case .query(let type):
            send(resolution, type: type)
        case .valid(let answer):
            resolution.running = false
            resolution.lastValidMs = runtime.nowMs
            let changed = runtime.isolated { runtime.dnsAnswered(resolution, answer, section: self, by: link) }
            if changed { link.counters.update += 1 }
            resolution.timer?.schedule(after: Double(config.resolveIntervalMs) / 1000)
        case .failed(let failure):
            resolution.running = false
            runtime.isolated { runtime.dnsFailed(resolution, failure, section: self) }
            resolution.timer?.schedule(after: Double(config.resolveIntervalMs) / 1000)
        }
    }
}

extension NameserverCounters {
    /// Counts one answer in its category.
    mutating func count(_ answer: DNSAnswer) {
        switch answer {
        case .addresses, .services: valid += 1
        case .failure(.nx): nx += 1
        case .failure(.noAnswer): anyError += 1
        case .failure(.refused): refused += 1
        case .failure(.timeout): timeout += 1
        case .failure(.invalid): invalid += 1
        case .failure(.other): other += 1
        }
    }
}
