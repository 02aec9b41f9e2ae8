import FuzzSupport
import OrdrelCLI

/// Fuzzes `CLISession`: the input is the byte stream a client sends, replayed three times over a
/// fresh `FuzzRuntime`:
/// 1. all input at once, whole writes, default buffer sizes: the reference reply;
/// 2. all input at once, partial and empty writes, tiny output chunks, few commands per step,
///    `show stat` rows arriving one by one (`.awaitRows`): the reply must be the reference byte
///    for byte (neither buffering nor waiting for rows changes the protocol);
/// 3. input in small reads, partial writes: the reply must be a prefix of the reference (a
///    non-interactive session may end sooner, after the commands it has received so far).
/// Every run must follow the lifecycle: writes, then `.shutdownWrite` once all output is written,
/// then `.close`, then `.done` for good; no `.read` after EOF; a bounded number of steps.
/// The knobs (level, sizes) derive from a hash of the input, so a crash file replays identically.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    var random = SplitMix(seed: input.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 })
    let level = CLILevel.allCases[random.upTo(2)]
    let reference = Driver(input: input, level: level, outputChunkSize: 16384, commandsPerStep: 16).run()
    let buffered = Driver(input: input, level: level, outputChunkSize: random.upTo(63) + 1,
                          commandsPerStep: random.upTo(3) + 1, random: random, defersRows: true).run()
    check(buffered == reference, "small buffers changed the reply (\(buffered.count) bytes, reference \(reference.count))")
    let chunked = Driver(input: input, level: level, outputChunkSize: 16384, commandsPerStep: 16,
                         random: SplitMix(seed: random.next()), splitReads: true).run()
    check(reference.starts(with: chunked), "split reads changed the reply (\(chunked.count) bytes, reference \(reference.count))")
    return 0
}

/// Deterministic 64-bit generator (SplitMix64).
struct SplitMix {
    var seed: UInt64

    mutating func next() -> UInt64 {
        seed &+= 0x9e37_79b9_7f4a_7c15
        var z = seed
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in 0...limit.
    mutating func upTo(_ limit: Int) -> Int { Int(next() % UInt64(limit + 1)) }
}

/// Plays the driver of one connection and checks the session's lifecycle on the way.
struct Driver {
    let input: [UInt8]
    let runtime: FuzzRuntime
    let session: CLISession
    /// Sizes of reads and writes; nil: everything at once.
    let random: SplitMix?
    let splitReads: Bool
    let outputChunkSize: Int

    init(input: [UInt8], level: CLILevel, outputChunkSize: Int, commandsPerStep: Int,
         random: SplitMix? = nil, splitReads: Bool = false, defersRows: Bool = false) {
        self.input = input
        self.outputChunkSize = outputChunkSize
        runtime = FuzzRuntime(defersRows: defersRows)
        session = CLISession(runtime: runtime, level: level, outputChunkSize: outputChunkSize,
                             commandsPerStep: commandsPerStep)
        self.random = random
        self.splitReads = splitReads
    }

    /// Runs the session to `.done`; returns every byte written.
    func run() -> [UInt8] {
        var random = self.random
        var delivered = 0
        var eofSent = false
        var written: [UInt8] = []
        var lastWriteEmpty = false
        var shutDown = false
        var closed = false
        if !splitReads {
            session.receive(input)
            session.receiveEOF()
            delivered = input.count
            eofSent = true
        }
        var steps = 0
        while true {
            steps += 1
            check(steps <= 4 * (input.count + written.count) + 64, "no end after \(steps) steps")
            switch session.nextAction() {
            case .write(let slice):
                check(!slice.isEmpty && !shutDown, "write of \(slice.count) bytes after shutdown: \(shutDown)")
                check(session.pendingOutputCount == slice.count, "pending \(session.pendingOutputCount) for a \(slice.count)-byte write")
                var count = slice.count
                if random != nil {
                    // An empty write (socket full) now and then, never twice in a row.
                    count = lastWriteEmpty ? random!.upTo(slice.count - 1) + 1 : random!.upTo(slice.count)
                }
                lastWriteEmpty = count == 0
                written.append(contentsOf: slice.prefix(count))
                session.didWrite(count)
                check(session.pendingOutputCount == slice.count - count, "pending after writing \(count) of \(slice.count)")
            case .read:
                check(!eofSent, "reads after EOF with all input delivered")
                if delivered == input.count {
                    session.receiveEOF()
                    eofSent = true
                } else {
                    let count = min(input.count - delivered, random!.upTo(15) + 1)
                    session.receive(input[delivered..<delivered + count])
                    delivered += count
                }
            case .awaitRows:
                // A part-filled chunk waits with the rows; a full one goes out first.
                check(session.pendingOutputCount < max(outputChunkSize, 1) && !shutDown,
                      "waits for rows with \(session.pendingOutputCount) bytes pending (a full chunk) or after shutdown")
                var resumed = false
                session.whenRowsReady { resumed = true }
                check(runtime.deferredRows?.deliver() == true && resumed, "waits for rows nobody asked for")
            case .transferListeners:
                // `_getsocks`: the driver sends the listeners (nothing here) and the session goes on.
                check(!shutDown && session.pendingOutputCount == 0, "listener transfer with output pending or after shutdown")
                session.didTransferListeners()
            case .shutdownWrite:
                check(!shutDown && session.pendingOutputCount == 0, "shutdown with \(session.pendingOutputCount) bytes pending")
                shutDown = true
                session.didShutdownWrite()
            case .close:
                check(shutDown && !closed, "close before shutdown")
                closed = true
                session.didClose()
            case .done:
                check(closed, "done without close")
                check(session.nextAction() == .done && session.state == .closed && !session.wantsInput, "done is not final")
                return written
            }
        }
    }
}
