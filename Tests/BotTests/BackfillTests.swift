import Bot
import Configuration
import Conversation
import DiscordModels
import Foundation
import Gateway
import ParleyTestSupport
import Testing

/// What arrived while no session could replay it is read back from the channels' history:
/// answered once, in order, within `triggers.backfill_max_age`, ambient chatter kept as context.
@Suite struct BackfillTests {
    static func id(secondsAgo: Double, _ sequence: Int) -> String {
        let milliseconds = UInt64((Date().timeIntervalSince1970 - secondsAgo) * 1000)
        return Snowflake(millisecondsSince1970: milliseconds).rawValue.withSequence(sequence)
    }

    @Test func missedMentionsAreAnsweredOnceAndChatterIsKeptAsContext() async throws {
        let harness = try BotHarness { $0.triggers.context = .ambient }
        // Before the gap: the channel talked to the bot.
        await harness.send(.messageCreate(BotHarness.mention(Self.id(secondsAgo: 1800, 1), "before", channel: "50")))
        #expect(harness.discord.posts(in: "50").count == 1)

        let old = BotHarness.mention(Self.id(secondsAgo: 1200, 2), "too old", channel: "50")
        let chatter = BotHarness.chatter(Self.id(secondsAgo: 60, 3), channel: "50")
        let missed = BotHarness.mention(Self.id(secondsAgo: 30, 4), "are you there?", channel: "50")
        harness.discord.addHistory(old, chatter, missed)

        #expect(await harness.service.backfill() == 2, "the old one is not even read")
        await harness.service.waitUntilIdle()
        #expect(harness.service.context.counters["backfilled_messages"] == 2, "parley_backfilled_messages_total")
        #expect(harness.discord.posts(in: "50").compactMap(\.replyTo).suffix(1) == [missed.id.rawValue])
        #expect(try await harness.contents("50").contains("message \(chatter.id)"), "ambient chatter as context")
        #expect(harness.discord.historyReads.first?.channel == "50")

        // A second backfill (another READY) starts after what the first read: nothing twice.
        #expect(await harness.service.backfill() == 0)
        await harness.service.waitUntilIdle()
        #expect(harness.discord.posts(in: "50").count == 2)
        let stored = try await harness.contents("50").filter { $0.contains("are you there?") }
        #expect(stored.count == 1)
    }

    /// The history leaves `guild_id` out: a guild channel's chatter must not read as a DM.
    @Test func aGuildChannelsChatterIsNotTakenForADirectMessage() async throws {
        let harness = try BotHarness()
        await harness.send(.messageCreate(BotHarness.mention(Self.id(secondsAgo: 100, 1), "hi", channel: "60")))
        harness.discord.addHistory(BotHarness.chatter(Self.id(secondsAgo: 10, 2), channel: "60"))
        await harness.service.backfill()
        await harness.service.waitUntilIdle()
        #expect(harness.discord.posts(in: "60").count == 1, "chatter in a guild is not answered")
    }

    @Test func aReplayedMessageIsNotAnsweredOrStoredTwice() async throws {
        let harness = try BotHarness()
        let message = BotHarness.mention(Self.id(secondsAgo: 100, 1), "once", channel: "70")
        await harness.send(.messageCreate(message))
        await harness.send(.messageCreate(message)) // a resume from a slightly old sequence
        #expect(harness.discord.posts(in: "70").count == 1)
        #expect(try await harness.contents("70").filter { $0.contains("once") }.count == 1)
    }

    /// A live message in a channel the backfill is still reading waits for it: the missed message
    /// (older) is stored and answered first, then the live one, each once.
    @Test func aLiveMessageWaitsForItsChannelsBackfill() async throws {
        let harness = try BotHarness()
        let before = BotHarness.mention(Self.id(secondsAgo: 1800, 1), "before", channel: "90")
        await harness.send(.messageCreate(before))
        let missed = BotHarness.mention(Self.id(secondsAgo: 30, 2), "missed while down", channel: "90")
        harness.discord.addHistory(missed)
        harness.discord.holdHistory() // a slow Discord
        let backfills = Task { await harness.service.runBackfills() }
        try await harness.waitUntil { await harness.service.backfillsRunning }
        let ready = try JSONDecoder().decode(
            Ready.self, from: Data(#"{"v":10,"user":{"id":"100","username":"parley","bot":true},"session_id":"s"}"#.utf8))
        await harness.service.handle(.ready(ready))
        try await harness.waitUntil { harness.discord.historyReadsHeld == 1 }

        // From someone else: a newer message of the same person would join the missed one's
        // reply if that reply had not started yet (`ChannelBacklog`'s merge), and whether it has
        // is down to the scheduler.
        let live = BotHarness.mention(
            Self.id(secondsAgo: 0, 3), "live", channel: "90", author: User(id: "2", username: "bob"))
        await harness.service.handle(.messageCreate(live))
        let other = BotHarness.mention(Self.id(secondsAgo: 0, 4), "elsewhere", channel: "91")
        await harness.service.handle(.messageCreate(other))
        try await harness.waitUntil { harness.discord.posts(in: "91").count == 1 } // other channels go on
        #expect(harness.discord.posts(in: "90").count == 1, "held behind the backfill")
        #expect(try await harness.contents("90") == ["before", "Sure."])

        harness.discord.releaseHistory()
        try await harness.waitUntil { harness.discord.posts(in: "90").count == 3 }
        await harness.service.waitUntilIdle()
        #expect(harness.discord.posts(in: "90").compactMap(\.replyTo) == [before, missed, live].map(\.id.rawValue))
        #expect(try await harness.contents("90") == ["before", "Sure.", "missed while down", "Sure.", "live", "Sure."])
        backfills.cancel()
        await backfills.value
        #expect(await !harness.service.backfillsRunning)
    }

    @Test func aMaximumAgeOfZeroTurnsItOff() async throws {
        let harness = try BotHarness { $0.triggers.backfillMaxAge = 0 }
        await harness.send(.messageCreate(BotHarness.mention(Self.id(secondsAgo: 100, 1), "hi", channel: "80")))
        harness.discord.addHistory(BotHarness.mention(Self.id(secondsAgo: 10, 2), "missed", channel: "80"))
        #expect(await harness.service.backfill() == 0)
        #expect(harness.discord.historyReads.isEmpty)
    }
}

extension String {
    /// A snowflake with its low 12 bits (the sequence) set, so ids of one millisecond differ.
    fileprivate func withSequence(_ sequence: Int) -> String {
        String((UInt64(self) ?? 0) | UInt64(sequence & 0xfff))
    }
}
