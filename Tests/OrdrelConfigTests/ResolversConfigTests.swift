import OrdrelSystem
import XCTest
@testable import OrdrelConfig

/// `resolvers` sections, the servers' `resolvers`/`resolve-*` options and `server-template`,
/// with haproxy 2.6's messages where it has them.
final class ResolversConfigTests: XCTestCase {
    func testSectionKeywordsAndDefaults() throws {
        let text = quietDefaults + """
            resolvers dns
                nameserver ns1 127.0.0.1:5353
                nameserver ns2 [::1]:53
                resolve_retries 5
                timeout resolve 2s
                timeout retry 300ms
                hold valid 20s
                hold nx 5s
                hold obsolete 1s
                accepted_payload_size 4096
            resolvers plain
                nameserver only 127.0.0.2:53
            backend be
                server a db.example:5432 resolvers dns resolve-prefer ipv4 resolve-net 10.0.0.0/8,fd00::/8 resolve-opts allow-dup-ip,ignore-weight init-addr none
                server b db.example:5432 resolvers plain
            """
        let config = try ConfigParser.parse(text: text, file: "test.cfg", resolvConf: { nil }).configuration
        XCTAssertEqual(config.resolvers.map(\.name), ["dns", "plain"])
        let dns = config.resolvers[0]
        XCTAssertEqual(dns.nameservers.map(\.name), ["ns1", "ns2"])
        XCTAssertEqual(dns.nameservers.map(\.address), [SocketAddress(ip: "127.0.0.1", port: 5353), SocketAddress(ip: "::1", port: 53)])
        XCTAssertEqual(dns.resolveRetries, 5)
        XCTAssertEqual(dns.resolveIntervalMs, 2000)
        XCTAssertEqual(dns.retryTimeoutMs, 300)
        XCTAssertEqual([dns.hold.valid, dns.hold.nx, dns.hold.obsolete, dns.hold.refused], [20_000, 5000, 1000, 30_000])
        XCTAssertEqual(dns.acceptedPayloadSize, 4096)
        // haproxy 2.6's defaults.
        let plain = config.resolvers[1]
        XCTAssertEqual([plain.resolveRetries, Int(plain.resolveIntervalMs), Int(plain.retryTimeoutMs), plain.acceptedPayloadSize], [3, 1000, 1000, 512])
        XCTAssertEqual([plain.hold.valid, plain.hold.nx, plain.hold.other, plain.hold.timeout, plain.hold.obsolete], [10_000, 30_000, 30_000, 30_000, 0])

        let servers = config.proxy("be").servers
        XCTAssertEqual(servers.map(\.resolution.resolvers), ["dns", "plain"])
        XCTAssertEqual(servers.map(\.resolution.preferIPv4), [true, false])
        XCTAssertEqual(servers[0].resolution.networks.map(\.prefixLength), [8, 8])
        XCTAssertEqual(servers.map(\.resolution.allowDuplicateIP), [true, false])
        XCTAssertEqual(servers.map(\.resolution.ignoreWeight), [true, false])
    }

