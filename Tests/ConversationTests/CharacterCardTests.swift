import Foundation
import Roleplay
import Testing

@testable import Conversation

@Suite struct CharacterCardTests {
    static let v2 = #"""
        {"spec":"chara_card_v2","spec_version":"2.0","data":{"name":"Captain Mora","description":"A retired pirate captain.",
         "personality":"gruff, kind","scenario":"A harbour tavern.","first_mes":"Ahoy, {{user}}!","mes_example":"<START>\n{{user}}: hi\n{{char}}: Arr.",
         "system_prompt":"Stay in character as {{char}}.","post_history_instructions":"Reply in one paragraph.",
         "character_book":{"token_budget":200,"entries":[
           {"keys":["kraken"],"content":"The kraken took Mora's first ship.","insertion_order":2,"enabled":true,"constant":false},
           {"keys":[],"content":"Mora has a parrot named Biscuit.","insertion_order":1,"enabled":true,"constant":true},
           {"keys":["gold"],"content":"disabled entry","enabled":false}]}}}
        """#

    @Test func importsV2WithItsLorebook() throws {
        let persona = try CharacterCard.parse(Data(Self.v2.utf8))
        #expect(persona.name == "Captain Mora")
        #expect(persona.firstMessage == "Ahoy, {{user}}!")
        #expect(persona.substitute(persona.firstMessage, user: "alice") == "Ahoy, alice!")
        #expect(persona.lorebook?.tokenBudget == 200)
        #expect(
            persona.lorebook?.matching("tell me about the Kraken and the gold").map(\.content)
                == ["Mora has a parrot named Biscuit.", "The kraken took Mora's first ship."])
    }

    /// A V2 card's `alternate_greetings`: each channel gets one of all the greetings, always the same.
    @Test func alternateGreetingsAreChosenPerChannel() throws {
        let card =
            #"{"spec":"chara_card_v2","data":{"name":"Nyx","first_mes":"Hello.","alternate_greetings":["Evening.","", 7,"Hm?"]}}"#
        let persona = try CharacterCard.parse(Data(card.utf8))
        #expect(persona.alternateGreetings == ["Evening.", "", "Hm?"])
        let chosen = (0..<200).map { persona.greeting(for: "\(1_000_000_000_000_000 + $0)") }
        #expect(Set(chosen) == ["Hello.", "Evening.", "Hm?"], "every greeting is used, never the blank one")
        #expect(chosen == (0..<200).map { persona.greeting(for: "\(1_000_000_000_000_000 + $0)") }, "the same one per channel")
        #expect(Persona(name: "x", alternateGreetings: ["  "]).greeting(for: "1") == nil)
        #expect(Persona(name: "x", alternateGreetings: ["Yo."]).greeting(for: "1") == "Yo.")
    }

    @Test func importsV1() throws {
        let v1 =
            #"{"name":"Nyx","description":"A night spirit.","personality":"quiet","scenario":"","first_mes":"...","mes_example":""}"#
        let persona = try CharacterCard.parse(Data(v1.utf8))
        #expect(persona.name == "Nyx" && persona.description == "A night spirit." && persona.lorebook == nil)
    }

    @Test func importsAPNGCardBuiltHere() throws {
        let png = Self.png(textChunks: [("Software", "test"), ("chara", Data(Self.v2.utf8).base64EncodedString())])
        let persona = try CharacterCard.parse(png, source: "mora.png")
        #expect(persona.name == "Captain Mora")
        #expect(persona.systemPrompt == "Stay in character as {{char}}.")
    }

    @Test func rejectsBrokenCardsWithTheFileName() {
        let noCard = Self.png(textChunks: [("Software", "paint")])
        #expect(throws: CharacterCard.ImportError.self) { try CharacterCard.parse(noCard, source: "plain.png") }
        var truncated = Self.png(textChunks: [("chara", "e30=")])
        truncated.removeLast(20)
        #expect(throws: CharacterCard.ImportError.self) { try CharacterCard.parse(truncated, source: "cut.png") }
        #expect(throws: CharacterCard.ImportError.self) { try CharacterCard.parse(Data("{}".utf8), source: "nameless.json") }
    }

    /// A minimal valid PNG (1×1 grey) with the given tEXt chunks, CRCs included.
    static func png(textChunks: [(String, String)]) -> Data {
        var data = Data(PNGChunks.signature)
        func chunk(_ type: String, _ body: [UInt8]) {
            let length = UInt32(body.count)
            data += [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            let typed = Array(type.utf8) + body
            data += typed
            let crc = crc32(typed)
            data += [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        }
        chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
        for (keyword, text) in textChunks { chunk("tEXt", Array(keyword.utf8) + [0] + Array(text.utf8)) }
        chunk("IDAT", [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01])
        chunk("IEND", [])
        return data
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
