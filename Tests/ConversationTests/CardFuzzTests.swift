import Foundation
import ParleyTestSupport
import Roleplay
import Testing

@testable import Conversation

/// Card files come from anywhere: random bytes and mutated valid cards either parse or throw a
/// clear `ImportError`; nothing crashes or hangs.
@Suite struct CardFuzzTests {
    /// Parses and returns how many invariants were checked (a result, or an ImportError naming the file).
    static func parseChecked(_ data: Data) -> Int {
        do {
            let persona = try CharacterCard.parse(data, source: "fuzz.png")
            #expect(!persona.name.isEmpty)
        } catch let error as CharacterCard.ImportError {
            #expect(error.file == "fuzz.png" && !error.reason.isEmpty)
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return 1
    }

    @Test func randomBytesAndMutatedCardsNeverCrash() {
        var rng = AdversarialText(seed: 41)
        var report = FuzzReport(name: "CharacterCard/PNGChunks")
        let valid = CharacterCardTests.png(textChunks: [
            ("Software", "x"), ("chara", Data(CharacterCardTests.v2.utf8).base64EncodedString()),
        ])
        let json = Data(CharacterCardTests.v2.utf8)
        for i in 0..<3_000 {
            var data: Data
            switch i % 4 {
            case 0: data = Data(PNGChunks.signature) + Data(rng.bytes())
            case 1: data = Data(rng.bytes())
            case 2: data = i % 8 == 2 ? valid : json
            default: data = Data(rng.string(maxPieces: 30).utf8)
            }
            if i % 4 == 2 {
                // Flip, overwrite (chunk lengths too) and cut.
                for _ in 0..<(1 + rng.below(6)) where !data.isEmpty {
                    data[rng.below(data.count)] = UInt8(truncatingIfNeeded: rng.next())
                }
                if rng.below(3) == 0 { data = data.prefix(rng.below(data.count + 1)) }
            }
            report.run(i) { Self.parseChecked(data) }
        }
        print(report)
    }

    @Test func hostileStructuresAreErrorsNotCrashes() {
        let deep = Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(throws: CharacterCard.ImportError.self) { try CharacterCard.parse(deep, source: "deep.json") }
        let deepObject = Data((String(repeating: #"{"a":"#, count: 50_000) + "1" + String(repeating: "}", count: 50_000)).utf8)
        #expect(throws: CharacterCard.ImportError.self) { try CharacterCard.parse(deepObject, source: "deep.json") }
        // A chunk claiming 4 GiB, and a chara chunk with no keyword terminator.
        var png = Data(PNGChunks.signature)
        png += Data([0xFF, 0xFF, 0xFF, 0xFF]) + Data("tEXt".utf8) + Data(repeating: 0x41, count: 16)
        #expect(throws: CharacterCard.ImportError.self) { try CharacterCard.parse(png, source: "huge.png") }
        let odd = CharacterCardTests.png(textChunks: [("chara", "")])
        #expect(throws: CharacterCard.ImportError.self) { try CharacterCard.parse(odd, source: "empty.png") }
        let wrongTypes = Data(
            #"{"spec":"chara_card_v2","data":{"name":7,"char_name":["x"],"character_book":{"entries":[{"keys":"k","insertion_order":"1"}]}}}"#
                .utf8)
        #expect(throws: CharacterCard.ImportError.self) { try CharacterCard.parse(wrongTypes, source: "types.json") }
    }
}
