import Roleplay
import Sampling
import Testing

@testable import Configuration

/// One happy path per section: every key set to a non-default value and read back.
@Suite("Section parsing")
struct SectionParsingTests {
    @Test func discordSection() throws {
        let config = try parse(
            """
            discord:
              token: " abc.def "
              api_base: http://127.0.0.1:9000/api
              gateway_url: ws://127.0.0.1:9001
              intents: [guilds, guild_messages, message_content, guild_bans]
              compress: no
              shards: {ids: [0, 2], count: 4}
            """)
        #expect(config.discord.token?.value == "abc.def")
        #expect(config.discord.apiBase == "http://127.0.0.1:9000/api")
        #expect(config.discord.gatewayURL == "ws://127.0.0.1:9001")
        #expect(config.discord.intents == 1 | 512 | 32768 | 4)
        #expect(config.discord.compress == false)
        #expect(config.discord.shards == .explicit(ids: [0, 2], count: 4))
    }

    @Test func intentsAsNumberAndDefaultNames() throws {
        #expect(try parse("discord: {intents: 513}").discord.intents == 513)
        let names = try parse("discord: {intents: [guilds, guild_messages, direct_messages, message_content]}")
        #expect(names.discord.intents == 37377)
    }

    @Test func shardsWithoutIdsRunsAll() throws {
        #expect(try parse("discord: {shards: {count: 3}}").discord.shards == .explicit(ids: [0, 1, 2], count: 3))
        #expect(try parse("discord: {shards: auto}").discord.shards == .auto)
    }

    @Test func modelSection() throws {
        let config = try parse(
            """
            model:
              backend: openai
              path: /models/x.gguf
              url: https://llm.example/v1
              api_key: sk-123
              context: 8192
              threads: 6
              gpu_layers: 33
              batch: 1024
              request_timeout: 45.5
            """)
        #expect(config.model.backend == .openai)
        #expect(config.model.path == "/models/x.gguf")
        #expect(config.model.url == "https://llm.example/v1")
        #expect(config.model.apiKey?.value == "sk-123")
        #expect(config.model.context == 8192)
        #expect(config.model.threads == 6)
        #expect(config.model.gpuLayers == 33)
        #expect(config.model.batch == 1024)
        #expect(config.model.requestTimeout == 45.5)
    }

