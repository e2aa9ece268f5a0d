public import Configuration
public import Conversation
import Foundation

/// Every persona the operator made available: `roleplay.personas` from the YAML and the imported
/// character cards, by name (case-insensitive).
public struct PersonaLibrary: Sendable {
    public private(set) var personas: [String: Conversation.Persona] = [:]
    public let defaultName: String?

    public init(_ roleplay: RoleplayConfig) throws {
        for (key, p) in roleplay.personas {
            personas[key.lowercased()] = Conversation.Persona(
                name: p.name.isEmpty ? key : p.name, description: p.description, personality: p.personality,
                scenario: p.scenario, firstMessage: p.firstMes, exampleDialogue: p.mesExample,
                systemPrompt: p.systemPrompt, postHistoryInstructions: p.postHistoryInstructions)
        }
        for path in roleplay.cards {
            let card = try CharacterCard.load(path: path)
            personas[card.name.lowercased()] = card
        }
        defaultName = roleplay.persona ?? (personas.count == 1 ? personas.values.first?.name : nil)
    }

    public func persona(named name: String?) -> Conversation.Persona? {
        guard let name else { return nil }
        return personas[name.lowercased()]
    }

    public var names: [String] { personas.values.map(\.name).sorted() }
}
