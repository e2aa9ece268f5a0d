import Sampling
import Testing

@testable import Configuration

@Suite("Channel overrides")
struct ChannelOverrideTests {
    @Test func overrideIsParsed() throws {
        let config = try parse(
            """
            roleplay:
              personas:
                captain: {name: Vex}
            channels:
              "123456789012345678":
                persona: captain
                template: chatml
                system: Trivia host.
                always_on: yes
                generation: {temperature: 1.2, max_tokens: 400, stop: ["END"]}
              987: {}
            """)
        let override = try #require(config.channels["123456789012345678"])
        #expect(override.persona == "captain")
        #expect(override.template == .chatml)
        #expect(override.system == "Trivia host.")
        #expect(override.alwaysOn == true)
        var generation = GenerationOverride()
        generation.temperature = 1.2
        generation.maxTokens = 400
        generation.stop = ["END"]
        #expect(override.generation == generation)
        #expect(config.channels["987"] == ChannelOverride())
        #expect(config.channels.count == 2)
    }

    @Test func appliedReplacesOnlyTheSetFields() {
        var base = GenerationOptions()
        base.seed = 7
        base.stop = ["a"]
        var override = GenerationOverride()
        override.temperature = 0.1
        override.topK = 5
        override.stop = []
        let result = override.applied(to: base)
        #expect(result.temperature == 0.1)
        #expect(result.topK == 5)
        #expect(result.stop == [])
        #expect(result.seed == 7)
        #expect(result.maxTokens == 256)
        #expect(result.topP == 0.95)
        #expect(GenerationOverride().applied(to: base) == base)
        #expect(GenerationOverride().isEmpty && !override.isEmpty)
    }

    @Test func overrideUsesTheSameRanges() throws {
        let error = try #require(parseError("channels:\n  \"5\":\n    generation:\n      min_p: -1\n"))
        #expect(error.description == "<string>:4:14: channels.5.generation.min_p: -1 is out of range 0...1")
    }

    @Test func customTemplateOverrideNeedsPromptCustom() throws {
        let error = try #require(parseError("channels: {\"5\": {template: custom}}"))
        #expect(error.keyPath == "channels.5.template")
        let ok = try parse("prompt: {custom: {user: \"{content}\"}}\nchannels: {\"5\": {template: custom}}")
        #expect(ok.channels["5"]?.template == .custom)
    }

    @Test func unknownOverrideKey() throws {
        let error = try #require(parseError("channels: {\"5\": {alwayson: true}}"))
        #expect(error.keyPath == "channels.5.alwayson")
        #expect(error.hint == "did you mean 'always_on'?")
    }
}
