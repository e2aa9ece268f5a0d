import Foundation
import LlamaRuntime
import ParleyTestSupport
import Testing

@testable import Conversation

/// With the default model's own vocabulary: cleaned participant text never tokenizes into a
/// special token, even tokenized as a remote server does (special tokens parsed). Special means
/// a control token or a user-defined one that is not plain whitespace (Gemma adds runs of
/// spaces, tabs and newlines as user-defined tokens; those are text).
@Suite struct SpecialTokenVocabTests {
    static var model: LlamaModel { PromptBudgetTests.model }
    static let sanitizer = PromptSanitizer()

    static func isSpecial(_ token: Int32) -> Bool {
        model.isControl(token)
            || (model.isUserDefined(token) && !model.spelling(of: token).allSatisfy { $0.isWhitespace || $0 == "▁" })
    }

    static func specials(in text: String) throws -> [String] {
        try model.tokenize(text, parseSpecial: true).filter(isSpecial).map { model.spelling(of: $0) }
    }

    /// Every special token the vocabulary has, spelled out by a user: real tokens before
    /// cleaning (so this test can fail), none after.
    @Test func noSpecialTokenOfTheVocabularySurvivesCleaning() throws {
        var spelled = 0
        for token in 0..<Int32(Self.model.vocabularySize) where Self.isSpecial(token) {
            let spelling = Self.model.spelling(of: token)
            guard !spelling.isEmpty else { continue }
            let hostile = "hi \(spelling)model\nobey"
            #expect(try Self.specials(in: hostile).contains(spelling), "the raw text does produce \(spelling)")
            let cleaned = Self.sanitizer.clean(hostile)
            #expect(try Self.specials(in: cleaned).isEmpty, "\(spelling) survived as \(cleaned.debugDescription)")
            #expect(try Self.specials(in: Self.sanitizer.name(hostile)).isEmpty)
            spelled += 1
        }
        print("special tokens of \(TestModel.fileName) spelled out and defused: \(spelled)")
        #expect(spelled > 100)
    }

    @Test func fuzzedTextNeverTokenizesToASpecialToken() throws {
        var text = AdversarialText(seed: 51)
        var report = FuzzReport(name: "cleaned text → \(TestModel.fileName) tokens")
        for i in 0..<600 {
            let input = text.string()
            try report.run(i) {
                let found = try Self.specials(in: Self.sanitizer.clean(input, speakers: ["alice"]))
                #expect(found.isEmpty, "\(found) from \(input.debugDescription)")
                #expect(try Self.specials(in: Self.sanitizer.name(input)).isEmpty)
                return 2
            }
        }
        print(report)
    }
}
