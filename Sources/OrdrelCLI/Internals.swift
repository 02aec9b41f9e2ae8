/// `show fd`, `show pools` and `show threads`: ordrel's fds, pools and loop threads as plain
/// values, and their rendering in haproxy 2.6's layouts (src/cli.c, src/pool.c, src/debug.c).
/// Fields that describe haproxy machinery ordrel lacks print haproxy's value for "none"; the
/// choices are listed in docs/stats-socket.md.

/// One open fd that an event loop watches (`show fd`).
public struct FDInfo: Sendable, Equatable {
    /// What the fd is, as haproxy's `iocb` classifies it.
    public enum Kind: Sendable, Equatable {
        /// A listening socket of a frontend (`GLOBAL` for a stats socket); `state` is haproxy's
        /// `l.st` (`RDY`, `PAU`, `FUL`, `LIM`).
        case listener(frontend: String, state: String)
        /// The client side of a stream or of a CLI session (`fe=`).
        case frontendConnection(frontend: String)
        /// A connection to a server, of a stream or a health check (`sv=`).
        case serverConnection(backend: String, server: String)
    }

    public var fd: Int32
    public var kind: Kind
    /// Address of the ordrel object owning the fd (listener, stream, CLI session, check).
    public var owner: UInt
    /// Address of the watcher whose callback handles the fd's events.
    public var handler: UInt
    /// Threads whose loop watches the fd (bit n = thread n+1), and those waiting to read / write.
    public var threadMask: UInt64
    public var readPolledMask: UInt64 = 0
    public var writePolledMask: UInt64 = 0
    /// The last I/O left data to read / room to write (ordrel's speculative-I/O readiness).
    public var readReady = false
    public var writeReady = false
    /// The read side saw EOF / ordrel shut the write side.
    public var readShut = false
    public var writeShut = false
    /// A connect() still in progress.
    public var connecting = false
    /// "ipv4", "ipv6" or "unix" (getsockname), nil when unknown; local and peer ports for TCP.
    public var family: String?
    public var localPort: UInt16?
    public var remotePort: UInt16?
    /// The stream or session driving a connection (haproxy's mux context).
    public var context: UInt = 0

    public init(fd: Int32, kind: Kind, owner: UInt, handler: UInt, threadMask: UInt64) {
        self.fd = fd
        self.kind = kind
        self.owner = owner
        self.handler = handler
        self.threadMask = threadMask
    }
}

/// One object pool (`show pools`): objects allocated (in use or kept idle) and in use.
public struct PoolInfo: Sendable, Equatable {
    public var name: String
    public var size: Int
    public var allocated: Int
    /// Handed out, idle per-thread ones included (haproxy counts its thread caches as used).
    public var used: Int
    /// Idle objects kept in the threads' free lists (haproxy's thread caches).
    public var cached: Int
    /// haproxy's sliding average of objects in use (`swrate` over 1024 samples).
    public var neededAverage: Int
    public var failures: Int
    /// Address of the first thread's pool object.
    public var address: UInt

    public init(name: String, size: Int, allocated: Int, used: Int, cached: Int, neededAverage: Int, failures: Int,
                address: UInt) {
        self.name = name
        self.size = size
        self.allocated = allocated
        self.used = used
        self.cached = cached
        self.neededAverage = neededAverage
        self.failures = failures
        self.address = address
    }
}

/// One loop thread (`show threads`).
public struct ThreadInfo: Sendable, Equatable {
    /// pthread id of the thread running the loop (0 before it started).
    public var pthreadID: UInt64
    /// The thread runs the CLI command (`*`).
    public var isCalling: Bool
    /// Work is queued for the loop by other threads (its mailbox): haproxy's shared run queue.
    public var hasQueuedWork: Bool
    /// The loop has timers armed (haproxy's wait queue).
    public var hasTimers: Bool
    /// Watchers whose events are pending, not yet run (haproxy's run queue and its size).
    public var pendingEvents: Int
    /// The thread is parked while the CLI runs (haproxy's `harmless`).
    public var isParked: Bool
    /// CPU time the thread has used, in ns (nil when the clock cannot be read).
    public var cpuNanoseconds: UInt64?
    /// The CLI session running on the calling thread: its address and the commands it ran.
    public var currentTask: (address: UInt, calls: UInt64)?

