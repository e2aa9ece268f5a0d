import Bot
import Configuration
import Conversation
import DiscordModels
import Foundation
import Gateway
import Inference
import ParleyTestSupport
import Roleplay
import Synchronization
import Testing

/// The bot's logic through its seams only: Discord in memory (`ScriptedDiscord`), a scripted
/// model (`ScriptedBackend`), scripted gateway events (`ScriptedGateway`). No model, no HTTP.
@Suite(.serialized) struct ScriptedBotTests {
    typealias Bots = BotHarness

    /// The model's pieces become one reply, posted, then stored; the request carries the
    /// channel's conversation key and the deadline from `model.request_timeout`.
    @Test func aTriggeredReplyIsPostedThenStored() async throws {
        let backend = ScriptedBackend([.pieces(["Four", ", of course", "."])])
        let h = try Bots(backend: backend) { $0.model.requestTimeout = 30 }
        let before = ContinuousClock.now
        await h.send(.messageCreate(Bots.mention("1", "what is 2 + 2?")))
        #expect(h.discord.messages(in: "50") == ["Four, of course."])
        #expect(try await h.contents("50") == ["what is 2 + 2?", "Four, of course."])
        let request = try #require(backend.requests.first)
        #expect(request.conversation == "50")
        let deadline = try #require(request.deadline, "the reply has a deadline")
        #expect(deadline > before + .seconds(29) && deadline <= .now + .seconds(30))
        #expect(h.service.context.counters["replies_sent"] == 1)
    }

