/// haproxy 2.6's pre-written rule sets for the protocol check options, byte for byte
/// (src/tcpcheck.c, `proxy_parse_*_opt`). Rule indexes are haproxy's, so step numbers agree.
enum CheckPresets {
    /// `option redis-check`: PING, expect +PONG.
    static let redis = CheckRuleSet(proto: .redis, rules: withImplicitConnect([
        CheckRule(.send(.bytes(Array("*1\r\n$4\r\nPING\r\n".utf8))), index: 0),
        CheckRule(.expect(expect(.string(Array("+PONG\r\n".utf8)), error: .L7STS,
                                 onError: .payload(offset: 0, trimSpaces: false, cutAtLineEnd: true),
                                 onSuccess: .text("Redis server is ok"))), index: 1),
    ]))

    /// `option ldap-check`: an anonymous LDAPv3 bind request, expect a successful bindResponse.
    static let ldap = CheckRuleSet(proto: .ldap, rules: withImplicitConnect([
        CheckRule(.send(.bytes(hexBytes("300C020101600702010304008000")!)), index: 0),
        CheckRule(.expect(expect(.binaryRegex("^30"), minRecv: 14, onError: .text("Not LDAPv3 protocol"))), index: 1),
        CheckRule(.expect(CheckExpect(.stream(.ldapBindResponse))), index: 2),
    ]))

    /// `option ssl-hello-chk`: an SSLv3 CLIENT HELLO, expect a handshake or alert record.
    static let sslHello = CheckRuleSet(proto: .ssl3, rules: withImplicitConnect([
        CheckRule(.send(.sslv3ClientHello), index: 0),
        CheckRule(.expect(expect(.binaryRegex("^1[56]"), minRecv: 5, ok: .L6OK, error: .L6RSP, timeout: .L6TOUT)), index: 1),
    ]))

    /// `option pgsql-check user <u>`: a StartupMessage for `user`, expect no ErrorResponse and an
    /// AuthenticationOk / cleartext / MD5 / ... request.
    static func pgsql(user: String) -> CheckRuleSet {
        let length = UInt32(15 + user.utf8.count)
        var startup: [UInt8] = [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        startup += [0x00, 0x03, 0x00, 0x00] + Array("user".utf8) + [0] + Array(user.utf8) + [0, 0]
        return CheckRuleSet(proto: .pgsql, rules: [
            CheckRule(.connect(CheckConnect(linger: true)), index: 0),
            CheckRule(.send(.bytes(startup)), index: 1),
            CheckRule(.expect(expect(.regex("^E"), inverse: true, minRecv: 5, error: .L7RSP,
                                     onError: .payload(offset: 6, trimSpaces: false, cutAtLineEnd: false))), index: 2),
            CheckRule(.expect(expect(.binaryRegex("^52000000(08|0A|0C)000000(00|02|03|04|05|06)"), minRecv: 9, error: .L7STS,
                                     onError: .text("PostgreSQL unknown error"), onSuccess: .text("PostgreSQL server is ok"))), index: 3),
        ])
    }

    /// `option mysql-check [user <u> [post-41|pre-41]]`: without a user, the initial handshake
    /// must not be an error; with one, a client authentication packet and COM_QUIT follow and
    /// the server's answer must not be an error either.
    static func mysql(user: String?, post41: Bool) -> CheckRuleSet {
        var rules = [CheckRule(.connect(CheckConnect(linger: true)), index: 0)]
        guard let user else {
            rules.append(CheckRule(.expect(CheckExpect(.stream(.mysqlHandshake))), index: 1))
            return CheckRuleSet(proto: .mysql, rules: rules)
        }
        let name = Array(user.utf8)
        let length = name.count + 7 + (post41 ? 27 : 0)
        var packet: [UInt8] = [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), 1]
        if post41 {
            packet += [0x00, 0x82, 0x00, 0x00, 0x00, 0x80, 0x00, 0x01, 0x21] + [UInt8](repeating: 0, count: 23)
        } else {
            packet += [0x00, 0x80, 0x00, 0x00, 0x01]
        }
        packet += name + [0x00, 0x00] + [0x01, 0x00, 0x00, 0x00, 0x01]
        rules.append(CheckRule(.send(.bytes(packet)), index: 1))
        rules.append(CheckRule(.expect(CheckExpect(.stream(.mysqlHandshake))), index: 2))
        rules.append(CheckRule(.expect(CheckExpect(.stream(.mysqlOK))), index: 3))
        return CheckRuleSet(proto: .mysql, rules: rules)
    }

    /// `option smtpchk [HELO|EHLO <domain>]`: a 2xx greeting, then the command and a 2xx reply.
    static func smtp(command: String) -> CheckRuleSet {
        let reply = CheckMessage.payload(offset: 4, trimSpaces: true, cutAtLineEnd: true)
        let code = CheckCodeSource.payload(offset: 0, length: 3)
        return CheckRuleSet(proto: .smtp, rules: [
            CheckRule(.connect(CheckConnect(linger: true)), index: 0),
            CheckRule(.expect(expect(.regex("^[0-9]{3}[ \r]"), minRecv: 4, error: .L7RSP,
                                     onError: .payload(offset: 0, trimSpaces: false, cutAtLineEnd: true))), index: 1),
            CheckRule(.expect(expect(.regex("^2[0-9]{2}[ \r]"), minRecv: 4, error: .L7STS, onError: reply, code: code)), index: 2),
            CheckRule(.send(.bytes(Array("\(command)\r\n".utf8))), index: 3),
            CheckRule(.expect(expect(.regex("^2[0-9]{2}[- \r]"), minRecv: 4, error: .L7STS, onError: reply, onSuccess: reply,
                                     code: code)), index: 4),
        ])
    }

    /// haproxy's `check_proxy_tcpcheck`: a set that does not start with a connect gets an
    /// implicit one (step 0) using the server's check address.
    static func withImplicitConnect(_ rules: [CheckRule]) -> [CheckRule] {
        if case .connect = rules.first?.action { return rules }
        return [CheckRule(.connect(CheckConnect(implicit: true)), index: 0)] + rules
    }

    private static func expect(_ pattern: CheckPattern, inverse: Bool = false, minRecv: Int = -1, ok: CheckStatusName? = nil,
                               error: CheckStatusName? = nil, timeout: CheckStatusName? = nil, onError: CheckMessage? = nil,
                               onSuccess: CheckMessage? = nil, code: CheckCodeSource? = nil) -> CheckExpect {
        var expect = CheckExpect(pattern)
        expect.inverse = inverse
        expect.minRecv = minRecv
        expect.okStatus = ok
        expect.errorStatus = error
        expect.timeoutStatus = timeout
        expect.onError = onError
        expect.onSuccess = onSuccess
        expect.statusCode = code
        return expect
    }
}
