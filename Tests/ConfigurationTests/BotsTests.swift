import Foundation
import Sampling
import Testing

@testable import Configuration

@Suite("Several bots in one daemon (bots:)")
struct BotsTests {
    static let cast = """
        generation:
          temperature: 0.3
          max_tokens: 100
        roleplay:
          personas:
            vex: {name: Captain Vex, description: A retired captain.}
            mira: {name: Mira, description: A cheerful mechanic.}
        triggers:
          wake_words: [crew]
        memory:
          path: cast.sqlite3
        bots:
          - name: vex
            discord: {token: token-vex}
            roleplay: {persona: vex}
          - name: mira
            discord: {token: token-mira, api_base: "http://127.0.0.1:9/api/v9"}
            roleplay: {persona: mira}
            generation: {temperature: 0.9}
            triggers: {wake_words: [mira]}
        """

    @Test func eachBotIsTheSharedConfigWithItsOwnSectionsMergedOver() throws {
        let config = try parse(Self.cast)
        let bots = config.effectiveBots
        #expect(bots.map(\.name) == ["vex", "mira"])
        let (vex, mira) = (bots[0].config, bots[1].config)
        #expect(vex.discord.token?.value == "token-vex")
        #expect(mira.discord.token?.value == "token-mira")
        #expect(mira.discord.apiBase == "http://127.0.0.1:9/api/v9")
        #expect(vex.discord.apiBase == "https://discord.com/api/v10")
        #expect(vex.roleplay.persona == "vex")
        #expect(mira.roleplay.persona == "mira")
        // Merged key by key: mira's temperature, the shared max_tokens and personas.
        #expect(mira.generation.temperature == 0.9)
        #expect(mira.generation.maxTokens == 100)
        #expect(vex.generation.temperature == 0.3)
        #expect(mira.roleplay.personas.count == 2)
        #expect(mira.triggers.wakeWords == ["mira"])
        #expect(vex.triggers.wakeWords == ["crew"])
        // Separate memories: the first bot keeps the configured file.
        #expect(vex.memory.path == "cast.sqlite3")
        #expect(mira.memory.path == "cast-mira.sqlite3")
    }

    @Test func withoutBotsTheTopLevelIsTheOneBot() throws {
        let config = try parse("discord: {token: abc}")
        #expect(config.bots.isEmpty)
        #expect(config.effectiveBots.map(\.name) == ["main"])
        #expect(config.effectiveBots[0].config.discord.token?.value == "abc")
    }

    @Test func everyBotNeedsANameAndItsOwnToken() throws {
        let unnamed = parseError("bots:\n  - discord: {token: a}\n")
        #expect(unnamed?.keyPath == "bots[0]")
        #expect(unnamed?.message.contains("needs a name") == true)

        let tokenless = parseError("bots:\n  - name: a\n    discord: {token: x}\n  - name: b\n")
        #expect(tokenless?.keyPath == "bots[1]")
        #expect(tokenless?.message.contains("bot 'b' has no Discord token") == true)
        #expect(tokenless?.hint?.contains("discord-token-b") == true)

        let shared = parseError("discord: {token: s3cr3t}\nbots:\n  - name: a\n  - name: b\n")
        #expect(shared?.message.contains("bots 'a' and 'b' use the same Discord token") == true)
        #expect(shared?.description.contains("s3cr3t") == false, "the token itself is never quoted")

        let twice = parseError("bots:\n  - {name: a, discord: {token: x}}\n  - {name: a, discord: {token: y}}\n")
        #expect(twice?.message.contains("two bots are named 'a'") == true)
        #expect(parseError("bots:\n  - {name: 'a b', discord: {token: x}}\n")?.message.contains("a bot name is") == true)
    }

    @Test func aBotMayNotSetTheDaemonsSections() throws {
        let error = parseError("bots:\n  - name: a\n    discord: {token: x}\n    model: {context: 2048}\n")
        #expect(error?.keyPath == "bots[0].model")
        #expect(error?.line == 4)
    }

    @Test func errorsInsideABotNameItsKeyAndLine() throws {
        let error = parseError("bots:\n  - name: a\n    discord: {token: x}\n    generation:\n      temprature: 2\n")
        #expect(error?.keyPath == "bots[0].generation.temprature")
        #expect(error?.line == 5)
        #expect(error?.hint == "did you mean 'temperature'?")
    }

    @Test func eachBotReadsItsOwnSystemdCredential() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("discord-token-vex", "from-credential-vex\n")
        try directory.write("discord-token-mira", "from-credential-mira\n")
        let config = try parse("bots:\n  - name: vex\n  - name: mira\n", environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(config.effectiveBots.map { $0.config.discord.token?.value } == ["from-credential-vex", "from-credential-mira"])
    }
}
