import OrdrelConfig
import XCTest

@testable import OrdrelCore

final class BalancingTests: XCTestCase {
    private func servers(_ weights: [Int], backups: Set<Int> = [], maxconn: Int = 0) -> [BalancerServer] {
        weights.enumerated().map { index, weight in
            BalancerServer(index: index, id: index + 1, weight: weight, isBackup: backups.contains(index), maxconn: maxconn)
        }
    }

    private func picks(_ balancer: Balancer, _ count: Int, hash: UInt64? = nil) -> [Int] {
        (0..<count).map { _ in
            guard case .server(let index) = balancer.pick(clientAddressHash: hash) else {
                XCTFail("expected a server")
                return -1
            }
            return index
        }
    }

    private func tally(_ picked: [Int], servers: Int) -> [Int] {
        var counts = Array(repeating: 0, count: servers)
        for index in picked { counts[index] += 1 }
        return counts
    }

    // MARK: redispatch

    /// A redispatch passes over the server it leaves while another can serve, whatever the
    /// algorithm; with no other choice, the left server is the last resort.
    func testPickAvoidingPassesOverTheLeftServer() {
        for algorithm in [BalanceAlgorithm.roundrobin, .staticRR, .leastconn, .first] {
            let balancer = Balancer(algorithm: algorithm, servers: servers([1, 1, 1]))
            for avoided in 0..<3 {
                for _ in 0..<6 {
                    guard case .server(let index) = balancer.pick(avoiding: avoided) else { return XCTFail("\(algorithm)") }
                    XCTAssertNotEqual(index, avoided, "\(algorithm)")
                }
            }
            let alone = Balancer(algorithm: algorithm, servers: servers([1, 0]))
            XCTAssertEqual(alone.pick(avoiding: 0), .server(0), "\(algorithm): the only server is the last resort")
        }
    }

    /// In round-robin the passed-over server keeps its turn: after (s1, redispatch to s2) the
    /// next pick is s1 again, as haproxy's rotation.
    func testRoundRobinRotationGoesOnAroundThePassedOverServer() {
        let balancer = Balancer(algorithm: .roundrobin, servers: servers([1, 1]))
        XCTAssertEqual(balancer.pick(), .server(0))
        XCTAssertEqual(balancer.pick(avoiding: 0), .server(1))
        XCTAssertEqual(balancer.pick(), .server(0))
        XCTAssertEqual(balancer.pick(avoiding: 0), .server(1))
    }

    /// A `source` hash keeps its server even on a redispatch.
    func testSourceHashIgnoresAvoiding() {
        let balancer = Balancer(algorithm: .source, servers: servers([1, 1]))
        XCTAssertEqual(balancer.pick(clientAddressHash: 1, avoiding: 1), .server(1))
    }

    // MARK: roundrobin

    func testRoundRobinOneToThreeSplitsExactly() {
        let balancer = Balancer(algorithm: .roundrobin, servers: servers([1, 3]))
        XCTAssertEqual(tally(picks(balancer, 10_000), servers: 2), [2_500, 7_500])
    }

    func testRoundRobinIsSmoothLikeNginx() {
        let balancer = Balancer(algorithm: .roundrobin, servers: servers([5, 1, 1]))
        let sequence = picks(balancer, 70)
        XCTAssertEqual(Array(sequence.prefix(7)), [0, 0, 1, 0, 2, 0, 0])
        let weights = [5, 1, 1]
        var counts = [0, 0, 0]
        for (k, index) in sequence.enumerated() {
            counts[index] += 1
            for server in 0..<3 {
                let ideal = Double((k + 1) * weights[server]) / 7
                XCTAssertLessThan(abs(Double(counts[server]) - ideal), 1, "server \(server) after \(k + 1) picks")
            }
        }
        XCTAssertEqual(counts, [50, 10, 10])
    }

    func testRoundRobinWeightChangeAppliesToNextPick() {
        let balancer = Balancer(algorithm: .roundrobin, servers: servers([1, 1]))
        XCTAssertEqual(picks(balancer, 4), [0, 1, 0, 1])
        balancer.setWeight(0, of: 1)
        XCTAssertEqual(picks(balancer, 3), [0, 0, 0])
        balancer.setWeight(3, of: 1)
        balancer.setWeight(1, of: 0)
        XCTAssertEqual(tally(picks(balancer, 400), servers: 2), [100, 300])
    }

