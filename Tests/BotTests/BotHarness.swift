import Bot
import Configuration
import Conversation
import DiscordModels
import Foundation
import Gateway
import Inference
import LlamaInference
import Logging
import ParleyTestSupport
import Sampling
import Testing

/// One bot with SQLite memory (in memory) and Discord in memory (`ScriptedDiscord`); the model
/// is scripted (`ScriptedBackend`, fast) unless a test asks for the real one (`withModel`).
/// Gateway events are fed in directly.
struct BotHarness {
    let service: BotService
    let discord: ScriptedDiscord
    let memory: ChannelMemory
    let backend: any InferenceBackend
    private var stop: @Sendable () async -> Void = {}

    static let bot = User(id: "100", username: "parley", bot: true)

    /// The config every bot test starts from: no cooldown, no typing, short greedy replies.
    static func config(_ configure: (inout ParleyConfig) -> Void) -> ParleyConfig {
        var config = ParleyConfig()
        config.generation.maxTokens = 24
        config.generation.temperature = 0
        config.access.cooldownSeconds = 0
        config.reply.typing = false
        configure(&config)
        return config
    }

    init(
        backend: any InferenceBackend = ScriptedBackend(), discord: ScriptedDiscord = ScriptedDiscord(),
        memory: ChannelMemory? = nil, _ configure: (inout ParleyConfig) -> Void = { _ in }
    ) throws {
        let config = Self.config(configure)
        let logger = Logger(label: "test")
        let memory = try memory ?? ChannelMemory(path: ":memory:") // given: a restart on the same file
        let context = BotContext(
            name: "test", botUser: Self.bot, pipeline: ConversationPipeline(memory: memory, backend: backend, logger: logger),
            rest: discord, config: config, personas: try PersonaLibrary(config.roleplay), logger: logger)
        self.service = BotService(context: context)
        self.discord = discord
        self.memory = memory
        self.backend = backend
    }

    /// The same bot on the default model (for what only the real engine shows).
    static func withModel(_ configure: (inout ParleyConfig) -> Void = { _ in }) async throws -> BotHarness {
        let engine = try await LlamaEngine(
            configuration: EngineConfiguration(modelPath: TestModel.path, contextSize: 1024, threads: 2, slots: 2),
            logger: Logger(label: "test"))
        var harness = try BotHarness(backend: engine, configure)
        harness.stop = { await engine.shutdown() }
        return harness
    }

    /// The scripted backend (nil with the real model).
    var scripted: ScriptedBackend? { backend as? ScriptedBackend }

    /// Handles an event and waits for any reply it caused.
    func send(_ event: GatewayEvent) async {
        await service.handle(event)
        await service.waitUntilIdle()
    }

    /// A channel's stored turns' text, oldest first.
    func contents(_ channel: String) async throws -> [String] {
        try await memory.recent(channel: channel, limit: 100).map(\.turn.content)
    }

    func shutdown() async { await stop() }

    struct TimedOut: Error { var timeout: Duration }

    /// Polls `condition` every ~10 ms until it holds, for at most `timeout`.
    func waitUntil(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !(await condition()) {
            guard ContinuousClock.now < deadline else { throw TimedOut(timeout: timeout) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    static func mention(
        _ id: String, _ content: String, channel: Snowflake = "50", author: User = User(id: "1", username: "alice")
    ) -> Message {
        Message(
            id: Snowflake(id), channelID: channel, guildID: "7", author: author, content: "<@100> \(content)",
            mentions: [User(id: "100", username: "parley")])
    }

    static func mention(
        _ id: String, channel: Snowflake, author: Snowflake = "1", roles: [Snowflake] = [], text: String = "hello"
    ) -> Message {
        var message = mention(id, text, channel: channel, author: User(id: author, username: "alice"))
        message.member = GuildMember(nick: nil, roles: roles)
        return message
    }

    static func chatter(_ id: String, channel: Snowflake, guild: Snowflake? = "7", author: Snowflake = "2") -> Message {
        Message(
            id: Snowflake(id), channelID: channel, guildID: guild, author: User(id: author, username: "bob"),
            content: "message \(id)")
    }
}
