import Bot
import Configuration
import Conversation
import DiscordModels
import Foundation
import Gateway
import Inference
import LlamaInference
import ParleyTestSupport
import Roleplay
import Sampling
import Testing

/// The bot's decisions: SQLite memory, Discord in memory, the scripted model (the real one where
/// only it can show the effect). Gateway events are fed in directly.
@Suite(.serialized) struct BotServiceTests {
    typealias Bots = BotHarness

    @Test func aMentionIsAnsweredAsAReplyAndRemembered() async throws {
        let h = try Bots()
        await h.send(.messageCreate(Bots.mention("1001", "what is 2 + 2?")))
        let posted = h.discord.sent
        #expect(posted.count == 1)
        let body = try #require(posted.first)
        #expect(body.messageReference?.messageID == "1001")
        #expect(body.allowedMentions.parse == [])
        #expect(!body.content.isEmpty)
        let turns = try await h.memory.recent(channel: "50", limit: 10)
        #expect(turns.map(\.turn.role) == [.user, .bot])
        #expect(turns.first?.turn.content == "what is 2 + 2?", "the bot's mention is stripped")
        await h.shutdown()
    }

    @Test func theSameMessageIsAnsweredOnce() async throws {
        let h = try Bots()
        let message = Bots.mention("1002", "hello")
        await h.send(.messageCreate(message))
        await h.send(.messageCreate(message))
        #expect(h.discord.messages(in: "50").count == 1)
        await h.shutdown()
    }

    /// The model is held while four messages arrive, so they come during the first reply.
    @Test func messagesDuringAReplyAreMergedIntoTheNextTurn() async throws {
        let h = try Bots()
        h.scripted?.hold()
        await withTaskGroup(of: Void.self) { group in
            for n in 0..<4 {
                group.addTask { await h.service.handle(.messageCreate(Bots.mention("20\(n)", "message number \(n)"))) }
            }
        }
        h.scripted?.release()
        await h.service.waitUntilIdle()
        let replies = h.discord.messages(in: "50").count
        #expect(replies >= 1 && replies < 4, "\(replies) replies for 4 quick messages")
        let turns = try await h.memory.recent(channel: "50", limit: 20)
        #expect(turns.filter { $0.turn.role == .user }.count == 4, "every message is remembered")
        await h.shutdown()
    }

    /// On the real model: the reset must drop the engine's cached tokens, which only it keeps.
    @Test func stateChangingCommandsNeedAnAdmin() async throws {
        let h = try await Bots.withModel { $0.access.admins = ["9"] }
        let engine = try #require(h.backend as? LlamaEngine)
        await h.send(.messageCreate(Bots.mention("301", "remember this")))
        await h.send(.messageCreate(Bots.mention("302", "!parley reset")))
        #expect(h.discord.messages(in: "50").last?.contains("Only the bot's admins and this channel's managers") == true)
        #expect(try await h.memory.recent(channel: "50", limit: 10).count == 2)
        await h.send(.messageCreate(Bots.mention("303", "!parley reset", author: User(id: "9", username: "admin"))))
        #expect(try await h.memory.recent(channel: "50", limit: 10).isEmpty)
        await h.send(.messageCreate(Bots.mention("304", "!parley status")))
        #expect(h.discord.messages(in: "50").last?.contains("Model: gemma3") == true)
        // The reset also dropped the engine's cached tokens: the next reply reuses nothing,
        // not even the system prompt its slot held.
        let reused = engine.statistics.reusedTokens
        await h.send(.messageCreate(Bots.mention("305", "hello again")))
        #expect(h.discord.messages(in: "50").count >= 4)
        #expect(engine.statistics.reusedTokens == reused)
        await h.shutdown()
    }

    /// Someone who may manage the channel in Discord may run state-changing commands too, and
    /// loses that with the role's permission.
    @Test func channelManagersMayResetUntilTheirRoleChanges() async throws {
        let h = try Bots()
        await h.send(
            .guildCreate(
                Guild(
                    id: "7", ownerID: "42", roles: [Role(id: "7", permissions: "0"), Role(id: "70", permissions: "16")],
                    channels: [Channel(id: "50")])))
        var mod = Bots.mention("401", "!parley reset", author: User(id: "5", username: "mod"))
        mod.member = GuildMember(nick: "mod", roles: ["70"])
        await h.send(.messageCreate(Bots.mention("400", "remember this")))
        await h.send(.messageCreate(mod))
        #expect(h.discord.messages(in: "50").last?.contains("forgotten") == true)
        #expect(try await h.memory.recent(channel: "50", limit: 10).isEmpty)
        #expect(h.scripted?.forgotten == ["50"], "the engine's cached state goes too")

        await h.send(.guildRoleUpdate(GuildRoleEvent(guildID: "7", role: Role(id: "70", permissions: "0"))))
        mod.id = "402"
        await h.send(.messageCreate(mod))
        #expect(h.discord.messages(in: "50").last?.contains("Only the bot's admins and this channel's managers") == true)
        await h.shutdown()
    }

    @Test func cooldownAnswersOnceThenStaysQuiet() async throws {
        let h = try Bots { $0.access.cooldownSeconds = 60 }
        for n in 0..<4 { await h.send(.messageCreate(Bots.mention("40\(n)", "ping \(n)"))) }
        let messages = h.discord.messages(in: "50")
        #expect(messages.count == 2, "one reply and one notice: \(messages)")
        #expect(messages.filter { $0.contains("One moment") }.count == 1)
        await h.shutdown()
    }

    @Test func editsAndDeletesFollowIntoMemory() async throws {
        let h = try Bots { $0.triggers.context = .ambient }
        var chatter = Message(
            id: "501", channelID: "50", guildID: "7", author: User(id: "2", username: "bob"), content: "teh plan")
        await h.send(.messageCreate(chatter))
        chatter.content = "the plan"
        await h.send(.messageUpdate(chatter))
        #expect(try await h.memory.recent(channel: "50", limit: 5).map(\.turn.content) == ["the plan"])
        await h.send(.messageDelete(MessageDelete(id: "501", channelID: "50", guildID: "7")))
        #expect(try await h.memory.recent(channel: "50", limit: 5).isEmpty)
        #expect(h.discord.messages(in: "50").isEmpty, "ambient messages are context, not questions")
        await h.shutdown()
    }

    @Test func aRoleplayChannelIsGreetedOnceInCharacter() async throws {
        let h = try Bots { config in
            var mora = Persona(name: "Mora")
            mora.firstMessage = "Ahoy, {{user}}! Pull up a chair."
            mora.description = "A retired pirate captain."
            config.roleplay.enabled = true
            config.roleplay.personas = ["mora": mora]
            config.roleplay.persona = "mora"
        }
        await h.send(.messageCreate(Bots.mention("601", "hello there")))
        await h.send(.messageCreate(Bots.mention("602", "tell me a story")))
        let posted = h.discord.messages(in: "50")
        #expect(posted.first == "Ahoy, alice! Pull up a chair.")
        #expect(posted.filter { $0.hasPrefix("Ahoy") }.count == 1)
        #expect(posted.count == 3, "greeting + two replies: \(posted)")
        let turns = try await h.memory.recent(channel: "50", limit: 10)
        #expect(turns.first?.turn.author == "Mora" && turns.first?.turn.role == .bot)
        await h.shutdown()
    }
}
