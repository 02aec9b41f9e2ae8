import XCTest
@testable import OrdrelConfig

/// Bad inputs: every alert is reported, each with file:line, the keyword and the reason.
final class ErrorTests: XCTestCase {
    func testAllAlertsOfAFileAreReported() {
        let text = """
            global
                bogus 1
                nbthread 0
                stats socket /tmp/x.sock mode 600 level foo
                maxconn abc
            defaults
                server s1 127.0.0.1:80
                bind :80
            frontend fe
                bind :8080
                server s1 1.2.3.4:80
                use_backend be2 if NOSUCH
                contimeout 5s
                mode http
            backend be
                bind :80
                default_backend be
                server s1 1.2.3.4:80 weight 300
                server s2 1.2.3.4:80 rise 0
                server s4 1.2.3.4:70000
                server s6 1.2.3.4:80 bogus
            backend be
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:2] : unknown keyword 'bogus' in 'global' section",
            "[ALERT] config : parsing [bad.cfg:3] : 'nbthread' value must be between 1 and 64 (was 0)",
            "[ALERT] config : parsing [bad.cfg:4] : 'stats socket' : 'level' only supports 'user', 'operator', and 'admin' (got 'foo')",
            "[ALERT] config : parsing [bad.cfg:5] : 'maxconn' expects an integer argument (got 'abc').",
            "[ALERT] config : parsing [bad.cfg:7] : 'server' not allowed in 'defaults' section.",
            "[ALERT] config : parsing [bad.cfg:8] : 'bind' not allowed in 'defaults' section.",
            "[ALERT] config : parsing [bad.cfg:11] : 'server' not allowed because frontend 'fe' has no backend capability.",
            "[ALERT] config : parsing [bad.cfg:12] : 'use_backend be2' : error detected while parsing condition : no such ACL : 'NOSUCH'.",
            "[ALERT] config : parsing [bad.cfg:13] : the 'contimeout' directive is not supported anymore since HAProxy 2.1. Use 'timeout connect'.",
            "[ALERT] config : parsing [bad.cfg:16] : 'bind' not allowed because backend 'be' has no frontend capability.",
            "[ALERT] config : parsing [bad.cfg:17] : 'default_backend' not allowed because backend 'be' has no frontend capability.",
            "[ALERT] config : parsing [bad.cfg:18] : 'server be/s1' : weight of server s1 is not within 0 and 256 (300).",
            "[ALERT] config : parsing [bad.cfg:19] : 'server be/s2' : 'rise' has to be > 0.",
            "[ALERT] config : parsing [bad.cfg:20] : 'server be/s4' : invalid port '70000'",
            "[ALERT] config : parsing [bad.cfg:21] : 'server be/s6' : unknown keyword 'bogus'.",
            "[ALERT] config : parsing [bad.cfg:22] : backend 'be' has the same name as backend 'be' declared at bad.cfg:15.",
        ])
    }

    func testMissingBackendsAreReportedAtTheirLine() {
        let text = quietDefaults + """
            frontend fe
                bind :8080
                default_backend nope
                use_backend be
                use_backend fe
            backend be
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:7] : Proxy 'fe': unable to find required default_backend: 'nope'.",
            "[ALERT] config : parsing [bad.cfg:9] : Proxy 'fe': unable to find required use_backend: 'fe'.",
        ])
    }

    func testProxyKeywords() {
        let text = quietDefaults + """
            frontend fe
                bind :1
                option httplog
                option forwardfor
                option bogus
                option external-check
                no option tcplog
                bogus kw
                timeout foo 5s
                timeout client
                clitimeout 5s
                srvtimeout 5s
                stats enable
                balance random
                acl rate src_http_req_rate gt 10
                tcp-request connection track-sc0 src
                http-request deny
                id 0
                mode foo
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:9] : unknown option 'bogus'.",
            "[ALERT] config : parsing [bad.cfg:10] : 'option external-check' is not supported by ordrel: external check commands are not supported.",
            "[ALERT] config : parsing [bad.cfg:11] : negation/default is not supported for option 'tcplog'.",
            "[ALERT] config : parsing [bad.cfg:12] : unknown keyword 'bogus' in 'frontend' section",
            "[ALERT] config : parsing [bad.cfg:13] : 'timeout' supports 'client', 'server', 'connect', 'check', 'queue', 'http-keep-alive', 'http-request', 'tunnel', 'tarpit', 'client-fin' and 'server-fin' (got 'foo')",
            "[ALERT] config : parsing [bad.cfg:14] : 'timeout client' expects an integer value (in milliseconds)",
            "[ALERT] config : parsing [bad.cfg:15] : the 'clitimeout' directive is not supported anymore since HAProxy 2.1. Use 'timeout client'.",
            "[ALERT] config : parsing [bad.cfg:16] : the 'srvtimeout' directive is not supported anymore since HAProxy 2.1. Use 'timeout server'.",
            "[ALERT] config : parsing [bad.cfg:18] : 'balance' : ordrel only supports 'roundrobin', 'static-rr', 'leastconn', 'first' and 'source' (got 'random').",
            "[ALERT] config : parsing [bad.cfg:19] : error detected while parsing ACL 'rate' : fetch method 'src_http_req_rate' counts HTTP requests; ordrel only implements 'mode tcp'.",
            "[ALERT] config : parsing [bad.cfg:21] : 'http-request deny' is not supported by ordrel: only 'http-request use-service prometheus-exporter' is (ordrel serves built-in services in 'mode http', it does not proxy HTTP).",
            "[ALERT] config : parsing [bad.cfg:22] : custom id has to be > 0.",
            "[ALERT] config : parsing [bad.cfg:23] : unknown proxy mode 'foo'.",
            "[ALERT] config : parsing [bad.cfg:20] : frontend 'fe' : 'track-sc0' needs a stick-table in this section or a 'table' argument.",
        ])
    }

    func testBindErrors() {
        let text = quietDefaults + """
            frontend fe
                bind :0
                bind 1.2.3.4
                bind :85-80
                bind
                bind :80 backlog
                bind ipv4@::1:80
                bind *:80 ssl crt /x.pem
                bind abns@foo
                bind :70000
                bind :80 mode 999
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:6] : 'bind' : invalid port '0'",
            "[ALERT] config : parsing [bad.cfg:7] : 'bind' : missing port specification in '1.2.3.4'",
            "[ALERT] config : parsing [bad.cfg:8] : 'bind' : invalid port range '85-80'",
            "[ALERT] config : parsing [bad.cfg:9] : 'bind' expects {<path>|[addr1]:port1[-end1]}{,[addr]:port[-end]}... as arguments.",
            "[ALERT] config : parsing [bad.cfg:10] : 'bind :80' in section 'frontend' : 'backlog' : missing value",
            "[ALERT] config : parsing [bad.cfg:11] : 'bind' : invalid address: '::1' in 'ipv4@::1:80'",
            "[ALERT] config : parsing [bad.cfg:12] : 'bind *:80' in section 'frontend' : unsupported bind option 'ssl'.",
            "[ALERT] config : parsing [bad.cfg:12] : 'bind *:80' in section 'frontend' : unsupported bind option 'crt'.",
            "[ALERT] config : parsing [bad.cfg:13] : 'bind' : ordrel does not support 'abns@' addresses (in 'abns@foo').",
            "[ALERT] config : parsing [bad.cfg:14] : 'bind' : invalid port '70000'",
            "[ALERT] config : parsing [bad.cfg:15] : 'bind :80' in section 'frontend' : 'mode' : missing or invalid mode '999' (octal integer expected)",
        ])
    }

    /// Every unsupported option of a `bind` line is reported (values of haproxy's own options
    /// skipped), and a frontend whose only `bind` was refused gets no "no 'bind'" warning on top.
    func testEveryUnsupportedBindOptionAndNoSpuriousWarning() {
        let text = quietDefaults + """
            frontend fe
                bind 127.0.0.1:18990 interface eth0 v6only transparent
                default_backend be
            backend be
            """
        let found = diagnostics(text)
        XCTAssertEqual(alertLines(found), ["interface", "transparent"].map {
            "[ALERT] config : parsing [bad.cfg:6] : 'bind 127.0.0.1:18990' in section 'frontend' : unsupported bind option '\($0)'."
        })
        XCTAssertFalse(found.contains { $0.description.contains("has no 'bind' directive") }, "\(found)")
    }

    func testServerErrors() {
        let text = quietDefaults + """
            backend be
                server
                server s1
                server s2 1.2.3.4 check
                server s3 1.2.3.4:0
                server s4 unix@/tmp/x.sock
                server s5 1.2.3.4:80 inter 0
                server s6 1.2.3.4:80 inter 2q fall 0
                server s7 1.2.3.4:80 on-marked-down foo
                server s8 1.2.3.4:80 id 3
                server s9 1.2.3.4:80 id 3
                server s8 1.2.3.4:81
                server s10 1.2.3.4:80 addr nowhere
                server s11 1.2.3.4:80 send-proxy-v2 proxy-v2-options crc32c,ssl
                server s12 1.2.3.4:+1
                default-server 1.2.3.4:80
                default-server id 4
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:6] : 'server' expects <name> and <addr>[:<port>] as arguments.",
            "[ALERT] config : parsing [bad.cfg:7] : 'server' expects <name> and <addr>[:<port>] as arguments.",
            "[ALERT] config : parsing [bad.cfg:9] : 'server be/s3' : invalid port '0'",
            "[ALERT] config : parsing [bad.cfg:10] : 'server be/s4' : ordrel only supports TCP servers (got 'unix@/tmp/x.sock').",
            "[ALERT] config : parsing [bad.cfg:11] : 'server be/s5' : invalid value 0 for argument 'inter' of server s5.",
            "[ALERT] config : parsing [bad.cfg:12] : 'server be/s6' : unexpected character 'q' in 'inter' argument of server s6.",
            "[ALERT] config : parsing [bad.cfg:12] : 'server be/s6' : 'fall' has to be > 0.",
            "[ALERT] config : parsing [bad.cfg:13] : 'server be/s7' : 'on-marked-down' expects 'shutdown-sessions' but got 'foo'.",
            "[ALERT] config : parsing [bad.cfg:15] : 'server be/s9' : 'id' : custom id 3 already used at bad.cfg:14 ('server s8').",
            "[ALERT] config : parsing [bad.cfg:16] : backend 'be', another server named 's8' was already defined at line 14, please use distinct names.",
            "[ALERT] config : parsing [bad.cfg:17] : 'server be/s10' : 'addr' expects <ipv4|ipv6> as argument.",
            "[ALERT] config : parsing [bad.cfg:18] : 'server be/s11' : 'proxy-v2-options' : 'ssl' needs TLS, which ordrel does not do.",
            "[ALERT] config : parsing [bad.cfg:19] : 'server be/s12' : port offsets are not supported by ordrel (got '+1').",
            "[ALERT] config : parsing [bad.cfg:20] : unknown keyword '1.2.3.4:80'. Hint: no address was expected for this server.",
            "[ALERT] config : parsing [bad.cfg:21] : 'id' is not allowed in 'default-server'.",
            "[ALERT] config : parsing [bad.cfg:8] : config: backend 'be': server 's2' has neither service port nor check port.",
        ])
    }

    func testGlobalErrors() {
        let text = """
            global
                daemon 1
                pidfile /a
                pidfile /b
                user nobody
                uid 0
                stats socket
                stats socket /tmp/s.sock expose-fd foo
                stats socket /tmp/s.sock bogus
                stats socket ipv4@127.0.0.1:9999
                stats timeout 0
                stats maxconn
                stats foo
                nbproc 2
                no daemon
                hard-stop-after 10x
                log
                log 127.0.0.1 nofacility
                unix-bind prefix /tmp bogus
                chroot
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:2] : 'daemon' cannot handle unexpected argument '1'.",
            "[ALERT] config : parsing [bad.cfg:4] : 'pidfile' already specified. Continuing.",
            "[ALERT] config : parsing [bad.cfg:6] : user/uid already specified. Continuing.",
            "[ALERT] config : parsing [bad.cfg:7] : 'stats socket' in global section expects an address or a path to a UNIX socket",
            "[ALERT] config : parsing [bad.cfg:8] : 'stats socket' : 'expose-fd' only supports 'listeners' (got 'foo')",
            "[ALERT] config : parsing [bad.cfg:9] : 'stats socket' : unknown keyword 'bogus'.",
            "[ALERT] config : parsing [bad.cfg:10] : 'stats socket' : ordrel only supports UNIX socket paths (got 'ipv4@127.0.0.1:9999').",
            "[ALERT] config : parsing [bad.cfg:11] : 'stats timeout' expects a positive value",
            "[ALERT] config : parsing [bad.cfg:12] : 'stats maxconn' expects a positive value",
            "[ALERT] config : parsing [bad.cfg:13] : 'stats' only supports 'socket', 'maxconn', 'bind-process' and 'timeout' (got 'foo')",
            "[ALERT] config : parsing [bad.cfg:14] : nbproc is not supported any more since HAProxy 2.5. Threads will automatically be used on multi-processor machines if available.",
            "[ALERT] config : parsing [bad.cfg:15] : negation is only supported for 'strict-limits' in the 'global' section (got 'no daemon').",
            "[ALERT] config : parsing [bad.cfg:16] : unexpected character 'x' in 'hard-stop-after'",
            "[ALERT] config : parsing [bad.cfg:17] : log : expects <address> and <facility>  as arguments",
            "[ALERT] config : parsing [bad.cfg:18] : log : unknown log facility 'nofacility'",
            "[ALERT] config : parsing [bad.cfg:19] : 'unix-bind' only supports the 'prefix', 'mode', 'uid', 'gid', 'user' and 'group' options.",
            "[ALERT] config : parsing [bad.cfg:20] : 'chroot' expects a directory as an argument.",
        ])
    }

    func testSectionsAndSyntax() {
        let text = """
            bind :80
            global
                daemon "unterminated
            peers mypeers
                peer a 127.0.0.1:1024
            backend
            frontend a/b
                bind :1
            .if defined(X)
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:1] : unknown keyword 'bind' out of section.",
            "[ALERT] config : parsing [bad.cfg:3] : unmatched quote at position 12",
            "[ALERT] config : parsing [bad.cfg:4] : 'peers' sections are not supported by ordrel",
            "[ALERT] config : parsing [bad.cfg:6] : 'backend' expects an <id> argument",
            "[ALERT] config : parsing [bad.cfg:7] : character '/' is not permitted in 'frontend' name 'a/b'.",
            "[ALERT] config : parsing [bad.cfg:9] : '.if' : conditional blocks and dot directives are not supported by ordrel",
        ])
    }

    func testDuplicateNamesFollowCapabilities() {
        let text = quietDefaults + """
            frontend app
                bind :1
                default_backend app
            backend app
            listen app
                bind :2
            frontend other
                bind :3
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:9] : proxy 'app' has the same name as frontend 'app' declared at bad.cfg:5.",
        ])
    }

    func testDuplicateProxyIDs() {
        let text = quietDefaults + """
            backend be
                id 2
            backend b2
                id 2
            defaults
                id 3
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:10] : 'id' not allowed in 'defaults' section.",
            "[ALERT] config : parsing [bad.cfg:7] : backend b2 reuses same custom id as backend be (declared at bad.cfg:5).",
        ])
    }

    func testWarningsTravelWithAlerts() throws {
        let diags = diagnostics("global\n    ca-base /etc/ssl\n    bogus\n")
        XCTAssertEqual(diags.map(\.description), [
            "[WARNING] config : parsing [bad.cfg:2] : 'ca-base' is ignored by ordrel",
            "[ALERT] config : parsing [bad.cfg:3] : unknown keyword 'bogus' in 'global' section",
        ])
        let error = ConfigError(diagnostics: diags)
        XCTAssertEqual(error.description.split(separator: "\n").count, 2)
    }
}

/// Agent and `init-addr` options of `server` and `default-server`.
final class AgentAndInitAddrConfigTests: XCTestCase {
    func testAgentOptionsAndDefaults() {
        let text = """
            backend be
                default-server agent-check agent-port 9999 agent-inter 3s init-addr last,libc,none
                server s1 127.0.0.1:80 agent-addr 127.0.0.2 agent-send "hello\\n"
                server s2 127.0.0.1:81 no-agent-check init-addr 10.0.0.1
            """
        guard let parsed = parseOK(text) else { return }
        let servers = parsed.configuration.proxy("be").servers
        XCTAssertEqual(servers[0].agentCheck, true)
        XCTAssertEqual(servers[0].agentPort, 9999)
        XCTAssertEqual(servers[0].agentInterMs, 3000)
        XCTAssertEqual(servers[0].agentAddr, "127.0.0.2")
        XCTAssertEqual(servers[0].agentSend, "hello\n")
        XCTAssertEqual(servers[0].initAddr, [.last, .libc, .none])
        XCTAssertEqual(servers[1].agentCheck, false)
        XCTAssertEqual(servers[1].initAddr, [.ip("10.0.0.1")])
    }

    func testAgentAndInitAddrErrorsNameTheLine() {
        let text = """
            backend be
                server s1 127.0.0.1:80 agent-check
                server s2 127.0.0.1:80 agent-check agent-port x
                server s3 127.0.0.1:80 agent-addr bad.host.name
                server s4 nosuch:80 init-addr bogus
                server s5 nosuch:80 init-addr 1.1.1.1,2.2.2.2
                server s6 nosuch:80 init-addr libc,libc
                server s7 127.0.0.1:80 agent-inter 0
                server s8 nosuch:80 init-addr libc,,none
                server s9 nosuch:80 init-addr libc,
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:2] : 'server be/s1' : server s1 does not have agent port. Agent check has been disabled.",
            "[ALERT] config : parsing [bad.cfg:3] : 'server be/s2' : 'agent-port' expects a port number as argument (1..65535, got 'x').",
            "[ALERT] config : parsing [bad.cfg:3] : 'server be/s2' : server s2 does not have agent port. Agent check has been disabled.",
            "[ALERT] config : parsing [bad.cfg:4] : 'server be/s3' : parsing agent-addr failed. Check if 'bad.host.name' is correct address (ordrel takes an IP address here).",
            "[ALERT] config : parsing [bad.cfg:5] : 'server be/s4' : 'init-addr' : unknown init-addr method 'bogus', supported methods are 'libc', 'last', 'none'.",
            "[ALERT] config : parsing [bad.cfg:6] : 'server be/s5' : 'init-addr' : initial address already specified, cannot add '2.2.2.2'.",
            "[ALERT] config : parsing [bad.cfg:7] : 'server be/s6' : 'init-addr' : too many init-addr methods when trying to add 'libc'",
            "[ALERT] config : parsing [bad.cfg:8] : 'server be/s7' : invalid value 0 for argument 'agent-inter' of server s7.",
            "[ALERT] config : parsing [bad.cfg:9] : 'server be/s8' : 'init-addr' : empty method in 'libc,,none' (haproxy would take it for the address 0.0.0.0).",
        ])
    }
}
