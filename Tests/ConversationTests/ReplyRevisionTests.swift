import Conversation
import Foundation
import Inference
import Logging
import Synchronization
import Testing

/// Regenerate and Continue at the pipeline: the revised reply's prompt is the one it answered
/// (its own text left out, or ending the prompt to be continued), and storing the revision
/// replaces the reply's turn.
@Suite struct ReplyRevisionTests {
    static let answer = "Tides follow the moon."

    func pipeline(_ backend: CountingBackend) async throws -> ConversationPipeline {
        let pipeline = try await TokenizeOnceTests().pipeline(backend)
        try await pipeline.record(
            StoredTurn(
                channel: "c", messageID: "r", authorID: "bot", turn: Turn(role: .bot, author: "Parley", content: Self.answer)))
        return pipeline
    }

    @Test func onlyTheNewestReplyIsRevisable() async throws {
        let pipeline = try await pipeline(CountingBackend())
        #expect(try await pipeline.revisableReply(channel: "c", messageID: "r") == Self.answer)
        #expect(try await pipeline.revisableReply(channel: "c", messageID: "5") == nil, "a person's message")
        try await pipeline.record(
            StoredTurn(channel: "c", messageID: "6", authorID: "bob", turn: Turn(role: .user, author: "bob", content: "ok")))
        #expect(try await pipeline.revisableReply(channel: "c", messageID: "r") == nil, "a message came after it")
    }

    @Test func regenerateSamplesThePromptTheReplyAnswered() async throws {
        let backend = CountingBackend()
        let pipeline = try await pipeline(backend)
        let settings = ChannelSettings(system: "Be brief.")
        let revised = try await pipeline.reviseReply(channel: "c", settings: settings, revision: .regenerate)
        let request = try #require(backend.requests.withLock { $0.last })
        #expect(!request.prompt.description.contains(Self.answer))
        let original = try await TokenizeOnceTests().pipeline(CountingBackend()).prompt(channel: "c", settings: settings)
        #expect(request.prompt == original.prompt, "the prompt the reply was generated from")
        #expect(request.tokens == backend.admissionTokens(request.prompt))
        #expect(revised.text == "Magnets pull iron.")

        #expect(try await pipeline.replaceReply(channel: "c", messageID: "r", with: revised.text, firstMessageID: "r"))
        let turns = try await pipeline.prompt(channel: "c", settings: settings).prompt.description
        #expect(turns.contains("Magnets pull iron.") && !turns.contains(Self.answer), "only the new text is remembered")
    }

    @Test func continueEndsThePromptWithTheReply() async throws {
        let backend = CountingBackend()
        let pipeline = try await pipeline(backend)
        let revised = try await pipeline.reviseReply(
            channel: "c", settings: ChannelSettings(system: "Be brief."), revision: .extend(Self.answer))
        let request = try #require(backend.requests.withLock { $0.last })
        #expect(request.prompt.description.hasSuffix("### Response:\n" + Self.answer), "as if just written")
        #expect(request.prompt.description.components(separatedBy: Self.answer).count == 2, "the reply appears once")
        #expect(request.tokens == nil, "the carried tokens would lack the reply's text")
        #expect(revised.text == Self.answer + "Magnets pull iron.")
    }

    /// After a restart the newest reply is found again only for the message it answered: the
    /// newest message before it that was claimed for an answer (messages merged into it were not),
    /// and only while that claim is within the replay window.
    @Test func aReplyIsRestoredOnlyForTheMessageItAnswered() async throws {
        let memory = try ChannelMemory(path: ":memory:")
        let pipeline = ConversationPipeline(memory: memory, backend: CountingBackend(), logger: Logger(label: "test"))
        func say(_ id: String, _ author: String, _ role: Turn.Role) async throws {
            try await pipeline.record(
                StoredTurn(channel: "c", messageID: id, authorID: author, turn: Turn(role: role, author: author, content: id)))
        }
        try await say("1", "alice", .user)
        _ = try await pipeline.claimAnswer(messageID: "1")
        try await say("r1", "bot", .bot)
        try await say("2", "bob", .user)
        _ = try await pipeline.claimAnswer(messageID: "2")
        try await say("3", "carol", .user) // merged into the answer to 2: never claimed
        try await say("r2", "bot", .bot)
        let found = try await pipeline.restorableReply(channel: "c", answered: "2")
        #expect(found?.messageID == "r2" && found?.author == "bob" && found?.text == "r2")
        #expect(try await pipeline.restorableReply(channel: "c", answered: "1") == nil, "an older reply's question")
        #expect(try await pipeline.restorableReply(channel: "c", answered: "3") == nil, "not the one answered")
        _ = try await memory.retain(maxTurns: 100, maxAge: nil, now: Date() + 8 * 86400)
        #expect(try await pipeline.restorableReply(channel: "c", answered: "2") == nil, "past the replay window")
    }
}
