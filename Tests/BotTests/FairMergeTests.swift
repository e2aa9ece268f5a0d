import Bot
import DiscordModels
import Gateway
import Inference
import ParleyTestSupport
import Testing

/// Messages that arrive while a reply is being generated: each person gets a reply of their own,
/// replying to their message, in order; a person's messages in a row are answered once.
@Suite(.serialized) struct FairMergeTests {
    typealias Bots = BotHarness
    static let people = ["alice", "bob", "carol"].enumerated().map { User(id: Snowflake("\($0 + 1)"), username: $1) }

    static func ask(_ id: String, _ person: Int) -> Message {
        Bots.mention(id, "question \(id) from \(people[person].username)", author: people[person])
    }

    /// Three people within 100 ms: three replies, one per person, each replying to its message,
    /// and each prompt ending at the message it answers (with the earlier replies in it).
    @Test func threePeopleAtOnceGetAReplyEach() async throws {
        let backend = ScriptedBackend([.pieces(["Answer one."]), .pieces(["Answer two."]), .pieces(["Answer three."])])
        let h = try Bots(backend: backend)
        backend.hold()
        for (n, person) in [(1, 0), (2, 1), (3, 2)] { await h.service.handle(.messageCreate(Self.ask("\(n)", person))) }
        try await h.waitUntil { backend.requests.count == 1 }
        backend.release()
        await h.service.waitUntilIdle()
        let posts = h.discord.posts(in: "50")
        #expect(posts.map(\.replyTo) == ["1", "2", "3"], "\(posts.map(\.content))")
        #expect(posts.map(\.content) == ["Answer one.", "Answer two.", "Answer three."])
        let prompts = backend.requests.map(\.prompt.description)
        #expect(prompts.count == 3)
        if prompts.count == 3 {
            #expect(prompts[0].contains("question 1") && !prompts[0].contains("question 2"), "the first ends at its message")
            #expect(prompts[1].contains("Answer one.") && prompts[1].contains("question 2") && !prompts[1].contains("question 3"))
            #expect(prompts[2].contains("Answer two.") && prompts[2].contains("question 3"))
        }
        #expect(
            try await h.contents("50") == [
                "question 1 from alice", "Answer one.", "question 2 from bob", "Answer two.", "question 3 from carol",
                "Answer three.",
            ], "each reply is stored right after the message it answers")
        #expect(h.service.context.counters["replies_sent"] == 3 && h.service.context.counters["messages_merged"] == 0)
    }

    /// While bob is answered, alice writes twice in a row (one reply, to her newest message, that
    /// read both), then carol, then alice again: alice's waiting reply moves behind carol's.
    @Test func aPersonsMessagesShareOneWaitingReply() async throws {
        let backend = ScriptedBackend()
        let h = try Bots(backend: backend)
        backend.hold()
        await h.service.handle(.messageCreate(Self.ask("1", 1)))
        try await h.waitUntil { backend.requests.count == 1 }
        for (n, person) in [(2, 0), (3, 0), (4, 2), (5, 0)] { await h.service.handle(.messageCreate(Self.ask("\(n)", person))) }
        backend.release()
        await h.service.waitUntilIdle()
        #expect(h.discord.posts(in: "50").map(\.replyTo) == ["1", "4", "5"])
        let last = backend.requests.last?.prompt.description ?? ""
        #expect(last.contains("question 2") && last.contains("question 3") && last.contains("question 5"))
        #expect(h.service.context.counters["messages_merged"] == 2)
    }
}