    public init(pthreadID: UInt64, isCalling: Bool, hasQueuedWork: Bool, hasTimers: Bool, pendingEvents: Int,
                isParked: Bool, cpuNanoseconds: UInt64?) {
        self.pthreadID = pthreadID
        self.isCalling = isCalling
        self.hasQueuedWork = hasQueuedWork
        self.hasTimers = hasTimers
        self.pendingEvents = pendingEvents
        self.isParked = isParked
        self.cpuNanoseconds = cpuNanoseconds
    }

    public static func == (a: ThreadInfo, b: ThreadInfo) -> Bool {
        a.pthreadID == b.pthreadID && a.isCalling == b.isCalling && a.hasQueuedWork == b.hasQueuedWork
            && a.hasTimers == b.hasTimers && a.pendingEvents == b.pendingEvents && a.isParked == b.isParked
            && a.cpuNanoseconds == b.cpuNanoseconds && a.currentTask?.address == b.currentTask?.address
            && a.currentTask?.calls == b.currentTask?.calls
    }
}

/// haproxy 2.6's text for `show fd`, `show pools` and `show threads`.
public enum InternalsRenderer {
    static func hex(_ v: UInt64) -> String { String(v, radix: 16) }

    /// C's `%p`: `0x...`, `(nil)` for 0.
    static func pointer(_ v: UInt) -> String { v == 0 ? "(nil)" : "0x" + String(v, radix: 16) }

