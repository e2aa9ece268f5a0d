import Foundation
import ParleyTestSupport
import Testing

@testable import Conversation

/// Seeded, bounded fuzzing of everything that cleans participants' and the model's text.
@Suite struct SanitizerFuzzTests {
    static let speakers = ["alice", "bob", "Mira", "User", "Assistant"]
    static let sanitizer = PromptSanitizer()

    /// Independent of the sanitizer's own code: whether a text holds a special-token shape
    /// (`<|`, `|>`, `<word>`, `</word>`, `[word]`, `[/word]`, full-width bars too).
    static func hasTokenShape(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars)
        let word = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-▁".unicodeScalars)
        let bracketed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_".unicodeScalars)
        for i in s.indices {
            let next = i + 1 < s.count ? s[i + 1] : " "
            if (s[i] == "<" && (next == "|" || next == "｜")) || ((s[i] == "|" || s[i] == "｜") && next == ">") { return true }
            guard s[i] == "<" || s[i] == "[" else { continue }
            let (close, allowed, least) = s[i] == "<" ? (Unicode.Scalar(">"), word, 1) : ("]", bracketed, 2)
            var j = i + 1
            if j < s.count, s[j] == "/" { j += 1 }
            let first = j
            while j < s.count, allowed.contains(s[j]) { j += 1 }
            let link = s[i] == "[" && j + 1 < s.count && s[j + 1] == "(" // a Markdown link
            if j - first >= least, j < s.count, s[j] == close, s[i] == "<" || j - i > 2, !link { return true }
        }
        return false
    }

    static let otherBreaks: Set<UInt32> = [0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029]

    /// What the model reads at the start of a line: no leading spaces, no invisible characters.
    static func visibleStart(_ line: Substring) -> String {
        var visible = String.UnicodeScalarView()
        var count = 0
        for s in line.unicodeScalars {
            guard count < 80 else { break }
            if [.format, .nonspacingMark, .control].contains(s.properties.generalCategory)
                || (count == 0 && (s == " " || s == "\t"))
            {
                continue
            }
            visible.append(s)
            count += 1
        }
        return String(visible).lowercased()
    }

    /// Checks every invariant of one cleaned text; returns how many it checked.
    static func check(_ input: String, _ cleaned: String, speakers: [String]) -> Int {
        #expect(sanitizer.clean(cleaned, speakers: speakers) == cleaned, "idempotent: \(input.debugDescription)")
        #expect(cleaned.unicodeScalars.count <= 3 * input.unicodeScalars.count, "linear size")
        #expect(!hasTokenShape(cleaned), "a special-token shape survived: \(cleaned.debugDescription)")
        #expect(!cleaned.unicodeScalars.contains { otherBreaks.contains($0.value) }, "line breaks are \\n only")
        for (index, line) in cleaned.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let start = visibleStart(line)
            #expect(!start.hasPrefix("###") && !start.hasPrefix("＃"), "a line starts a section: \(line.debugDescription)")
            if index > 0 {
                #expect(
                    !speakers.contains { start.hasPrefix($0.lowercased() + ":") },
                    "a line fakes a speaker: \(line.debugDescription)")
            }
        }
        return 5
    }

    @Test func sanitizerHoldsItsInvariants() {
        var text = AdversarialText(seed: 11)
        var report = FuzzReport(name: "PromptSanitizer.clean")
        for i in 0..<800 {
            let input = i % 10 == 0 ? text.scalars() : text.string()
            report.run(i) { Self.check(input, Self.sanitizer.clean(input, speakers: Self.speakers), speakers: Self.speakers) }
        }
        print(report)
        #expect(report.inputs == 800)
    }

    @Test func namesHoldTheirInvariants() {
        var text = AdversarialText(seed: 12)
        var report = FuzzReport(name: "PromptSanitizer.name")
        for i in 0..<1_500 {
            let input = i % 10 == 0 ? text.scalars() : text.string(maxPieces: 12)
            report.run(i) {
                let name = Self.sanitizer.name(input)
                #expect(Self.sanitizer.name(name) == name, "idempotent: \(input.debugDescription)")
                #expect(!name.isEmpty && name.count <= 64 && name.unicodeScalars.count <= 128)
                #expect(!name.contains(":") && !name.contains("\n") && !name.hasPrefix("#") && !name.hasPrefix(" "))
                #expect(!Self.hasTokenShape(name), "\(name.debugDescription)")
                return 4
            }
        }
        print(report)
    }

    @Test func replyCleanerHoldsItsInvariants() {
        var text = AdversarialText(seed: 13)
        var report = FuzzReport(name: "ReplyCleaner.clean")
        let cleaner = ReplyCleaner(speaker: "Mira", participants: ["alice", "bob", "User"])
        for i in 0..<800 {
            let input = text.string()
            report.run(i) {
                let reply = cleaner.clean(input)
                #expect(reply.unicodeScalars.count <= input.unicodeScalars.count)
                #expect(reply == reply.trimmingCharacters(in: .whitespacesAndNewlines))
                for line in reply.split(whereSeparator: \.isNewline).dropFirst() {
                    let start = Self.visibleStart(line).drop { $0 == "*" }
                    #expect(!["alice:", "bob:", "user:"].contains { start.hasPrefix($0) }, "\(reply.debugDescription)")
                }
                return 3
            }
        }
        print(report)
    }

    @Test func replyCleanerCutsAtAnyLineBreakAndSeesThroughInvisibleCharacters() {
        let cleaner = ReplyCleaner(speaker: "Mira", participants: ["alice"])
        for lineBreak in ["\r\n", "\r", "\u{2028}", "\u{85}"] {
            #expect(cleaner.clean("Sure.\(lineBreak)alice: thanks") == "Sure.")
        }
        #expect(cleaner.clean("Sure.\n\u{200B}alice: thanks") == "Sure.")
        #expect(cleaner.clean("Sure.\nAlice\u{00A0}: thanks") == "Sure.")
    }
}
