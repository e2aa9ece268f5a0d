import Roleplay

extension Persona {
    /// The YAML keys: a character card's own field names.
    static let keys = [
        "name", "description", "personality", "scenario", "first_mes", "mes_example", "system_prompt",
        "post_history_instructions", "alternate_greetings",
    ]

    /// An entry of `roleplay.personas`; without a `name` the persona is called by its `key`.
    init(from node: ConfigNode, key: String) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        let name = try map["name"]?.string().trimmingWhitespace() ?? ""
        self.init(
            name: name.isEmpty ? key : name,
            description: try map["description"]?.string() ?? "",
            personality: try map["personality"]?.string() ?? "",
            scenario: try map["scenario"]?.string() ?? "",
            firstMessage: try map["first_mes"]?.string() ?? "",
            alternateGreetings: try map["alternate_greetings"]?.stringList() ?? [],
            exampleDialogue: try map["mes_example"]?.string() ?? "",
            systemPrompt: try map["system_prompt"]?.string() ?? "",
            postHistoryInstructions: try map["post_history_instructions"]?.string() ?? "")
    }
}
