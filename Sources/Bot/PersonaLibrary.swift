public import Configuration
import Conversation
import Foundation
public import Roleplay

/// Every persona the operator made available: `roleplay.personas` from the YAML and the imported
/// character cards, by name (case-insensitive).
public struct PersonaLibrary: Sendable {
    public private(set) var personas: [String: Persona] = [:]
    public let defaultName: String?

    public init(_ roleplay: RoleplayConfig) throws {
        for (key, persona) in roleplay.personas {
            var persona = persona
            if persona.name.isEmpty { persona.name = key } // the YAML does this; a config built in code may not
            personas[key.lowercased()] = persona
        }
        for path in roleplay.cards {
            let card = try CharacterCard.load(path: path)
            personas[card.name.lowercased()] = card
        }
        defaultName = roleplay.persona ?? (personas.count == 1 ? personas.values.first?.name : nil)
    }

    public func persona(named name: String?) -> Persona? {
        guard let name else { return nil }
        return personas[name.lowercased()]
    }

    public var names: [String] { personas.values.map(\.name).sorted() }
}
