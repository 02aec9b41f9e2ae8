/// The size of the screen a frame is cut to.
public struct ScreenSize: Equatable, Sendable {
    public let rows: Int
    public let columns: Int

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }
}

/// A server state change the user asked for with `d`, `m` or `r`.
public struct StateChange: Equatable, Sendable {
    public let server: StatRow.ID
    /// `ready`, `drain` or `maint`.
    public let state: String

    public init(server: StatRow.ID, state: String) {
        self.server = server
        self.state = state
    }

    /// The stats-socket command that makes it.
    public var command: String { "set server \(server.proxy)/\(server.service) state \(state)" }
}

/// What the caller must do after a key.
public enum Effect: Equatable, Sendable {
    case quit
    /// Send `change.command`, then report with `changeFinished` and refresh at once.
    case change(StateChange)
}

/// The sans-IO core of `ordrelctl top`: `show stat`/`show info` results, keys and the terminal
/// size in; frames and effects out. Rows are grouped by proxy as the daemon lists them
/// (FRONTEND, servers, BACKEND); sorting orders the servers inside each proxy and the proxies
/// by their BACKEND (else FRONTEND) row. The selection follows its row across refreshes.
public struct TopScreen: Sendable {
    /// Whether the daemon answers.
    public enum Link: Equatable, Sendable {
        /// No answer yet.
        case connecting
        /// The last poll answered, at this wall-clock time.
        case live(at: String)
        /// The last poll failed for `reason`; `since` is the first failure of this outage.
        case lost(reason: String, since: String)
    }

    /// The result of the last action, for the bottom line.
    public enum Message: Equatable, Sendable {
        case done(String)
        case failed(String)
    }

    /// The stats socket, for the header.
    public let source: String
    /// Seconds between polls, for the header.
    public let interval: String
    public private(set) var link: Link = .connecting
    /// The last good data: kept on screen while the daemon is away.
    public private(set) var rows: [StatRow] = []
    public private(set) var info: InfoSummary?
    public private(set) var sort: SortKey = .config
    /// Sort the other way round from the key's default.
    public private(set) var inverted = false
    public private(set) var message: Message?
    /// nil: plain output, every row, no key help.
    public private(set) var size: ScreenSize?
    private var selectedID: StatRow.ID?
    private var selectedIndex = 0
    private var scroll = 0

    public init(source: String, interval: String, size: ScreenSize?) {
        self.source = source
        self.interval = interval
        self.size = size
    }

    // MARK: input

    /// A successful poll.
    public mutating func update(rows: [StatRow], info: InfoSummary?, at clock: String) {
        self.rows = rows
        self.info = info
        link = .live(at: clock)
        settle()
    }

    /// A failed poll; the rows stay as they were.
    public mutating func pollFailed(_ reason: String, at clock: String) {
        if case .lost(_, let since) = link {
            link = .lost(reason: reason, since: since)
        } else {
            link = .lost(reason: reason, since: clock)
        }
    }

    public mutating func resize(_ size: ScreenSize?) {
        self.size = size
        settle()
    }

    /// A key press; what the caller must do about it, if anything.
    public mutating func handle(_ key: Key) -> Effect? {
        let page = max(1, viewportHeight ?? 1)
        switch key {
        case .up, .character("k"): select(selectedIndex - 1)
        case .down, .character("j"): select(selectedIndex + 1)
        case .pageUp: select(selectedIndex - page)
        case .pageDown, .character(" "): select(selectedIndex + page)
        case .home, .character("g"): select(0)
        case .end, .character("G"): select(Int.max / 2)
        case .character(">"), .character("."):
            cycleSort(by: 1)
        case .character("<"), .character(","):
            cycleSort(by: SortKey.allCases.count - 1)
        case .character("i"):
            inverted.toggle()
            settle()
        case .character("d"): return change(to: "drain")
        case .character("m"): return change(to: "maint")
        case .character("r"): return change(to: "ready")
        case .character("q"), .character("Q"), .interrupt: return .quit
        default: break
        }
        return nil
    }

    /// The reply to a state change: an empty reply is success, anything else the daemon's
    /// words (`No such server.`); `transportError` when the socket could not be reached.
    public mutating func changeFinished(_ change: StateChange, reply: String?, transportError: String? = nil) {
        let name = "\(change.server.proxy)/\(change.server.service)"
        if let transportError {
            message = .failed("\(name): state \(change.state) not sent: \(transportError)")
            return
        }
        let words = (reply ?? "").split(separator: "\n").joined(separator: " ")
        message = words.isEmpty ? .done("\(name): state set to \(change.state)")
                                : .failed("\(name): state \(change.state): \(words)")
    }

