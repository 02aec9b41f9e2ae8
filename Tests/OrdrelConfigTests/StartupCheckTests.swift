import XCTest
@testable import OrdrelConfig

/// What start-up would refuse, the parser refuses too (so `ordrel -c` does), with haproxy's words.
final class StartupCheckTests: XCTestCase {
    /// haproxy 2.6.12 on this line: `too many words, truncating after word 64, position 182: <63>.`
    func testMoreThan64WordsIsHaproxysAlert() {
        let line = "    log " + (1...70).map(String.init).joined(separator: " ")
        XCTAssertEqual(alertLines(diagnostics("global\n    maxconn 10\n\(line)\n")), [
            "[ALERT] config : parsing [bad.cfg:3] : too many words, truncating after word 64, position 182: <63>.",
        ])
    }

    func testUnixSocketPathsMustFitTheAtomicBind() {
        let fits = "/tmp/" + String(repeating: "a", count: 90)
        let tooLong = fits + "a"
        XCTAssertNotNil(parseOK("global\n    stats socket \(fits)\n"))
        XCTAssertEqual(alertLines(diagnostics("global\n    stats socket \(tooLong)\nfrontend fe\n    bind unix@\(tooLong)\n    bind \(tooLong)\n")), [
            "[ALERT] config : parsing [bad.cfg:2] : 'stats socket' : socket path '\(tooLong)' too long (max 95)",
            "[ALERT] config : parsing [bad.cfg:4] : 'bind' : socket path 'unix@\(tooLong)' too long (max 95)",
            "[ALERT] config : parsing [bad.cfg:5] : 'bind' : socket path '\(tooLong)' too long (max 95)",
        ])
    }

    func testBindHostNamesMustResolve() {
        XCTAssertNotNil(parseOK("frontend fe\n    bind localhost:8080\n    timeout client 1s\n"))
        XCTAssertEqual(alertLines(diagnostics("frontend fe\n    bind nosuchhost.invalid:8080\n")), [
            "[ALERT] config : parsing [bad.cfg:2] : 'bind' : invalid address: 'nosuchhost.invalid' in 'nosuchhost.invalid:8080'",
        ])
    }

    func testUnknownUserAndGroupNames() {
        XCTAssertEqual(alertLines(diagnostics("global\n    user nosuchuser-ordrel\n    group nosuchgroup-ordrel\n")), [
            "[ALERT] config : parsing [bad.cfg:2] : cannot find user id for 'nosuchuser-ordrel'",
            "[ALERT] config : parsing [bad.cfg:3] : cannot find group id for 'nosuchgroup-ordrel'",
        ])
    }

    /// Sockets owned by a user or group name: resolved when parsed (the runtime applies the
    /// uid/gid); an unknown name is haproxy 2.6.12's alert, quirky quotes included.
    func testSocketOwnerNamesResolveOrAlert() throws {
        let parsed = try XCTUnwrap(parseOK("global\n    stats socket /tmp/o.sock user nobody group nogroup\n"))
        XCTAssertEqual(parsed.configuration.global.statsSockets[0].uid, 65534)
        XCTAssertEqual(parsed.configuration.global.statsSockets[0].gid, 65534)
        XCTAssertEqual(alertLines(diagnostics("""
        global
            stats socket /tmp/o.sock user nosuchuser-ordrel
            stats socket /tmp/p.sock group nosuchgroup-ordrel
        listen x
            bind 127.0.0.1:28890 user nosuchuser-ordrel

        """)), [
            "[ALERT] config : parsing [bad.cfg:2] : 'stats socket' : ''user' : unknown user name 'nosuchuser-ordrel''",
            "[ALERT] config : parsing [bad.cfg:3] : 'stats socket' : ''group' : unknown group name 'nosuchgroup-ordrel''",
            "[ALERT] config : parsing [bad.cfg:5] : 'bind 127.0.0.1:28890' in section 'listen' : 'user' : unknown user name 'nosuchuser-ordrel'",
        ])
    }
}
