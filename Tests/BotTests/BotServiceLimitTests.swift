import DiscordModels
import Gateway
import ParleyTestSupport
import Testing

/// Answers that echo user text still fit Discord's limit (issue 11): a 400 would drop them.
@Suite(.serialized) struct BotServiceLimitTests {
    @Test func anUnknownCommandLongerThanAMessageIsStillAnswered() async throws {
        let h = try BotHarness()
        let verb = String(repeating: "👍🏽", count: 1_100) // 1,100 Characters, 2,200 code points
        await h.send(.messageCreate(BotHarness.mention("401", "!parley " + verb)))
        let answer = try #require(h.discord.messages(in: "50").last)
        #expect(answer.hasPrefix("I don't know the command"))
        #expect(answer.unicodeScalars.count <= 2_000)
        await h.shutdown()
    }
}
