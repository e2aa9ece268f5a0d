public import Roleplay

/// Character roleplay: the bot speaks as a persona instead of as a plain assistant.
public struct RoleplayConfig: Sendable, Equatable {
    public var enabled: Bool = false
    /// The persona used where no channel override picks one: a key of `personas`, or the
    /// name of a character from `cards`. Nil uses the first available.
    public var persona: String?
    /// Hand-written personas by name.
    public var personas: [String: Persona] = [:]
    /// TavernAI character card files (JSON or PNG), resolved against the config file's
    /// directory; parsed by the caller, not here.
    public var cards: [String] = []
    /// Post the persona's `first_mes` when it starts in a channel.
    public var greeting: Bool = true

    public init() {}

    static let keys = ["enabled", "persona", "personas", "cards", "greeting"]

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["enabled"] { enabled = try value.bool() }
        if let value = map["personas"] {
            for entry in try value.mapping(allowedKeys: nil).entries {
                let name = entry.key.trimmingWhitespace()
                guard !name.isEmpty else { throw entry.keyNode.error("persona names must not be empty") }
                personas[name] = try Persona(from: entry.value, key: name)
            }
        }
        if let value = map["cards"] {
            cards = try value.stringList().map {
                FileAccess.resolve($0, against: node.context.baseDirectory)
            }
        }
        if let value = map["greeting"] { greeting = try value.bool() }
        if let value = map["persona"], let name = try value.optionalString()?.trimmingWhitespace() {
            try checkPersona(name, at: value)
            persona = name
        }
    }

    /// A persona name must exist, unless cards are configured: their names are only known
    /// once the caller parses them.
    func checkPersona(_ name: String, at node: ConfigNode) throws(ConfigError) {
        guard cards.isEmpty, personas[name] == nil else { return }
        let known = personas.keys.sorted()
        let hint =
            KeySuggestion.closest(to: name, in: known).map { "did you mean '\($0)'?" }
            ?? (known.isEmpty
                ? "define it under roleplay.personas" : "defined personas: \(known.joined(separator: ", "))")
        throw node.error("no persona named \(ConfigNode.quoted(name)) in roleplay.personas", hint: hint)
    }
}
