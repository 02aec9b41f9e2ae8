import OrdrelTop
import XCTest

/// The screen model: order, selection, actions, outages and cutting frames to the terminal.
final class TopScreenTests: XCTestCase {
    private func row(_ proxy: String, _ service: String, _ kind: StatRow.Kind, status: String = "UP",
                     sessions: String = "0", bytesIn: String = "0", lastCheck: String = "") -> StatRow {
        StatRow(id: .init(proxy: proxy, service: service), kind: kind, status: status, queueCurrent: "0",
                sessionsCurrent: sessions, sessionsMax: "9", sessionsLimit: "100", rate: "0", bytesIn: bytesIn,
                bytesOut: "0", weight: "1", checkStatus: kind == .server ? "L4OK" : "", checkDuration: "0",
                lastCheck: lastCheck, lastChange: "75")
    }

    /// fe, then be with s1 (2 sessions), s2 (7) and s3 (5), then web with w1 (1).
    private var rows: [StatRow] {
        [row("fe", "FRONTEND", .frontend, status: "OPEN", sessions: "9"),
         row("be", "s1", .server, sessions: "2"), row("be", "s2", .server, status: "DRAIN", sessions: "7"),
         row("be", "s3", .server, status: "DOWN", sessions: "5"), row("be", "BACKEND", .backend, sessions: "14"),
         row("web", "w1", .server, sessions: "1", bytesIn: "3145728"), row("web", "BACKEND", .backend, sessions: "1")]
    }

    private func screen(_ size: ScreenSize? = ScreenSize(rows: 24, columns: 200)) -> TopScreen {
        var screen = TopScreen(source: "/run/admin.sock", interval: "2", size: size)
        screen.update(rows: rows, info: InfoSummary(parsing: "Name: ordrel\nVersion: 1.0\nPid: 7\n"), at: "12:00:00")
        return screen
    }

    private func names(_ screen: TopScreen) -> [String] { screen.orderedRows.map { "\($0.id.proxy)/\($0.id.service)" } }

    private func press(_ screen: inout TopScreen, _ keys: String) {
        for key in KeyDecoder.decode(Array(keys.utf8)) { XCTAssertNil(screen.handle(key)) }
    }