    // MARK: selection and order

    /// Rows in display order.
    public var orderedRows: [StatRow] {
        var groups: [(proxy: String, rows: [StatRow])] = []
        var groupIndex: [String: Int] = [:]
        for row in rows {
            if let index = groupIndex[row.id.proxy] {
                groups[index].rows.append(row)
            } else {
                groupIndex[row.id.proxy] = groups.count
                groups.append((row.id.proxy, [row]))
            }
        }
        guard sort != .config else { return groups.flatMap(\.rows) }
        let ordered = groups.map { group -> [StatRow] in
            let servers = group.rows.filter { $0.kind == .server }
            let leading = group.rows.filter { $0.kind == .frontend || $0.kind == .listener }
            let trailing = group.rows.filter { $0.kind == .backend }
            return leading + sorted(servers) + trailing
        }
        let summaries = ordered.map { rows in rows.last { $0.kind == .backend } ?? rows.first! }
        return sortedIndices(summaries).flatMap { ordered[$0] }
    }

    /// The selected row, if there are rows.
    public var selectedRow: StatRow? {
        let ordered = orderedRows
        return ordered.indices.contains(selectedIndex) ? ordered[selectedIndex] : nil
    }

    private func sorted(_ rows: [StatRow]) -> [StatRow] { sortedIndices(rows).map { rows[$0] } }

    /// Stable: ties keep the daemon's order.
    private func sortedIndices(_ rows: [StatRow]) -> [Int] {
        let descending = sort.descendingByDefault != inverted
        return rows.indices.sorted { i, j in
            guard let ascending = sort.ascending(rows[i], rows[j]) else { return i < j }
            return ascending != descending
        }
    }

    private mutating func cycleSort(by step: Int) {
        let all = SortKey.allCases
        sort = all[(all.firstIndex(of: sort)! + step) % all.count]
        inverted = false
        settle()
    }

    private mutating func select(_ index: Int) {
        let ordered = orderedRows
        selectedIndex = max(0, min(index, ordered.count - 1))
        selectedID = ordered.indices.contains(selectedIndex) ? ordered[selectedIndex].id : nil
        scrollToSelection(count: ordered.count)
    }

    /// After the rows, the order or the size changed: find the selected row again (or keep the
    /// position when it is gone) and keep it on screen.
    private mutating func settle() {
        let ordered = orderedRows
        if let selectedID, let index = ordered.firstIndex(where: { $0.id == selectedID }) {
            selectedIndex = index
        }
        select(selectedIndex)
    }

    private mutating func scrollToSelection(count: Int) {
        guard let height = viewportHeight, height > 0 else {
            scroll = 0
            return
        }
        if selectedIndex < scroll { scroll = selectedIndex }
        if selectedIndex >= scroll + height { scroll = selectedIndex - height + 1 }
        scroll = max(0, min(scroll, count - height))
    }

    private mutating func change(to state: String) -> Effect? {
        guard let row = selectedRow else { return nil }
        guard row.kind == .server else {
            message = .failed("\(row.id.proxy)/\(row.id.service) is no server: select a server row for d, m, r")
            return nil
        }
        return .change(StateChange(server: row.id, state: state))
    }

    // MARK: output

    /// Table rows that fit between the three top lines and the bottom line; nil in plain mode.
    private var viewportHeight: Int? { size.map { max(0, $0.rows - 4) } }

    /// The screen: header, key help, column titles, rows, message; cut to the size. In plain
    /// mode: header, titles and every row, uncut.
    public func render() -> Frame {
        let ordered = orderedRows
        let widths = columnWidths(ordered)
        var lines: [Line] = [headerLine]
        if size != nil { lines.append(helpLine) }
        lines.append(Line(Column.allCases.map { column in
            let style = Style(bold: true, reverse: true, underline: column == sort.column)
            return Span(pad(column.title, widths[column], right: column.rightAligned), style)
        }.separated(by: Span(" ", Style(bold: true, reverse: true)))))
        let visible = viewportHeight.map { ordered.dropFirst(scroll).prefix($0) } ?? ordered[...]
        for (index, row) in zip(visible.indices, visible) {
            lines.append(rowLine(row, widths: widths, selected: size != nil && index == selectedIndex))
        }
        guard let size else { return Frame(lines) }
        while lines.count < size.rows - 1 { lines.append(Line([])) }
        lines.append(bottomLine(count: ordered.count))
        return Frame(lines.prefix(size.rows).enumerated().map { index, line in
            line.truncated(to: size.columns, padWith: index == 2 ? Style(reverse: true) : nil)
        })
    }

