import Glibc
@testable import OrdrelCore
import OrdrelEventLoop
import OrdrelSystem
import XCTest

/// A socket whose reads follow a script and whose writes are recorded (the way swift-nio's
/// EmbeddedChannel stands in for a real one).
final class ScriptedSocket: StreamSocket {
    enum Input {
        case bytes([UInt8])
        case eof
        case failure(Int32)
    }

    /// What successive reads return; empty means the read would block.
    var inputs: [Input] = []
    /// Bytes that reached this socket's peer.
    private(set) var written: [UInt8] = []
    /// At most this many bytes per write; 0: the write would block.
    var writeRoom = Int.max
    /// Writes fail with this errno.
    var writeFailure: Int32?
    private(set) var reads = 0
    /// Each write's MSG_MORE flag, in order.
    private(set) var writesWithMore: [Bool] = []
    private(set) var shutdowns: [ShutdownHow] = []
    private(set) var lingerZero = false
    private(set) var closed = false

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> IOResult<Int> {
        reads += 1
        guard !inputs.isEmpty else { return .wouldBlock }
        switch inputs[0] {
        case .eof:
            return .processed(0)
        case .failure(let errno):
            throw SyscallError(call: "read", errno: errno)
        case .bytes(let bytes):
            let count = min(bytes.count, buffer.count)
            buffer.copyBytes(from: bytes[..<count])
            if count == bytes.count { inputs.removeFirst() } else { inputs[0] = .bytes(Array(bytes[count...])) }
            return .processed(count)
        }
    }

    func write(_ buffer: UnsafeRawBufferPointer, more: Bool) throws -> IOResult<Int> {
        writesWithMore.append(more)
        if let writeFailure { throw SyscallError(call: "send", errno: writeFailure) }
        guard writeRoom > 0 else { return .wouldBlock }
        let count = min(writeRoom, buffer.count)
        written += buffer.prefix(count)
        return .processed(count)
    }

    func splice(into pipe: ScriptedPipe, count: Int) throws -> IOResult<Int> {
        let space = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        defer { space.deallocate() }
        let result = try read(into: space)
        if case .processed(let moved) = result { pipe.bytes += space.prefix(moved) }
        return result
    }

    func splice(from pipe: ScriptedPipe, count: Int) throws -> IOResult<Int> {
        let result = try pipe.bytes.prefix(count).withUnsafeBytes { try write($0, more: false) }
        if case .processed(let moved) = result { pipe.bytes.removeFirst(moved) }
        return result
    }

    func shutdown(_ how: ShutdownHow) throws -> Bool {
        shutdowns.append(how)
        return true
    }

    func setLingerZero() throws { lingerZero = true }

    func close() { closed = true }
}

final class ScriptedPipe {
    var bytes: [UInt8] = []
}

/// Hands out up to `available` pipes and records what comes back.
final class ScriptedPipes: PipeSupply {
    var available: Int
    private(set) var returned: [(pipe: ScriptedPipe, empty: Bool)] = []

    init(available: Int = 0) { self.available = available }

    func take() -> ScriptedPipe? {
        guard available > 0 else { return nil }
        available -= 1
        return ScriptedPipe()
    }

    func give(_ pipe: ScriptedPipe, empty: Bool) { returned.append((pipe, empty)) }
}

/// Per-direction forwarding and half-close, through scripted sockets.
final class TunnelTests: XCTestCase {
    private let pool = BufferPool(bufferSize: 16)
    private let pipes = ScriptedPipes()
    private let client = ScriptedSocket()
    private let server = ScriptedSocket()

    private func connectedTunnel() -> Tunnel<ScriptedSocket, ScriptedPipes> {
        var tunnel = Tunnel<ScriptedSocket, ScriptedPipes>(pool: pool, pipes: pipes)
        tunnel.serverConnected()
        return tunnel
    }