    static func padLeft(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    static func padRight(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// One `show fd` line (cli_io_handler_show_fd, 2.6).
    public static func fdLine(_ f: FDInfo) -> String {
        var state: UInt32 = 0
        if f.readPolledMask != 0 { state |= 0x01 }
        if f.readReady { state |= 0x02 }
        if f.readShut { state |= 0x04 }
        if f.writePolledMask != 0 { state |= 0x10 }
        if f.writeReady { state |= 0x20 }
        if f.writeShut { state |= 0x40 }
        let stateHex = hex(UInt64(state))
        func flag(_ bit: UInt32, _ on: Character, _ off: Character) -> Character { state & bit != 0 ? on : off }
        var line = "  " + padLeft(String(f.fd), 5) + " : st=0x" + String(repeating: "0", count: max(0, 6 - stateHex.count))
            + stateHex + "(cl heopi W:" + String([flag(0x40, "S", "s"), flag(0x20, "R", "r"), flag(0x10, "A", "a")])
            + " R:" + String([flag(0x04, "S", "s"), flag(0x02, "R", "r"), flag(0x01, "A", "a")]) + ")"
        line += " ref=0 gid=1 tmask=0x\(hex(f.threadMask)) umask=0x0 prmsk=0x\(hex(f.readPolledMask))"
            + " pwmsk=0x\(hex(f.writePolledMask)) owner=\(pointer(f.owner)) iocb=\(pointer(f.handler))"
        func addresses() -> String {
            var s = f.family.map { " fam=\($0)" } ?? ""
            if f.family != "unix", let port = f.localPort { s += " lport=\(port)" }
            if f.family != "unix", let port = f.remotePort { s += " rport=\(port)" }
            return s
        }
        switch f.kind {
        case .listener(let frontend, let state):
            line += "(sock_accept_iocb) l.st=\(state) fe=\(frontend)" + addresses()
        case .frontendConnection(let frontend):
            line += "(sock_conn_iocb) back=0 cflg=0x\(connectionFlags(f, back: false)) cerr=0" + addresses()
                + " fe=\(frontend) mux=PASS ctx=\(pointer(f.context)) xprt=RAW"
        case .serverConnection(let backend, let server):
            line += "(sock_conn_iocb) back=1 cflg=0x\(connectionFlags(f, back: true)) cerr=0" + addresses()
                + " sv=\(backend)/\(server) mux=PASS ctx=\(pointer(f.context)) xprt=RAW"
        }
        return line + "\n"
    }

    /// haproxy's connection flags ordrel can state: CTRL_READY and XPRT_READY (0x300), shut read
    /// (0x40000) and write (0x80000), WAIT_L4_CONN (0x400000) and, for a server side, PRIVATE
    /// (0x10000000: never shared with another stream).
    static func connectionFlags(_ f: FDInfo, back: Bool) -> String {
        var flags: UInt32 = 0x300
        if f.readShut { flags |= 0x40000 }
        if f.writeShut { flags |= 0x80000 }
        if f.connecting { flags |= 0x400000 }
        if back { flags |= 0x1000_0000 }
        let h = hex(UInt64(flags))
        return String(repeating: "0", count: 8 - h.count) + h
    }

    /// `show fd [num]`: every fd in ascending order, or the one asked for (nothing if not open).
    public static func fds(_ all: [FDInfo], only: Int32? = nil) -> String {
        all.filter { only == nil || $0.fd == only }.sorted { $0.fd < $1.fd }.map(fdLine).joined()
    }

    /// `show pools` (dump_pools_to_trash, 2.6): sorted by object size, as haproxy creates them.
    public static func pools(_ pools: [PoolInfo]) -> String {
        var text = "Dumping pools usage. Use SIGQUIT to flush them.\n"
        var allocated = 0, used = 0, cached = 0
        for p in pools.sorted(by: { $0.size < $1.size }) {
            text += "  - Pool \(p.name) (\(p.size) bytes) : \(p.allocated) allocated (\(p.allocated * p.size) bytes), "
                + "\(p.used) used (~\(p.cached) by thread caches), needed_avg \(p.neededAverage), \(p.failures) failures, "
                + "1 users, @\(pointer(p.address))\n"
            allocated += p.allocated * p.size
            used += p.used * p.size
            cached += p.cached * p.size
        }
        return text + "Total: \(pools.count) pools, \(allocated) bytes allocated, \(used) used (~\(cached) by thread caches).\n"
    }

    /// `show threads` (ha_thread_dump, 2.6): four lines per thread; the calling thread's task is
    /// its CLI session (haproxy's applet and stream detail lines are left out). ordrel has no tasklets, watchdog or task profiling: `tl`, `tlsz`, `stuck`,
    /// `prof` and `wantrdv` are 0; `poll` is 0 as ordrel does not sample CPU time per poll.
    public static func threads(_ threads: [ThreadInfo]) -> String {
        var text = ""
        for (index, t) in threads.enumerated() {
            let number = index + 1
            let b = { (v: Bool) in v ? "1" : "0" }
            text += (t.isCalling ? "*" : " ") + " Thread " + padRight(String(number), 2)
                + ": id=0x\(hex(t.pthreadID)) act=\(b(t.isCalling || t.hasQueuedWork || t.pendingEvents > 0))"
                + " glob=\(b(t.hasQueuedWork)) wq=\(b(t.hasTimers)) rq=\(b(t.pendingEvents > 0)) tl=0 tlsz=0"
                + " rqsz=\(t.pendingEvents)\n"
            text += "     " + padLeft("1", 2) + "/" + padRight(String(number), 2) + "   stuck=0 prof=0"
                + " harmless=\(b(t.isParked)) wantrdv=0\n"
            let now = t.cpuNanoseconds ?? 0
            text += "             cpu_ns: poll=0 now=\(now) diff=\(now)\n"
            if let task = t.currentTask {
                // haproxy (built with Lua) ends a task's dump with an empty line.
                text += "             curr_task=\(pointer(task.address)) (task) calls=\(task.calls) last=0\n\n"
            } else {
                text += "             curr_task=0\n"
            }
        }
        return text
    }
}
