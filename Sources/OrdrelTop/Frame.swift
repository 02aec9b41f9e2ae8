/// How a piece of text is drawn on a terminal; plain output ignores it.
public struct Style: Equatable, Sendable {
    /// The ANSI foreground colours `top` uses.
    public enum Color: Equatable, Sendable {
        case red
        case green
        case yellow
        case blue
    }

    public var color: Color?
    public var bold = false
    public var reverse = false
    public var underline = false

    public init(color: Color? = nil, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.color = color
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    public static let plain = Style()

    /// The SGR sequence that sets this style from a reset; empty for `plain`.
    var sgr: String {
        var codes: [String] = []
        if bold { codes.append("1") }
        if underline { codes.append("4") }
        if reverse { codes.append("7") }
        switch color {
        case .red: codes.append("31")
        case .green: codes.append("32")
        case .yellow: codes.append("33")
        case .blue: codes.append("34")
        case nil: break
        }
        return codes.isEmpty ? "" : "\u{1b}[" + codes.joined(separator: ";") + "m"
    }
}

/// A run of text in one style.
public struct Span: Equatable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// One screen line: spans left to right.
public struct Line: Equatable, Sendable {
    public var spans: [Span]

    public init(_ spans: [Span]) { self.spans = spans }

    public init(_ text: String, _ style: Style = .plain) { spans = [Span(text, style)] }

    /// The characters without styles.
    public var text: String { spans.map(\.text).joined() }

    /// The first `width` characters; a style that covers the line (the selection bar) is
    /// padded out to `width` so it spans the whole row.
    public func truncated(to width: Int, padWith fill: Style? = nil) -> Line {
        var left = max(0, width)
        var kept: [Span] = []
        for span in spans where left > 0 {
            let piece = String(span.text.prefix(left))
            left -= piece.count
            kept.append(Span(piece, span.style))
        }
        if let fill, left > 0 { kept.append(Span(String(repeating: " ", count: left), fill)) }
        return Line(kept)
    }
}

/// A whole screen: what `TopScreen` renders, drawn by `ansi` on a terminal or `plain` elsewhere.
public struct Frame: Equatable, Sendable {
    public var lines: [Line]

    public init(_ lines: [Line]) { self.lines = lines }

    /// The lines as text without trailing blanks, each ending in a newline: what a pipe or file gets.
    public var plain: String {
        lines.map { line in
            var text = line.text
            while text.last == " " { text.removeLast() }
            return text + "\n"
        }.joined()
    }

    /// Escapes that redraw the screen in place without clearing it first (no flicker): each line
    /// is written at its row, the rest of a short line and everything below the frame erased.
    /// Lines must already fit `width` and `height` (`TopScreen` cuts them); a full-width line
    /// gets no erase, which on a terminal in its pending-wrap state would eat the last character.
    public func ansi(width: Int, height: Int) -> String {
        var out = ""
        for (row, line) in lines.enumerated() {
            out += "\u{1b}[\(row + 1);1H"
            for span in line.spans where !span.text.isEmpty {
                let sgr = span.style.sgr
                out += sgr.isEmpty ? span.text : sgr + span.text + "\u{1b}[0m"
            }
            if line.text.count < width { out += "\u{1b}[K" }
        }
        if lines.count < height { out += "\u{1b}[\(lines.count + 1);1H\u{1b}[J" }
        return out
    }
}

/// Escapes to enter and leave the full-screen view: the alternate screen (the shell's screen
/// comes back on exit) with the cursor hidden.
public enum ScreenMode {
    public static let enter = "\u{1b}[?1049h\u{1b}[?25l\u{1b}[H\u{1b}[2J"
    public static let leave = "\u{1b}[0m\u{1b}[?25h\u{1b}[?1049l"
}
