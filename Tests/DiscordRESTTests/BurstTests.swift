import DiscordModels
import DiscordREST
import Foundation
import HTTPTransport
import ParleyTestSupport
import Testing

/// 300 replies to 10 channels against Discord-like limits (5 per 5 s per channel, 50/s global).
@Suite struct BurstTests {
    func burst(_ discord: FakeDiscordREST) async throws -> Duration {
        let (rest, http) = DiscordRESTClientTests.client(discord.apiBase)
        defer { http.shutdown() }
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for channel in 0..<10 {
                group.addTask {
                    for n in 0..<30 {
                        try await rest.createMessage(
                            channel: Snowflake("\(channel)"),
                            CreateMessage(content: "c\(channel) m\(n)", nonce: "c\(channel)-\(n)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        return ContinuousClock.now - started
    }

    func expectAllDeliveredInOrder(_ discord: FakeDiscordREST) {
        for channel in 0..<10 {
            #expect(discord.messages(in: "\(channel)") == (0..<30).map { "c\(channel) m\($0)" })
        }
    }

    @Test func threeHundredRepliesWithoutA429AndWithFaults() async throws {
        let clean = try FakeDiscordREST()
        var faulty = FakeDiscordREST.Options()
        faulty.serverErrorRate = 0.05
        faulty.injected429Rate = 0.05
        faulty.errorAfterStoreRate = 0.03
        let noisy = try FakeDiscordREST(options: faulty)
        defer {
            clean.stop()
            noisy.stop()
        }
        async let cleanRun = burst(clean)
        async let noisyRun = burst(noisy)
        let (cleanTime, noisyTime) = try await (cleanRun, noisyRun)

        expectAllDeliveredInOrder(clean)
        #expect(clean.stats.rateLimited == 0)
        expectAllDeliveredInOrder(noisy)
        #expect(noisy.stats.rateLimited == 0, "only injected 429s, never one we caused")
        #expect(noisy.stats.injectedErrors + noisy.stats.injected429s > 0, "faults were injected")
        #expect(noisy.stats.duplicatesPrevented > 0, "lost responses were retried, and the nonce kept them single")
        print("burst: clean \(clean.stats) in \(cleanTime); faulty \(noisy.stats) in \(noisyTime)")
    }
}
