import Conversation
import Foundation
import Logging
import ParleyTestSupport
import Testing

/// A reply cut by max_tokens ends at its last complete sentence, never mid-word.
@Suite struct SentenceEndTests {
    @Test func endsAtTheLastCompleteSentence() {
        #expect(
            SentenceEnd.cut("The sea is wide. Ships sail on it every day, and the gulls fol")
                == "The sea is wide. Ships sail on it every day, and the gulls fol".cutAtWord)
        #expect(
            SentenceEnd.cut("One. Two is longer than one and three is longer st")
                == "One. Two is longer than one and three is longer…")
        #expect(SentenceEnd.cut("A long first sentence here, really. And a sh") == "A long first sentence here, really.")
        #expect(SentenceEnd.cut("She said \"go away!\" and then the") == "She said \"go away!\"", "closing quotes stay")
        #expect(
            SentenceEnd.cut("It costs 3.50 today and tomorrow it costs mo") == "It costs 3.50 today and tomorrow it costs…",
            "a decimal point is no sentence end")
        #expect(SentenceEnd.cut("He left (quietly.) Then we wai") == "He left (quietly.)")
        #expect(SentenceEnd.cut("今日は晴れです。明日は雨") == "今日は晴れです。")
    }

    @Test func aCompleteReplyIsKeptAndOneWordIsMarked() {
        #expect(SentenceEnd.cut("Done. All good!  ") == "Done. All good!")
        #expect(SentenceEnd.cut("Supercalifragilistic") == "Supercalifragilistic…")
        #expect(SentenceEnd.cut("   ") == "")
    }

    /// Linear and total on hostile text; the result is the input's start (plus "…"), ends at a
    /// sentence end or a word boundary, and a reply already ending a sentence is unchanged.
    @Test func holdsItsInvariantsOnHostileText() {
        var text = AdversarialText(seed: 31)
        var report = FuzzReport(name: "SentenceEnd.cut")
        for i in 0..<800 {
            let input =
                text.string(maxPieces: 40) + (text.below(3) == 0 ? String(repeating: "!\u{201D}", count: text.below(400)) : "")
            report.run(i) {
                let cut = SentenceEnd.cut(input)
                let body = cut.hasSuffix("…") && !input.hasSuffix("…") ? String(cut.unicodeScalars.dropLast()) : cut
                #expect(
                    input.unicodeScalars.starts(with: body.unicodeScalars), "\(input.debugDescription) → \(cut.debugDescription)")
                #expect(SentenceEnd.cut(body + ".") == body + ".", "a finished sentence stays")
                return 2
            }
        }
        for (n, input) in [
            String(repeating: ".", count: 200_000), String(repeating: "a ", count: 100_000),
            String(repeating: "!)", count: 100_000) + "x",
        ].enumerated() {
            report.run(800 + n) {
                _ = SentenceEnd.cut(input)
                return 1
            }
        }
        print(report)
    }

    @Test func thePipelineCutsOnlyWhenTheLimitWasReached() async throws {
        for limited in [true, false] {
            let backend = CountingBackend(reply: ["The tide comes in twice a day. ", "The moon pulls the wa"], limited: limited)
            let pipeline = ConversationPipeline(
                memory: try ChannelMemory(path: ":memory:"), backend: backend, logger: Logger(label: "test"))
            try await pipeline.record(
                StoredTurn(
                    channel: "c", messageID: "1", authorID: "a", turn: Turn(role: .user, author: "alice", content: "tides?")))
            let reply = try await pipeline.generateReply(channel: "c", settings: ChannelSettings(system: "You are helpful."))
            #expect(
                reply.text
                    == (limited ? "The tide comes in twice a day." : "The tide comes in twice a day. The moon pulls the wa"))
        }
    }
}

extension String {
    /// The text up to its last space, with "…" (what a cut without a sentence end gives).
    fileprivate var cutAtWord: String { String(self[..<self.lastIndex(of: " ")!]) + "…" }
}
