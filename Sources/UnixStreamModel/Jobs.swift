/// ECONNRESET as passed to `tl_discon_ind`.
let connectionResetReason = 104

/// The `tl` serializer jobs of §7.2; each runs atomically at the head of the FIFO.
extension Machine {
    /// Runs one serializer job.
    mutating func run(_ job: Job) {
        switch job {
        case .writeData(let id, let bytes): writeDataSer(id, bytes)
        case .putqSer(let id, let message): putqSer(id, message)
        case .writeService(let id): writeServiceSer(id)
        case .readService(let id): readServiceSer(id)
        case .closeSer(let id): closeSer(id)
        case .closeFinish(let id): closeFinishSer(id)
        }
    }

    /// `tl_wput_data_ser`: fast path to the peer's stream head, else onto the own `te_wq`.
    mutating func writeDataSer(_ id: EndpointID, _ bytes: [UInt8]) {
        let sender = state.endpoints[id]
        if let peer = peer(of: id),
           !state.endpoints[peer].closing,
           sender.state.maySend,
           sender.writeQueue.isEmpty,
           kernel.fastPathPeerStates.contains(state.endpoints[peer].state),
           state.endpoints[peer].readQueueValid,
           state.heads[peer].canPut || sender.closing {
            note("fast path: putnext to \(peer)")
            deliver(.data(bytes), to: peer)
        } else if sender.closing {
            if sender.state.maySend {
                note("no fast path, closing: putq on \(id).wq")
                putq(id, .data(bytes))
            } else {
                discard(.data(bytes), from: id, "no fast path, closing in \(sender.state)")
            }
        } else {
            let peerState = peer(of: id).map { "\(state.endpoints[$0].state)" } ?? "none"
            if let peer = peer(of: id), !state.heads[peer].canPut { state.heads[peer].wantWrite = true }
            note("no fast path (peer \(peerState)): putq on \(id).wq")
            putq(id, .data(bytes))
        }
    }

    /// `tl_putq_ser`: queue behind `te_wq`, or process at once when closing (per the kernel's rule).
    mutating func putqSer(_ id: EndpointID, _ message: Message) {
        let endpoint = state.endpoints[id]
        let processNow = endpoint.closing
            && (kernel.closingPutqRule == .processImmediately || endpoint.writeQueue.isEmpty)
        if processNow {
            note("\(id) closing: process \(message) now")
            process(id, message)
        } else {
            note("putq \(message) on \(id).wq")
            putq(id, message)
        }
    }

    /// `tl_wsrv_ser`: drain `te_wq` until empty or flow-controlled.
    mutating func writeServiceSer(_ id: EndpointID) {
        drainWriteQueue(id)
        state.endpoints[id].serviceActive = false
        let endpoint = state.endpoints[id]
        if !endpoint.writeQueue.isEmpty && !endpoint.noWriteService && !endpoint.proceduresOff {
            state.endpoints[id].serviceScheduled = true
        }
    }

    /// `tl_rsrv_ser`: the reader drained its stream head; re-enable the writer's service procedure.
    mutating func readServiceSer(_ reader: EndpointID) {
        guard let writer = peer(of: reader), !state.endpoints[writer].closing,
              [.dataXfer, .windOrdrel, .wreqOrdrel].contains(state.endpoints[reader].state)
        else {
            note("rsrv(\(reader)): nothing to enable")
            return
        }
        note("rsrv(\(reader)): qenable \(writer)")
        state.endpoints[writer].noWriteService = false
        enableService(writer)
    }

    /// `tl_close_ser`: drain `te_wq` in order (closing, so no flow control), then `te_rq = NULL`.
    mutating func closeSer(_ id: EndpointID) {
        drainWriteQueue(id)
        state.endpoints[id].readQueueValid = false
        state.endpoints[id].closePhase = .closeSerDone
        note("\(id) te_rq = NULL; tl_close resumes")
    }

