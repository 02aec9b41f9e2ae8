import FuzzSupport
import OrdrelCLI

/// Fuzzes the built-in services' HTTP layer: `HTTPRequestParser` on the whole input and on its
/// prefixes, and `HTTPSession` fed the input in pieces whose sizes come from the input itself.
/// Invariants beyond "does not crash":
/// - a request takes between 1 byte and the whole input, its method and target are not empty,
///   its version is 1.0 or 1.1, and its body is what `Content-Length` announced;
/// - every strict prefix of a parsed request is `incomplete` (the head ends at its first empty
///   line, so no prefix can be another request or an error);
/// - a session answers exactly the requests that parsing the input one request after the other
///   finds, in order, however the input is cut, and ends with 400/413 where parsing did.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let parser = HTTPRequestParser(maxHeadBytes: 512, maxBodyBytes: 128)
    let expected = parseAll(input, parser)
    let cuts = input.first.map { Int($0 % 16) + 1 } ?? 1
    check(runSession(input, parser, piece: cuts) == expected, "session and parser disagree (pieces of \(cuts))")
    check(runSession(input, parser, piece: input.count + 1) == expected, "session and parser disagree (one piece)")
    return 0
}

/// What a connection carrying `input` yields: the requests, then the error status if any.
private struct Outcome: Equatable {
    var requests: [HTTPRequest] = []
    var error: Int?
}

private func parseAll(_ input: [UInt8], _ parser: HTTPRequestParser) -> Outcome {
    var outcome = Outcome()
    var rest = input[...]
    while !rest.isEmpty {
        switch parser.parse(rest) {
        case .incomplete:
            return outcome
        case .invalid(let status):
            check(status == 400 || status == 413, "status \(status)")
            outcome.error = status
            return outcome
        case .request(let request, let consumed):
            check(consumed > 0 && consumed <= rest.count, "consumed \(consumed) of \(rest.count)")
            check(!request.method.isEmpty && !request.target.isEmpty && request.minorVersion <= 1, "request line \(request)")
            if let length = request.header("content-length"), !request.hasUnreadBody {
                check(Int(length) == request.body.count, "body of \(request.body.count) bytes for Content-Length \(length)")
            }
            let head = rest[rest.startIndex..<(rest.startIndex + consumed)]
            for end in stride(from: head.startIndex, to: head.endIndex, by: max(1, consumed / 8)) where end > head.startIndex {
                check(parser.parse(head[head.startIndex..<end]) == .incomplete, "a prefix of \(end - head.startIndex) bytes is not incomplete")
            }
            outcome.requests.append(request)
            // The connection ends after this reply: a chunked body is not read, or the client
            // did not ask for keep-alive.
            if request.hasUnreadBody || !request.wantsKeepAlive { return outcome }
            rest = rest[(rest.startIndex + consumed)...]
        }
    }
    return outcome
}

private func runSession(_ input: [UInt8], _ parser: HTTPRequestParser, piece: Int) -> Outcome {
    let session = HTTPSession(parser: parser)
    var outcome = Outcome()
    var offset = 0
    var steps = 0
    while steps < 100_000 {
        steps += 1
        switch session.nextAction() {
        case .read:
            guard offset < input.count else { return outcome }
            let end = min(input.count, offset + piece)
            input[offset..<end].withUnsafeBytes { session.receive($0) }
            offset = end
        case .handle(let request):
            outcome.requests.append(request)
            session.respond(HTTPReply(bytes: [0x2E], closesConnection: false))
        case .write(let bytes):
            if outcome.error == nil, bytes.count > 12, bytes.starts(with: Array("HTTP/1.1 4".utf8)) {
                outcome.error = Int(String(decoding: bytes[bytes.startIndex + 9..<bytes.startIndex + 12], as: UTF8.self))
            }
            session.didWrite(bytes.count)
        case .shutdownWrite, .close:
            return outcome
        }
    }
    check(false, "the session did not finish")
    return outcome
}
