import Bot
import Configuration
import Conversation
import DiscordModels
import Foundation
import Gateway
import Inference
import ParleyTestSupport
import Testing

/// Pressing the reply buttons, as INTERACTION_CREATE events with Discord's payloads
/// (`FakeInteraction`), answered through the scripted Discord's interaction callback.
@Suite(.serialized) struct ReplyButtonPressTests {
    typealias Bots = BotHarness

    /// A press of `customID` on message `messageID` by `user` (with these channel permissions).
    static func press(
        _ id: String, _ customID: String, on messageID: String, by user: String = "1", permissions: String = "0"
    ) throws -> GatewayEvent {
        let json = FakeInteraction.component(
            id: id, customID: customID, messageID: messageID, userID: user, permissions: permissions
        ).json
        return .interactionCreate(try JSONDecoder().decode(Interaction.self, from: Data(json.utf8)))
    }

    /// The press's one callback, once its task sent it.
    static func answer(_ h: Bots, _ interaction: Snowflake) async throws -> InteractionResponse {
        try await h.waitUntil { !h.discord.responses(to: interaction).isEmpty }
        #expect(h.discord.responses(to: interaction).count == 1)
        return try #require(h.discord.responses(to: interaction).first)
    }

    /// Bounded: a reply that never ends fails the test instead of hanging it.
    static func idle(_ h: Bots) async throws {
        try await h.waitUntil { await h.service.busyChannels() == 0 }
    }

    /// Stop mid-stream: the backend's generation is cancelled (its slot free: the next request
    /// is served), the message keeps what was written with Regenerate and Continue under it, and
    /// memory holds that text.
    @Test func stopKeepsWhatWasWrittenAndFreesTheSlot() async throws {
        let backend = ScriptedBackend([.piecesThenWait(["Once", " upon"]), .pieces(["Next answer."])], capacity: 1)
        let h = try Bots(backend: backend) {
            $0.reply.stream = true
            $0.reply.editIntervalMs = 0
        }
        await h.service.handle(.messageCreate(Bots.mention("1", "a story")))
        try await h.waitUntil { h.discord.posts(in: "50").first?.content == "Once upon …" }
        let live = try #require(h.discord.posts(in: "50").first)
        #expect(live.buttons == ["parley:stop:1"])
        await h.service.handle(try Self.press("900", "parley:stop:1", on: live.id))
        try await Self.idle(h)
        #expect(backend.cancelled == 1 && backend.active == 0, "the generation was cancelled")
        #expect(try await Self.answer(h, "900").type == .deferredUpdateMessage)
        let stopped = try #require(h.discord.posts(in: "50").first)
        #expect(stopped.content == "Once upon")
        #expect(stopped.buttons == ["parley:regen:1", "parley:more:1"])
        #expect(try await h.contents("50") == ["a story", "Once upon"])
        #expect(h.service.context.counters["replies_stopped"] == 1)

        await h.service.handle(.messageCreate(Bots.mention("2", "and then?")))
        try await Self.idle(h)
        #expect(h.discord.messages(in: "50") == ["Once upon", "Next answer."])
        #expect(backend.requests.last?.prompt.description.contains("Once upon") == true)
    }

    /// Regenerate: a new sample for the same prompt replaces the reply's message and its stored
    /// turn, so the next prompt holds only the new text.
    @Test func regenerateReplacesTheMessageAndTheStoredTurn() async throws {
        let backend = ScriptedBackend([.pieces(["A poor answer."]), .pieces(["A better answer."]), .pieces(["Yes."])])
        let h = try Bots(backend: backend)
        await h.send(.messageCreate(Bots.mention("1", "a question")))
        let reply = try #require(h.discord.posts(in: "50").first)
        await h.service.handle(try Self.press("900", "parley:regen:1", on: reply.id))
        try await Self.idle(h)
        #expect(try await Self.answer(h, "900").type == .deferredUpdateMessage)
        #expect(h.discord.posts(in: "50").map(\.content) == ["A better answer."])
        #expect(h.discord.posts(in: "50").first?.buttons == ["parley:regen:1", "parley:more:1"])
        #expect(try await h.contents("50") == ["a question", "A better answer."])
        let regenerated = try #require(backend.requests.last?.prompt.description)
        #expect(regenerated.contains("a question") && !regenerated.contains("A poor answer."), "the same prompt")

        await h.send(.messageCreate(Bots.mention("2", "are you sure?")))
        let next = try #require(backend.requests.last?.prompt.description)
        #expect(next.contains("A better answer.") && !next.contains("A poor answer."))
        #expect(h.service.context.counters["replies_regenerated"] == 1)
    }

