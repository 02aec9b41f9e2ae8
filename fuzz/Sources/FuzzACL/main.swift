import FuzzSupport
import OrdrelConfig

/// Fuzzes `ACLParser`: every line but the last is an `acl` line, the last an `if|unless`
/// condition (`-f` reads a fixed pattern list); a parsed condition is evaluated on the input's
/// own bytes as the request. Invariants beyond "does not crash":
/// - parsing is deterministic: the same lines give the same ACLs and condition, or the same error;
/// - a final evaluation never answers "miss", and evaluating twice answers the same;
/// - `unless` is the negation of `if` on the same terms, miss for miss;
/// - a condition that passes or fails before the end gives the same answer at the end when it
///   reads no request bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let lines = String(decoding: input, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    guard let last = lines.last else { return 0 }
    let first = parse(lines.dropLast(), Array(last.split(separator: " ").map(String.init)))
    let again = parse(lines.dropLast(), Array(last.split(separator: " ").map(String.init)))
    check(first.condition == again.condition && first.error == again.error, "parsing is not deterministic")
    guard var condition = first.condition else { return 0 }
    input.withUnsafeBytes { payload in
        var input = ACLInput(sourceAddress: [192, 168, 1, 10], sourcePort: 40000, destinationAddress: [10, 0, 0, 1],
                             destinationPort: 443, frontendName: "fe", backendName: "be", payload: payload, final: true)
        let final = condition.evaluate(input, Environment())
        check(final != .miss, "a final evaluation answered miss")
        check(condition.evaluate(input, Environment()) == final, "evaluation is not deterministic")
        input.final = false
        let early = condition.evaluate(input, Environment())
        if !condition.readsContent { check(early == final, "\(early) before the end, \(final) at it, without content fetches") }
        condition.negated.toggle()
        let flipped = condition.evaluate(input, Environment())
        check(flipped == (early == .pass ? .fail : early == .fail ? .pass : .miss), "unless is not the negation of if")
    }
    return 0
}

private func parse(_ aclLines: ArraySlice<Substring>, _ condition: [String]) -> (condition: ACLCondition?, error: String?) {
    var parser = ACLParser(readFile: { _ in Array("one.test\n# comment\n10.0.0.0/8\n".utf8) })
    for line in aclLines {
        do {
            try parser.parseACLLine(line.split(separator: " ").map(String.init)[...])
        } catch {
            continue
        }
    }
    do {
        return (try parser.parseCondition(condition[...]), nil)
    } catch {
        return (nil, error.message)
    }
}

/// One backend `be` with servers `s1` (up) and `s2` (down), and one stick table `st` holding one
/// entry whose counters all read as the length of the client's address.
private struct Environment: ACLEnvironment {
    func track(_ tracking: StickTracking, key: ACLSample) {}
    func stickCounter(_ fetch: StickCounterFetch, source: [UInt8]) -> Int64? { Int64(source.count) }
    func tableUsage(_ table: String?, available: Bool) -> Int64? {
        table == nil || table == "st" ? (available ? 15 : 1) : nil
    }
    func usableServers(backend: String?) -> Int? { backend == nil || backend == "be" ? 1 : nil }
    func connectionSlots(backend: String?) -> Int? { backend == nil || backend == "be" ? -1 : nil }
    func serverIsUp(backend: String, server: String) -> Bool? {
        backend == "be" ? (server == "s1" ? true : server == "s2" ? false : nil) : nil
    }
}
