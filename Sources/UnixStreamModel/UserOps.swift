/// The user-level socket operations of §7.3; each call is one atomic scheduler step.
extension Machine {
    /// The close phase as seen by the scheduler: without the notice, `close()` starts at `strclose`.
    func effectiveClosePhase(_ id: EndpointID) -> ClosePhase {
        let phase = state.endpoints[id].closePhase
        return phase == .open && !configuration.sendsUnixCloseNotice ? .noticeSent : phase
    }

    /// Whether the program of `id` can take its next step now (not blocked, not finished).
    func userCanStep(_ id: EndpointID) -> Bool {
        switch state.users[id].program.nextAction {
        case .read:
            return !state.heads[id].queue.isEmpty || state.heads[id].eof
        case .write, .sendRights, .shutdownWrite:
            return true
        case .awaitDrained:
            return isDrained(id)
        case .close:
            switch effectiveClosePhase(id) {
            case .open, .drained, .closingSet, .closeSerDone: return true
            case .noticeSent:
                return configuration.closeMode == .nonblocking || state.endpoints[id].writeQueue.isEmpty
            case .awaitingCloseSer, .awaitingCloseFinish, .closed: return false
            }
        case .endSession, .finished:
            return false
        }
    }

    /// Nothing `id` wrote is still queued in the transport: own `te_wq` empty, no data job in the FIFO.
    func isDrained(_ id: EndpointID) -> Bool {
        state.endpoints[id].writeQueue.isEmpty && !state.serializer.contains { $0.carriesData(of: id) }
    }

    /// Performs the next step of `id`'s program; the caller checked `userCanStep`.
    mutating func userStep(_ id: EndpointID) {
        switch state.users[id].program.nextAction {
        case .read:
            read(id)
        case .write(let bytes):
            state.serializer.append(.writeData(id, bytes))
            state.users[id].written += bytes
            note("\(id) write(\(bytes.text))")
            state.users[id].program.complete(read: nil)
        case .sendRights(let bytes):
            state.serializer.append(.putqSer(id, .optData(bytes, .rights)))
            state.users[id].written += bytes
            note("\(id) sendmsg(\(bytes.text), SCM_RIGHTS)")
            state.users[id].program.complete(read: nil)
        case .shutdownWrite:
            if state.users[id].shutdownSent {
                note("\(id) shutdown (repeated: nothing sent)")
            } else {
                state.users[id].shutdownSent = true
                state.serializer.append(.putqSer(id, .ordrelRequest))
                note("\(id) shutdown(SHUT_WR)")
            }
            state.users[id].program.complete(read: nil)
        case .awaitDrained:
            note("\(id) drained: nothing of \(id) queued in the transport")
            state.users[id].program.complete(read: nil)
        case .close:
            closeStep(id)
        case .endSession, .finished:
            preconditionFailure("no user step for \(id) in \(state.users[id].program.nextAction)")
        }
    }

    /// One step of `close()`: notice, strclose, `te_closing`, `tl_close_ser`, `tl_close_finish_ser`.
    private mutating func closeStep(_ id: EndpointID) {
        switch effectiveClosePhase(id) {
        case .open:
            state.serializer.append(.putqSer(id, .optData([], .unixClose)))
            state.endpoints[id].closePhase = .noticeSent
            note("\(id) close: so_unix_close queues SO_UNIX_CLOSE")
        case .noticeSent:
            state.endpoints[id].closePhase = .drained
            let waitRule = configuration.closeMode == .blocking ? "\(id).wq empty" : "non-blocking"
            note("\(id) close: strclose, \(waitRule): no wait")
        case .drained:
            state.endpoints[id].closing = true
            state.endpoints[id].noWriteService = false
            state.endpoints[id].closePhase = .closingSet
            note("\(id) close: te_closing = 1")
        case .closingSet:
            state.serializer.append(.closeSer(id))
            state.endpoints[id].closePhase = .awaitingCloseSer
            note("\(id) close: enter tl_close_ser and wait")
        case .closeSerDone:
            state.endpoints[id].proceduresOff = true
            state.serializer.append(.closeFinish(id))
            state.endpoints[id].closePhase = .awaitingCloseFinish
            note("\(id) close: qprocsoff; enter tl_close_finish_ser and wait")
        case .awaitingCloseSer, .awaitingCloseFinish, .closed:
            preconditionFailure("close of \(id) is blocked")
        }
    }

    /// `read()`: one delivered message, else EOF; checks invariants (a) and (b) at the reader.
    /// (a) compares with the reader's `expectedInput` when the scenario set one, else with what the
    /// writer wrote.
    private mutating func read(_ id: EndpointID) {
        let reference = state.users[id].expectedInput ?? state.users[id.other].written
        if state.heads[id].queue.isEmpty {
            let expected = reference.count
            let received = state.users[id].readCount
            if received != expected {
                violate(.completeInOrder, "\(id) read EOF after \(received) of \(expected) bytes")
            }
            state.users[id].sawEOF = true
            note("\(id) read → EOF")
            state.users[id].program.complete(read: .endOfFile)
            return
        }
        let bytes = state.heads[id].queue.removeFirst()
        let start = state.users[id].readCount
        if start + bytes.count > reference.count || Array(reference[start..<start + bytes.count]) != bytes {
            violate(.completeInOrder, "\(id) read \(bytes.text) out of order")
        }
        if state.users[id].sawEOF {
            violate(.noDataAfterEOF, "\(id) read data after EOF")
        }
        state.users[id].readCount += bytes.count
        if state.heads[id].queue.isEmpty && state.heads[id].wantWrite {
            state.heads[id].wantWrite = false
            state.heads[id].backEnablePending = true
        }
        note("\(id) read → \(bytes.text)")
        state.users[id].program.complete(read: .bytes(bytes))
    }
}
