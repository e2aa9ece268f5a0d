import Conversation
import Foundation
import Logging
import ParleyTestSupport
import Synchronization
import Testing

/// A reasoning model's `<think>…</think>` is neither posted (not even while streaming) nor stored.
@Suite struct HiddenBlocksTests {
    let hidden = HiddenBlocks()

    @Test func blocksAreRemovedInAnyCase() {
        #expect(hidden.strip("<think>plan</think>Hello.") == "Hello.")
        #expect(hidden.strip("A<THINK>x</Think>B<think>y</think>C") == "ABC")
        #expect(hidden.strip("no tags < here > at all") == "no tags < here > at all")
        #expect(hidden.strip("<thinking>is not the tag</thinking>") == "<thinking>is not the tag</thinking>")
        #expect(hidden.strip("é<think>ü</think>漢字") == "é漢字", "non-ASCII text is kept whole")
    }

    @Test func anUnclosedBlockHidesTheRestAndAnOrphanCloseHidesWhatCameBefore() {
        #expect(hidden.strip("Hi.<think>still reasoning") == "Hi.")
        #expect(hidden.strip("reasoning the template opened</think>The answer.") == "The answer.")
    }

    @Test func otherTagsAndNoTags() {
        let custom = HiddenBlocks(tags: ["reasoning", "scratch"])
        #expect(custom.strip("<reasoning>a</reasoning>b<scratch>c</scratch>d<think>e</think>") == "bd<think>e</think>")
        #expect(HiddenBlocks(tags: []).strip("<think>x</think>y") == "<think>x</think>y")
    }

    @Test func theCleanerStripsBeforeItLooksForLabels() {
        let cleaner = ReplyCleaner(speaker: "Mira", participants: ["alice"])
        #expect(cleaner.clean("<think>alice wants a joke\n</think>\nMira: Here is one.") == "Here is one.")
    }

    /// Linear and total on hostile text: every output is no longer than its input, text without
    /// `<` is untouched, and a visible–hidden–visible input keeps exactly its visible parts.
    @Test func holdsItsInvariantsOnHostileText() {
        var text = AdversarialText(seed: 29)
        var report = FuzzReport(name: "HiddenBlocks.strip")
        let tagPieces = ["<think>", "</think>", "<THINK>", "</Think>", "<thi", "nk>", "<", "</", ">"]
        for i in 0..<600 {
            var input = ""
            for _ in 0..<text.below(12) {
                input += text.below(2) == 0 ? tagPieces[text.below(tagPieces.count)] : text.string(maxPieces: 8)
            }
            let visible = text.string(maxPieces: 10).replacingOccurrences(of: "<", with: "")
            let secret = text.string(maxPieces: 10).replacingOccurrences(of: "<", with: "")
            report.run(i) {
                #expect(hidden.strip(input).utf8.count <= input.utf8.count)
                #expect(hidden.strip(visible) == visible)
                #expect(hidden.strip(visible + "<think>" + secret + "</think>" + visible) == visible + visible)
                return 3
            }
        }
        // Long runs: many opening brackets, many unclosed tags, one huge block.
        let long = [
            String(repeating: "<", count: 200_000), String(repeating: "<think>", count: 30_000),
            "<think>" + String(repeating: "</thin", count: 30_000), String(repeating: "</think>x", count: 20_000),
        ]
        for (n, input) in long.enumerated() {
            report.run(600 + n) {
                #expect(hidden.strip(input).utf8.count <= input.utf8.count)
                return 1
            }
        }
        print(report)
    }

    @Test func aStreamedReplyNeverShowsTheReasoningAndOnlyTheAnswerIsReturned() async throws {
        let backend = CountingBackend(reply: ["<think>", "the user", " wants tea", "</think>", "Tea is ", "ready."])
        let pipeline = ConversationPipeline(
            memory: try ChannelMemory(path: ":memory:"), backend: backend, logger: Logger(label: "test"))
        try await pipeline.record(
            StoredTurn(channel: "c", messageID: "1", authorID: "a", turn: Turn(role: .user, author: "alice", content: "tea?")))
        let shown = Mutex<[String]>([])
        let settings = ChannelSettings(system: "You are helpful.")
        let reply = try await pipeline.generateReply(
            channel: "c", settings: settings, onText: { text in shown.withLock { $0.append(text) } })
        #expect(reply.text == "Tea is ready.")
        #expect(!shown.withLock { $0 }.contains { $0.contains("wants tea") || $0.contains("think") })

        var keep = settings
        keep.hidden = HiddenBlocks(tags: [])
        #expect(try await pipeline.generateReply(channel: "c", settings: keep).text.contains("<think>"))
    }
}
