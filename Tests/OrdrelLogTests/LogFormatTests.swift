import OrdrelLog
import XCTest

/// The log-format compiler and renderer against lines haproxy 2.6.12 wrote for the same format.
final class LogFormatTests: XCTestCase {
    static func endpoint(_ host: String, _ bytes: [UInt8], _ port: Int) -> LogEndpoint {
        LogEndpoint(host: host, hostBytes: bytes, port: port)
    }

    /// A stream like the one behind haproxy's line below (01/Dec/2026:21:39:03.802 UTC).
    static var fields: LogFields {
        var f = LogFields(client: endpoint("127.0.0.1", [127, 0, 0, 1], 50104),
                          accepted: LogTimestamp(micros: 1_796_161_143_802_123, utcOffset: 0),
                          frontend: "fe", backend: "be")
        f.frontendAddress = endpoint("127.0.0.1", [127, 0, 0, 1], 9300)
        f.backendSource = endpoint("127.0.0.1", [127, 0, 0, 1], 43214)
        f.serverAddress = endpoint("127.0.0.1", [127, 0, 0, 1], 9301)
        f.server = "s1"
        f.waitMs = 1
        f.connectMs = 0
        f.totalMs = 0
        f.bytesRead = 3
        f.bytesUploaded = 6
        f.processConnections = 1
        f.frontendConnections = 1
        f.hostname = "vm"
        f.pid = 19735
        return f
    }

    func render(_ format: String, _ fields: LogFields = fields) throws -> String {
        String(decoding: try LogFormat(format).render(fields), as: UTF8.self)
    }

    func testEveryTCPVariableAsHaproxyRendersIt() throws {
        let format = "B=%B H=%H ID=%ID ST=%ST T=%T Tc=%Tc Td=%Td Tl=%Tl Th=%Th Ts=%Ts Tt=%Tt Tu=%Tu Tw=%Tw U=%U ac=%ac b=%b bc=%bc bi=%bi bp=%bp bq=%bq ci=%ci cp=%cp f=%f fc=%fc fi=%fi fp=%fp ft=%ft lc=%lc hr=%hr hrl=%hrl hs=%hs hsl=%hsl ms=%ms pid=%pid rc=%rc rt=%rt s=%s sc=%sc si=%si sp=%sp sq=%sq sslc=%sslc sslv=%sslv t=%t ts=%ts Q=%{+Q}ci X=%{+X}ci Xp=%{+X}cp %{+Q}o f=%f ft=%ft b=%b s=%s n=%B pid=%pid %{-Q}o fq=%f %{+E}o %f"
        // haproxy's line but for Td (haproxy: 0 with Tw=1, Tt=0; both clamp to 0 here).
        XCTAssertEqual(try render(format), "B=3 H=vm ID=- ST=0 T=01/Dec/2026:21:39:03 +0000 Tc=0 Td=0 Tl=01/Dec/2026:21:39:03 +0000 Th=0 Ts=1796161143 Tt=0 Tu=0 Tw=1 U=6 ac=1 b=be bc=0 bi=127.0.0.1 bp=43214 bq=0 ci=127.0.0.1 cp=50104 f=fe fc=1 fi=127.0.0.1 fp=9300 ft=fe lc=0 hr= hrl= hs= hsl= ms=802 pid=19735 rc=0 rt=0 s=s1 sc=0 si=127.0.0.1 sp=9301 sq=0 sslc=- sslv=- t=01/Dec/2026:21:39:03.802 ts=-- Q=\"127.0.0.1\" X=7F000001 Xp=C3B8 f=\"fe\" ft=\"fe\" b=\"be\" s=\"s1\" n=3 pid=19735 fq=fe fe")
    }

    func testTcplogDefault() throws {
        var f = Self.fields
        f.server = nil
        f.waitMs = -1
        f.connectMs = -1
        f.terminationState = "SC"
        f.retries = 2
        f.redispatched = true
        XCTAssertEqual(String(decoding: LogFormat.tcplog.render(f), as: UTF8.self),
                       "127.0.0.1:50104 [01/Dec/2026:21:39:03.802] fe be/<NOSRV> -1/-1/0 3 SC 1/1/0/0/+2 0/0")
    }

    func testLiteralsSpacesAndPercent() throws {
        XCTAssertEqual(try render("100%% %f  to   %b "), "100% fe to be ")
        XCTAssertEqual(try render("%ci{+Q}"), "127.0.0.1{+Q}")
        XCTAssertEqual(try render("%{+Q,+E}o%f %{-Q}o %f"), "\"fe\" fe", "%o shows nothing; the spaces around it merge")
        var f = Self.fields
        f.frontend = "a\"b]c\\"
        XCTAssertEqual(try render("%{+E}f %{+Q}f", f), "a\\\"b\\]c\\\\ \"a\"b]c\\\"")
    }

    func testErrorsInHaproxysWords() {
        func reason(_ text: String) -> String? {
            do { _ = try LogFormat(text); return nil } catch { return error.reason }
        }
        XCTAssertEqual(reason("%ci:%cp %zz"), "no such format variable 'zz'. If you wanted to emit the '%' character verbatim, you need to use '%%'")
        XCTAssertEqual(reason("%ci %HM"), "format variable 'HM' is reserved for HTTP mode")
        XCTAssertEqual(reason("%Ta"), "format variable 'Ta' is reserved for HTTP mode")
        XCTAssertEqual(reason("%ci%"), "truncated line after '%'")
        XCTAssertEqual(reason("%{+Q"), "truncated line after '+Q'")
        XCTAssertEqual(reason("%[src]"), "sample expressions ('%[...]') are not supported by ordrel")
        XCTAssertNil(reason(LogFormat.tcplogText))
    }

    func testUnixClientAndMissingAddresses() throws {
        var f = Self.fields
        f.client = Self.endpoint("unix", [], 1)
        f.serverAddress = nil
        f.backendSource = nil
        XCTAssertEqual(try render("%ci:%cp %{+Q}ci %{+Q}cp %{+X}cp %{+E}ci %si:%sp %bi:%bp", f), "unix:1 \"unix\" 1 1 unix -:- -:-")
        // haproxy 2.6.12 wrote "unix:1 unix:1 " for "%ci:%cp %fi:%fp %{+X}ci %{+X}cp": no hex
        // form for a Unix address, and the line stops there.
        f.frontendAddress = f.client
        XCTAssertEqual(try render("%ci:%cp %fi:%fp %{+X}ci %{+X}cp", f), "unix:1 unix:1 ")
    }

    /// No server chosen: haproxy 2.6.12 wrote `<NOSRV> -:- -:- - ""` for this format.
    func testNoServer() throws {
        var f = Self.fields
        f.server = nil
        f.serverAddress = nil
        f.backendSource = nil
        XCTAssertEqual(try render("%s %si:%sp %bi:%bp %{+X}si %{+Q}si", f), "<NOSRV> -:- -:- - \"\"")
    }
}