    /// `tl_close_finish_ser`: state −1 and tell the peer; `close()` then returns.
    mutating func closeFinishSer(_ id: EndpointID) {
        state.endpoints[id].state = .closed
        coUnconnect(id)
        state.endpoints[id].closePhase = .closed
        state.users[id].program.complete(read: nil)
        note("\(id) close() returns")
    }

    /// The `tl_wsrv_ser` loop: `getq` and process while not flow-controlled.
    private mutating func drainWriteQueue(_ id: EndpointID) {
        while !state.endpoints[id].noWriteService, !state.endpoints[id].writeQueue.isEmpty {
            let message = state.endpoints[id].writeQueue.removeFirst()
            process(id, message)
        }
    }

    /// `tl_wput_common_ser` → `tl_data` or `tl_do_proto`/`tl_ordrel`.
    private mutating func process(_ id: EndpointID, _ message: Message) {
        switch message {
        case .data, .optData: transferData(id, message)
        case .ordrelRequest: orderlyRelease(id, message)
        }
    }

    /// `tl_data`: deliver a queued M_DATA or T_OPTDATA_REQ to the peer.
    private mutating func transferData(_ id: EndpointID, _ message: Message) {
        let sender = state.endpoints[id]
        if sender.closing && !sender.state.maySend {
            discard(message, from: id, "tl_data: \(id) closing in \(sender.state)")
            return
        }
        switch sender.state {
        case .idle:
            discard(message, from: id, "tl_data: \(id) IDLE")
            return
        case .dataXfer where !sender.hasPeer:
            errorPath(id, "tl_data(\(message)) in DX without peer")
            return
        case .wreqOrdrel where !sender.hasPeer:
            discard(message, from: id, "tl_data: \(id) WREQ without peer")
            disconnectIndication(id, reason: 0)
            return
        case .dataXfer, .wreqOrdrel:
            break
        default:
            errorPath(id, "tl_data(\(message)) in \(sender.state)")
            return
        }
        let peer = id.other
        if state.endpoints[peer].closing {
            discard(message, from: id, "tl_data: peer \(peer) closing")
            return
        }
        if !state.heads[peer].canPut && !sender.closing {
            note("tl_data(\(message)): \(peer) full: putbq")
            state.heads[peer].wantWrite = true
            putbq(id, message)
            return
        }
        guard state.endpoints[peer].state.mayReceive else {
            errorPath(peer, "tl_data(\(message)) to peer in \(state.endpoints[peer].state)")
            return
        }
        note("tl_data(\(message)): putnext to \(peer)")
        deliver(message, to: peer)
    }

    /// `tl_ordrel`: advance both states and set EOF at the peer's stream head.
    private mutating func orderlyRelease(_ id: EndpointID, _ message: Message) {
        let sender = state.endpoints[id]
        guard let next = sender.state.afterOrdrelRequest else {
            if sender.closing {
                note("tl_ordrel(\(id)) in \(sender.state), closing: freemsg")
            } else {
                errorPath(id, "tl_ordrel in \(sender.state)")
            }
            return
        }
        state.endpoints[id].state = next
        guard let peer = peer(of: id), !state.endpoints[peer].closing else {
            note("tl_ordrel(\(id)): \(id)→\(next); no live peer")
            return
        }
        if !state.heads[peer].canPut && !sender.closing {
            note("tl_ordrel(\(id)): \(id)→\(next); \(peer) full: putbq")
            state.heads[peer].wantWrite = true
            putbq(id, message)
            return
        }
        guard let peerNext = state.endpoints[peer].state.afterOrdrelIndication else {
            errorPath(peer, "tl_ordrel to peer in \(state.endpoints[peer].state)")
            return
        }
        state.endpoints[peer].state = peerNext
        state.heads[peer].eof = true
        note("tl_ordrel(\(id)): \(id)→\(next), \(peer)→\(peerNext), T_ORDREL_IND: EOF at \(peer)")
    }

