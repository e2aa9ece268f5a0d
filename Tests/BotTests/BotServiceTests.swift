import Bot
import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Foundation
import Gateway
import HTTPTransport
import Inference
import LlamaInference
import Logging
import ParleyTestSupport
import Roleplay
import Sampling
import Testing

/// The bot's decisions with real parts: the default model, SQLite memory, and a fake Discord
/// REST server over HTTP. Gateway events are fed in directly.
@Suite(.serialized) struct BotServiceTests {
    struct Harness {
        let service: BotService
        let discord: FakeDiscordREST
        let engine: LlamaEngine
        let http: HTTPClient
        let memory: ChannelMemory

        /// Handles an event and waits for any reply it caused.
        func send(_ event: GatewayEvent) async {
            await service.handle(event)
            await service.waitUntilIdle()
        }

        func shutdown() async {
            discord.stop()
            http.shutdown()
            await engine.shutdown()
        }
    }

    static let bot = User(id: "100", username: "parley", bot: true)

    static func harness(_ configure: (inout ParleyConfig) -> Void = { _ in }) async throws -> Harness {
        var config = ParleyConfig()
        config.generation.maxTokens = 24
        config.generation.temperature = 0
        config.access.cooldownSeconds = 0
        config.reply.typing = false
        configure(&config)
        let logger = Logger(label: "test")
        let engine = try await LlamaEngine(configuration: EngineConfiguration(modelPath: TestModel.path, contextSize: 1024, threads: 2, slots: 2), logger: logger)
        let discord = try FakeDiscordREST()
        let http = HTTPClient()
        let rest = DiscordRESTClient(configuration: .init(apiBase: discord.apiBase, token: "test-token", userAgent: "test"), http: http, logger: logger)
        let memory = try ChannelMemory(path: ":memory:")
        let context = BotContext(name: "test", botUser: bot, pipeline: ConversationPipeline(memory: memory, backend: engine, logger: logger),
                                 rest: rest, config: config, personas: try PersonaLibrary(config.roleplay), logger: logger)
        return Harness(service: BotService(context: context), discord: discord, engine: engine, http: http, memory: memory)
    }

    static func mention(_ id: String, _ content: String, channel: Snowflake = "50", author: User = User(id: "1", username: "alice")) -> Message {
        Message(id: Snowflake(id), channelID: channel, guildID: "7", author: author, content: "<@100> \(content)",
                mentions: [User(id: "100", username: "parley")])
    }

    @Test func aMentionIsAnsweredAsAReplyAndRemembered() async throws {
        let h = try await Self.harness()
        await h.send(.messageCreate(Self.mention("1001", "what is 2 + 2?")))
        let posted = h.discord.http.requests.filter { $0.path.hasSuffix("/messages") }
        #expect(posted.count == 1)
        let body = try #require(posted.first?.jsonObject())
        #expect((body["message_reference"] as? [String: Any])?["message_id"] as? String == "1001")
        #expect((body["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
        #expect(!(body["content"] as? String ?? "").isEmpty)
        let turns = try await h.memory.recent(channel: "50", limit: 10)
        #expect(turns.map(\.turn.role) == [.user, .bot])
        #expect(turns.first?.turn.content == "what is 2 + 2?", "the bot's mention is stripped")
        await h.shutdown()
    }

    @Test func theSameMessageIsAnsweredOnce() async throws {
        let h = try await Self.harness()
        let message = Self.mention("1002", "hello")
        await h.send(.messageCreate(message))
        await h.send(.messageCreate(message))
        #expect(h.discord.messages(in: "50").count == 1)
        await h.shutdown()
    }

    @Test func messagesDuringAReplyAreMergedIntoTheNextTurn() async throws {
        let h = try await Self.harness()
        await withTaskGroup(of: Void.self) { group in
            for n in 0..<4 {
                group.addTask { await h.service.handle(.messageCreate(Self.mention("20\(n)", "message number \(n)"))) }
            }
        }
        await h.service.waitUntilIdle()
        let replies = h.discord.messages(in: "50").count
        #expect(replies >= 1 && replies < 4, "\(replies) replies for 4 quick messages")
        let turns = try await h.memory.recent(channel: "50", limit: 20)
        #expect(turns.filter { $0.turn.role == .user }.count == 4, "every message is remembered")
        await h.shutdown()
    }

