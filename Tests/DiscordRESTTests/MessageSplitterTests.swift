import DiscordREST
import Foundation
import Testing

@Suite struct MessageSplitterTests {
    let splitter = MessageSplitter()
    func scalars(_ s: String) -> Int { s.unicodeScalars.count }

    @Test func exactly2000IsOneMessageAnd2001IsTwo() {
        #expect(splitter.split(String(repeating: "a", count: 2000)).count == 1)
        let parts = splitter.split(String(repeating: "a", count: 2001))
        #expect(parts.map(scalars) == [2000, 1])
    }

    @Test func oneLongWordIsCutHard() {
        #expect(splitter.split(String(repeating: "x", count: 5000)).map(scalars) == [2000, 2000, 1000])
    }

    @Test func emojiAndCombiningMarksAreNeverBroken() {
        let thumbs = "👍🏽" // two scalars, one character
        let parts = splitter.split(String(repeating: "a", count: 1999) + thumbs)
        #expect(parts == [String(repeating: "a", count: 1999), thumbs])
        let accented = "e\u{301}"
        let more = splitter.split(String(repeating: accented, count: 1001)) // 2002 scalars
        #expect(more.allSatisfy { scalars($0) <= 2000 })
        #expect(more.joined() == String(repeating: accented, count: 1001))
        #expect(more[0].unicodeScalars.last != "e", "the accent stays with its letter")
    }

    @Test func prefersParagraphThenLineThenSentenceThenWord() {
        let para = String(repeating: "word ", count: 300) + "\n\n" + String(repeating: "more ", count: 200)
        #expect(splitter.split(para).first?.hasSuffix("word") == true)
        let sentence = String(repeating: "Short sentence here. ", count: 120)
        let first = splitter.split(sentence)[0]
        #expect(first.hasSuffix("here."))
        let words = String(repeating: "alpha beta ", count: 250)
        #expect(splitter.split(words).allSatisfy { !$0.hasPrefix(" ") && !$0.hasSuffix(" ") })
    }

    @Test func codeBlockIsClosedAndReopenedWithItsLanguage() {
        let code = "Here you go:\n```swift\n" + String(repeating: "let value = compute(input)\n", count: 120) + "```\nDone."
        let parts = splitter.split(code)
        #expect(parts.count >= 2)
        #expect(parts.allSatisfy { scalars($0) <= 2000 })
        #expect(parts[0].hasSuffix("\n```"))
        #expect(parts[1].hasPrefix("```swift\n"))
        #expect(parts.last?.hasSuffix("Done.") == true)
        // Every part has balanced fences.
        for part in parts {
            #expect(part.components(separatedBy: "```").count % 2 == 1, "unbalanced: \(part.suffix(40))")
        }
    }

    @Test func cappedPartsKeepTheMarkerWithinTheLimit() {
        let text = String(repeating: "x", count: 9_000)
        let parts = splitter.split(text, maxParts: 2, marker: " […]")
        #expect(parts.map(scalars) == [2000, 2000])
        #expect(parts[1].hasSuffix("x […]"))
        #expect(splitter.split("short", maxParts: 1, marker: " […]") == ["short"], "no marker when nothing is cut")
        let code = "```swift\n" + String(repeating: "let value = 1\n", count: 400)
        let capped = splitter.split(code, maxParts: 1, marker: " […]")
        #expect(capped.count == 1 && scalars(capped[0]) <= 2000)
        #expect(capped[0].hasSuffix(" […]\n```"), "the marker stays inside the block it closes")
    }

    @Test func familyEmojiCountAsTheCodePointsTheyAre() {
        let family = "👩‍👩‍👧‍👦" // one Character, seven scalars
        let parts = splitter.split(String(repeating: family, count: 1_500))
        #expect(parts.allSatisfy { scalars($0) <= 2000 && $0.allSatisfy { $0 == Character(family) } })
        #expect(parts.count == 6)
    }

    @Test func randomTextAlwaysFitsAndKeepsEveryNonSpaceCharacter() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = ["a", "b", " ", "\n", ". ", "é", "👍🏽", "漢", "```py\n", "\n```\n"]
        for _ in 0..<40 {
            let text = (0..<Int.random(in: 1000...7000, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            let parts = splitter.split(text)
            #expect(parts.allSatisfy { scalars($0) <= 2000 && !$0.isEmpty })
            let kept = parts.joined().filter { !$0.isWhitespace && $0 != "`" && $0 != "p" && $0 != "y" }
            #expect(kept == text.filter { !$0.isWhitespace && $0 != "`" && $0 != "p" && $0 != "y" })
        }
    }
}
