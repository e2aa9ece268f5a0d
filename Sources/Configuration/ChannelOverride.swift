/// Settings for one channel that differ from the global ones; nil fields inherit.
public struct ChannelOverride: Sendable, Equatable {
    /// Persona to play in this channel (a `roleplay.personas` key or a card's name).
    public var persona: String?
    public var template: PromptTemplate?
    /// Replaces the global system prompt in this channel.
    public var system: String?
    /// Answer every message here, as if listed in `triggers.channels`.
    public var alwaysOn: Bool?
    public var generation: GenerationOverride = GenerationOverride()

    public init() {}

    public init(
        persona: String? = nil, template: PromptTemplate? = nil, system: String? = nil,
        alwaysOn: Bool? = nil, generation: GenerationOverride = GenerationOverride()
    ) {
        self.persona = persona
        self.template = template
        self.system = system
        self.alwaysOn = alwaysOn
        self.generation = generation
    }

    static let keys = ["persona", "template", "system", "always_on", "generation"]

    /// Decoded after `roleplay` and `prompt`, which it is checked against.
    init(from node: ConfigNode, roleplay: RoleplayConfig, prompt: PromptConfig) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["persona"], let name = try value.optionalString()?.trimmingWhitespace() {
            try roleplay.checkPersona(name, at: value)
            persona = name
        }
        if let value = map["template"] {
            let chosen = try value.choice(PromptTemplate.self)
            if chosen == .custom, prompt.custom == nil {
                throw value.error(
                    "template custom needs prompt.custom", hint: "define prompt.custom format strings")
            }
            template = chosen
        }
        if let value = map["system"] { system = try value.string() }
        if let value = map["always_on"] { alwaysOn = try value.bool() }
        if let value = map["generation"] { generation = try GenerationOverride(from: value) }
    }
}
