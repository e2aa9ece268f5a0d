import Foundation
import ParleyTestSupport
import Testing

/// Issue #15 as a user sees it, with the real binary, the real model and the fake Discord: fair
/// merging in a busy channel, and replies in a new thread.
@Suite(.serialized) struct DiscordNativeTests {
    /// Three people within 100 ms in one channel: three replies, one per person, each replying to
    /// its own message, in the order asked.
    @Test func threePeopleInOneChannelGetAReplyEach() async throws {
        let stage = try Stage()
        let daemon = try await stage.start()
        let people = [
            ("2100", "ann", "tell me about rivers"), ("2200", "ben", "name a colour"), ("2300", "cal", "count to three"),
        ]
        for (n, person) in people.enumerated() {
            stage.mention("930\(n)", channel: "801", person.2, author: person.0, name: person.1)
        }
        let replies = try await stage.replies(in: "801", count: 3)
        #expect(replies.map(\.replyTo) == ["9300", "9301", "9302"])
        #expect(replies.count == 3, "one reply per person, none twice")
        await daemon.kill()
    }

    /// `triggers.threads`: bob just wrote, so ann's mention is answered in a thread started from
    /// it; once Discord refuses threads (403), the next is answered in the channel.
    @Test func aMentionInABusyChannelGetsAThreadOrFallsBackToTheChannel() async throws {
        let stage = try Stage()
        let daemon = try await stage.start(stage.config(triggers: "  threads: {enabled: true, busy_seconds: 600}"))
        stage.gateway.dispatchMessage(id: "9400", channelID: "802", guildID: Stage.guild, content: "lunch?", authorID: "2200")
        stage.mention("9401", channel: "802", "what is the capital of France?", author: "2100", name: "ann")
        let inThread = try await stage.replies(in: "9401")
        #expect(
            stage.rest.startedThreads.map { [$0.id, $0.channel, $0.name] } == [["9401", "802", "what is the capital of France?"]])
        #expect(inThread.map(\.replyTo) == [nil] && stage.rest.posts(in: "802").isEmpty)
        stage.rest.refuseThreads()
        stage.mention("9402", channel: "802", "and of Spain?", author: "2100", name: "ann")
        let inChannel = try await stage.replies(in: "802")
        #expect(inChannel.map(\.replyTo) == ["9402"])
        try await daemon.waitForLog("could not start a thread")
        await daemon.kill()
    }
}