    /// A press that comes while the reply is still being posted (its buttons shown, Discord's
    /// answer not yet in) waits for it: done after it, not refused.
    @Test func aPressWhileTheReplyIsPostedWaitsForIt() async throws {
        let h = try Bots(backend: ScriptedBackend([.pieces(["First."]), .pieces(["Second."])]))
        h.discord.holdPosts(in: "50")
        await h.service.handle(.messageCreate(Bots.mention("1", "a question")))
        try await h.waitUntil { h.discord.postsHeld == 1 }
        let reply = try #require(h.discord.posts(in: "50").first)
        #expect(reply.buttons == ["parley:regen:1", "parley:more:1"])
        await h.service.handle(try Self.press("900", "parley:regen:1", on: reply.id))
        #expect(try await Self.answer(h, "900").type == .deferredUpdateMessage)
        h.discord.releaseHeldPosts()
        try await Self.idle(h)
        #expect(h.discord.messages(in: "50") == ["Second."])
        #expect(try await h.contents("50") == ["a question", "Second."])
    }

    /// Continue: generation picks up at the end of the stored reply; the message and the stored
    /// turn hold the extended text.
    @Test func continueExtendsTheReply() async throws {
        let backend = ScriptedBackend([.pieces(["Once upon"]), .pieces([" a time."])])
        let h = try Bots(backend: backend)
        await h.send(.messageCreate(Bots.mention("1", "a story")))
        let reply = try #require(h.discord.posts(in: "50").first)
        await h.service.handle(try Self.press("900", "parley:more:1", on: reply.id))
        try await Self.idle(h)
        #expect(backend.requests.last?.prompt.description.hasSuffix("Once upon") == true, "continued from the reply")
        #expect(h.discord.posts(in: "50").map(\.content) == ["Once upon a time."])
        #expect(try await h.contents("50") == ["a story", "Once upon a time."])
        #expect(h.service.context.counters["replies_continued"] == 1)
    }

    /// A revision with fewer parts deletes the surplus ones; one that outgrows its messages posts
    /// more after them. The buttons always sit under the last part.
    @Test func aRevisedReplyKeepsItsButtonsUnderItsLastPart() async throws {
        let long = String(repeating: "word ", count: 500) // 2,500 characters: two parts
        let backend = ScriptedBackend([.pieces([long]), .pieces(["Short now."]), .pieces([" " + long])])
        let h = try Bots(backend: backend)
        await h.send(.messageCreate(Bots.mention("1", "a long answer")))
        let first = try #require(h.discord.posts(in: "50").first)
        #expect(h.discord.posts(in: "50").map(\.buttons) == [[], ["parley:regen:1", "parley:more:1"]])
        await h.service.handle(try Self.press("900", "parley:regen:1", on: h.discord.posts(in: "50")[1].id))
        try await Self.idle(h)
        #expect(h.discord.posts(in: "50").map(\.content) == ["Short now."], "the surplus part is deleted")
        #expect(h.discord.posts(in: "50").map(\.buttons) == [["parley:regen:1", "parley:more:1"]])

        await h.service.handle(try Self.press("901", "parley:more:1", on: first.id))
        try await Self.idle(h)
        let posts = h.discord.posts(in: "50")
        #expect(posts.count == 2 && posts.first?.id == first.id)
        #expect(posts.map(\.buttons) == [[], ["parley:regen:1", "parley:more:1"]])
        #expect(posts.map(\.content).joined(separator: " ").hasPrefix("Short now. word word"))
        #expect(try await h.contents("50").last?.hasPrefix("Short now. word word") == true)
    }

    /// Someone else's press is answered "not yours", visibly to them alone, and changes nothing;
    /// a channel manager's press (Manage Channels) is accepted.
    @Test func onlyThePersonAnsweredAndManagersMayPress() async throws {
        let backend = ScriptedBackend([.pieces(["Mine."]), .pieces(["Redone."])])
        let h = try Bots(backend: backend)
        await h.send(.messageCreate(Bots.mention("1", "a question")))
        let reply = try #require(h.discord.posts(in: "50").first)
        await h.service.handle(try Self.press("900", "parley:regen:1", on: reply.id, by: "2"))
        let answer = try await Self.answer(h, "900")
        #expect(answer.type == .channelMessage)
        #expect(answer.message?.isEphemeral == true)
        #expect(answer.message?.content == "These buttons are for the person I answered and this channel's managers.")
        try await Self.idle(h)
        #expect(backend.requests.count == 1 && h.discord.messages(in: "50") == ["Mine."])

        await h.service.handle(try Self.press("901", "parley:regen:1", on: reply.id, by: "3", permissions: "16"))
        try await Self.idle(h)
        #expect(try await Self.answer(h, "901").type == .deferredUpdateMessage)
        #expect(h.discord.messages(in: "50") == ["Redone."])
    }