    @Test func workersSection() throws {
        let config = try parse("workers: {slots: 2, queue_limit: 5, cache_mb: 0, prefill_chunk: 64, share_prefixes: false}")
        #expect(
            config.workers
                == {
                    var expected = WorkersConfig()
                    expected.slots = 2
                    expected.queueLimit = 5
                    expected.cacheMB = 0
                    expected.prefillChunk = 64
                    expected.sharePrefixes = false
                    return expected
                }())
    }

    @Test func generationSection() throws {
        let config = try parse(
            """
            generation:
              max_tokens: 1_000
              temperature: 1.25
              top_k: 0
              top_p: 1
              min_p: 0
              repeat_penalty: 1.0
              repeat_last_n: 128
              frequency_penalty: -0.5
              presence_penalty: 0.5
              seed: 42
              stop: ["\\n###", "User:"]
            """)
        let generation = config.generation
        #expect(generation.maxTokens == 1000)
        #expect(generation.temperature == 1.25)
        #expect(generation.topK == 0)
        #expect(generation.topP == 1)
        #expect(generation.minP == 0)
        #expect(generation.repeatPenalty == 1.0)
        #expect(generation.repeatLastN == 128)
        #expect(generation.frequencyPenalty == -0.5)
        #expect(generation.presencePenalty == 0.5)
        #expect(generation.seed == 42)
        #expect(generation.stop == ["\n###", "User:"])
    }

    @Test func promptSectionWithCustomTemplate() throws {
        let config = try parse(
            """
            prompt:
              template: custom
              system: Be brief.
              custom:
                system: "<sys>{system}</sys>"
                user: "{name}: {content}\\n"
                bot: "{char}: {content}\\n"
                response: "{char}:"
            """)
        #expect(config.prompt.template == .custom)
        #expect(config.prompt.system == "Be brief.")
        #expect(
            config.prompt.custom
                == CustomTemplate(
                    system: "<sys>{system}</sys>", user: "{name}: {content}\n", bot: "{char}: {content}\n",
                    response: "{char}:"))
    }

    @Test func promptTemplateNames() throws {
        #expect(try parse("prompt: {template: alpaca-input}").prompt.template == .alpacaInput)
        #expect(try parse("prompt: {template: ChatML}").prompt.template == .chatml)
    }

    @Test func memorySection() throws {
        let config = try parse("memory: {path: /var/lib/parley/m.db, max_turns: 50, max_age_days: 7.5}")
        #expect(config.memory.path == "/var/lib/parley/m.db")
        #expect(config.memory.maxTurns == 50)
        #expect(config.memory.maxAgeDays == 7.5)
        // Relative paths are stored as written; the caller resolves them.
        #expect(try parse("memory: {path: data/m.db}", baseDirectory: "/etc/parley").memory.path == "data/m.db")
    }

    @Test func triggersSection() throws {
        let config = try parse(
            """
            triggers:
              mention: off
              dm: no
              reply: false
              wake_words: [parley, hey bot]
              channels: ["123", 456]
              ignore_bots: false
              ignore_webhooks: false
              context: ambient
              command_prefix: "?p"
              backfill_window: 3600
              backfill_max_age: 0
            """)
        let triggers = config.triggers
        #expect(!triggers.mention && !triggers.dm && !triggers.reply)
        #expect(triggers.wakeWords == ["parley", "hey bot"])
        #expect(triggers.channels == ["123", "456"])
        #expect(!triggers.ignoreBots && !triggers.ignoreWebhooks)
        #expect(triggers.context == .ambient)
        #expect(triggers.commandPrefix == "?p")
        #expect(triggers.backfillWindow == 3600 && triggers.backfillMaxAge == 0)
        #expect(parseError("triggers:\n  backfill_max_age: -1") != nil)
    }

    @Test func roleplaySection() throws {
        let config = try parse(
            """
            roleplay:
              enabled: true
              persona: captain
              greeting: false
              personas:
                captain:
                  name: Captain Vex
                  description: A retired captain.
                  personality: gruff
                  scenario: A cantina.
                  first_mes: Sit.
                  alternate_greetings: [Drink?, Well?]
                  mes_example: "<START>"
                  system_prompt: You are Vex.
                  post_history_instructions: Stay in character.
                bard: {personality: cheerful}
            """)
        let roleplay = config.roleplay
        #expect(roleplay.enabled)
        #expect(roleplay.persona == "captain")
        #expect(!roleplay.greeting)
        #expect(
            roleplay.personas["captain"]
                == Persona(
                    name: "Captain Vex", description: "A retired captain.", personality: "gruff",
                    scenario: "A cantina.", firstMessage: "Sit.", alternateGreetings: ["Drink?", "Well?"],
                    exampleDialogue: "<START>", systemPrompt: "You are Vex.",
                    postHistoryInstructions: "Stay in character."))
        // A persona without a name is called by its key.
        #expect(roleplay.personas["bard"]?.name == "bard")
        #expect(roleplay.personas["bard"]?.personality == "cheerful")
    }

    @Test func roleplayCardsAreStoredResolvedNotParsed() throws {
        let config = try parse(
            "roleplay: {cards: [cards/vex.png, /abs/x.json], persona: Someone From A Card}",
            baseDirectory: "/etc/parley")
        #expect(config.roleplay.cards == ["/etc/parley/cards/vex.png", "/abs/x.json"])
        // With cards present the persona may name a card character, so it is not checked.
        #expect(config.roleplay.persona == "Someone From A Card")
    }

    @Test func accessSection() throws {
        let config = try parse(
            """
            access:
              admins: ["1"]
              allow_guilds: ["2"]
              block_guilds: ["3"]
              allow_channels: ["4"]
              block_channels: ["5"]
              allow_users: ["6"]
              block_users: ["7", "8"]
              cooldown_seconds: 0.5
            """)
        let access = config.access
        #expect(access.admins == ["1"])
        #expect(access.allowGuilds == ["2"] && access.blockGuilds == ["3"])
        #expect(access.allowChannels == ["4"] && access.blockChannels == ["5"])
        #expect(access.allowUsers == ["6"] && access.blockUsers == ["7", "8"])
        #expect(access.cooldownSeconds == 0.5)
    }

    @Test func replySection() throws {
        let config = try parse(
            """
            reply: {stream: yes, edit_interval_ms: 2000, fallback: Oops., mention_author: on, max_parts: 2, typing: off}
            """)
        #expect(config.reply.stream)
        #expect(config.reply.editIntervalMs == 2000)
        #expect(config.reply.fallback == "Oops.")
        #expect(config.reply.mentionAuthor)
        #expect(config.reply.maxParts == 2)
        #expect(!config.reply.typing)
        #expect(config.reply.hideTags == ["think"], "reasoning blocks are hidden by default")
        #expect(config.prompt.timeZone == "UTC")
        #expect(config.memory.summary, "summaries are on by default")
        #expect(config.model.api == .completions)
        #expect(try parse("model: {backend: openai, url: \"http://127.0.0.1:8080/v1\", api: chat}").model.api == .chat)
        let replicas = try parse("model: {backend: openai, urls: [\"http://127.0.0.1:8080/v1\", \"http://[::1]:8081/v1\"]}").model
        #expect(replicas.url == "http://127.0.0.1:8080/v1" && replicas.urls.count == 2, "url defaults to the first replica")
        let clear = try #require(
            parseError("model: {backend: openai, api_key: sk-1, url: \"https://a.example/v1\", urls: [\"http://b.example/v1\"]}"))
        #expect(clear.keyPath == "model.urls[0]" && clear.message.contains("unencrypted"), "\(clear)")
        let api = try #require(parseError("model: {api: messages}"))
        #expect(api.keyPath == "model.api", "\(api)")
        #expect(try !parse("memory: {summary: off}").memory.summary)
        #expect(try parse("prompt: {time_zone: Europe/Berlin}").prompt.timeZone == "Europe/Berlin")
        let zone = try #require(parseError("prompt: {time_zone: Mars/Olympus}"))
        #expect(zone.keyPath == "prompt.time_zone" && zone.message.contains("unknown time zone"), "\(zone)")
        #expect(try parse("reply: {hide_tags: [reasoning, scratch_pad]}").reply.hideTags == ["reasoning", "scratch_pad"])
        #expect(try parse("reply: {hide_tags: []}").reply.hideTags.isEmpty)
        let error = try #require(parseError("reply: {hide_tags: [\"<think>\"]}"))
        #expect(error.keyPath == "reply.hide_tags[0]" && error.message.contains("ASCII letters"), "\(error)")
    }

    @Test(
        "metrics listen addresses",
        arguments: [
            ("127.0.0.1:9464", "127.0.0.1", 9464), ("[::1]:1", "::1", 1), ("localhost:65535", "localhost", 65535),
        ])
    func metricsSection(listen: String, host: String, port: Int) throws {
        let config = try parse("metrics: {listen: \"\(listen)\"}")
        #expect(config.metrics.listen == listen)
        let split = try #require(MetricsConfig.splitHostPort(listen))
        #expect(split.host == host && split.port == port)
    }

    @Test func logSectionAndShutdownTimeout() throws {
        let config = try parse("log: {level: debug, format: plain}\nshutdown_timeout: 2.5")
        #expect(config.log.level == .debug)
        #expect(config.log.format == .plain)
        #expect(config.shutdownTimeoutSeconds == 2.5)
    }

    @Test func nullValuesKeepDefaults() throws {
        let config = try parse("generation:\n  seed: ~\n  temperature:\nmetrics:\n  listen: null\n")
        #expect(config.generation.seed == nil)
        #expect(config.generation.temperature == 0.7)
        #expect(config.metrics.listen == nil)
    }
}
