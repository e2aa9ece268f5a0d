import Bot
import Configuration
import Conversation
import DiscordModels
import Foundation
import Gateway
import ParleyTestSupport
import Roleplay
import Testing

/// Posting belongs to each channel's worker: the event handler never waits for Discord, so one
/// slow channel delays no other one; the greeting is posted like any reply.
@Suite(.serialized) struct ChannelIsolationTests {
    typealias Bots = BotHarness

    /// Discord holds every answer in channel 60; a command there, then a mention in 61:
    /// 61 is answered while 60's answer is still held back.
    @Test func aSlowChannelDelaysNoOtherChannel() async throws {
        let h = try Bots()
        h.discord.holdPosts(in: "60")
        await h.service.handle(.messageCreate(Bots.mention("701", "!parley help", channel: "60")))
        await h.service.handle(.messageCreate(Bots.mention("702", "what is 2 + 2?", channel: "61")))
        try await h.waitUntil { !h.discord.messages(in: "61").isEmpty }
        #expect(h.discord.postsHeld == 1, "channel 60's answer is still held while 61 is answered")
        #expect(h.discord.messages(in: "60").count == 1 && h.discord.messages(in: "60")[0].contains("Commands:"))
        h.discord.releaseHeldPosts()
        await h.service.waitUntilIdle()
        await h.shutdown()
    }

    /// A cooldown notice waits in its channel's worker too.
    @Test func aCooldownNoticeNeverBlocksTheHandler() async throws {
        let h = try Bots { $0.access.cooldownSeconds = 600 }
        h.discord.holdPosts(in: "60")
        await h.service.handle(.messageCreate(Bots.mention("711", "one", channel: "60")))
        await h.service.handle(.messageCreate(Bots.mention("712", "two", channel: "60"))) // the notice
        await h.service.handle(
            .messageCreate(Bots.mention("713", "hello", channel: "61", author: User(id: "3", username: "carol"))))
        try await h.waitUntil { !h.discord.messages(in: "61").isEmpty }
        #expect(h.discord.postsHeld >= 1)
        h.discord.releaseHeldPosts()
        await h.service.waitUntilIdle()
        #expect(h.discord.messages(in: "60").count == 2, "\(h.discord.messages(in: "60"))")
        await h.shutdown()
    }

    static func greeter(_ greeting: String) -> (inout ParleyConfig) -> Void {
        { config in
            var mora = Persona(name: "Mora")
            mora.firstMessage = greeting
            config.roleplay.enabled = true
            config.roleplay.personas = ["mora": mora]
            config.roleplay.persona = "mora"
        }
    }

    /// Discord rejects a message over 2,000 code points: a 5,000-character greeting goes out in
    /// parts, in order, before the reply, and is remembered whole.
    @Test func aLongGreetingIsPostedInPartsBeforeTheReply() async throws {
        let greeting = (0..<320).map { "Ahoy number \($0)," }.joined(separator: " ") + " pull up a chair."
        #expect(greeting.count >= 5_000)
        let h = try Bots(Self.greeter(greeting))
        await h.send(.messageCreate(Bots.mention("721", "hello there")))
        let posted = h.discord.posts(in: "50")
        try #require(posted.count == 4, "three greeting parts and the reply: \(posted.map { $0.content.count })")
        #expect(posted.allSatisfy { $0.content.unicodeScalars.count <= 2000 })
        #expect(posted.prefix(3).map(\.content).joined(separator: " ") == greeting)
        #expect(posted[3].replyTo == "721" && posted[0].replyTo == nil)
        let turns = try await h.memory.recent(channel: "50", limit: 10)
        #expect(turns.map(\.turn.role) == [.bot, .user, .bot])
        #expect(turns.first?.turn.content == greeting)
        await h.shutdown()
    }

    /// A greeting Discord refused is not marked as given: the channel's next message greets.
    @Test func aFailedGreetingIsGivenOnTheNextMessage() async throws {
        let h = try Bots(Self.greeter("Ahoy, {{user}}!"))
        h.discord.failNextPosts(ScriptedDiscord.outage) // the first post, after the REST client's retries
        await h.send(.messageCreate(Bots.mention("731", "hello")))
        // Greetings are the posts that reply to nobody (a small model may echo one in a reply).
        #expect(h.discord.posts(in: "50").allSatisfy { $0.replyTo != nil })
        #expect(try await h.memory.recent(channel: "50", limit: 10).allSatisfy { $0.turn.content != "Ahoy, alice!" })
        await h.send(.messageCreate(Bots.mention("732", "hello again")))
        let greetings = h.discord.posts(in: "50").filter { $0.replyTo == nil }
        #expect(greetings.map(\.content) == ["Ahoy, alice!"])
        let turns = try await h.memory.recent(channel: "50", limit: 10)
        #expect(turns.filter { $0.turn.content == "Ahoy, alice!" && $0.turn.role == .bot }.count >= 1)
        await h.shutdown()
    }
}