    func testWeightZeroAndUnusableServersAreNeverPicked() {
        for algorithm in BalanceAlgorithm.allCases {
            let balancer = Balancer(algorithm: algorithm, servers: servers([2, 0, 3, 1]))
            balancer.setUsable(false, of: 2)
            let picked = Set(picks(balancer, 200, hash: algorithm == .source ? 7 : nil))
            XCTAssertFalse(picked.contains(1), "\(algorithm) picked weight 0")
            XCTAssertFalse(picked.contains(2), "\(algorithm) picked unusable")
            if algorithm != .source && algorithm != .first {
                XCTAssertEqual(picked, [0, 3], "\(algorithm)")
            }
        }
    }

    // MARK: backups

    func testBackupOnlyWhenAllActivesAreDown() {
        let balancer = Balancer(algorithm: .roundrobin, servers: servers([1, 1, 1, 1], backups: [2, 3]))
        XCTAssertEqual(Set(picks(balancer, 10)), [0, 1])
        balancer.setUsable(false, of: 0)
        XCTAssertEqual(Set(picks(balancer, 10)), [1])
        balancer.setWeight(0, of: 1)
        XCTAssertEqual(picks(balancer, 4), [2, 2, 2, 2], "only the first backup")
        XCTAssertEqual(balancer.usableActiveCount, 0)
        XCTAssertEqual(balancer.usableBackupCount, 2)
        balancer.setUsable(false, of: 2)
        XCTAssertEqual(picks(balancer, 2), [3, 3], "next backup takes over")
        balancer.setWeight(1, of: 1)
        XCTAssertEqual(picks(balancer, 2), [1, 1], "active back: backups unused")
    }

    func testAllBackupsBalancesAcrossBackupsWithTheAlgorithm() {
        let balancer = Balancer(algorithm: .roundrobin, servers: servers([1, 1, 3], backups: [1, 2]), allBackups: true)
        balancer.setUsable(false, of: 0)
        XCTAssertEqual(tally(picks(balancer, 400), servers: 3), [0, 100, 300])
        let leastconn = Balancer(algorithm: .leastconn, servers: servers([1, 1, 1], backups: [1, 2]), allBackups: true)
        leastconn.setUsable(false, of: 0)
        XCTAssertEqual(picks(leastconn, 4), [1, 2, 1, 2])
    }

    func testNoServerVersusAllFull() {
        let balancer = Balancer(algorithm: .roundrobin, servers: servers([1, 1], maxconn: 1))
        XCTAssertEqual(balancer.pick(), .server(0))
        balancer.connectionOpened(0)
        XCTAssertEqual(balancer.pick(), .server(1))
        balancer.connectionOpened(1)
        XCTAssertEqual(balancer.pick(), .allFull)
        balancer.connectionClosed(0)
        XCTAssertEqual(balancer.pick(), .server(0))
        balancer.setUsable(false, of: 0)
        balancer.setUsable(false, of: 1)
        XCTAssertEqual(balancer.pick(), .noServer)
        XCTAssertEqual(Balancer(algorithm: .leastconn, servers: []).pick(), .noServer)
    }

    func testQueuedConnectionsMakeAServerFull() {
        let balancer = Balancer(algorithm: .staticRR, servers: servers([1, 1], maxconn: 5))
        balancer.setQueuedConnections(1, of: 0)
        XCTAssertEqual(picks(balancer, 3), [1, 1, 1])
        balancer.setQueuedConnections(0, of: 0)
        balancer.setMaxconn(0, of: 1)
        XCTAssertEqual(Set(picks(balancer, 4)), [0, 1])
    }

    // MARK: static-rr

    func testStaticRoundRobinUsesBuildTimeWeights() {
        let balancer = Balancer(algorithm: .staticRR, servers: servers([1, 3]))
        XCTAssertEqual(picks(balancer, 4), [0, 1, 1, 1])
        XCTAssertEqual(tally(picks(balancer, 10_000), servers: 2), [2_500, 7_500])
        balancer.setWeight(1, of: 1)
        XCTAssertEqual(tally(picks(balancer, 400), servers: 2), [100, 300], "non-zero runtime weight means 100%")
        balancer.setWeight(0, of: 1)
        XCTAssertEqual(picks(balancer, 3), [0, 0, 0])
        balancer.setWeight(200, of: 1)
        XCTAssertEqual(tally(picks(balancer, 400), servers: 2), [100, 300])
    }

    // MARK: leastconn

    func testLeastConnPrefersFewerConnectionsAndRotatesAmongEquals() {
        let balancer = Balancer(algorithm: .leastconn, servers: servers([1, 1, 1]))
        XCTAssertEqual(picks(balancer, 6), [0, 1, 2, 0, 1, 2], "round-robin among equals")
        balancer.connectionOpened(0)
        balancer.connectionOpened(0)
        balancer.connectionOpened(1)
        XCTAssertEqual(balancer.pick(), .server(2))
        balancer.connectionOpened(2)
        XCTAssertEqual(balancer.pick(), .server(1), "1 and 2 tie at one connection; 2 just went")
        for _ in 0..<29 {
            guard case .server(let index) = balancer.pick() else { return XCTFail("no server") }
            balancer.connectionOpened(index)
        }
        XCTAssertEqual((0..<3).map { balancer.server($0).currentConnections }, [11, 11, 11])
    }

