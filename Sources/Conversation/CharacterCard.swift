public import Foundation
public import Roleplay

/// Imports TavernAI / SillyTavern character cards: V1 JSON (fields at the top level), V2 JSON
/// (`spec: chara_card_v2`, fields under `data`), and PNG cards whose `chara` tEXt chunk holds the
/// card JSON in base64.
public enum CharacterCard {
    public struct ImportError: Error, Equatable, CustomStringConvertible {
        public var file: String
        public var reason: String
        public var description: String { "character card \(file): \(reason)" }
    }

    public static func load(path: String) throws -> Persona {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(file: path, reason: "cannot read the file")
        }
        return try parse(data, source: path)
    }

    public static func parse(_ data: Data, source: String = "<card>") throws -> Persona {
        let json: Data
        if data.starts(with: PNGChunks.signature) {
            guard let text = try PNGChunks.textChunk(named: "chara", in: data, source: source) else {
                throw ImportError(file: source, reason: "PNG has no 'chara' text chunk: not a character card")
            }
            guard let decoded = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw ImportError(file: source, reason: "the 'chara' chunk is not base64")
            }
            json = decoded
        } else {
            json = data
        }
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw ImportError(file: source, reason: "not a JSON object")
        }
        // V2 (and V3, which keeps the V2 layout) nest the fields under "data".
        let fields =
            (object["spec"] as? String)?.hasPrefix("chara_card_v") == true
            ? object["data"] as? [String: Any] ?? [:] : object
        func string(_ key: String) -> String { fields[key] as? String ?? "" }
        let name = string("name").isEmpty ? string("char_name") : string("name")
        guard !name.isEmpty else { throw ImportError(file: source, reason: "the card has no name") }
        return Persona(
            name: name, description: string("description"), personality: string("personality"),
            scenario: string("scenario"), firstMessage: string("first_mes"),
            alternateGreetings: (fields["alternate_greetings"] as? [Any] ?? []).compactMap { $0 as? String },
            exampleDialogue: string("mes_example"), systemPrompt: string("system_prompt"),
            postHistoryInstructions: string("post_history_instructions"),
            lorebook: lorebook(fields["character_book"] as? [String: Any]))
    }

    static func lorebook(_ book: [String: Any]?) -> Lorebook? {
        guard let book, let entries = book["entries"] as? [[String: Any]] else { return nil }
        return Lorebook(
            entries: entries.map { entry in
                Lorebook.Entry(
                    keys: entry["keys"] as? [String] ?? [], content: entry["content"] as? String ?? "",
                    constant: entry["constant"] as? Bool ?? false,
                    insertionOrder: entry["insertion_order"] as? Int ?? 100,
                    enabled: entry["enabled"] as? Bool ?? true)
            }, tokenBudget: book["token_budget"] as? Int)
    }
}
