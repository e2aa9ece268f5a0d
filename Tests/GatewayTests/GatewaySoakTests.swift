import Foundation
import Gateway
import ParleyTestSupport
import Testing

/// 1,000 MESSAGE_CREATE events while the connection is repeatedly broken: every message must
/// reach the consumer exactly once, in order.
@Suite struct GatewaySoakTests {
    enum Fault: CaseIterable { case drop, zombie, reconnect, invalidSessionResumable, resumableClose }

    @Test func everyMessageExactlyOnceThroughFaults() async throws {
        let h = try GatewayScenarioTests.Harness()
        try await h.waitUntilReady()
        var faults: [Fault: Int] = [:]
        var rng = SystemRandomNumberGenerator()
        let started = ContinuousClock.now
        for i in 0..<1000 {
            h.server.dispatchMessage(id: "\(100_000 + i)", channelID: "\(i % 7)", content: "message \(i)")
            if i % 40 == 39 {
                // Every fault hits a live, resumed connection, so each one really breaks it.
                try await h.waitFor { h in
                    h.server.hasLiveConnection
                        && h.events.last { if case .status = $0 { true } else { false } } == .status(.connected)
                }
                let fault = Fault.allCases.randomElement(using: &rng)!
                let hit: Bool
                switch fault {
                case .drop: hit = h.server.dropConnection()
                case .reconnect: hit = h.server.sendReconnect()
                case .invalidSessionResumable: hit = h.server.sendInvalidSession(true)
                case .resumableClose: hit = h.server.close(code: [1001, 4000, 4008].randomElement(using: &rng)!, reason: "soak")
                case .zombie:
                    let resumes = h.server.resumes.count
                    h.server.ackHeartbeats = false
                    try await h.waitFor { $0.server.resumes.count > resumes }
                    h.server.ackHeartbeats = true
                    hit = true
                }
                if hit { faults[fault, default: 0] += 1 }
            }
            if i % 10 == 9 { try await Task.sleep(for: .milliseconds(5)) }
        }
        try await h.waitFor(.seconds(45)) { $0.messageIDs.count >= 1000 }
        try await Task.sleep(for: .milliseconds(300)) // late duplicates would arrive now
        let delivered = h.messageIDs
        let expected = (0..<1000).map { "\(100_000 + $0)" }
        #expect(delivered == expected, "in order, none lost, none twice")
        #expect(faults.values.reduce(0, +) == 25, "every fault hit a live connection")
        #expect(h.server.resumes.filter(\.accepted).count >= 25, "each fault was recovered by a resume")
        let duplicates = delivered.count - Set(delivered).count
        print(
            "soak: \(faults.values.reduce(0, +)) faults \(faults), 1000 sent, \(delivered.count) delivered, \(duplicates) duplicates, \(h.server.connectionCount) connections, \(h.server.resumes.count) resumes in \(ContinuousClock.now - started)"
        )
        await h.stop()
    }
}
