import XCTest
@testable import OrdrelConfig
import OrdrelLog

/// `log`, `log-send-hostname`, `log-tag`, `log-format`, `log-format-sd` and the two logging
/// options; every message was checked against `haproxy -c` 2.6.12 on the same lines.
final class LoggingConfigTests: XCTestCase {
    let proxyDefaults = """
        defaults
            mode tcp
            timeout connect 1s
            timeout client 1s
            timeout server 1s

        """

    func testTargetsAndTheirOptions() throws {
        let text = """
            global
                log 127.0.0.1 local0
                log 10.0.0.1:1514 len 2048 format rfc5424 sample 1-2,4:5 local1 notice err
                log [::1]:515 daemon
                log ipv6@[::1] user
                log udp@192.0.2.1:0 kern
                log /dev/log format short local2
                log unix@/run/log.sock format raw daemon
                log stdout format raw daemon
                log fd@2 format short daemon info
                log-send-hostname edge-1
                log-tag mylb

            """ + proxyDefaults + """
            frontend f
                bind :1
                log-tag fe-tag
                log 127.0.0.1:516 format iso local3
                log global
                log-format "%ci:%cp %{+Q}f"
                option dontlog-normal
                option log-separate-errors
                default_backend b
            backend b
                server s 127.0.0.1:2
            """
        let config = try XCTUnwrap(parseOK(text)).configuration
        let targets = config.global.logTargets
        XCTAssertEqual(targets.map(\.destination), [
            .udp(host: "127.0.0.1", port: 514), .udp(host: "10.0.0.1", port: 1514), .udp(host: "::1", port: 515),
            .udp(host: "::1", port: 514), .udp(host: "192.0.2.1", port: 514), .unixDatagram(path: "/dev/log"),
            .unixDatagram(path: "/run/log.sock"), .standardOutput, .standardError,
        ])
        XCTAssertEqual(targets[1], LogTarget(destination: .udp(host: "10.0.0.1", port: 1514), format: .rfc5424,
                                             maxLength: 2048, sample: LogSample(ranges: [1...2, 4...4], size: 5),
                                             facility: 17, maxLevel: .notice, minLevel: .err))
        XCTAssertEqual(targets.map(\.format), [.local, .rfc5424, .local, .local, .local, .short, .raw, .raw, .short])
        XCTAssertEqual(targets[8].maxLevel, .info)
        XCTAssertEqual(config.global.logSendHostname, "edge-1")
        XCTAssertEqual(config.global.logTag, "mylb")
        let f = config.proxy("f")
        XCTAssertEqual(f.logTargets.count, 1 + targets.count, "its own line, then the global ones in place")
        XCTAssertEqual(f.logTargets.first?.format, .iso)
        XCTAssertEqual(Array(f.logTargets.dropFirst()), targets)
        XCTAssertEqual(f.logTag, "fe-tag")
        XCTAssertEqual(f.logFormat, try LogFormat("%ci:%cp %{+Q}f"))
        XCTAssertTrue(f.options.dontlogNormal && f.options.logSeparateErrors)
        XCTAssertEqual(config.proxy("b").logTargets, [])
        XCTAssertNil(config.proxy("b").logTag)
    }

    /// `option tcplog` and `log-format` set the same thing: the last one written wins, and a
    /// frontend inherits it from `defaults`.
    func testLastFormatWinsAndDefaultsPassItOn() throws {
        let text = proxyDefaults.replacingOccurrences(of: "defaults\n", with: "defaults\n    log-format %f\n") + """
            frontend a
                bind :1
                default_backend b
            frontend c
                bind :2
                option tcplog
                default_backend b
            frontend d
                bind :3
                option tcplog
                log-format "%b %s"
                log-format-sd [x@1\\ f=\\"%f\\"]
                default_backend b
            backend b
                server s 127.0.0.1:2
            """
        let parsed = try XCTUnwrap(parseOK(text))
        let config = parsed.configuration
        // haproxy's warning (its `-c` output) for each frontend with a format but no `log`.
        XCTAssertEqual(parsed.warnings.map(\.description), [("a", 7), ("c", 10), ("d", 14)].map { name, line in
            "[WARNING] config : parsing [test.cfg:\(line)] : log format ignored for frontend '\(name)' since it has no log address."
        })
        XCTAssertEqual(config.proxy("a").logFormat, try LogFormat("%f"))
        XCTAssertEqual(config.proxy("c").logFormat, LogFormat.tcplog)
        XCTAssertEqual(config.proxy("d").logFormat, try LogFormat("%b %s"))
        XCTAssertEqual(config.proxy("d").structuredDataFormat, try LogFormat("[x@1 f=\"%f\"]"))
    }

