import Bot
import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Foundation
import Gateway
import HTTPTransport
import Inference
import Logging
import ParleyTestSupport
import Synchronization
import Testing

/// A backend that answers "Sure." at once and records which conversations it was told to forget:
/// the bot's memory decisions, without a model.
final class StubBackend: InferenceBackend {
    let forgotten = Mutex<[String]>([])
    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<String, any Error> {
        AsyncThrowingStream { $0.yield("Sure."); $0.finish() }
    }
    func tokenCount(_ text: String, scaffold: Bool) async throws -> Int { text.utf8.count / 3 + 1 }
    var modelDescription: String { "stub" }
    var contextSize: Int { 4096 }
    func forget(conversation: String) async { forgotten.withLock { $0.append(conversation) } }
}

/// Deletions, guilds left, retention and threads, through the bot with SQLite memory, a fake
/// Discord REST server and the stub backend.
@Suite(.serialized) struct MemoryEventsTests {
    struct Harness {
        let service: BotService
        let discord: FakeDiscordREST
        let http: HTTPClient
        let memory: ChannelMemory
        let backend: StubBackend

        func send(_ event: GatewayEvent) async {
            await service.handle(event)
            await service.waitUntilIdle()
        }

        func contents(_ channel: String) async throws -> [String] {
            try await memory.recent(channel: channel, limit: 100).map(\.turn.content)
        }

        func shutdown() {
            discord.stop()
            http.shutdown()
        }
    }

    static func harness(_ configure: (inout ParleyConfig) -> Void = { _ in }) throws -> Harness {
        var config = ParleyConfig()
        config.access.cooldownSeconds = 0
        config.reply.typing = false
        configure(&config)
        let logger = Logger(label: "test")
        let discord = try FakeDiscordREST()
        let http = HTTPClient()
        let rest = DiscordRESTClient(configuration: .init(apiBase: discord.apiBase, token: "test-token", userAgent: "test"), http: http, logger: logger)
        let memory = try ChannelMemory(path: ":memory:")
        let backend = StubBackend()
        let context = BotContext(name: "test", botUser: User(id: "100", username: "parley", bot: true),
                                 pipeline: ConversationPipeline(memory: memory, backend: backend, logger: logger),
                                 rest: rest, config: config, personas: try PersonaLibrary(config.roleplay), logger: logger)
        return Harness(service: BotService(context: context), discord: discord, http: http, memory: memory, backend: backend)
    }

    static func chatter(_ id: String, channel: Snowflake, guild: Snowflake? = "7", author: Snowflake = "2") -> Message {
        Message(id: Snowflake(id), channelID: channel, guildID: guild, author: User(id: author, username: "bob"), content: "message \(id)")
    }

    static func mention(_ id: String, channel: Snowflake, author: Snowflake = "1", roles: [Snowflake] = [], text: String = "hello") -> Message {
        var message = Message(id: Snowflake(id), channelID: channel, guildID: "7", author: User(id: author, username: "alice"),
                              content: "<@100> \(text)", mentions: [User(id: "100", username: "parley")])
        message.member = GuildMember(nick: nil, roles: roles)
        return message
    }

    static let thread = Channel(id: "52", type: 11, guildID: "7", parentID: "50")

    @Test func purgesDeletedChannelsAndLeftGuildsAreForgotten() async throws {
        let h = try Self.harness { $0.triggers.context = .ambient }
        defer { h.shutdown() }
        await h.send(.guildCreate(Guild(id: "7", channels: [Channel(id: "50"), Channel(id: "51")], threads: [Self.thread])))
        for (id, channel) in [("1", "50"), ("2", "50"), ("3", "51"), ("4", "52")] as [(String, Snowflake)] {
            await h.send(.messageCreate(Self.chatter(id, channel: channel)))
        }
        await h.send(.messageCreate(Self.chatter("5", channel: "60", guild: nil)))
        await h.send(.messageDeleteBulk(MessageDeleteBulk(ids: ["1", "3"], channelID: "50", guildID: "7")))
        #expect(try await h.contents("50") == ["message 2"])
        #expect(try await h.contents("51").isEmpty)

        await h.send(.messageCreate(Self.chatter("6", channel: "51")))
        await h.send(.channelDelete(Channel(id: "50", type: 0, guildID: "7")))
        #expect(try await h.contents("50").isEmpty)
        #expect(try await h.contents("52").isEmpty, "the deleted channel's threads go with it")
        #expect(h.backend.forgotten.withLock { $0 } == ["50", "52"], "the engine's cached state goes too")

        await h.send(.guildDelete(Guild(id: "7", unavailable: true)))
        #expect(try await h.contents("51") == ["message 6"], "an outage is not a removal")
        await h.send(.guildDelete(Guild(id: "7")))
        #expect(try await h.contents("51").isEmpty)
        #expect(h.backend.forgotten.withLock { $0 }.contains("51"))
        #expect(try await h.contents("60").first == "message 5", "DMs are no guild's")
    }

