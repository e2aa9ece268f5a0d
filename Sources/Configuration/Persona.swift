/// A character the bot can play, with the same fields as a TavernAI / SillyTavern card so
/// cards and hand-written personas are interchangeable.
public struct Persona: Sendable, Equatable {
    /// Display name, `{char}` in templates; defaults to the persona's key in `personas`.
    public var name: String = ""
    public var description: String = ""
    public var personality: String = ""
    public var scenario: String = ""
    /// The greeting posted when the persona is first used in a channel.
    public var firstMes: String = ""
    /// Example dialogue showing the voice.
    public var mesExample: String = ""
    /// Replaces the global system prompt while this persona is active, when non-empty.
    public var systemPrompt: String = ""
    /// Reminder placed after the history, right before the reply.
    public var postHistoryInstructions: String = ""

    public init() {}

    public init(
        name: String, description: String = "", personality: String = "", scenario: String = "",
        firstMes: String = "", mesExample: String = "", systemPrompt: String = "",
        postHistoryInstructions: String = ""
    ) {
        self.name = name
        self.description = description
        self.personality = personality
        self.scenario = scenario
        self.firstMes = firstMes
        self.mesExample = mesExample
        self.systemPrompt = systemPrompt
        self.postHistoryInstructions = postHistoryInstructions
    }

    static let keys = [
        "name", "description", "personality", "scenario", "first_mes", "mes_example", "system_prompt",
        "post_history_instructions",
    ]

    init(from node: ConfigNode, key: String) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        name = try map["name"]?.string().trimmingWhitespace() ?? ""
        if name.isEmpty { name = key }
        description = try map["description"]?.string() ?? ""
        personality = try map["personality"]?.string() ?? ""
        scenario = try map["scenario"]?.string() ?? ""
        firstMes = try map["first_mes"]?.string() ?? ""
        mesExample = try map["mes_example"]?.string() ?? ""
        systemPrompt = try map["system_prompt"]?.string() ?? ""
        postHistoryInstructions = try map["post_history_instructions"]?.string() ?? ""
    }
}