    /// Discord failing the post (after the REST client's retries): the reply is not remembered
    /// as said, the failure is counted, and the question stays in memory for the next reply.
    @Test func aReplyIsStoredOnlyOnceItWasPosted() async throws {
        let backend = ScriptedBackend([.pieces(["First answer."]), .pieces(["Second answer."])])
        let h = try Bots(backend: backend)
        h.discord.failNextPosts(ScriptedDiscord.outage)
        await h.send(.messageCreate(Bots.mention("1", "the first question")))
        #expect(h.discord.messages(in: "50").isEmpty)
        #expect(try await h.contents("50") == ["the first question"], "an unposted reply is not memory")
        #expect(h.service.context.counters["reply_errors"] == 1)
        await h.send(.messageCreate(Bots.mention("2", "the second question")))
        #expect(h.discord.messages(in: "50") == ["Second answer."])
        #expect(
            backend.requests.last?.prompt.description.contains("the first question") == true,
            "the unanswered question is still part of the conversation")
        #expect(try await h.contents("50") == ["the first question", "the second question", "Second answer."])
    }

    /// A model failure is told to the user in one short notice; nothing is stored for the bot.
    @Test func aModelFailureIsReportedToTheUser() async throws {
        let h = try Bots(backend: ScriptedBackend([.failure(.busy(queued: 9))]))
        await h.send(.messageCreate(Bots.mention("1", "hello")))
        let notice = try #require(h.discord.posts(in: "50").first)
        #expect(notice.content.contains("I'm handling a lot of conversations"))
        #expect(notice.replyTo == "1")
        #expect(try await h.contents("50") == ["hello"])
    }

    /// The first part of a live reply is edited as text arrives and ends as the final text.
    @Test func aStreamedReplyEndsAsTheFinalText() async throws {
        let backend = ScriptedBackend([.pieces(["Once", " upon", " a", " time."])])
        let h = try Bots(backend: backend) {
            $0.reply.stream = true
            $0.reply.editIntervalMs = 0
        }
        await h.send(.messageCreate(Bots.mention("1", "a story")))
        let posts = h.discord.posts(in: "50")
        #expect(posts.count == 1, "one live message, edited: \(posts)")
        #expect(posts.first?.content == "Once upon a time.")
        #expect(posts.first?.replyTo == "1")
        #expect(try await h.contents("50").last == "Once upon a time.")
    }

    /// The backend says how many replies it generates at once; a reply that must wait behind
    /// `reply.queue_notice` others is told its place in line, once.
    @Test func aWaitingReplyIsToldItsPlaceInLine() async throws {
        let backend = ScriptedBackend(capacity: 1)
        let h = try Bots(backend: backend) { $0.reply.queueNotice = 2 }
        backend.hold()
        for n in 1...3 {
            await h.service.handle(.messageCreate(Bots.mention("\(n)", "question \(n)", channel: Snowflake("6\(n)"))))
            try await h.waitUntil { backend.requests.count == n } // in line in this order
        }
        #expect(h.discord.messages(in: "61").isEmpty && h.discord.messages(in: "62").isEmpty, "one ahead is not worth a notice")
        #expect(
            h.discord.messages(in: "63") == [
                "I'm answering other people first — you're number 2 in line. I'll be with you shortly."
            ])
        backend.release()
        await h.service.waitUntilIdle()
        #expect(h.discord.messages(in: "63").count == 2)
        #expect(h.service.context.counters["queue_notices"] == 1)
    }

    /// `reset` forgets the channel's memory and the engine's cache for it, and says so.
    @Test func resetForgetsTheChannel() async throws {
        let h = try Bots { $0.access.admins = ["1"] }
        await h.send(.messageCreate(Bots.mention("1", "remember this")))
        await h.send(.messageCreate(Bots.chatter("2", channel: "51")))
        await h.send(.messageCreate(Bots.mention("3", "!parley reset")))
        #expect(h.discord.messages(in: "50").last == "Done — I've forgotten this channel's conversation.")
        #expect(try await h.contents("50").isEmpty)
        #expect(h.scripted?.forgotten == ["50"])
    }

    /// `persona` is remembered for the channel: the next reply is the persona's turn.
    @Test func aChosenPersonaSpeaksInItsChannel() async throws {
        let h = try Bots { config in
            config.roleplay.personas = ["mora": Persona(name: "Mora")]
            config.access.admins = ["1"]
        }
        await h.send(.messageCreate(Bots.mention("1", "!parley persona mora")))
        #expect(h.discord.messages(in: "50") == ["I'm Mora in this channel now."])
        await h.send(.messageCreate(Bots.mention("2", "who are you?")))
        await h.send(.messageCreate(Bots.mention("3", "and here?", channel: "51")))
        let turns = try await h.memory.recent(channel: "50", limit: 10)
        #expect(turns.last?.turn.author == "Mora" && turns.last?.turn.role == .bot)
        #expect(
            try await h.memory.recent(channel: "51", limit: 10).last?.turn.author == Bots.bot.displayName,
            "other channels keep theirs")
    }

    /// `retry` replaces the channel's last reply with a new one; with no reply of the bot's last,
    /// it says so.
    @Test func retryRegeneratesTheLastReply() async throws {
        let h = try Bots(backend: ScriptedBackend([.pieces(["A poor answer."]), .pieces(["A better answer."])])) {
            $0.access.admins = ["1"]
            $0.triggers.context = .ambient
        }
        await h.send(.messageCreate(Bots.mention("1", "a question")))
        await h.send(.messageCreate(Bots.mention("2", "!parley retry")))
        #expect(try await h.contents("50") == ["a question", "A better answer."])
        await h.send(.messageCreate(Bots.chatter("3", channel: "50"))) // the newest turn is not the bot's
        await h.send(.messageCreate(Bots.mention("4", "!parley retry")))
        #expect(h.discord.messages(in: "50").last == "There is no reply of mine to redo here.")
    }

    /// The greeting is claimed once per channel, however many messages race for it.
    @Test func theGreetingIsClaimedOnce() async throws {
        let h = try Bots(ChannelIsolationTests.greeter("Ahoy, {{user}}!"))
        await withTaskGroup(of: Void.self) { group in
            for n in 1...3 { group.addTask { await h.service.handle(.messageCreate(Bots.mention("\(n)", "hello \(n)"))) } }
        }
        await h.service.waitUntilIdle()
        #expect(h.discord.posts(in: "50").filter { $0.replyTo == nil }.map(\.content) == ["Ahoy, alice!"])
        #expect(try await h.contents("50").filter { $0 == "Ahoy, alice!" }.count == 1)
    }

    /// A scripted source drives the bot as a shard would: every event handled in order, READY
    /// announced, and `serve` returns when the source ends.
    @Test func aGatewayEventSourceFeedsTheBot() async throws {
        let h = try Bots { $0.triggers.context = .ambient }
        let ready = try JSONDecoder().decode(
            Ready.self,
            from: Data(
                #"""
                {"v":10,"user":{"id":"100","username":"parley","bot":true},"session_id":"s","guilds":[{"id":"7","unavailable":true}]}
                """#.utf8))
        var edited = Bots.chatter("2", channel: "50")
        edited.content = "message 2, edited"
        let source = ScriptedGateway([
            .ready(ready), .messageCreate(Bots.chatter("1", channel: "50")),
            .messageCreate(Bots.chatter("2", channel: "50")), .messageUpdate(edited),
            .messageDelete(MessageDelete(id: "1", channelID: "50", guildID: "7")),
            .messageCreate(Bots.mention("3", "and you?")),
        ])
        let readies = ReadyCount()
        try await h.service.serve(source) { readies.add() }
        await h.service.waitUntilIdle()
        #expect(readies.value == 1)
        #expect(await h.service.guildCount == 1)
        #expect(try await h.contents("50") == ["message 2, edited", "and you?", "Sure."])
        #expect(h.discord.posts(in: "50").map(\.replyTo) == ["3"])
    }
}

/// READY announcements seen by `serve`'s callback.
final class ReadyCount: Sendable {
    private let count = Synchronization.Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// The gateway connects while the model loads (`LoadingBackend`): what arrives meanwhile is
/// stored and waits, typing shown, and is answered in order once the model is ready.
@Suite struct AnsweredAfterTheLoadTests {
    @Test func messagesDuringTheLoadAreAnsweredInOrderOnceItIsReady() async throws {
        let loading = LoadingBackend(.init(contextSize: 4096, capacity: 2, description: "model.gguf"))
        let h = try BotHarness(backend: loading) { $0.reply.typing = true }
        await h.service.handle(.messageCreate(BotHarness.mention("1", "first question")))
        await h.service.handle(.messageCreate(BotHarness.mention("2", "second question")))
        try await h.waitUntil { !h.discord.typing.isEmpty }
        #expect(h.discord.posts.isEmpty, "no reply before the model is loaded")
        #expect(try await h.contents("50") == ["first question", "second question"], "both are stored at once")
        let scripted = ScriptedBackend([.pieces(["First answer."]), .pieces(["Second answer."])])
        loading.resolve(scripted)
        try await h.waitUntil { h.discord.posts(in: "50").count == 2 }
        #expect(h.discord.posts(in: "50").map(\.replyTo) == ["1", "2"])
        #expect(h.discord.messages(in: "50") == ["First answer.", "Second answer."])
        await h.service.waitUntilIdle()
    }

    /// A model that fails to load: the waiting question is told so, not left hanging.
    @Test func aFailedLoadIsReportedToWhoeverWaits() async throws {
        let loading = LoadingBackend(.init(contextSize: 4096, capacity: 2, description: "model.gguf"))
        let h = try BotHarness(backend: loading)
        await h.service.handle(.messageCreate(BotHarness.mention("1", "hello")))
        try await Task.sleep(for: .milliseconds(50))
        loading.fail("the file is not a GGUF model")
        try await h.waitUntil { !h.discord.posts(in: "50").isEmpty }
        #expect(h.discord.posts(in: "50").first?.content.contains("went wrong on my side") == true)
        #expect(h.service.context.counters["reply_errors"] == 1)
    }
}