    /// `tl_co_unconnect`: tell the surviving peer, then unlink when closing.
    mutating func coUnconnect(_ id: EndpointID) {
        guard let peer = peer(of: id) else { return }
        if state.endpoints[peer].closing {
            state.endpoints[id].hasPeer = false
            note("\(id) unlinked from closing \(peer)")
            return
        }
        switch state.endpoints[peer].state {
        case .dataXfer, .windOrdrel:
            let next = state.endpoints[peer].state.afterOrdrelIndication ?? .idle
            state.endpoints[peer].state = next
            state.heads[peer].eof = true
            state.endpoints[peer].noWriteService = false
            enableService(peer)
            note("unconnect: \(peer)→\(next), T_ORDREL_IND: EOF at \(peer)")
        case .wreqOrdrel:
            disconnectIndication(peer, reason: 0)
        default:
            disconnectIndication(peer, reason: connectionResetReason)
        }
        if state.endpoints[id].closing {
            state.endpoints[id].hasPeer = false
            state.endpoints[peer].hasPeer = false
        }
    }

    /// `tl_discon_ind` and sockfs' handling of the resulting M_FLUSH and T_DISCON_IND.
    private mutating func disconnectIndication(_ id: EndpointID, reason: Int) {
        guard !state.endpoints[id].closing else { return }
        state.endpoints[id].state = .idle
        flushWriteQueue(id, "M_FLUSH(FLUSHW)")
        if state.heads[id].eof {
            state.heads[id].cantSendMore = true
        } else {
            state.heads[id].disconnectReason = reason
            state.heads[id].eof = true
        }
        note("T_DISCON_IND(\(reason)) to \(id): \(id)→IDLE, \(id).wq flushed")
    }

    /// `tl_merror`: EPROTO; flush the own write queue and unconnect (sockfs ignores the M_ERROR).
    private mutating func errorPath(_ id: EndpointID, _ why: String) {
        guard !state.endpoints[id].closing else {
            note("\(why): \(id) closing: freemsg")
            return
        }
        markErrorPath()
        note("\(why): tl_merror(\(id), EPROTO)")
        flushWriteQueue(id, "tl_merror flushq")
        coUnconnect(id)
    }

    /// `putnext` to the peer's stream head; sockfs turns SO_UNIX_CLOSE into `socantsendmore`.
    private mutating func deliver(_ message: Message, to reader: EndpointID) {
        if case .optData(_, .unixClose) = message {
            state.heads[reader].cantSendMore = true
            return
        }
        if state.heads[reader].eof {
            violate(.noDataAfterEOF, "\(message) delivered to \(reader) after EOF")
        }
        state.heads[reader].queue.append(message.payload)
    }

    /// `flushq(te_wq, FLUSHALL)`.
    private mutating func flushWriteQueue(_ id: EndpointID, _ why: String) {
        let flushed = state.endpoints[id].writeQueue
        state.endpoints[id].writeQueue.removeAll()
        for message in flushed { discard(message, from: id, why) }
    }

    /// `TL_PUTQ`: append to `te_wq`, clear `te_nowsrv`, schedule the service procedure.
    private mutating func putq(_ id: EndpointID, _ message: Message) {
        state.endpoints[id].writeQueue.append(message)
        state.endpoints[id].noWriteService = false
        enableService(id)
    }

    /// `TL_PUTBQ`: put back at the front and stop the service loop.
    private mutating func putbq(_ id: EndpointID, _ message: Message) {
        state.endpoints[id].writeQueue.insert(message, at: 0)
        state.endpoints[id].noWriteService = true
    }

    /// `qenable`: schedule the write service procedure unless `qprocsoff` ran.
    private mutating func enableService(_ id: EndpointID) {
        if !state.endpoints[id].proceduresOff { state.endpoints[id].serviceScheduled = true }
    }
}
