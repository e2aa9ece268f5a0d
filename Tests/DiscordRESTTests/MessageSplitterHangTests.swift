import DiscordREST
import Foundation
import Synchronization
import Testing

/// Inputs that made the splitter loop forever (issue 11): the prefix it carries into the next part
/// left no budget. Each split runs on its own thread under a generous hang guard, so a regression
/// fails the test instead of hanging the suite (the guard is not a performance bound).
@Suite struct MessageSplitterHangTests {
    let splitter = MessageSplitter()

    @Test func aFenceWhoseLanguageFillsThePartStillSplits() async throws {
        let language = String(repeating: "x", count: 2_100)
        let text = "```" + language + "\n" + String(repeating: "let a = 1\n", count: 300) + "```"
        let parts = try #require(await Self.split(text, splitter))
        #expect(parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.count <= 2_000 })
        #expect(parts.count <= 4)
        #expect(parts.joined().filter { $0 == "x" }.count >= 2_100, "the language text is kept where it stood")
    }

    @Test func aGraphemeLongerThanAPartIsCutBetweenScalars() async throws {
        let grapheme = "a" + String(repeating: "\u{0301}", count: 4_500) // one Character, 4,501 scalars
        let text = "Look: " + grapheme + " done."
        let parts = try #require(await Self.split(text, splitter))
        #expect(parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.count <= 2_000 })
        #expect(parts.count == 3)
        #expect(parts.joined().unicodeScalars.filter { $0 == "\u{0301}" }.count == 4_500, "no scalar lost")
    }

    @Test func aGraphemeLongerThanAPartInsideAFenceStillSplits() async throws {
        let text = "```swift\n" + "a" + String(repeating: "\u{0301}", count: 6_000) + "\n```"
        let parts = try #require(await Self.split(text, splitter))
        #expect(parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.count <= 2_000 })
        #expect(parts.count <= 5)
    }

    /// The parts, or nil when the split did not finish within `seconds` (a hang).
    static func split(_ text: String, _ splitter: MessageSplitter, seconds: Double = 20) async -> [String]? {
        let once = Once()
        return await withCheckedContinuation { continuation in
            once.arm(continuation)
            Thread.detachNewThread { once.resume(splitter.split(text)) }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { once.resume(nil) }
        }
    }

    /// Resumes a continuation exactly once, whichever of the split and the guard comes first.
    final class Once: Sendable {
        private let continuation = Mutex<CheckedContinuation<[String]?, Never>?>(nil)
        func arm(_ value: CheckedContinuation<[String]?, Never>) { continuation.withLock { $0 = value } }
        func resume(_ parts: [String]?) { continuation.withLock { $0.take() }?.resume(returning: parts) }
    }
}