    func testClientBytesWaitForTheServerThenFlow() {
        var tunnel = Tunnel<ScriptedSocket, ScriptedPipes>(pool: pool, pipes: pipes)
        client.inputs = [.bytes([1, 2, 3])]
        var report = tunnel.forward(client: client, server: nil)
        XCTAssertEqual(report, ForwardingReport(fromClient: 3, clientActive: true))
        XCTAssertEqual(tunnel.request.buffered, 3, "no server yet: the bytes wait")
        tunnel.serverConnected()
        report = tunnel.forward(client: client, server: server)
        XCTAssertEqual(server.written, [1, 2, 3])
        XCTAssertTrue(report.serverActive)
        XCTAssertEqual(tunnel.request.buffered, 0)
        XCTAssertEqual(pool.inUse, 0, "a drained direction holds no buffer")
    }

    /// A connect completed by a write event alone: the request goes out at once, and the server
    /// is not read until its watcher reports input (that read could only return EAGAIN).
    func testAConnectWithoutInputSkipsTheServerRead() {
        var tunnel = Tunnel<ScriptedSocket, ScriptedPipes>(pool: pool, pipes: pipes)
        client.inputs = [.bytes([1, 2])]
        tunnel.serverConnected(readable: false)
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(server.written, [1, 2])
        XCTAssertEqual(server.reads, 0, "no speculative read of a server that has not spoken")
        XCTAssertEqual(tunnel.serverInterest, .read, "its watcher waits for the answer")
        server.inputs = [.bytes([7])]
        tunnel.noteReady(.server, .read)
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(client.written, [7])
    }

    func testDataFlowsBothWaysAndIsCounted() {
        var tunnel = connectedTunnel()
        client.inputs = [.bytes([1, 2])]
        server.inputs = [.bytes([7, 8, 9])]
        let report = tunnel.forward(client: client, server: server)
        XCTAssertEqual(server.written, [1, 2])
        XCTAssertEqual(client.written, [7, 8, 9])
        XCTAssertEqual(report, ForwardingReport(fromClient: 2, fromServer: 3, clientActive: true, serverActive: true))
        XCTAssertEqual(tunnel.request.state, .open)
        XCTAssertEqual(tunnel.response.state, .open)
        XCTAssertEqual(tunnel.clientInterest, .read, "both sides drained: wait for input only")
        XCTAssertEqual(tunnel.serverInterest, .read)
    }

    /// `tcp-response` inspection: the server's bytes and FIN stay buffered (up to a full buffer)
    /// while the client's keep flowing; released, they go out in order, then the FIN.
    func testHeldResponseWaitsForRelease() {
        var tunnel = connectedTunnel()
        tunnel.holdsResponse = true
        client.inputs = [.bytes([1, 2])]
        server.inputs = [.bytes([UInt8](repeating: 9, count: 10) + [UInt8](repeating: 8, count: 10)), .eof]
        let report = tunnel.forward(client: client, server: server)
        XCTAssertEqual(server.written, [1, 2], "the request direction is not held")
        XCTAssertEqual(client.written, [], "nothing of the response reaches the client")
        XCTAssertEqual(report.fromServer, 16, "read up to a full buffer, counted as read")
        XCTAssertEqual(tunnel.response.buffered, 16)
        XCTAssertEqual(tunnel.clientInterest, .read, "held bytes do not make the client's watcher wait to write")
        XCTAssertEqual(tunnel.serverInterest, [], "a full buffer reads no more")
        tunnel.holdsResponse = false
        _ = tunnel.forward(client: client, server: server)
        tunnel.noteReady(.server, .read)  // the short read of the last 4 bytes drained the socket until the FIN
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(client.written, [UInt8](repeating: 9, count: 10) + [UInt8](repeating: 8, count: 10))
        XCTAssertEqual(client.shutdowns, [.write], "the server's FIN follows its bytes")
        XCTAssertEqual(tunnel.response.state, .closed)
    }

