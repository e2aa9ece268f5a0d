import Bot
import Configuration
import Conversation
import DiscordModels
import Foundation
import Gateway
import Inference
import ParleyTestSupport
import Roleplay
import Testing

/// The daemon fills `{channel}` and `{guild}` from the guild events, and greets each channel with
/// one of the persona's greetings, the same one every time.
@Suite struct PromptPlaceholderBotTests {
    @Test func channelAndGuildNamesReachThePrompt() async throws {
        let backend = ScriptedBackend()
        let h = try BotHarness(backend: backend) { $0.prompt.system = "You chat in {channel} on {guild}, {date}." }
        await h.send(.messageCreate(BotHarness.mention("701", "hi")))
        #expect(backend.requests.last?.prompt.description.contains("You chat in this channel on this server,") == true)
        await h.send(.guildCreate(Guild(id: "7", name: "Lighthouse", channels: [Channel(id: "50", name: "general")])))
        await h.send(.messageCreate(BotHarness.mention("702", "hi again")))
        let prompt = try #require(backend.requests.last?.prompt.description)
        #expect(prompt.contains("You chat in #general on Lighthouse, \(PromptPlaceholdersNow.date)."), "\(prompt)")
        await h.shutdown()
    }

    @Test func eachChannelGetsOneOfTheGreetings() async throws {
        var mora = Persona(
            name: "Mora", firstMessage: "Ahoy, {{user}}!", alternateGreetings: ["Evening, {user}.", "Hm? {char} looks up."])
        mora.description = "A captain."
        let persona = mora
        let h = try BotHarness { config in
            config.roleplay.enabled = true
            config.roleplay.personas = ["mora": persona]
            config.roleplay.persona = "mora"
        }
        let channels = ["50", "51", "52", "53", "54", "55"]
        #expect(Set(channels.map { persona.greeting(for: $0) }).count >= 2, "the channels are greeted differently")
        for (n, channel) in channels.enumerated() {
            await h.send(.messageCreate(BotHarness.mention("80\(n)", "hello", channel: Snowflake(channel))))
            let expected = try #require(persona.greeting(for: channel))
                .replacingOccurrences(of: "{{user}}", with: "alice").replacingOccurrences(of: "{user}", with: "alice")
                .replacingOccurrences(of: "{char}", with: "Mora")
            #expect(h.discord.messages(in: channel).first == expected)
        }
        await h.shutdown()
    }
}

/// Today's `{date}` as the daemon writes it (UTC by default).
enum PromptPlaceholdersNow {
    static var date: String { Conversation.PromptPlaceholders().date }
}
