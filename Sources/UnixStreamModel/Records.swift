/// The two socket ends of the modelled connection.
public enum EndpointID: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The client (the stats-socket user that connects and asks).
    case a
    /// The server (haproxy's CLI end that answers and closes).
    case b

    /// The other end of the connection.
    public var other: EndpointID { self == .a ? .b : .a }

    public var description: String { self == .a ? "A" : "B" }
}

/// A value for each end, indexable by `EndpointID`; keeps the state a flat, hashable value.
public struct PerEndpoint<Value: Hashable & Sendable>: Hashable, Sendable {
    public var a: Value
    public var b: Value

    public init(a: Value, b: Value) {
        self.a = a
        self.b = b
    }

    public subscript(id: EndpointID) -> Value {
        get { id == .a ? a : b }
        set { if id == .a { a = newValue } else { b = newValue } }
    }
}

/// TPI endpoint states of a connected COTSORD endpoint (`sys/tihdr.h`), plus the close marker.
public enum TPIState: Hashable, Sendable, CustomStringConvertible {
    /// `TS_DATA_XFER`: connected, both directions open.
    case dataXfer
    /// `TS_WIND_ORDREL`: this end sent T_ORDREL_REQ; it may receive but not send.
    case windOrdrel
    /// `TS_WREQ_ORDREL`: the peer sent its orderly release; this end may send but receives nothing more.
    case wreqOrdrel
    /// `TS_IDLE`: both directions released, or disconnected.
    case idle
    /// `-1`: set by `tl_close_finish_ser` on the closing endpoint.
    case closed

    /// `NEXTSTATE(TE_ORDREL_REQ, state)`; nil where the TPI table has no transition.
    var afterOrdrelRequest: TPIState? {
        switch self {
        case .dataXfer: .windOrdrel
        case .wreqOrdrel: .idle
        default: nil
        }
    }

    /// `NEXTSTATE(TE_ORDREL_IND, state)`; nil where the TPI table has no transition.
    var afterOrdrelIndication: TPIState? {
        switch self {
        case .dataXfer: .wreqOrdrel
        case .windOrdrel: .idle
        default: nil
        }
    }

    /// States in which the endpoint may send (`TE_DATA_REQ`, `tl_data`'s own-state set).
    var maySend: Bool { self == .dataXfer || self == .wreqOrdrel }

    /// States in which the endpoint may receive (`TE_DATA_IND`, `tl_data`'s peer-state set).
    var mayReceive: Bool { self == .dataXfer || self == .windOrdrel }

    public var description: String {
        switch self {
        case .dataXfer: "DX"
        case .windOrdrel: "WIND"
        case .wreqOrdrel: "WREQ"
        case .idle: "IDLE"
        case .closed: "-1"
        }
    }
}

/// Options carried by a T_OPTDATA_REQ.
public enum DataOption: Hashable, Sendable {
    /// SCM_RIGHTS: file descriptors travel with the bytes.
    case rights
    /// SO_UNIX_CLOSE: sockfs' zero-length close notice (`so_unix_close`).
    case unixClose
}

/// A STREAMS message on an endpoint's write queue.
public enum Message: Hashable, Sendable, CustomStringConvertible {
    /// M_DATA from `write()`.
    case data([UInt8])
    /// T_ORDREL_REQ from `shutdown(SHUT_WR)`.
    case ordrelRequest
    /// T_OPTDATA_REQ: bytes plus options (`sendmsg` with SCM_RIGHTS, or the SO_UNIX_CLOSE notice).
    case optData([UInt8], DataOption)

    /// The user bytes the message carries.
    var payload: [UInt8] {
        switch self {
        case .data(let bytes), .optData(let bytes, _): bytes
        case .ordrelRequest: []
        }
    }

    public var description: String {
        switch self {
        case .data(let bytes): "data(\(bytes.text))"
        case .ordrelRequest: "ordrel"
        case .optData(let bytes, .rights): "optdata(\(bytes.text)+fds)"
        case .optData(_, .unixClose): "unixclose"
        }
    }
}

/// Where a closing socket is inside `close()`: sockfs `sotpi_close`, `strclose`, `tl_close`.
public enum ClosePhase: Hashable, Sendable {
    /// `close()` not called yet.
    case open
    /// `so_unix_close` done (or skipped); next is the `strclose` drain check.
    case noticeSent
    /// `strclose` passed its drain wait; next `tl_close` sets `te_closing`.
    case drained
    /// `te_closing` set outside the serializer; next `tl_close_ser` is entered.
    case closingSet
    /// Blocked until `tl_close_ser` has run.
    case awaitingCloseSer
    /// `tl_close_ser` ran; next `qprocsoff` and `tl_close_finish_ser`.
    case closeSerDone
    /// Blocked until `tl_close_finish_ser` has run.
    case awaitingCloseFinish
    /// `close()` returned.
    case closed
}

