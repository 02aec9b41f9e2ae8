/// What `tl_putq_ser` does with a message on an endpoint whose `te_closing` is set.
public enum ClosingPutqRule: Hashable, Sendable {
    /// `tl_wput_ser` at once, overtaking whatever is on `te_wq` (illumos, before and after #12694).
    case processImmediately
    /// Process at once only if `te_wq` is empty, else `putq` behind it (the model's §7.6 proposal).
    case queueBehindWriteQueue
}

/// A `tl` kernel variant: the code is shared, the variants differ only in these values.
public struct KernelVariant: Hashable, Sendable, CustomStringConvertible {
    /// Name used on the command line and in reports.
    public let name: String
    /// Peer states that `tl_wput_data_ser`'s fast path accepts (the line #12694 changed).
    public let fastPathPeerStates: Set<TPIState>
    /// `tl_putq_ser`'s behaviour once closing.
    public let closingPutqRule: ClosingPutqRule

    /// Before illumos #12694: the peer test lists the sender-side set {DATA_XFER, WREQ_ORDREL}.
    public static let illumosPre12694 = KernelVariant(
        name: "illumos-pre-12694", fastPathPeerStates: [.dataXfer, .wreqOrdrel],
        closingPutqRule: .processImmediately)
    /// illumos #12694 (commit b8ffbd31): the peer test also accepts WIND_ORDREL.
    public static let illumos12694 = KernelVariant(
        name: "illumos-12694", fastPathPeerStates: [.dataXfer, .windOrdrel, .wreqOrdrel],
        closingPutqRule: .processImmediately)
    /// The #12694 fix plus queueing `tl_putq_ser` messages behind a non-empty `te_wq` when closing.
    public static let queueBehind = KernelVariant(
        name: "queue-behind", fastPathPeerStates: [.dataXfer, .windOrdrel, .wreqOrdrel],
        closingPutqRule: .queueBehindWriteQueue)

    /// Every variant, in report order.
    public static let all: [KernelVariant] = [illumosPre12694, illumos12694, queueBehind]

    /// The variant with this command-line name.
    public static func named(_ name: String) -> KernelVariant? {
        all.first { $0.name == name }
    }

    public var description: String { name }
}