    /// `tcp-response content close`: what was read goes out, then the client's FIN; the server
    /// is read no more.
    func testStopReadingServerForwardsWhatArrivedThenFIN() {
        var tunnel = connectedTunnel()
        tunnel.holdsResponse = true
        server.inputs = [.bytes([5, 6])]
        _ = tunnel.forward(client: client, server: server)
        server.inputs = [.bytes([7])]
        tunnel.stopReadingServer()
        tunnel.holdsResponse = false
        let readsBefore = server.reads
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(client.written, [5, 6])
        XCTAssertEqual(client.shutdowns, [.write])
        XCTAssertEqual(server.reads, readsBefore, "no read from the server after the close")
    }

    func testClientFINWaitsForPendingBytesThenIsForwarded() {
        var tunnel = connectedTunnel()
        server.writeRoom = 0
        client.inputs = [.bytes([1, 2, 3]), .eof]
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(tunnel.request.state, .open, "a short read drained the socket: the EOF waits for readiness")
        tunnel.noteReady(.client, .read)
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(tunnel.request.state, .draining)
        XCTAssertEqual(server.shutdowns, [], "no FIN before the buffered bytes")
        XCTAssertEqual(tunnel.serverInterest, [.read, .write], "the blocked write arms the server's write interest")
        XCTAssertFalse(tunnel.clientInterest.contains(.read), "nothing more to read after FIN")
        server.writeRoom = 2
        tunnel.noteReady(.server, .write)
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(server.written, [1, 2], "a short write leaves the rest pending")
        XCTAssertEqual(server.shutdowns, [])
        server.writeRoom = .max
        tunnel.noteReady(.server, .write)
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(server.written, [1, 2, 3])
        XCTAssertEqual(server.shutdowns, [.write], "FIN forwarded once drained")
        XCTAssertEqual(tunnel.request.state, .closed)
    }

    func testServerFINWaitsForPendingBytesThenIsForwarded() {
        var tunnel = connectedTunnel()
        client.writeRoom = 0
        server.inputs = [.bytes([5, 6]), .eof]
        _ = tunnel.forward(client: client, server: server)
        tunnel.noteReady(.server, .read)
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(tunnel.response.state, .draining)
        XCTAssertEqual(client.shutdowns, [])
        XCTAssertTrue(tunnel.clientInterest.contains(.write), "the blocked write arms the client's write interest")
        XCTAssertFalse(tunnel.serverInterest.contains(.read))
        client.writeRoom = .max
        tunnel.noteReady(.client, .write)
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(client.written, [5, 6])
        XCTAssertEqual(client.shutdowns, [.write])
        XCTAssertEqual(tunnel.response.state, .closed)
    }

    /// Both peers' EOFs in one wake-up (a client closing after its answer, the server after
    /// sending it): close() sends both FINs, so neither side gets a shutdown first.
    func testEOFsOfBothSidesInOneWakeUpNeedNoShutdown() {
        var tunnel = connectedTunnel()
        client.inputs = [.eof]
        server.inputs = [.eof]
        _ = tunnel.forward(client: client, server: server)
        XCTAssertTrue(tunnel.isFinished)
        XCTAssertEqual(server.shutdowns, [], "the server's EOF was read before the client's FIN went out")
        XCTAssertEqual(client.shutdowns, [])
    }

    /// The client's EOF with the server still open: its FIN goes out at once (half-close).
    func testClientEOFAloneIsForwardedAsAShutdown() {
        var tunnel = connectedTunnel()
        client.inputs = [.eof]
        _ = tunnel.forward(client: client, server: server)
        XCTAssertFalse(tunnel.isFinished)
        XCTAssertEqual(server.shutdowns, [.write])
        XCTAssertEqual(client.shutdowns, [])
    }

    func testOtherDirectionKeepsFlowingAfterHalfClose() {
        var tunnel = connectedTunnel()
        client.inputs = [.eof]
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(tunnel.request.state, .closed)
        XCTAssertEqual(server.shutdowns, [.write])
        server.inputs = [.bytes([4, 2])]
        tunnel.noteReady(.server, .read)
        let report = tunnel.forward(client: client, server: server)
        XCTAssertEqual(client.written, [4, 2])
        XCTAssertEqual(report.fromServer, 2)
        XCTAssertEqual(tunnel.response.state, .open)
        XCTAssertFalse(tunnel.isFinished)
        XCTAssertEqual(tunnel.clientInterest, [], "the client's side is done reading; nothing to write")
        XCTAssertEqual(tunnel.serverInterest, .read)
    }

