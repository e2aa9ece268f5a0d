import Sampling
import Testing

@testable import Configuration

@Suite("${VAR} substitution")
struct EnvironmentSubstitutionTests {
    @Test func setVariableIsSubstitutedBeforeTypeConversion() throws {
        let config = try parse(
            """
            generation:
              temperature: ${TEMP}
              max_tokens: ${MAX}
            model:
              path: ${HOME}/m/${NAME}.gguf
            """,
            environment: ["TEMP": "0.25", "MAX": "77", "HOME": "/home/p", "NAME": "hermes"])
        #expect(config.generation.temperature == 0.25)
        #expect(config.generation.maxTokens == 77)
        #expect(config.model.path == "/home/p/m/hermes.gguf")
    }

    @Test func defaultIsUsedWhenUnsetOrEmpty() throws {
        let yaml = "log: {level: \"${LEVEL:-warning}\"}"
        #expect(try parse(yaml).log.level == .warning)
        #expect(try parse(yaml, environment: ["LEVEL": ""]).log.level == .warning)
        #expect(try parse(yaml, environment: ["LEVEL": "trace"]).log.level == .trace)
    }

    @Test func substitutedValuesAreTypeChecked() throws {
        let error = try #require(parseError("generation: {top_p: \"${P}\"}", environment: ["P": "2"]))
        #expect(error.message == "2 is out of range 0...1")
        #expect(error.keyPath == "generation.top_p")
    }

    @Test func missingVariableNamesKeyAndVariableOnly() throws {
        let error = try #require(
            parseError(
                "discord:\n  token: \"${DISCORD_TOKEN:-}\"\nmodel:\n  api_key: ${LLM_KEY}\n",
                environment: ["OTHER_SECRET": "hunter2"]))
        #expect(error.keyPath == "model.api_key")
        #expect(error.message == "environment variable 'LLM_KEY' is not set")
        #expect(error.hint == "set it, or give a default: ${LLM_KEY:-value}")
        #expect(error.line == 4 && error.column == 12)
        #expect(!error.description.contains("hunter2"))
    }

    @Test func setButEmptyWithoutDefaultIsEmpty() throws {
        #expect(try parse("prompt: {system: \"x${EMPTY}y\"}", environment: ["EMPTY": ""]).prompt.system == "xy")
    }

    @Test func dollarDollarBraceEscapesALiteral() throws {
        let config = try parse(
            "prompt: {system: \"$${AMOUNT} is ${AMOUNT}, $${NOT_A_VAR} stays, $5 and $HOME too\"}",
            environment: ["AMOUNT": "3", "HOME": "/root"])
        #expect(config.prompt.system == "${AMOUNT} is 3, ${NOT_A_VAR} stays, $5 and $HOME too")
    }

    @Test func unterminatedReferenceIsAnError() throws {
        let error = try #require(parseError("prompt: {system: \"${OOPS\"}"))
        #expect(error.keyPath == "prompt.system")
        #expect(error.message == "unterminated '${' (missing '}')")
    }

    @Test func invalidNameIsAnError() throws {
        let error = try #require(parseError("prompt: {system: \"${ NAME}\"}"))
        #expect(error.message == "'${ NAME}' is not a valid environment variable reference")
    }

    @Test func substitutionWorksInListsAndOverrides() throws {
        let config = try parse(
            "triggers: {wake_words: [\"${BOT_NAME}\"], channels: [\"${CHAN}\"]}\nchannels: {\"9\": {system: \"${SYS:-hi}\"}}",
            environment: ["BOT_NAME": "parley", "CHAN": "42"])
        #expect(config.triggers.wakeWords == ["parley"])
        #expect(config.triggers.channels == ["42"])
        #expect(config.channels["9"]?.system == "hi")
    }

    @Test func emptyOptionalsMeanUnset() throws {
        let config = try parse("model: {path: \"${MODEL:-}\", api_key: \"${KEY:-}\"}\ngeneration: {seed: \"${SEED:-}\"}")
        #expect(config.model.path == nil)
        #expect(config.model.apiKey == nil)
        #expect(config.generation.seed == nil)
    }

    @Test func keysAreNotSubstituted() throws {
        let error = try #require(parseError("\"${SECTION}\": {}", environment: ["SECTION": "log"]))
        #expect(error.keyPath == "${SECTION}")
        #expect(error.message == "unknown key")
    }
}