/// A `tl` endpoint (`tl_endpt_t`): the transport half of one socket end.
public struct Endpoint: Hashable, Sendable {
    /// `te_state`.
    public var state: TPIState = .dataXfer
    /// `te_closing`: written by `tl_close` outside the serializer.
    public var closing = false
    /// `te_wq`: the STREAMS write queue, in order.
    public var writeQueue: [Message] = []
    /// `te_nowsrv`: set by `putbq`, stops the service loop until back-enabled.
    public var noWriteService = false
    /// The write service procedure is qenabled and waiting to start.
    public var serviceScheduled = false
    /// A `tl_wsrv_ser` job of this endpoint is in the serializer FIFO.
    public var serviceActive = false
    /// `qprocsoff` done: no more put or service procedures.
    public var proceduresOff = false
    /// `te_rq != NULL`; cleared by the own `tl_close_ser`.
    public var readQueueValid = true
    /// `te_conp != NULL`: linked to the other end.
    public var hasPeer = true
    /// Progress of this end's `close()`.
    public var closePhase: ClosePhase = .open
}

/// The stream head this endpoint's user reads from.
public struct StreamHead: Hashable, Sendable {
    /// Delivered messages in arrival order (each as the user bytes it carries).
    public var queue: [[UInt8]] = []
    /// STREOF: set by T_ORDREL_IND or T_DISCON_IND.
    public var eof = false
    /// `socantsendmore` from a received SO_UNIX_CLOSE notice or a discon after ordrel.
    public var cantSendMore = false
    /// T_DISCON_IND reason recorded when it arrived before EOF.
    public var disconnectReason: Int?
    /// `canputnext` limit in messages; nil is unbounded.
    public var capacity: Int?
    /// A writer found the head full (QWANTW): back-enable when drained.
    public var wantWrite = false
    /// The reader drained a wanted head: `tl_rsrv` must run.
    public var backEnablePending = false

    /// `canputnext(peer_rq)`.
    var canPut: Bool { capacity.map { queue.count < $0 } ?? true }
}

/// A job in the shared serializer FIFO (a `*_ser` callback with its argument).
public enum Job: Hashable, Sendable, CustomStringConvertible {
    /// `tl_wput_data_ser`: an M_DATA from `write()`.
    case writeData(EndpointID, [UInt8])
    /// `tl_putq_ser`: a T_ORDREL_REQ or T_OPTDATA_REQ.
    case putqSer(EndpointID, Message)
    /// `tl_wsrv_ser` entered from `tl_wsrv`.
    case writeService(EndpointID)
    /// `tl_rsrv_ser`: the reader's back-enable.
    case readService(EndpointID)
    /// `tl_close_ser`.
    case closeSer(EndpointID)
    /// `tl_close_finish_ser`.
    case closeFinish(EndpointID)

    /// Whether the job carries user bytes of `id` (a data write or a non-empty T_OPTDATA_REQ).
    func carriesData(of id: EndpointID) -> Bool {
        switch self {
        case .writeData(let e, _): e == id
        case .putqSer(let e, let m): e == id && !m.payload.isEmpty
        default: false
        }
    }

    public var description: String {
        switch self {
        case .writeData(let e, let bytes): "wput(\(e),\(bytes.text))"
        case .putqSer(let e, let m): "putq(\(e),\(m))"
        case .writeService(let e): "wsrv(\(e))"
        case .readService(let e): "rsrv(\(e))"
        case .closeSer(let e): "close(\(e))"
        case .closeFinish(let e): "finish(\(e))"
        }
    }
}

extension Array where Element == UInt8 {
    /// The bytes as one line of text for traces: line breaks escaped, and payloads longer than 24
    /// bytes (a CLI reply) shortened to a prefix and their size.
    var text: String {
        let abbreviated = count > 24
        let shown = abbreviated ? Array(prefix(16)) : self
        let escaped = String(decoding: shown, as: UTF8.self).map { $0 == "\n" ? "\\n" : String($0) }.joined()
        return abbreviated ? "\(escaped)…[\(count) B]" : escaped
    }
}