    func testLastDirectionSkipsTheRedundantShutdownAndFinishes() {
        var tunnel = connectedTunnel()
        client.inputs = [.eof]
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(server.shutdowns, [.write])
        server.inputs = [.bytes([1]), .eof]
        tunnel.noteReady(.server, .read)
        _ = tunnel.forward(client: client, server: server)
        tunnel.noteReady(.server, .read)
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(client.written, [1])
        XCTAssertEqual(client.shutdowns, [], "close() follows at once and sends the FIN itself")
        XCTAssertEqual(tunnel.response.state, .closed)
        XCTAssertTrue(tunnel.isFinished)
    }

    /// A server that answers then closes: the read after its short read finds the FIN, and the
    /// answer goes with MSG_MORE so that the shutdown right after sends bytes and FIN together.
    func testServerFINRightBehindItsBytesLeavesWithThem() {
        var tunnel = connectedTunnel()
        server.inputs = [.bytes([1, 2, 3]), .eof]
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(server.reads, 2, "the short read and the one that found the FIN")
        XCTAssertEqual(client.written, [1, 2, 3])
        XCTAssertEqual(client.writesWithMore, [true])
        XCTAssertEqual(client.shutdowns, [.write], "the FIN follows the corked bytes in the same round")
        XCTAssertEqual(tunnel.response.state, .closed)
    }

    /// The first read ahead that would block ends reading ahead for the stream: a server that
    /// keeps its connection open costs one extra read, not one per answer.
    func testReadAheadStopsOnceItWouldBlock() {
        var tunnel = connectedTunnel()
        server.inputs = [.bytes([1])]
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(server.reads, 2)
        XCTAssertFalse(tunnel.readsAheadForServerFIN)
        XCTAssertEqual(client.writesWithMore, [false], "no FIN known: nothing is held back")
        server.inputs = [.bytes([2])]
        tunnel.noteReady(.server, .read)
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(server.reads, 3, "the next short read is not followed by another")
        XCTAssertEqual(client.written, [1, 2])
    }

    /// Bytes the server sent before a reset still reach the client: a failing read ahead counts
    /// once they are written.
    func testReadAheadFailureComesAfterTheBytesBeforeIt() {
        var tunnel = connectedTunnel()
        server.inputs = [.bytes([5]), .failure(ECONNRESET)]
        let report = tunnel.forward(client: client, server: server)
        XCTAssertEqual(client.written, [5])
        XCTAssertEqual(report.failure, ForwardingReport.Failure(side: .server, errno: ECONNRESET))
    }

    /// When the client's direction is closed, close() sends the server's FIN (a reset under
    /// `option nolinger`, which would drop held bytes): the last bytes are not held.
    func testNoBytesHeldForAFINThatCloseSends() {
        var tunnel = connectedTunnel()
        client.inputs = [.eof]
        _ = tunnel.forward(client: client, server: server)
        server.inputs = [.bytes([9]), .eof]
        tunnel.noteReady(.server, .read)
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(client.written, [9])
        XCTAssertEqual(client.writesWithMore, [false])
        XCTAssertEqual(client.shutdowns, [])
        XCTAssertTrue(tunnel.isFinished)
    }

    func testBothClosedFinishWithFINsOrWithResetsUnderNolinger() {
        for nolinger in [false, true] {
            let client = ScriptedSocket()
            let server = ScriptedSocket()
            var tunnel = connectedTunnel()
            client.inputs = [.eof]
            server.inputs = [.eof]
            _ = tunnel.forward(client: client, server: server)
            XCTAssertTrue(tunnel.isFinished)
            tunnel.close(client: client, server: server, reset: StreamEnd.completed.resetsPeers(nolinger: nolinger))
            XCTAssertTrue(client.closed && server.closed)
            XCTAssertEqual(client.lingerZero, nolinger, "a complete stream ends with FINs unless nolinger")
            XCTAssertEqual(server.lingerZero, nolinger)
        }
    }