    /// After a restart the bot no longer knows the reply: the press is told so ephemerally and the
    /// message's buttons are removed; a `custom_id` that is not the bot's is handled the same way.
    @Test func aPressOnAReplyTheBotNoLongerKnowsIsToldAndItsButtonsRemoved() async throws {
        let before = try Bots()
        await before.send(.messageCreate(Bots.mention("1", "a question")))
        let reply = try #require(before.discord.posts(in: "50").first)
        #expect(reply.buttons == ["parley:regen:1", "parley:more:1"])
        let after = try Bots(discord: before.discord) // a new process: same Discord, nothing in memory
        await after.service.handle(try Self.press("900", "parley:regen:1", on: reply.id))
        try await Self.idle(after)
        let answer = try await Self.answer(after, "900")
        #expect(answer.message?.isEphemeral == true && answer.message?.content == "This reply can no longer be changed.")
        #expect(after.discord.posts(in: "50").first?.buttons == [])
        #expect(after.discord.messages(in: "50") == ["Sure."], "the text stays")

        await after.service.handle(try Self.press("901", "parley:regen:1:<@1>", on: reply.id))
        try await Self.idle(after)
        #expect(try await Self.answer(after, "901").message?.isEphemeral == true)
        #expect(after.scripted?.requests.isEmpty == true)
    }

    /// After a restart within the replay window the reply is known again from memory: its
    /// buttons still work. Past the window (the answered claim pruned) they no longer do.
    @Test func afterARestartTheNewestReplysButtonsStillWork() async throws {
        let before = try Bots(backend: ScriptedBackend([.pieces(["First."])]))
        await before.send(.messageCreate(Bots.mention("1", "a question")))
        let reply = try #require(before.discord.posts(in: "50").first)
        let after = try Bots(backend: ScriptedBackend([.pieces(["Again."])]), discord: before.discord, memory: before.memory)
        await after.service.handle(try Self.press("900", "parley:regen:1", on: reply.id, by: "2"))
        #expect(try await Self.answer(after, "900").message?.isEphemeral == true, "still only for the person answered")
        await after.service.handle(try Self.press("901", "parley:regen:1", on: reply.id))
        try await Self.idle(after)
        #expect(try await Self.answer(after, "901").type == .deferredUpdateMessage)
        #expect(after.discord.messages(in: "50") == ["Again."])
        #expect(try await after.contents("50") == ["a question", "Again."])

        _ = try await before.memory.retain(maxTurns: 100, maxAge: nil, now: Date() + 8 * 86400)
        let later = try Bots(discord: before.discord, memory: before.memory)
        await later.service.handle(try Self.press("902", "parley:regen:1", on: reply.id))
        try await Self.idle(later)
        #expect(try await Self.answer(later, "902").message?.content == "This reply can no longer be changed.")
        #expect(later.discord.posts(in: "50").first?.buttons == [])
    }

    /// A message said after the reply changes its prompt: Regenerate no longer applies.
    @Test func aReplyWithAMessageAfterItCanNoLongerBeChanged() async throws {
        let h = try Bots { $0.triggers.context = .ambient }
        await h.send(.messageCreate(Bots.mention("1", "a question")))
        let reply = try #require(h.discord.posts(in: "50").first)
        await h.send(.messageCreate(Bots.chatter("2", channel: "50")))
        await h.service.handle(try Self.press("900", "parley:regen:1", on: reply.id))
        try await Self.idle(h)
        #expect(try await Self.answer(h, "900").message?.content == "This reply can no longer be changed.")
        #expect(h.scripted?.requests.count == 1)
        #expect(h.discord.posts(in: "50").first?.buttons == [], "its buttons are removed")
    }

    /// A `custom_id` naming another reply, pressed on the newest reply's message: refused, and
    /// the newest reply keeps its buttons.
    @Test func aPressNamingAnotherReplyLeavesTheNewestOneAlone() async throws {
        let h = try Bots()
        await h.send(.messageCreate(Bots.mention("1", "a question")))
        let reply = try #require(h.discord.posts(in: "50").first)
        await h.service.handle(try Self.press("900", "parley:regen:77", on: reply.id))
        try await Self.idle(h)
        #expect(try await Self.answer(h, "900").message?.content == "This reply can no longer be changed.")
        #expect(h.discord.posts(in: "50").first?.buttons == ["parley:regen:1", "parley:more:1"])
        #expect(h.scripted?.requests.count == 1)
    }
}