    @Test func aDeletedThreadIsForgotten() async throws {
        let h = try Self.harness { $0.triggers.context = .ambient }
        defer { h.shutdown() }
        await h.send(.messageCreate(Self.chatter("1", channel: "52")))
        await h.send(.messageCreate(Self.chatter("2", channel: "50")))
        await h.send(.threadDelete(Self.thread))
        #expect(try await h.contents("52").isEmpty)
        #expect(try await h.contents("50") == ["message 2"])
    }

    /// Quiet channels, DMs and ambient chatter age out without a reply, and old answered records go.
    @Test func retentionRunsForEveryChannel() async throws {
        let h = try Self.harness { $0.triggers.context = .ambient; $0.memory.maxAgeDays = 30; $0.memory.maxTurns = 3 }
        defer { h.shutdown() }
        let now = Date()
        try await h.memory.append(StoredTurn(channel: "60", messageID: "1", authorID: "2", turn: Turn(role: .user, author: "bob", content: "old DM"),
                                             timestamp: now - 31 * 86400))
        for n in 2..<7 { await h.send(.messageCreate(Self.chatter("\(n)", channel: "50"))) }
        #expect(try await h.memory.claimAnswer(messageID: "6"))
        await h.service.applyRetention(now: now)
        #expect(try await h.contents("60").isEmpty)
        #expect(try await h.contents("50") == ["message 4", "message 5", "message 6"])
        await h.service.applyRetention(now: now + ChannelMemory.answerWindow + 1)
        #expect(try await h.memory.claimAnswer(messageID: "6"), "the answered record is past the replay window")
    }

    /// A thread (or forum post) follows its parent's block/allow lists, always-on setting and
    /// permission overwrites; it keeps its own conversation.
    @Test func threadsFollowTheirParent() async throws {
        let h = try Self.harness { config in
            config.access.blockChannels = ["50"]
            config.triggers.channels = ["51"]
        }
        defer { h.shutdown() }
        let forumPost = Channel(id: "53", type: 11, guildID: "7", parentID: "51")
        await h.send(.threadListSync(ThreadListSync(guildID: "7", threads: [Self.thread, forumPost])))
        await h.send(.messageCreate(Self.mention("1", channel: "52")))
        #expect(h.discord.messages(in: "52").isEmpty, "the parent is blocked")
        #expect(try await h.contents("52").isEmpty)

        await h.send(.messageCreate(Self.chatter("2", channel: "53")))
        #expect(h.discord.messages(in: "53").count == 1, "the parent is always on")
        #expect(try await h.contents("53") == ["message 2", "Sure."])
        #expect(try await h.contents("51").isEmpty, "a thread has its own memory")
    }

    @Test func threadPermissionsFollowTheParentsOverwrites() async throws {
        let h = try Self.harness()
        defer { h.shutdown() }
        let managers = PermissionOverwrite(id: "70", type: 0, allow: "16", deny: "0")
        await h.send(.guildCreate(Guild(id: "7", ownerID: "42", roles: [Role(id: "7", permissions: "0"), Role(id: "70", permissions: "0")],
                                        channels: [Channel(id: "50", type: 0, permissionOverwrites: [managers])])))
        await h.send(.threadUpdate(Self.thread))
        await h.send(.messageCreate(Self.mention("1", channel: "52", author: "5", roles: ["70"], text: "!parley reset")))
        #expect(h.discord.messages(in: "52").last?.contains("forgotten") == true, "\(h.discord.messages(in: "52"))")
    }
}