    func testWriteErrorFailsTheSinkAndResetsTheOtherSide() {
        var tunnel = connectedTunnel()
        server.writeFailure = EPIPE
        client.inputs = [.bytes([1, 2, 3])]
        let report = tunnel.forward(client: client, server: server)
        XCTAssertEqual(report.failure, ForwardingReport.Failure(side: .server, errno: EPIPE))
        XCTAssertEqual(report.fromClient, 3, "bytes read before the failure are still counted")
        let end = StreamEnd.reset(.server)
        tunnel.close(client: client, server: server, reset: end.resetsPeers(nolinger: false))
        XCTAssertTrue(client.lingerZero, "the client learns by a reset that the stream did not complete")
        XCTAssertTrue(client.closed && server.closed)
        XCTAssertEqual(tunnel.request.state, .aborted)
        XCTAssertEqual(pool.inUse, 0, "the buffered bytes are dropped")
    }

    func testReadErrorFailsTheSourceBeforeAnyWrite() {
        var tunnel = connectedTunnel()
        server.inputs = [.failure(ECONNRESET)]
        client.inputs = [.bytes([9])]
        let report = tunnel.forward(client: client, server: server)
        XCTAssertEqual(report.failure, ForwardingReport.Failure(side: .server, errno: ECONNRESET))
        XCTAssertEqual(server.written, [9], "the request direction ran first")
        XCTAssertEqual(client.written, [])
        XCTAssertEqual(StreamEnd.reset(.server).termination(in: .closed), Termination(cause: .server, phase: .data))
    }

    func testWouldBlockOnReadStopsReadingAndArmsReadInterest() {
        var tunnel = connectedTunnel()
        client.inputs = [.bytes([1])]
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(client.reads, 1, "a short read drained the socket: no second read")
        XCTAssertFalse(tunnel.clientReadiness.readable)
        XCTAssertTrue(tunnel.clientInterest.contains(.read))
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(client.reads, 1, "no read until the watcher reports the socket readable")
        tunnel.noteReady(.client, .read)
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(client.reads, 2)
    }

    func testFullBufferStopsReadingUntilTheSinkDrains() {
        var tunnel = connectedTunnel()
        server.writeRoom = 0
        client.inputs = [.bytes(Array(repeating: 1, count: 20))]
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(tunnel.request.buffered, 16)
        XCTAssertEqual(tunnel.clientInterest, [], "back-pressure: no reading while the buffer is full")
        XCTAssertEqual(tunnel.serverInterest, [.read, .write])
        server.writeRoom = .max
        tunnel.noteReady(.server, .write)
        _ = tunnel.forward(client: client, server: server)
        XCTAssertEqual(server.written.count, 20)
    }

    func testOneCallIsBoundedInRounds() {
        var tunnel = connectedTunnel()
        client.inputs = Array(repeating: .bytes(Array(repeating: 3, count: 16)), count: 20)
        let report = tunnel.forward(client: client, server: server)
        XCTAssertEqual(report.fromClient, 16 * Tunnel<ScriptedSocket, ScriptedPipes>.maxRounds)
    }

    func testBulkDataMovesThroughAPipeWhichGoesBackWhenIdle() {
        pipes.available = 1
        var tunnel = connectedTunnel()
        client.inputs = [.bytes(Array(repeating: 1, count: 16)), .bytes([2, 3])]
        let report = tunnel.forward(client: client, server: server)
        XCTAssertEqual(pipes.available, 0, "a full read takes a pipe")
        XCTAssertEqual(server.written, Array(repeating: 1, count: 16) + [2, 3], "the pipe keeps the order")
        XCTAssertEqual(report.fromClient, 18)
        XCTAssertEqual(pipes.returned.count, 1, "empty and idle: the pipe goes back")
        XCTAssertEqual(pipes.returned.first?.empty, true)
    }
}
