import Bot
import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Foundation
import Gateway
import ParleyTestSupport
import Roleplay
import Testing

/// Slash commands through the bot's seams: real INTERACTION_CREATE payloads (both forms),
/// answered through the scripted Discord's callback and webhook routes.
@Suite(.serialized) struct SlashCommandTests {
    typealias Bots = BotHarness

    /// A payload decoded as the gateway decodes it.
    static func event(_ fake: FakeInteraction) throws -> GatewayEvent {
        .interactionCreate(try JSONDecoder().decode(Interaction.self, from: Data(fake.json.utf8)))
    }

    static func command(
        _ id: String, _ name: String, _ options: [FakeInteraction.Option] = [], channel: String = "50",
        guild: String? = "7", user: String = "1", permissions: String = "0"
    ) throws -> GatewayEvent {
        try event(
            FakeInteraction(
                id: id, name: name, options: options, channelID: channel, guildID: guild, userID: user, permissions: permissions))
    }

    /// The callback's message (type 4) for an interaction.
    static func answer(_ h: Bots, _ id: Snowflake) -> InteractionMessage? {
        h.discord.responses(to: id).first { $0.type == .channelMessage }?.message
    }

    @Test func informationalCommandsAnswerTheCallerAlone() async throws {
        let h = try Bots { $0.roleplay.personas = ["mora": Persona(name: "Mora"), "vex": Persona(name: "Captain Vex")] }
        await h.send(try Self.command("801", "help"))
        await h.send(try Self.command("802", "personas"))
        await h.send(try Self.command("803", "status", guild: nil)) // a DM
        let help = try #require(Self.answer(h, "801"))
        #expect(
            help.isEphemeral && help.content?.contains("`/persona <name>`") == true
                && help.content?.contains("`/forget-me`") == true)
        #expect(Self.answer(h, "802")?.content == "Personas: Captain Vex, Mora" && Self.answer(h, "802")?.isEphemeral == true)
        #expect(Self.answer(h, "803")?.content?.hasPrefix("Model: ") == true)
        #expect(h.discord.posts.isEmpty, "nothing was posted in the channel")
        #expect(h.service.context.counters["interactions_answered"] == 3)
    }

    /// The same rule as `!parley reset`: managers (Discord computed the member's permissions in the
    /// channel) and `access.admins`; anyone else is told so, privately, and nothing changes.
    @Test func stateChangingCommandsNeedAManager() async throws {
        let h = try Bots { $0.access.admins = ["9"] }
        await h.send(.messageCreate(Bots.mention("1", "remember this")))
        await h.send(try Self.command("811", "reset", permissions: "0"))
        let refusal = try #require(Self.answer(h, "811"))
        #expect(refusal.isEphemeral && refusal.content?.contains("Only the bot's admins and this channel's managers") == true)
        #expect(try await h.contents("50").count == 2, "nothing was forgotten")

        // Manage Channels (16): deferred (the work may take longer than 3 s), then the answer edited in, for everyone.
        await h.send(try Self.command("812", "reset", permissions: "16"))
        #expect(h.discord.responses(to: "812").map(\.type) == [.deferredChannelMessage])
        #expect(h.discord.responses(to: "812").first?.message?.isEphemeral == false)
        let edit = try #require(h.discord.interactionRecords.originalEdits.first { $0.interaction == "812" })
        #expect(edit.message.content == "Done — I've forgotten this channel's conversation.")
        #expect(try await h.contents("50").isEmpty)
        #expect(h.scripted?.forgotten == ["50"])

        // An admin by id, in a DM (no member, no permissions).
        await h.send(try Self.command("813", "reset", channel: "60", guild: nil, user: "9"))
        #expect(h.discord.interactionRecords.originalEdits.contains { $0.interaction == "813" })
    }

    @Test func personaIsChosenWithAutocompletedNames() async throws {
        let h = try Bots {
            $0.roleplay.personas = [
                "mora": Persona(name: "Mora"), "vex": Persona(name: "Captain Vex"), "mo": Persona(name: "Moe"),
            ]
        }
        await h.send(
            try Self.event(
                FakeInteraction(id: "821", kind: .autocomplete, name: "persona", options: [.init("name", "mo", focused: true)])))
        let suggestions = try #require(h.discord.responses(to: "821").first)
        #expect(suggestions.type == .autocompleteResult)
        #expect(suggestions.choices?.map(\.name) == ["Moe", "Mora"])
        #expect(suggestions.choices?.first?.value == .string("Moe"))

        await h.send(try Self.command("822", "persona", [.init("name", "mora")], permissions: "8"))
        #expect(Self.answer(h, "822")?.content == "I'm Mora in this channel now.")
        #expect(Self.answer(h, "822")?.isEphemeral == false, "the channel changed for everyone")
        #expect(try await h.memory.persona(channel: "50") == "Mora")
        await h.send(try Self.command("823", "persona", [.init("name", "nobody")], permissions: "8"))
        #expect(Self.answer(h, "823")?.content == "I don't know a persona called \"nobody\". Try `/personas`.")
        #expect(Self.answer(h, "823")?.isEphemeral == true)
    }

    /// `/retry` redoes the channel's last reply like `!parley retry`; the caller is told privately.
    @Test func retryRegeneratesTheLastReply() async throws {
        let h = try Bots(backend: ScriptedBackend([.pieces(["A poor answer."]), .pieces(["A better answer."])])) {
            $0.access.admins = ["1"]
        }
        await h.send(.messageCreate(Bots.mention("1", "a question")))
        await h.send(try Self.command("831", "retry"))
        #expect(try await h.contents("50") == ["a question", "A better answer."])
        #expect(h.discord.messages(in: "50") == ["A poor answer.", "A better answer."])
        #expect(Self.answer(h, "831")?.content == "Writing my last reply again…" && Self.answer(h, "831")?.isEphemeral == true)
    }

    /// `/forget-me` needs no manager: the caller's turns leave every channel of the bot (and the
    /// engine's state of those channels); other people's stay, and so do the bot's replies.
    @Test func forgetMeDeletesTheCallersTurnsEverywhere() async throws {
        let h = try Bots()
        await h.send(.messageCreate(Bots.mention("1", "alice in 50")))
        await h.send(.messageCreate(Bots.mention("2", "alice in 51", channel: "51")))
        await h.send(.messageCreate(Bots.mention("3", "bob in 50", author: User(id: "2", username: "bob"))))
        await h.send(.messageCreate(Bots.mention("4", "bob in 52", channel: "52", author: User(id: "2", username: "bob"))))
        let before50 = try await h.contents("50")
        await h.send(try Self.command("841", "forget-me", channel: "60", guild: nil, user: "1")) // from a DM
        #expect(h.discord.responses(to: "841").map(\.type) == [.deferredChannelMessage])
        #expect(h.discord.responses(to: "841").first?.message?.isEphemeral == true)
        let edit = try #require(h.discord.interactionRecords.originalEdits.first { $0.interaction == "841" })
        #expect(edit.message.content == "Done — I've forgotten your 2 messages in 2 channels.")
        #expect(try await h.contents("50") == before50.filter { $0 != "alice in 50" })
        #expect(try await h.contents("51").count == 1, "the bot's reply stays")
        #expect(try await h.contents("52").contains("bob in 52"))
        #expect(Set(h.scripted?.forgotten ?? []) == ["50", "51"])
        await h.send(try Self.command("842", "forget-me", user: "1"))
        #expect(h.discord.interactionRecords.originalEdits.last?.message.content == "I had nothing of yours to forget.")
    }

    /// An interaction that expired (or was answered already) is logged and counted; the bot goes on.
    @Test func anExpiredInteractionIsCountedAndNothingStalls() async throws {
        let h = try Bots()
        h.discord.expire("851")
        await h.send(try Self.command("851", "help"))
        #expect(h.service.context.counters["interactions_expired"] == 1)
        await h.send(try Self.command("852", "help"))
        await h.send(try Self.command("852", "help")) // delivered twice: the second callback is refused
        #expect(h.service.context.counters["interactions_already_answered"] == 1)
        await h.send(.messageCreate(Bots.mention("1", "still there?")))
        #expect(h.discord.messages(in: "50").count == 1)
    }

    /// A slow Discord for callbacks delays only the answers: the event loop goes on meanwhile.
    @Test func theEventLoopNeverWaitsForACallback() async throws {
        let h = try Bots()
        h.discord.holdCallbacks()
        defer { h.discord.releaseCallbacks() } // a failing run must not leave the loop stuck
        let events = [
            try Self.command("881", "help"), try Self.command("882", "forget-me"),
            .messageCreate(Bots.mention("1", "are you there?")),
        ]
        let loop = Task { for event in events { await h.service.handle(event) } }
        try await h.waitUntil(timeout: .seconds(5)) { h.discord.callbacksHeld == 2 && h.discord.messages(in: "50").count == 1 }
        await loop.value
        #expect(h.discord.interactionRecords.originalEdits.isEmpty, "the deferred work waits for its deferral")
        h.discord.releaseCallbacks()
        await h.service.waitUntilIdle()
        #expect(h.service.context.counters["interactions_answered"] == 2)
        #expect(h.discord.interactionRecords.originalEdits.map(\.interaction) == ["882"])
    }

    /// Answers in progress are bounded: past 256 (Discord holding every callback), one more is
    /// refused, counted and logged instead of piling up.
    @Test func answersInProgressAreBounded() async throws {
        let h = try Bots()
        h.discord.holdCallbacks()
        defer { h.discord.releaseCallbacks() }
        for n in 0..<257 { await h.service.handle(try Self.command("\(90_000 + n)", "help")) }
        #expect(h.service.context.counters["interactions_refused"] == 1)
        try await h.waitUntil { h.discord.callbacksHeld == 256 }
        h.discord.releaseCallbacks()
        await h.service.waitUntilIdle()
        #expect(h.service.context.counters["interactions_answered"] == 256)
    }

    /// Unknown commands and malformed payloads are logged and counted, and answered when possible.
    @Test func invalidInteractionsAreCounted() async throws {
        let h = try Bots()
        await h.send(try Self.command("861", "dance"))
        #expect(Self.answer(h, "861")?.content?.contains("I don't know the command \"dance\"") == true)
        var nameless = try JSONDecoder().decode(Interaction.self, from: Data(FakeInteraction(id: "862", name: "x").json.utf8))
        nameless.data = nil
        await h.send(.interactionCreate(nameless))
        nameless.member = nil
        nameless.id = "863"
        await h.send(.interactionCreate(nameless)) // nobody who invoked it
        #expect(h.service.context.counters["interactions_invalid"] == 3)
        #expect(Self.answer(h, "863")?.content == "I can't handle that here." && Self.answer(h, "863")?.isEphemeral == true)
    }

    /// Access lists apply as to messages: a blocked user is told privately, nothing runs.
    @Test func blockedUsersCannotRunCommands() async throws {
        let h = try Bots { $0.access.blockUsers = ["1"] }
        await h.send(try Self.command("871", "forget-me"))
        #expect(Self.answer(h, "871")?.content == "I'm not available to you here.")
        #expect(h.discord.interactionRecords.originalEdits.isEmpty)
    }

    /// `!parley forget-me` is the same command.
    @Test func thePrefixFormOfForgetMeWorksToo() async throws {
        let h = try Bots()
        await h.send(.messageCreate(Bots.mention("1", "something personal")))
        await h.send(.messageCreate(Bots.mention("2", "!parley forget-me")))
        #expect(h.discord.messages(in: "50").last == "Done — I've forgotten your 1 message in 1 channel.")
        #expect(try await h.contents("50").count == 1)
    }
}