    @Test func stateChangingCommandsNeedAnAdmin() async throws {
        let h = try await Self.harness { $0.access.admins = ["9"] }
        await h.send(.messageCreate(Self.mention("301", "remember this")))
        await h.send(.messageCreate(Self.mention("302", "!parley reset")))
        #expect(h.discord.messages(in: "50").last?.contains("Only the bot's admins and this channel's managers") == true)
        #expect(try await h.memory.recent(channel: "50", limit: 10).count == 2)
        await h.send(.messageCreate(Self.mention("303", "!parley reset", author: User(id: "9", username: "admin"))))
        #expect(try await h.memory.recent(channel: "50", limit: 10).isEmpty)
        await h.send(.messageCreate(Self.mention("304", "!parley status")))
        #expect(h.discord.messages(in: "50").last?.contains("Model: gemma3") == true)
        // The reset also dropped the engine's cached tokens: the next reply reuses nothing,
        // not even the system prompt its slot held.
        let reused = h.engine.statistics.reusedTokens
        await h.send(.messageCreate(Self.mention("305", "hello again")))
        #expect(h.discord.messages(in: "50").count >= 4)
        #expect(h.engine.statistics.reusedTokens == reused)
        await h.shutdown()
    }

    /// Someone who may manage the channel in Discord may run state-changing commands too, and
    /// loses that with the role's permission.
    @Test func channelManagersMayResetUntilTheirRoleChanges() async throws {
        let h = try await Self.harness()
        await h.send(.guildCreate(Guild(id: "7", ownerID: "42", roles: [Role(id: "7", permissions: "0"), Role(id: "70", permissions: "16")],
                                        channels: [Channel(id: "50")])))
        var mod = Self.mention("401", "!parley reset", author: User(id: "5", username: "mod"))
        mod.member = GuildMember(nick: "mod", roles: ["70"])
        await h.send(.messageCreate(Self.mention("400", "remember this")))
        await h.send(.messageCreate(mod))
        #expect(h.discord.messages(in: "50").last?.contains("forgotten") == true)
        #expect(try await h.memory.recent(channel: "50", limit: 10).isEmpty)

        await h.send(.guildRoleUpdate(GuildRoleEvent(guildID: "7", role: Role(id: "70", permissions: "0"))))
        mod.id = "402"
        await h.send(.messageCreate(mod))
        #expect(h.discord.messages(in: "50").last?.contains("Only the bot's admins and this channel's managers") == true)
        await h.shutdown()
    }

    @Test func cooldownAnswersOnceThenStaysQuiet() async throws {
        let h = try await Self.harness { $0.access.cooldownSeconds = 60 }
        for n in 0..<4 { await h.send(.messageCreate(Self.mention("40\(n)", "ping \(n)"))) }
        let messages = h.discord.messages(in: "50")
        #expect(messages.count == 2, "one reply and one notice: \(messages)")
        #expect(messages.filter { $0.contains("One moment") }.count == 1)
        await h.shutdown()
    }

    @Test func editsAndDeletesFollowIntoMemory() async throws {
        let h = try await Self.harness { $0.triggers.context = .ambient }
        var chatter = Message(id: "501", channelID: "50", guildID: "7", author: User(id: "2", username: "bob"), content: "teh plan")
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
        let h = try await Self.harness { config in
            var mora = Persona(name: "Mora")
            mora.firstMessage = "Ahoy, {{user}}! Pull up a chair."
            mora.description = "A retired pirate captain."
            config.roleplay.enabled = true
            config.roleplay.personas = ["mora": mora]
            config.roleplay.persona = "mora"
        }
        await h.send(.messageCreate(Self.mention("601", "hello there")))
        await h.send(.messageCreate(Self.mention("602", "tell me a story")))
        let posted = h.discord.messages(in: "50")
        #expect(posted.first == "Ahoy, alice! Pull up a chair.")
        #expect(posted.filter { $0.hasPrefix("Ahoy") }.count == 1)
        #expect(posted.count == 3, "greeting + two replies: \(posted)")
        let turns = try await h.memory.recent(channel: "50", limit: 10)
        #expect(turns.first?.turn.author == "Mora" && turns.first?.turn.role == .bot)
        await h.shutdown()
    }
}
