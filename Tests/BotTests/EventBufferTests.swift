import Bot
import DiscordModels
import Gateway
import ParleyTestSupport
import Testing

/// The intake between a shard's events and the bot: bounded, and it never drops what a reply was
/// promised to.
@Suite struct EventBufferTests {
    typealias Bots = BotHarness

    /// Past the bound, events nobody is owed are dropped; a message the bot will answer is kept.
    @Test func theEventBufferDropsOnlyWhatNoReplyWasPromisedTo() async throws {
        let buffer = EventBuffer(capacity: 2)
        #expect(buffer.push(.resumed, promised: false) == .queued)
        #expect(buffer.push(.resumed, promised: false) == .queued)
        #expect(buffer.push(.status(.connected), promised: false) == .dropped)
        let message = Bots.mention("741", "hi")
        #expect(buffer.push(.messageCreate(message), promised: true) == .spilled)
        buffer.finish()
        var seen: [GatewayEvent] = []
        while let event = await buffer.next() { seen.append(event) }
        #expect(seen == [.resumed, .resumed, .messageCreate(message)])
    }

    /// The bot's own classification: a mention is promised, chatter and status are not.
    @Test func mentionsAreNeverDroppable() async throws {
        let h = try Bots()
        #expect(h.service.isPromised(.messageCreate(Bots.mention("751", "hi"))))
        let chatter = Message(id: "752", channelID: "50", guildID: "7", author: User(id: "2", username: "bob"), content: "lunch?")
        #expect(!h.service.isPromised(.messageCreate(chatter)))
        #expect(!h.service.isPromised(.status(.connected)))
        #expect(h.service.isPromised(.messageDelete(MessageDelete(id: "1", channelID: "50", guildID: "7"))))
        let buffer = EventBuffer(capacity: 1)
        h.service.admit(.status(.connecting), to: buffer)
        h.service.admit(.status(.connected), to: buffer)
        #expect(h.service.context.counters["events_dropped"] == 1)
        await h.shutdown()
    }
}