    func testServerTemplates() throws {
        let text = quietDefaults + """
            resolvers dns
                nameserver ns1 127.0.0.1:5353
            backend be
                server-template web 3 web.example:8080 resolvers dns init-addr none check
                server-template api 4-5 api.example:9000 resolvers dns init-addr none
                server-template srv 2 _http._tcp.example resolvers dns
            """
        let servers = try XCTUnwrap(parseOK(text)).configuration.proxy("be").servers
        XCTAssertEqual(servers.map(\.name), ["web1", "web2", "web3", "api4", "api5", "srv1", "srv2"])
        XCTAssertEqual(servers.map(\.id), [1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(servers.map(\.host), ["web.example", "web.example", "web.example", "api.example", "api.example", "", ""])
        XCTAssertEqual(servers.map(\.port), [8080, 8080, 8080, 9000, 9000, 0, 0])
        XCTAssertEqual(servers.map(\.check), [true, true, true, false, false, false, false])
        XCTAssertEqual(servers.map(\.srvRecord), [nil, nil, nil, nil, nil, "_http._tcp.example", "_http._tcp.example"])
        XCTAssertEqual(servers.map(\.initAddr), Array(repeating: [.none], count: 5) + Array(repeating: [.last, .libc], count: 2))
    }

    func testTemplateRanges() {
        XCTAssertEqual(ConfigBuilder.templateRange("3"), 1...3)
        XCTAssertEqual(ConfigBuilder.templateRange("2-4"), 2...4)
        XCTAssertEqual(ConfigBuilder.templateRange("4-4"), 4...4)
        for bad in ["0", "3-1", "x", "-2", "1-", "0-3", "1-2-3", ""] {
            XCTAssertNil(ConfigBuilder.templateRange(bad), bad)
        }
    }

    /// Each mistake is refused with file:line, as haproxy words it where it has the case.
    func testSectionErrors() {
        let text = """
            resolvers dns
                nameserver ns1 127.0.0.1:5353
                nameserver ns1 127.0.0.1:5354
                nameserver ns2 bogus
                nameserver ns3 tcp@127.0.0.1:53
                timeout foo 1s
                hold bogus 1s
                hold nx x
                accepted_payload_size 70000
                resolve_retries 0
                deny foo
            resolvers dns
                nameserver ns1 127.0.0.1:5353
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:3] : nameserver 'ns1' has same name as another nameserver (declared at bad.cfg:2).",
            "[ALERT] config : parsing [bad.cfg:4] : 'nameserver ns2' : missing port specification in 'bogus'",
            "[ALERT] config : parsing [bad.cfg:5] : 'nameserver ns3' : ordrel only asks name servers over UDP (got 'tcp@').",
            "[ALERT] config : parsing [bad.cfg:6] : 'timeout' expects 'retry' or 'resolve' and <time> as arguments got 'foo'.",
            "[ALERT] config : parsing [bad.cfg:7] : 'hold' unknown <event>: 'bogus', expects either 'nx', 'timeout', 'valid', 'obsolete' or 'other'.",
            "[ALERT] config : parsing [bad.cfg:8] : unexpected character 'x' in argument to <hold nx>.",
            "[ALERT] config : parsing [bad.cfg:9] : 'accepted_payload_size' must be between 12 and 65535 inclusive (was 70000).",
            "[ALERT] config : parsing [bad.cfg:10] : 'resolve_retries' expects a positive integer as argument (got '0').",
            "[ALERT] config : parsing [bad.cfg:11] : unknown keyword 'deny' in 'resolvers' section",
            "[ALERT] config : parsing [bad.cfg:12] : resolvers 'dns' has the same name as another resolvers (declared at bad.cfg:1).",
        ])
    }

    func testServerErrors() {
        let text = """
            resolvers dns
                nameserver ns1 127.0.0.1:5353
            resolvers empty
            listen one
                bind 127.0.0.1:17001
                server a web.test:9000 resolvers nope init-addr none
                server b web.test:9000 resolvers dns resolve-prefer ipv5 init-addr none
                server c web.test:9000 resolvers dns resolve-opts foo init-addr none
                server d web.test:9000 resolvers dns resolve-net 10.0.0.0/33 init-addr none
                server-template e 0 web.test:9000
                server-template f 3-1 web.test:9000
                server-template h 3
                server-template i 2 _x._tcp.example
                server j _x._tcp.example resolvers dns
                server k web.test:9000 resolvers empty init-addr none
                server-template l 3 web.test:9000 weight 300
            """
        XCTAssertEqual(alertLines(diagnostics(text)), [
            "[ALERT] config : parsing [bad.cfg:7] : 'server one/b' : 'resolve-prefer' expects either ipv4 or ipv6 as argument.",
            "[ALERT] config : parsing [bad.cfg:8] : 'server one/c' : 'resolve-opts' : unknown resolve-opts option 'foo', supported methods are 'allow-dup-ip', 'ignore-weight', and 'prevent-dup-ip'.",
            "[ALERT] config : parsing [bad.cfg:9] : 'server one/d' : 'resolve-net' invalid network '10.0.0.0/33'.",
            "[ALERT] config : parsing [bad.cfg:10] : Wrong server-template number or range arg '0'.",
            "[ALERT] config : parsing [bad.cfg:11] : Wrong server-template number or range arg '3-1'.",
            "[ALERT] config : parsing [bad.cfg:12] : 'server-template' expects <prefix> <nb | range> <addr>[:<port>] as arguments.",
            "[ALERT] config : parsing [bad.cfg:14] : 'server one/j' : SRV records ('_x._tcp.example') are only read by 'server-template' in ordrel.",
            "[ALERT] config : parsing [bad.cfg:16] : 'server one/l1' : weight of server l1 is not within 0 and 256 (300).",
            "[ALERT] config : parsing [bad.cfg:6] : proxy 'one', server 'a': unable to find required resolvers 'nope'",
            "[ALERT] config : parsing [bad.cfg:13] : proxy 'one', server 'i1': SRV record '_x._tcp.example' needs a 'resolvers' section to be resolved.",
            "[ALERT] config : parsing [bad.cfg:13] : proxy 'one', server 'i2': SRV record '_x._tcp.example' needs a 'resolvers' section to be resolved.",
            "[ALERT] config : parsing [bad.cfg:3] : resolvers 'empty' has no nameserver, server 'one/k' cannot use it.",
        ])
    }

    /// haproxy's implicit `default` section from resolv.conf: last, usable by servers, absent
    /// when a section has the name or resolv.conf lists no name server; `parse-resolv-conf`
    /// reads the same file.
    func testImplicitDefaultSectionAndParseResolvConf() throws {
        let resolvConf = { "nameserver 10.0.0.53\nnameserver 10.0.0.54\n" }
        let text = quietDefaults + """
            resolvers mine
                parse-resolv-conf
                nameserver extra 127.0.0.1:5353
            backend be
                server a db.example:5432 resolvers default
            """
        let config = try ConfigParser.parse(text: text, file: "test.cfg", resolvConf: resolvConf).configuration
        XCTAssertEqual(config.resolvers.map(\.name), ["mine", "default"])
        XCTAssertEqual(config.resolvers[0].nameservers.map(\.name), ["10.0.0.53", "10.0.0.54", "extra"])
        XCTAssertEqual(config.resolvers[1].nameservers.map(\.address), [SocketAddress(ip: "10.0.0.53", port: 53), SocketAddress(ip: "10.0.0.54", port: 53)])
        let own = try ConfigParser.parse(text: "resolvers default\n    nameserver ns 127.0.0.1:53\n", file: "test.cfg", resolvConf: resolvConf)
        XCTAssertEqual(own.configuration.resolvers.map(\.nameservers.count), [1])
        let none = try ConfigParser.parse(text: "resolvers mine\n    nameserver ns 127.0.0.1:53\n", file: "test.cfg", resolvConf: { "search example\n" })
        XCTAssertEqual(none.configuration.resolvers.map(\.name), ["mine"])
        XCTAssertThrowsError(try ConfigParser.parse(text: quietDefaults + "backend be\n    server a db.example:5432 resolvers default\n",
                                                    file: "bad.cfg", resolvConf: { nil }))
    }

    func testResolvConfNameservers() {
        let text = "# comment\nsearch example\nnameserver 10.0.0.53\nnameserver ::1\nnameserver bogus\noptions ndots:2\n"
        XCTAssertEqual(ResolvConf.nameservers(in: text), [SocketAddress(ip: "10.0.0.53", port: 53), SocketAddress(ip: "::1", port: 53)])
    }
}