    func testErrorsInHaproxysWords() {
        let text = """
            global
                log 127.0.0.1
                log 127.0.0.1 local0 foo
                log 127.0.0.1 local0 info bar
                log 127.0.0.1 len 70 local0
                log 127.0.0.1 len 70000 local0
                log 127.0.0.1 format xx local0
                log 127.0.0.1 sample 0:2 local0
                log 127.0.0.1 sample 3:2 local0
                log 127.0.0.1 sample 1 local0
                log 127.0.0.1 format raw len 100 local0
                log ::1 local0
                log nosuchhost.invalid local0
                log 127.0.0.1 local0 info err extra
                log 127.0.0.1:99999 local0
                log ring@buf local0
                log tcp@127.0.0.1:514 local0
                log-tag

            """ + proxyDefaults + """
            frontend f
                bind :1
                log-format %ci %cp
                log-format "%ci:%cp %zz"
                log-format "%ci %HM"
                log-format "%Ta"
                log-format %ci%
                log-format %{+Q
                log-format %[src]
                default_backend b
            backend b
                log-format %ci
                option dontlog-normal
                server s 127.0.0.1:2
            """
        let found = diagnostics(text, environment: [:])
        XCTAssertEqual(found.map(\.description), [
            "[ALERT] config : parsing [bad.cfg:2] : log : expects <address> and <facility>  as arguments",
            "[ALERT] config : parsing [bad.cfg:3] : log : unknown optional log level 'foo'",
            "[ALERT] config : parsing [bad.cfg:4] : log : unknown optional minimum log level 'bar'",
            "[ALERT] config : parsing [bad.cfg:5] : log : invalid log length '70', must be between 80 and 65535",
            "[ALERT] config : parsing [bad.cfg:6] : log : invalid log length '70000', must be between 80 and 65535",
            "[ALERT] config : parsing [bad.cfg:7] : log : unknown log format 'xx'",
            "[ALERT] config : parsing [bad.cfg:8] : log : wrong sample range '0'",
            "[ALERT] config : parsing [bad.cfg:9] : log : sample size 2 should be greater or equal to 3 the maximum of the high ranges limits",
            "[ALERT] config : parsing [bad.cfg:10] : log : Missing sample size",
            "[ALERT] config : parsing [bad.cfg:11] : log : unknown log facility 'len'",
            "[ALERT] config : parsing [bad.cfg:12] : log : invalid address: ':' in '::1'",
            "[ALERT] config : parsing [bad.cfg:13] : log : invalid address: 'nosuchhost.invalid' in 'nosuchhost.invalid'",
            "[ALERT] config : parsing [bad.cfg:14] : log : cannot handle unexpected argument 'extra'",
            "[ALERT] config : parsing [bad.cfg:15] : log : invalid port '99999'",
            "[ALERT] config : parsing [bad.cfg:16] : log : 'ring@' targets are not supported by ordrel (only UDP addresses, Unix datagram sockets, stdout, stderr, fd@1 and fd@2)",
            "[ALERT] config : parsing [bad.cfg:17] : log : 'tcp@' targets are not supported by ordrel (only UDP addresses, Unix datagram sockets, stdout, stderr, fd@1 and fd@2)",
            "[ALERT] config : parsing [bad.cfg:18] : 'log-tag' expects a tag for use in syslog.",
            "[ALERT] config : parsing [bad.cfg:26] : log-format expects only one argument, don't forget to escape spaces!",
            "[ALERT] config : parsing [bad.cfg:27] : failed to parse log-format : no such format variable 'zz'. If you wanted to emit the '%' character verbatim, you need to use '%%'.",
            "[ALERT] config : parsing [bad.cfg:28] : failed to parse log-format : format variable 'HM' is reserved for HTTP mode.",
            "[ALERT] config : parsing [bad.cfg:29] : failed to parse log-format : format variable 'Ta' is reserved for HTTP mode.",
            "[ALERT] config : parsing [bad.cfg:30] : failed to parse log-format : truncated line after '%'.",
            "[ALERT] config : parsing [bad.cfg:31] : failed to parse log-format : truncated line after '+Q'.",
            "[ALERT] config : parsing [bad.cfg:32] : failed to parse log-format : sample expressions ('%[...]') are not supported by ordrel.",
            "[WARNING] config : parsing [bad.cfg:35] : backend 'b' : 'log-format' directive is ignored in backends.",
            "[WARNING] config : parsing [bad.cfg:36] : 'dontlog-normal' ignored because backend 'b' has no frontend capability.",
        ])
    }
}