    func testPlainFrameListsEveryRowInTheDaemonsOrder() {
        let text = screen(nil).render().plain
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 9)
        XCTAssertEqual(lines[0], "ordrel 1.0  pid 7  every 2s  12:00:00")
        XCTAssertTrue(lines[1].hasPrefix("PROXY SERVER     STATUS     QCUR    CUR    MAX    LIM   RATE      IN     OUT WGHT CHECK"))
        XCTAssertEqual(lines[2], "fe    FRONTEND   OPEN          0      9      9    100      0       0       0    1               1m15s")
        XCTAssertEqual(lines[3], "be      s1       UP            0      2      9    100      0       0       0    1 L4OK 0ms      1m15s")
        XCTAssertTrue(lines[7].hasPrefix("web     w1       UP            0      1      9    100      0    3.0M"))
        XCTAssertFalse(text.contains("\u{1b}"), "no escapes in plain text")
        XCTAssertFalse(text.contains("q: quit"), "no key help in plain text")
    }

    func testSortingOrdersServersInsideProxiesAndProxiesByTheirBackend() {
        var screen = screen()
        press(&screen, ">")
        XCTAssertEqual(screen.sort, .name)
        XCTAssertEqual(names(screen), ["be/s1", "be/s2", "be/s3", "be/BACKEND", "fe/FRONTEND", "web/w1", "web/BACKEND"])
        press(&screen, ">")
        XCTAssertEqual(screen.sort, .status)
        XCTAssertEqual(names(screen), ["fe/FRONTEND", "be/s3", "be/s2", "be/s1", "be/BACKEND", "web/w1", "web/BACKEND"])
        press(&screen, ">>")
        XCTAssertEqual(screen.sort, .sessions)
        XCTAssertEqual(names(screen), ["be/s2", "be/s3", "be/s1", "be/BACKEND", "fe/FRONTEND", "web/w1", "web/BACKEND"])
        XCTAssertTrue(screen.render().lines[1].text.hasPrefix("sort: CUR desc"))
        press(&screen, "i")
        XCTAssertEqual(names(screen), ["web/w1", "web/BACKEND", "fe/FRONTEND", "be/s1", "be/s3", "be/s2", "be/BACKEND"])
        XCTAssertTrue(screen.render().lines[1].text.hasPrefix("sort: CUR asc"))
        // `<` goes back, and all the way round to the daemon's order.
        press(&screen, "<<<<")
        XCTAssertEqual(screen.sort, .config)
        XCTAssertEqual(names(screen), rows.map { "\($0.id.proxy)/\($0.id.service)" })
        XCTAssertTrue(screen.render().lines[1].text.hasPrefix("sort: config order"))
    }

    func testTheSortColumnTitleIsUnderlined() {
        var screen = screen()
        press(&screen, ">>>>")
        let titles = screen.render().lines[2].spans.filter { $0.style.underline }
        XCTAssertEqual(titles.map { $0.text.trimmingSpaces }, ["CUR"])
    }

    func testSelectionFollowsItsRowAcrossRefreshesAndResorts() {
        var screen = screen()
        press(&screen, "jj")
        XCTAssertEqual(screen.selectedRow?.id.service, "s2")
        press(&screen, ">>>>")
        XCTAssertEqual(screen.selectedRow?.id.service, "s2", "the sort moved the row, the selection went with it")
        var changed = rows
        changed.remove(at: 1)
        screen.update(rows: changed, info: nil, at: "12:00:02")
        XCTAssertEqual(screen.selectedRow?.id.service, "s2")
        // The selected row (first by sessions) disappears: the selection stays at its position.
        changed.removeAll { $0.id.service == "s2" }
        screen.update(rows: changed, info: nil, at: "12:00:04")
        XCTAssertEqual(screen.selectedRow?.id.service, "s3")
    }

    func testMovesStopAtTheEnds() {
        var screen = screen()
        press(&screen, "kkk")
        XCTAssertEqual(screen.selectedRow?.id.service, "FRONTEND")
        XCTAssertNil(screen.handle(.end))
        XCTAssertEqual(screen.selectedRow?.id, .init(proxy: "web", service: "BACKEND"))
        press(&screen, "jj")
        XCTAssertEqual(screen.selectedRow?.id, .init(proxy: "web", service: "BACKEND"))
        XCTAssertNil(screen.handle(.home))
        XCTAssertEqual(screen.selectedRow?.id.service, "FRONTEND")
        XCTAssertNil(screen.handle(.down))
        XCTAssertEqual(screen.selectedRow?.id.service, "s1")
    }

    func testActionKeysChangeTheSelectedServer() {
        var screen = screen()
        press(&screen, "jj")
        let be = StatRow.ID(proxy: "be", service: "s2")
        XCTAssertEqual(screen.handle(.character("d")), .change(StateChange(server: be, state: "drain")))
        XCTAssertEqual(screen.handle(.character("m")), .change(StateChange(server: be, state: "maint")))
        guard case .change(let ready)? = screen.handle(.character("r")) else { return XCTFail("r is no change") }
        XCTAssertEqual(ready.command, "set server be/s2 state ready")
        screen.changeFinished(ready, reply: "\n")
        XCTAssertEqual(screen.message, .done("be/s2: state set to ready"))
        XCTAssertEqual(screen.render().lines.last?.text.trimmingSpaces, "be/s2: state set to ready")
        screen.changeFinished(ready, reply: "No such server.\n\n")
        XCTAssertEqual(screen.message, .failed("be/s2: state ready: No such server."))
        screen.changeFinished(ready, reply: nil, transportError: "connect: Connection refused (errno 111)")
        XCTAssertEqual(screen.message, .failed("be/s2: state ready not sent: connect: Connection refused (errno 111)"))
    }

    func testActionKeysOnAProxyRowExplainThemselves() {
        var screen = screen()
        XCTAssertNil(screen.handle(.character("d")))
        XCTAssertEqual(screen.message, .failed("fe/FRONTEND is no server: select a server row for d, m, r"))
    }

    func testQuitKeys() {
        var screen = screen()
        XCTAssertEqual(screen.handle(.character("q")), .quit)
        XCTAssertEqual(screen.handle(.interrupt), .quit)
        XCTAssertNil(screen.handle(.other))
    }

    func testAnOutageKeepsTheRowsAndSaysSinceWhen() {
        var screen = screen()
        screen.pollFailed("connect: Connection refused (errno 111)", at: "12:00:02")
        screen.pollFailed("connect: No such file or directory (errno 2)", at: "12:00:04")
        let frame = screen.render()
        XCTAssertEqual(frame.lines[0].text,
                       "unreachable since 12:00:02, retrying every 2s: /run/admin.sock: connect: No such file or directory (errno 2)")
        XCTAssertEqual(frame.lines[0].spans.first?.style.color, .red)
        XCTAssertTrue(frame.lines.contains { $0.text.hasPrefix("be      s2") }, "the last rows stay on screen")
        screen.update(rows: rows, info: nil, at: "12:00:06")
        screen.pollFailed("connect: Connection refused (errno 111)", at: "12:00:08")
        XCTAssertTrue(screen.render().lines[0].text.hasPrefix("unreachable since 12:00:08"), "a new outage")
    }

    func testBeforeTheFirstAnswer() {
        let screen = TopScreen(source: "/run/admin.sock", interval: "1", size: ScreenSize(rows: 10, columns: 80))
        XCTAssertEqual(screen.render().lines[0].text, "/run/admin.sock: connecting...")
        XCTAssertEqual(screen.render().lines.last?.text, "row 0/0  0 proxies  0 servers")
    }

    func testNarrowAndShortTerminalsCutTheFrame() {
        var screen = screen(ScreenSize(rows: 6, columns: 30))
        var frame = screen.render()
        XCTAssertEqual(frame.lines.count, 6)
        XCTAssertTrue(frame.lines.allSatisfy { $0.text.count <= 30 }, "\(frame.lines.map(\.text))")
        XCTAssertEqual(frame.lines[3].text, "fe    FRONTEND   OPEN         ")
        XCTAssertEqual(frame.lines[5].text, "row 1/7  3 proxies  4 servers")
        // Two table rows fit: moving down scrolls to keep the selection on screen.
        press(&screen, "jjj")
        frame = screen.render()
        XCTAssertEqual(frame.lines[3].text.prefix(10), "be      s2")
        XCTAssertEqual(frame.lines[4].text.prefix(10), "be      s3")
        XCTAssertTrue(frame.lines[4].spans.allSatisfy { $0.style.reverse }, "the selected row is one bar")
        XCTAssertEqual(frame.lines[4].text.count, 30, "the bar spans the width")
        // A bigger window shows everything again, the selection kept.
        screen.resize(ScreenSize(rows: 20, columns: 30))
        XCTAssertEqual(screen.render().lines[3].text.prefix(10), "fe    FRON")
        XCTAssertEqual(screen.selectedRow?.id.service, "s3")
        // Smaller than the fixed lines: still no more lines than rows.
        screen.resize(ScreenSize(rows: 2, columns: 10))
        XCTAssertEqual(screen.render().lines.map(\.text), ["ordrel 1.0", "sort: conf"])
    }

    func testPageKeysMoveByTheRowsOnScreen() {
        var screen = screen(ScreenSize(rows: 7, columns: 80))
        XCTAssertNil(screen.handle(.pageDown))
        XCTAssertEqual(screen.selectedRow?.id.service, "s3")
        XCTAssertNil(screen.handle(.pageDown))
        XCTAssertEqual(screen.selectedRow?.id, .init(proxy: "web", service: "BACKEND"))
        XCTAssertNil(screen.handle(.pageUp))
        XCTAssertEqual(screen.selectedRow?.id.service, "s3")
    }

    func testStatusColours() {
        let frame = screen().render()
        func statusColour(_ prefix: String) -> Style.Color? {
            frame.lines.first { $0.text.hasPrefix(prefix) }?.spans.first { $0.text.hasPrefix("UP") || $0.text.hasPrefix("D") || $0.text.hasPrefix("OPEN") }?.style.color
        }
        XCTAssertEqual(statusColour("be      s1"), .green)
        XCTAssertEqual(statusColour("be      s2"), .yellow)
        XCTAssertEqual(statusColour("be      s3"), .red)
        XCTAssertEqual(statusColour("fe "), .green)
    }

    func testAnsiRedrawsInPlace() {
        let frame = Frame([Line("abc", Style(color: .red)), Line("0123456789")])
        XCTAssertEqual(frame.ansi(width: 10, height: 5),
                       "\u{1b}[1;1H\u{1b}[31mabc\u{1b}[0m\u{1b}[K\u{1b}[2;1H0123456789\u{1b}[3;1H\u{1b}[J")
        // A frame that fills the screen erases nothing below it.
        XCTAssertEqual(frame.ansi(width: 10, height: 2), "\u{1b}[1;1H\u{1b}[31mabc\u{1b}[0m\u{1b}[K\u{1b}[2;1H0123456789")
    }

    func testUnits() {
        var screen = TopScreen(source: "s", interval: "1", size: nil)
        screen.update(rows: [StatRow(id: .init(proxy: "p", service: "s"), kind: .server, status: "UP",
                                     sessionsCurrent: "1234567", bytesIn: "1023", bytesOut: "5368709120", lastChange: "90061")],
                      info: nil, at: "")
        let lines = screen.render().plain.split(separator: "\n")
        XCTAssertEqual(lines[0], "every 1s", "no show info: only the refresh")
        let line = lines[2]
        XCTAssertEqual(line, "p       s    UP                1.2M                         1023    5.0G                    1d01h")
    }
}

extension String {
    var trimmingSpaces: String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
