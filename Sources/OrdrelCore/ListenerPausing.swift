import OrdrelSystem

/// haproxy's fallback for a reload that cannot bind next to the old process (no `-x`, no
/// SO_REUSEPORT): the new process sends SIGTTOU to the old pids, which stop listening on their
/// TCP ports, retries every 10 ms, and on giving up sends SIGTTIN so they listen again.
extension Runtime {
    /// haproxy's MAX_START_RETRIES: tries 10 ms apart before giving up on a busy address.
    static let maxStartTries = 200

    /// `start(inheriting:)` with haproxy's retry loop when old processes are named (`-sf`/`-st`)
    /// and nothing was inherited: a bind that fails with EADDRINUSE pauses the old processes and
    /// is retried; a final failure resumes them and is thrown.
    public func start(inheriting inherited: [InheritedSocket], oldProcesses: OldProcesses) throws {
        guard !oldProcesses.pids.isEmpty, inherited.isEmpty else { return try start(inheriting: inherited) }
        var paused = false
        for attempt in 1...Self.maxStartTries {
            do {
                try start(inheriting: [])
                return
            } catch let error as ListenerError where error.addressInUse && attempt < Self.maxStartTries {
                if !paused {
                    paused = true
                    logger.notice("\(error); pausing the old processes (SIGTTOU) and retrying.")
                    for failure in oldProcesses.signalAll(.ttyOutput) {
                        logger.warning("Cannot pause old process \(failure.pid): \(failure.reason).")
                    }
                }
                Threads.sleep(milliseconds: 10)
            } catch {
                if paused {
                    logger.warning("Giving up binding; resuming the old processes (SIGTTIN).")
                    _ = oldProcesses.signalAll(.ttyInput)
                }
                throw error
            }
        }
    }

    /// SIGTTOU: stop listening on every TCP `bind` this process alone holds (never one inherited
    /// or handed over: another process's accept queue is the same socket). Unix binds never block
    /// a new process (they are bound under a temporary name, then renamed) and stats sockets keep
    /// answering. Runs isolated.
    func suspendListeners() {
        guard stopMode == .running else { return }
        var proxies: [String] = []
        // Threads that only watch a socket stop before the owning thread shuts it.
        for worker in workers.reversed() {
            for listener in worker.listeners where listener.isTCP && !listener.inherited && !listenersExported && !listener.suspended {
                listener.suspend()
                if worker === workers[0] { proxies.append(listener.proxy.name) }
            }
        }
        if !proxies.isEmpty { logger.notice("Paused frontends (SIGTTOU): \(Set(proxies).sorted().joined(separator: ", ")).") }
    }

    /// SIGTTIN: listen again on what SIGTTOU suspended. A socket that cannot listen again (its
    /// port was taken meanwhile) stays suspended on every thread. Runs isolated.
    func resumeSuspendedListeners() {
        guard stopMode == .running else { return }
        var proxies: [String] = []
        for owner in workers[0].listeners where owner.suspended {
            do {
                try owner.unsuspend()
            } catch {
                logger.warning("Frontend \(owner.proxy.name): cannot listen again on \(owner.bind.address): \(error).")
                continue
            }
            proxies.append(owner.proxy.name)
            for worker in workers.dropFirst() {
                for listener in worker.listeners where listener.fd == owner.fd { try? listener.unsuspend() }
            }
        }
        if !proxies.isEmpty { logger.notice("Resumed frontends (SIGTTIN): \(Set(proxies).sorted().joined(separator: ", ")).") }
    }

    /// Whether a listener of `proxy` is suspended (`show stat` status `PAUSED`, as haproxy).
    func isSuspended(_ proxy: Proxy) -> Bool {
        workers[0].listeners.contains { $0.proxy === proxy && $0.suspended }
    }
}
