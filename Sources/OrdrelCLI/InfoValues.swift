/// `show info`'s values, one slot per field in haproxy's order (`InfoKey`): the CLI, the stats
/// page and the Prometheus exporter take it on every request, and an array indexed by the field
/// costs one allocation where a dictionary of 69 String keys hashed every name.
public struct InfoValues: Sendable, Equatable {
    private var slots = [InfoValue?](repeating: nil, count: InfoKey.allCases.count)

    public init() {}

    public subscript(key: InfoKey) -> InfoValue? {
        get { slots[key.rawValue] }
        set { slots[key.rawValue] = newValue }
    }

    /// By haproxy's field name (`Ulimit-n`, `Build info`...): for tests and captures. Setting
    /// a name haproxy does not print is a programming error.
    public subscript(name: String) -> InfoValue? {
        get { InfoField.key(named: name).flatMap { self[$0] } }
        set {
            guard let key = InfoField.key(named: name) else { preconditionFailure("no show info field \(name)") }
            self[key] = newValue
        }
    }

    /// The names of the fields that have a value, in haproxy's order.
    public var names: [String] {
        InfoField.all.filter { slots[$0.key.rawValue] != nil }.map(\.name)
    }
}
