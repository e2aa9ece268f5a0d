import LlamaRuntime
import Testing

@Suite struct UTF8HoldBackTests {
    @Test func holdsBackSplitCharacters() {
        var decoder = UTF8HoldBack()
        let emoji = Array("🎉".utf8) // 4 bytes
        #expect(decoder.append(Array("ok ".utf8) + emoji.prefix(2)) == "ok ")
        #expect(decoder.append([emoji[2]]) == "")
        #expect(decoder.append([emoji[3]] + Array("!".utf8)) == "🎉!")
        #expect(decoder.flush() == "")
    }

    @Test func twoByteAndThreeByteSequences() {
        var decoder = UTF8HoldBack()
        let e = Array("é".utf8)
        let han = Array("漢".utf8)
        #expect(decoder.append([e[0]]) == "")
        #expect(decoder.append([e[1], han[0], han[1]]) == "é")
        #expect(decoder.append([han[2]]) == "漢")
    }

    @Test func flushReplacesAnUnfinishedSequence() {
        var decoder = UTF8HoldBack()
        #expect(decoder.append([0xF0, 0x9F]) == "")
        #expect(decoder.flush() == "\u{FFFD}")
    }
}
