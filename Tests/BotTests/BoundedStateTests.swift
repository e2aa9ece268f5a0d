import DiscordModels
import Foundation
import Gateway
import ParleyTestSupport
import Testing

@testable import Bot

/// Per-channel, per-user and per-guild state stays bounded however many channels, users and
/// guilds pass by.
@Suite struct BoundedStateTests {
    @Test func cooldownEntriesExpire() {
        var cooldown = Cooldown(seconds: 1)
        let start = ContinuousClock.now
        // A new user every millisecond: about 1,000 are cooling down at any moment.
        var most = 0
        for n in 0..<20_000 {
            _ = cooldown.check(Snowflake("\(n)"), now: start + .milliseconds(n))
            most = max(most, cooldown.trackedUsers)
        }
        #expect(most <= 2_048, "users tracked at most: \(most) for 20,000 users")
        // A user still cooling down is kept.
        var fresh = Cooldown(seconds: 60)
        _ = fresh.check("42", now: start)
        for n in 0..<5_000 { _ = fresh.check(Snowflake("y\(n)"), now: start + .seconds(120)) }
        #expect(fresh.check("42", now: start + .seconds(120)) == .allowed, "42's cooldown had long passed")
    }

    @Test func aLeastRecentlyUsedMapKeepsItsBound() {
        var map = LRUMap<Int, Int>(capacity: 100)
        for n in 0..<10_000 {
            map[n] = n
            if n % 10 == 0 { map.touch(0) }
        }
        #expect(map.count <= 100)
        #expect(map[0] == 0, "the entry kept in use survives")
        #expect(map[9_999] == 9_999 && map[5] == nil)
        map[0] = nil
        #expect(map[0] == nil)
    }

    @Test func idleChannelWorkersRetire() async throws {
        let h = try BotHarness()
        for n in 0..<300 {
            // Commands answered in 300 channels: each gets a worker, which goes idle.
            await h.service.handle(
                .messageCreate(BotHarness.mention("8\(n)", "!parley help", channel: Snowflake("\(10_000 + n)"))))
            if n % 100 == 99 { await h.service.waitUntilIdle() }
        }
        await h.service.waitUntilIdle()
        let workers = await h.service.workerCount
        #expect(workers <= BotService.minimumWorkerSweep, "\(workers) workers for 300 channels")
        #expect(h.discord.posts.count == 300, "every command was answered")
        await h.shutdown()
    }
}
