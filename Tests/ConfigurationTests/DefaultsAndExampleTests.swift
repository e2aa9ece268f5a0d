import Foundation
import Roleplay
import Sampling
import Testing

@testable import Configuration

@Suite("Defaults and the example file")
struct DefaultsAndExampleTests {
    @Test func defaultsMatchTheDocumentedValues() {
        let config = ParleyConfig()
        #expect(config.discord.token == nil)
        #expect(config.discord.tokenFile == nil)
        #expect(config.discord.apiBase == "https://discord.com/api/v10")
        #expect(config.discord.gatewayURL == "wss://gateway.discord.gg")
        #expect(config.discord.intents == 37377)
        #expect(config.discord.compress)
        #expect(config.discord.shards == .auto)
        #expect(config.model.backend == .llama)
        #expect(config.model.path == nil)
        #expect(config.model.url == nil)
        #expect(config.model.apiKey == nil)
        #expect(config.model.context == 4096)
        #expect(config.model.threads == 0)
        #expect(config.model.gpuLayers == 0)
        #expect(config.model.batch == 512)
        #expect(config.model.requestTimeout == 120)
        #expect(config.workers.slots == 4)
        #expect(config.workers.queueLimit == 32)
        #expect(config.workers.cacheMB == 256)
        #expect(config.workers.prefillChunk == 192)
        #expect(config.workers.sharePrefixes)
        #expect(config.generation.maxTokens == 256)
        #expect(config.generation.temperature == 0.7)
        #expect(config.generation.topK == 40)
        #expect(config.generation.topP == 0.95)
        #expect(config.generation.minP == 0.05)
        #expect(config.generation.repeatPenalty == 1.1)
        #expect(config.generation.repeatLastN == 64)
        #expect(config.generation.frequencyPenalty == 0)
        #expect(config.generation.presencePenalty == 0)
        #expect(config.generation.seed == nil)
        #expect(config.generation.stop == [])
        #expect(config.prompt.template == .alpaca)
        #expect(!config.prompt.system.isEmpty)
        #expect(config.prompt.custom == nil)
        #expect(config.memory.path == "parley.sqlite3")
        #expect(config.memory.maxTurns == 200)
        #expect(config.memory.maxAgeDays == nil)
        #expect(config.triggers.mention && config.triggers.dm && config.triggers.reply)
        #expect(config.triggers.wakeWords == [] && config.triggers.channels == [])
        #expect(config.triggers.ignoreBots && config.triggers.ignoreWebhooks)
        #expect(config.triggers.context == .addressed)
        #expect(config.triggers.commandPrefix == "!parley")
        #expect(config.triggers.backfillWindow == 86400 && config.triggers.backfillMaxAge == 600)
        #expect(!config.roleplay.enabled)
        #expect(config.roleplay.persona == nil)
        #expect(config.roleplay.personas.isEmpty && config.roleplay.cards.isEmpty)
        #expect(config.roleplay.greeting)
        #expect(config.channels.isEmpty)
        #expect(config.access.admins.isEmpty && config.access.allowGuilds.isEmpty)
        #expect(config.access.cooldownSeconds == 3)
        #expect(!config.reply.stream)
        #expect(config.reply.editIntervalMs == 1500)
        #expect(config.reply.fallback == "…I lost my train of thought. Could you say that again?")
        #expect(!config.reply.mentionAuthor)
        #expect(config.reply.maxParts == 5)
        #expect(config.reply.typing)
        #expect(config.metrics.listen == nil)
        #expect(config.log.level == .info)
        #expect(config.log.format == .journald)
        #expect(config.shutdownTimeoutSeconds == 30)
    }

    @Test(
        "empty and comment-only files mean all defaults",
        arguments: [
            "", "\n\n", "# nothing here\n  # indented comment\n", "---\n", "~\n",
        ])
    func emptyFileIsDefaults(yaml: String) throws {
        #expect(try parse(yaml) == ParleyConfig())
    }

    @Test func emptySectionsAreDefaults() throws {
        let config = try parse("discord:\nmodel:\ngeneration: {}\nchannels:\n")
        #expect(config == ParleyConfig())
    }

    static var examplePath: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/parley.example.yaml").path
    }

    @Test func exampleFileLoadsAsDefaultsWithAnEmptyEnvironment() throws {
        let config = try ConfigLoader.load(path: Self.examplePath, environment: [:])
        // The example spells out every default, so with no DISCORD_TOKEN it must mean exactly
        // "all defaults": no token (console channel), default model, no roleplay.
        #expect(config == ParleyConfig())
        #expect(config.discord.token == nil)
        #expect(config.model.path == nil)
    }

    @Test func exampleFilePicksUpTheTokenFromTheEnvironment() throws {
        let config = try ConfigLoader.load(path: Self.examplePath, environment: ["DISCORD_TOKEN": "tok-123"])
        #expect(config.discord.token?.value == "tok-123")
    }

    @Test func exampleFileMentionsEveryKey() throws {
        // Every key the loader accepts should be documented in the example, commented or not.
        let text = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        let allKeys =
            ParleyConfig.keys + DiscordConfig.keys + ModelConfig.keys + WorkersConfig.keys
            + GenerationKey.names + PromptConfig.keys + CustomTemplate.keys + MemoryConfig.keys
            + TriggersConfig.keys + RoleplayConfig.keys + Persona.keys + ChannelOverride.keys
            + AccessConfig.keys + ReplyConfig.keys + MetricsConfig.keys + LogConfig.keys
        let missing = allKeys.filter { !text.contains("\($0):") }
        #expect(missing == [])
    }

    @Test func missingFileIsAnError() {
        do {
            _ = try ConfigLoader.load(path: "/nonexistent/parley.yaml", environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.source == "/nonexistent/parley.yaml")
            #expect(error.description == "/nonexistent/parley.yaml: cannot read config file: No such file or directory")
        }
    }
}