    func testLeastConnIsRelativeToWeight() {
        let balancer = Balancer(algorithm: .leastconn, servers: servers([1, 3]))
        for _ in 0..<40 {
            guard case .server(let index) = balancer.pick() else { return XCTFail("no server") }
            balancer.connectionOpened(index)
        }
        XCTAssertEqual(balancer.server(0).currentConnections, 10)
        XCTAssertEqual(balancer.server(1).currentConnections, 30)
    }

    // MARK: first

    func testFirstFillsLowestIdToMaxconnThenMovesOn() {
        let list = [
            BalancerServer(index: 0, id: 3, weight: 1, maxconn: 2),
            BalancerServer(index: 1, id: 1, weight: 5, maxconn: 2),
            BalancerServer(index: 2, id: 2, weight: 1, maxconn: 2),
        ]
        let balancer = Balancer(algorithm: .first, servers: list)
        var order: [Int] = []
        for _ in 0..<6 {
            guard case .server(let index) = balancer.pick() else { return XCTFail("no server") }
            balancer.connectionOpened(index)
            order.append(index)
        }
        XCTAssertEqual(order, [1, 1, 2, 2, 0, 0])
        XCTAssertEqual(balancer.pick(), .allFull)
        balancer.connectionClosed(2)
        XCTAssertEqual(balancer.pick(), .server(2))
        balancer.setWeight(0, of: 2)
        XCTAssertEqual(balancer.pick(), .allFull, "weight 0 takes no traffic even with a free slot")
    }

    // MARK: source

    func testSourceHashIsHaproxyMapBased() {
        XCTAssertEqual(Balancer.hash(addressBytes: [192, 168, 1, 10]), 0xC0A8_010A)
        let v6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        XCTAssertEqual(Balancer.hash(addressBytes: v6), 0x2001_0DB9)
        XCTAssertEqual(Balancer.hash(addressBytes: [] as [UInt8]), 0)
    }

    func testSourceSameHashSameServerAndSplitFollowsWeights() {
        let balancer = Balancer(algorithm: .source, servers: servers([1, 3]))
        for hash: UInt64 in [0, 1, 2, 3, 17, 0xC0A8_010A] {
            let first = balancer.pick(clientAddressHash: hash)
            XCTAssertEqual(picks(balancer, 5, hash: hash), Array(repeating: first == .server(0) ? 0 : 1, count: 5))
        }
        let spread = (0..<4_000).map { hash -> Int in
            guard case .server(let index) = balancer.pick(clientAddressHash: UInt64(hash)) else { return -1 }
            return index
        }
        XCTAssertEqual(tally(spread, servers: 2), [1_000, 3_000])
    }

    func testSourceRemapsOnlyWhenTheSetChanges() {
        let balancer = Balancer(algorithm: .source, servers: servers([1, 1, 1]))
        let hashes = (0..<300).map { UInt64($0) * 7_919 }
        let before = hashes.map { balancer.pick(clientAddressHash: $0) }
        balancer.setWeight(1, of: 2)
        balancer.setMaxconn(10, of: 1)
        balancer.connectionOpened(0)
        XCTAssertEqual(hashes.map { balancer.pick(clientAddressHash: $0) }, before, "unchanged set keeps placement")
        balancer.setUsable(false, of: 2)
        let during = hashes.map { balancer.pick(clientAddressHash: $0) }
        XCTAssertNotEqual(during, before)
        XCTAssertFalse(during.contains(.server(2)))
        balancer.setUsable(true, of: 2)
        XCTAssertEqual(hashes.map { balancer.pick(clientAddressHash: $0) }, before, "same set, same map")
    }

    func testSourceFullServerQueuesOnThatServer() {
        let balancer = Balancer(algorithm: .source, servers: servers([1, 1], maxconn: 1))
        XCTAssertEqual(balancer.pick(clientAddressHash: 4), .server(0))
        balancer.connectionOpened(0)
        XCTAssertEqual(balancer.pick(clientAddressHash: 4), .serverFull(0))
        XCTAssertEqual(balancer.pick(clientAddressHash: 5), .server(1))
        XCTAssertEqual(balancer.pick(clientAddressHash: nil), .server(1), "no address: round-robin on the map")
    }
}
