import Bot
import Configuration
import DiscordModels
import Foundation
import Gateway
import ParleyTestSupport
import Testing

/// Reply buttons (`reply.buttons`): which a reply shows, and when they go.
@Suite(.serialized) struct ReplyButtonsTests {
    typealias Bots = BotHarness

    static let finished = ["parley:regen:1", "parley:more:1"]

    /// A reply shows Regenerate and Continue under its last part only; `reply.buttons: false`
    /// shows none.
    @Test func aReplyShowsItsButtonsUnderItsLastPart() async throws {
        let long = String(repeating: "word ", count: 500) // 2,500 characters: two parts
        let h = try Bots(backend: ScriptedBackend([.pieces([long])]))
        await h.send(.messageCreate(Bots.mention("1", "a long answer, please")))
        let posts = h.discord.posts(in: "50")
        #expect(posts.count == 2)
        #expect(posts.map(\.buttons) == [[], Self.finished])

        let off = try Bots { $0.reply.buttons = false }
        await off.send(.messageCreate(Bots.mention("1", "hello")))
        #expect(off.discord.posts(in: "50").map(\.buttons) == [[]])
        #expect(off.discord.sent.allSatisfy { $0.components == nil }, "no components field at all")
    }

    /// While a reply streams its message shows Stop; the finished reply shows Regenerate and
    /// Continue instead (in the final edit, also when the text did not change).
    @Test func aStreamedReplyShowsStopUntilItIsFinished() async throws {
        let h = try Bots(backend: ScriptedBackend([.pieces(["Once", " upon", " a", " time."])])) {
            $0.reply.stream = true
            $0.reply.editIntervalMs = 0
        }
        await h.send(.messageCreate(Bots.mention("1", "a story")))
        let post = try #require(h.discord.posts(in: "50").first)
        #expect(h.discord.sent.first?.components.map(MessageComponent.customIDs) == ["parley:stop:1"])
        #expect(post.buttons == Self.finished)
        #expect(post.content == "Once upon a time.")
    }

    /// A newer reply in the channel takes the buttons: the older reply's are edited away.
    @Test func aNewerReplyRemovesTheOlderReplysButtons() async throws {
        let h = try Bots(backend: ScriptedBackend([.pieces(["First."]), .pieces(["Second."])]))
        await h.send(.messageCreate(Bots.mention("1", "one")))
        await h.send(.messageCreate(Bots.mention("2", "two")))
        await h.send(.messageCreate(Bots.mention("3", "elsewhere", channel: "51")))
        let posts = h.discord.posts(in: "50")
        #expect(posts.map(\.content) == ["First.", "Second."])
        #expect(posts.map(\.buttons) == [[], ["parley:regen:2", "parley:more:2"]])
        #expect(h.discord.posts(in: "51").first?.buttons == ["parley:regen:3", "parley:more:3"], "other channels keep theirs")
    }
}
