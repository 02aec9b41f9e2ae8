/// A `show info` value supplied by the runtime.
public enum InfoValue: Sendable, Equatable {
    case u(UInt64)
    case s(Int64)
    case str(String)
}

/// One `show info` field of haproxy 2.6 (position, name, typed tags/type, description).
public struct InfoField: Sendable {
    public let key: InfoKey
    public let pos: Int
    public let name: String
    let tags: String
    let type: String
    let desc: String

    /// The names haproxy 2.6 prints, in order.
    public static let names: [String] = all.map(\.name)

    init(_ key: InfoKey, pos: Int, name: String, tags: String, type: String, desc: String) {
        self.key = key
        self.pos = pos
        self.name = name
        self.tags = tags
        self.type = type
        self.desc = desc
    }

    /// The field haproxy prints under `name`.
    static func key(named name: String) -> InfoKey? {
        all.first { $0.name == name }?.key
    }
}

/// Renders `show info` in plain, typed and JSON forms. Fields the runtime omits are skipped,
/// as haproxy skips empty fields.
enum InfoRenderer {
    static func render(_ values: InfoValues, format: StatsFormat, withDescriptions: Bool,
                       into out: inout [UInt8]) {
        if format == .json { out.append(UInt8(ascii: "[")) }
        var first = true
        for f in InfoField.all {
            guard let v = values[f.key] else { continue }
            switch format {
            case .plain:
                out.append(f.name)
                out.append(": ")
                appendValue(v, into: &out)
                if withDescriptions { appendDescription(f, into: &out) }
                out.append(0x0A)
            case .typed:
                out.appendDecimal(UInt64(f.pos))
                out.append(".\(f.name).1:\(f.tags):\(f.type):")
                appendValue(v, into: &out)
                if withDescriptions { appendDescription(f, into: &out) }
                out.append(0x0A)
            case .json:
                if !first { out.append(UInt8(ascii: ",")) }
                out.append("{\"field\":{\"pos\":\(f.pos),\"name\":")
                out.appendJSONString(f.name)
                out.append("},\"processNum\":1,\"tags\":")
                out.append(StatTags.json(f.tags))
                out.append(",\"value\":{\"type\":\"\(f.type)\",\"value\":")
                if f.type == "str" {
                    switch v {
                    case .str(let s): out.appendJSONString(s)
                    case .u(let n): out.append(UInt8(ascii: "\"")); out.appendDecimal(n); out.append(UInt8(ascii: "\""))
                    case .s(let n): out.append(UInt8(ascii: "\"")); out.appendDecimal(n); out.append(UInt8(ascii: "\""))
                    }
                } else {
                    switch v {
                    case .str(let s): out.appendJSONString(s)
                    case .u(let n): out.appendDecimal(n)
                    case .s(let n): out.appendDecimal(n)
                    }
                }
                out.append("}}")
            }
            first = false
        }
        if format == .json { out.append(contentsOf: [UInt8(ascii: "]"), 0x0A]) }
    }

    /// `desc` appends `:"<description>"` to plain and typed lines alike.
    private static func appendDescription(_ f: InfoField, into out: inout [UInt8]) {
        out.append(":\"")
        out.append(f.desc)
        out.append(UInt8(ascii: "\""))
    }

    private static func appendValue(_ v: InfoValue, into out: inout [UInt8]) {
        switch v {
        case .u(let n): out.appendDecimal(n)
        case .s(let n): out.appendDecimal(n)
        case .str(let s): out.append(s)
        }
    }
}
