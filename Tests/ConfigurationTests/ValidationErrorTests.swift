import Testing

@testable import Configuration

@Suite("Validation errors")
struct ValidationErrorTests {
    @Test func typoedKeyHasHintAndExactPosition() throws {
        let error = try #require(
            parseError(
                """
                model:
                  context: 2048
                generation:
                  max_tokens: 100
                  temprature: 0.5
                """))
        #expect(error.keyPath == "generation.temprature")
        #expect(error.line == 5)
        #expect(error.column == 3)
        #expect(error.message == "unknown key")
        #expect(error.hint == "did you mean 'temperature'?")
        #expect(error.description == "<string>:5:3: generation.temprature: unknown key (did you mean 'temperature'?)")
    }

    @Test func descriptionUsesTheFilePath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = try directory.write("parley.yaml", "log:\n  levle: debug\n")
        do {
            _ = try ConfigLoader.load(path: path, environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "\(path):2:3: log.levle: unknown key (did you mean 'level'?)")
        }
    }

    @Test(
        "unknown keys get hints when something is close",
        arguments: [
            ("genration: {}", "genration", "did you mean 'generation'?"),
            ("model: {gpuLayers: 1}", "model.gpuLayers", "did you mean 'gpu_layers'?"),
            ("workers: {queue: 1}", "workers.queue", "did you mean 'queue_limit'?"),
            ("triggers: {wake_word: [x]}", "triggers.wake_word", "did you mean 'wake_words'?"),
            ("channels: {\"1\": {generation: {topp: 1}}}", "channels.1.generation.topp", "did you mean 'top_p'?"),
        ])
    func unknownKeyHints(yaml: String, keyPath: String, hint: String) throws {
        let error = try #require(parseError(yaml))
        #expect(error.keyPath == keyPath)
        #expect(error.message == "unknown key")
        #expect(error.hint == hint)
    }

    @Test func unknownKeyWithoutCloseMatchHasNoHint() throws {
        let error = try #require(parseError("plugins:\n  - name: x\n"))
        #expect(error.keyPath == "plugins")
        #expect(error.hint == nil)
        #expect(error.line == 1 && error.column == 1)
        #expect(error.description == "<string>:1:1: plugins: unknown key")
    }

    @Test func wrongTypeForNumber() throws {
        let error = try #require(parseError("generation:\n  temperature: hot\n"))
        #expect(error.description == "<string>:2:16: generation.temperature: expected a number, got 'hot'")
    }

    @Test func integersRejectFractions() throws {
        let error = try #require(parseError("generation:\n  max_tokens: 1.5\n"))
        #expect(error.keyPath == "generation.max_tokens")
        #expect(error.message == "expected an integer, got '1.5'")
        #expect(error.line == 2 && error.column == 15)
    }

    @Test func outOfRange() throws {
        let error = try #require(parseError("generation:\n  top_p: 1.5\n"))
        #expect(error.description == "<string>:2:10: generation.top_p: 1.5 is out of range 0...1")
        let integer = try #require(parseError("workers: {slots: 65}"))
        #expect(integer.message == "65 is out of range 1...64")
        #expect(integer.keyPath == "workers.slots")
    }

    @Test(
        "bool spellings",
        arguments: [
            ("true", true), ("yes", true), ("on", true), ("True", true), ("YES", true),
            ("false", false), ("no", false), ("off", false), ("Off", false),
        ])
    func boolSpellings(spelling: String, expected: Bool) throws {
        #expect(try parse("reply: {stream: \(spelling)}").reply.stream == expected)
        #expect(try parse("discord: {compress: \(spelling)}").discord.compress == expected)
    }

    @Test func boolRejectsOtherWords() throws {
        let error = try #require(parseError("reply: {typing: maybe}"))
        #expect(error.message == "expected true or false, got 'maybe'")
        #expect(error.keyPath == "reply.typing")
        let sharing = try #require(parseError("workers: {share_prefixes: 2}"))
        #expect(sharing.message == "expected true or false, got '2'")
        #expect(sharing.keyPath == "workers.share_prefixes")
    }

    @Test func mappingExpectedWhereScalarGiven() throws {
        let error = try #require(parseError("generation: 5\n"))
        #expect(error.keyPath == "generation")
        #expect(error.message == "expected a mapping (key: value), got '5'")
    }

    @Test func listExpectedWhereScalarGiven() throws {
        let error = try #require(parseError("triggers:\n  wake_words: parley\n"))
        #expect(error.keyPath == "triggers.wake_words")
        #expect(error.message == "expected a list, got 'parley'")
        #expect(error.hint == "write [parley] for a single entry")
    }

    @Test func enumValueWithHint() throws {
        let error = try #require(parseError("prompt:\n  template: chatlm\n"))
        #expect(error.message == "expected one of alpaca, alpaca-input, chatml, custom, got 'chatlm'")
        #expect(error.hint == "did you mean 'chatml'?")
        #expect(error.line == 2 && error.column == 13)
    }

    @Test func topLevelMustBeAMapping() throws {
        let scalar = try #require(parseError("just some text\n"))
        #expect(scalar.keyPath == "")
        #expect(scalar.message.hasPrefix("the top level must be a mapping"))
        let list = try #require(parseError("- a\n- b\n"))
        #expect(list.message == "expected a mapping (key: value), got a list")
        #expect(list.line == 1)
    }

    @Test func yamlSyntaxErrorCarriesLine() throws {
        let error = try #require(
            parseError(
                """
                model:
                  context: 2048
                generation:
                  stop: [a, b
                log:
                  level: info
                """))
        #expect(error.keyPath == "")
        #expect(error.line == 5)
        #expect(error.column != nil)
        #expect(error.message.hasPrefix("YAML syntax error: "))
        #expect(error.description.hasPrefix("<string>:5:"))
    }

    @Test func tabIndentationIsASyntaxError() throws {
        let error = try #require(parseError("model:\n\tcontext: 1\n"))
        #expect(error.line == 2)
    }

    @Test func duplicateKeysAreRejected() throws {
        let error = try #require(parseError("log:\n  level: info\n  level: debug\n"))
        #expect(error.message == "duplicate key 'level' in the same mapping")
        #expect(error.line == 2)
    }

    @Test func openAIBackendRequiresURL() throws {
        let error = try #require(parseError("model:\n  backend: openai\n"))
        #expect(error.keyPath == "model.url")
        #expect(error.message == "required when backend is openai")
        #expect(error.line == 2 && error.column == 12)
        // `${VAR:-}` that ends empty is "no url", so still an error.
        #expect(parseError("model: {backend: openai, url: \"${LLM_URL:-}\"}")?.keyPath == "model.url")
        #expect(try parse("model: {backend: openai, url: http://127.0.0.1:8080/v1}").model.url != nil)
    }

    @Test func badURLIsRejected() throws {
        let error = try #require(parseError("model: {url: localhost:8080}"))
        #expect(error.keyPath == "model.url")
        #expect(error.message.hasPrefix("expected a URL starting with http:// or https://"))
        #expect(parseError("discord: {gateway_url: https://gateway.discord.gg}")?.keyPath == "discord.gateway_url")
    }

    @Test func customTemplateRequiresFormats() throws {
        let error = try #require(parseError("prompt: {template: custom}"))
        #expect(error.keyPath == "prompt.custom")
        #expect(error.message == "required when template is custom")
    }

    @Test func customTemplateUnknownPlaceholder() throws {
        let error = try #require(
            parseError(
                """
                prompt:
                  template: custom
                  custom:
                    user: "{user}: {content}"
                """))
        #expect(error.keyPath == "prompt.custom.user")
        #expect(error.message == "unknown placeholder '{user}' (allowed: {system}, {name}, {content}, {char})")
        #expect(error.line == 4)
        let typo = try #require(parseError("prompt: {custom: {bot: \"{contnet}\"}}"))
        #expect(typo.hint == "did you mean '{content}'?")
        // Braces that are not placeholders (JSON, spacing) are left alone.
        let json = try parse("prompt: {custom: {system: \"{\\\"role\\\": 1} { } {system}\"}}")
        #expect(json.prompt.custom?.system == "{\"role\": 1} { } {system}")
    }

    @Test func nonDigitChannelIdIsRejected() throws {
        let error = try #require(
            parseError(
                """
                channels:
                  "123": {always_on: true}
                  general: {always_on: true}
                """))
        #expect(error.keyPath == "channels.general")
        #expect(error.message == "channel keys must be Discord channel ids (digits only)")
        #expect(error.line == 3 && error.column == 3)
    }

    @Test func nonDigitIdsInListsAreRejected() throws {
        let error = try #require(parseError("access:\n  admins: [\"12\", \"@alice\"]\n"))
        #expect(error.keyPath == "access.admins[1]")
        #expect(error.message == "expected a Discord id (digits only), got '@alice'")
        #expect(parseError("triggers: {channels: [general]}")?.keyPath == "triggers.channels[0]")
    }

    @Test func unknownPersonaIsRejectedUnlessCardsAreGiven() throws {
        let error = try #require(
            parseError(
                """
                roleplay:
                  persona: captian
                  personas:
                    captain: {description: x}
                """))
        #expect(error.keyPath == "roleplay.persona")
        #expect(error.hint == "did you mean 'captain'?")
        #expect(error.line == 2)
        let channel = try #require(parseError("channels: {\"1\": {persona: nobody}}"))
        #expect(channel.keyPath == "channels.1.persona")
        #expect(try parse("roleplay: {persona: x, cards: [a.json]}").roleplay.persona == "x")
    }

    @Test func shardIdsMustBeBelowCount() throws {
        let error = try #require(parseError("discord:\n  shards: {ids: [0, 4], count: 4}\n"))
        #expect(error.keyPath == "discord.shards.ids[1]")
        #expect(error.message == "shard id 4 must be less than count (4)")
        #expect(parseError("discord: {shards: {ids: [0]}}")?.keyPath == "discord.shards.count")
        #expect(parseError("discord: {shards: manual}")?.keyPath == "discord.shards")
    }

    @Test func unknownIntentName() throws {
        let error = try #require(parseError("discord: {intents: [guilds, guild_mesages]}"))
        #expect(error.keyPath == "discord.intents[1]")
        #expect(error.hint == "did you mean 'guild_messages'?")
    }

    @Test(
        "bad metrics listen addresses",
        arguments: [
            "9464", ":9464", "127.0.0.1:0", "127.0.0.1:65536", "host:port", "[::1]9464", "::1:9464", "a b:1",
            "metrics.example:9464", "300.1.1.1:9464",
        ])
    func badMetricsListen(listen: String) throws {
        let error = try #require(parseError("metrics: {listen: \"\(listen)\"}"))
        #expect(error.keyPath == "metrics.listen")
    }

    @Test func emptyWakeWordIsRejected() throws {
        let error = try #require(parseError("triggers: {wake_words: [ok, \"  \"]}"))
        #expect(error.keyPath == "triggers.wake_words[1]")
    }
}