    private var headerLine: Line {
        switch link {
        case .connecting:
            return Line("\(source): connecting...", Style(bold: true))
        case .live(let clock):
            let refresh = Span("every \(interval)s  \(clock)")
            guard let summary = info?.line, !summary.isEmpty else { return Line([refresh]) }
            return Line([Span(summary, Style(bold: true)), Span("  "), refresh])
        case .lost(let reason, let since):
            // The news first: a narrow terminal cuts the end.
            return Line("unreachable since \(since), retrying every \(interval)s: \(source): \(reason)",
                        Style(color: .red, bold: true))
        }
    }

    private var helpLine: Line {
        let order = sort == .config ? sort.label
                                    : "\(sort.label) \(sort.descendingByDefault != inverted ? "desc" : "asc")"
        return Line([Span("sort: \(order)", Style(bold: true)),
                     Span("  up/down j/k: select  < >: sort  i: invert  d: drain  m: maint  r: ready  q: quit")])
    }

    private func bottomLine(count: Int) -> Line {
        switch message {
        case .done(let text): return Line(text, Style(color: .green, bold: true))
        case .failed(let text): return Line(text, Style(color: .red, bold: true))
        case nil:
            let servers = rows.filter { $0.kind == .server }.count
            let proxies = Set(rows.map(\.id.proxy)).count
            return Line("row \(count == 0 ? 0 : selectedIndex + 1)/\(count)  \(proxies) proxies  \(servers) servers")
        }
    }

    private func rowLine(_ row: StatRow, widths: [Column: Int], selected: Bool) -> Line {
        let spans = Column.allCases.map { column -> Span in
            var style = Style()
            if column == .status { style.color = Self.color(row.status) }
            if column == .server && row.kind != .server { style.bold = true }
            let text = column == .server && row.kind == .server ? "  " + row.id.service : column.cell(row)
            return Span(pad(text, widths[column], right: column.rightAligned), style)
        }.separated(by: Span(" "))
        guard selected else { return Line(spans) }
        let bar = Line(spans.map { Span($0.text, Style(color: $0.style.color, bold: $0.style.bold, reverse: true)) })
        return bar.truncated(to: size?.columns ?? 0, padWith: Style(reverse: true))
    }

    /// UP/OPEN green, DOWN red, DRAIN/NOLB yellow, MAINT blue; `no check` and the rest plain.
    static func color(_ status: String) -> Style.Color? {
        if status.hasPrefix("UP") || status == "OPEN" { return .green }
        if status.hasPrefix("DOWN") { return .red }
        if status.hasPrefix("DRAIN") || status.hasPrefix("NOLB") { return .yellow }
        if status.hasPrefix("MAINT") { return .blue }
        return nil
    }

    /// Fixed widths, the name columns as wide as their longest entry (capped), the last column
    /// unbounded (nil).
    private func columnWidths(_ rows: [StatRow]) -> [Column: Int] {
        var widths: [Column: Int] = [:]
        for column in Column.allCases { widths[column] = column.width }
        widths[.proxy] = min(24, max(Column.proxy.title.count, rows.map(\.id.proxy.count).max() ?? 0))
        widths[.server] = min(20, max(Column.server.title.count, rows.map { $0.id.service.count + 2 }.max() ?? 0))
        widths[.lastCheck] = nil
        return widths
    }

    /// `text` cut or padded to `width` (nil: as is).
    private func pad(_ text: String, _ width: Int?, right: Bool) -> String {
        guard let width else { return text }
        if text.count >= width { return String(text.prefix(width)) }
        let fill = String(repeating: " ", count: width - text.count)
        return right ? fill + text : text + fill
    }
}

extension Array where Element == Span {
    /// The spans with `separator` between each two.
    func separated(by separator: Span) -> [Span] {
        var out: [Span] = []
        for (index, span) in enumerated() {
            if index > 0 { out.append(separator) }
            out.append(span)
        }
        return out
    }
}
