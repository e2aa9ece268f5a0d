/// Format strings for `template: custom`. Placeholders: `{system}` (the system prompt),
/// `{name}` (the speaker's display name), `{content}` (the message text), `{char}` (the
/// bot's or persona's name). Nothing else, so a typo'd placeholder fails at load time
/// instead of leaking literally into every prompt.
public struct CustomTemplate: Sendable, Equatable {
    /// Wraps the system prompt, e.g. `<|system|>\n{system}\n`.
    public var system: String = ""
    /// One user message, e.g. `<|user|>\n{name}: {content}\n`.
    public var user: String = ""
    /// One earlier bot message, e.g. `<|assistant|>\n{content}\n`.
    public var bot: String = ""
    /// Appended last, where the model starts writing, e.g. `<|assistant|>\n`.
    public var response: String = ""

    public static let placeholders = ["system", "name", "content", "char"]

    public init() {}

    public init(system: String, user: String, bot: String, response: String) {
        self.system = system
        self.user = user
        self.bot = bot
        self.response = response
    }

    static let keys = ["system", "user", "bot", "response"]

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        system = try Self.format(map["system"])
        user = try Self.format(map["user"])
        bot = try Self.format(map["bot"])
        response = try Self.format(map["response"])
    }

    private static func format(_ node: ConfigNode?) throws(ConfigError) -> String {
        guard let node else { return "" }
        let text = try node.string()
        for name in placeholderNames(in: text) where !placeholders.contains(name) {
            let allowed = placeholders.map { "{\($0)}" }.joined(separator: ", ")
            throw node.error(
                "unknown placeholder '{\(name)}' (allowed: \(allowed))",
                hint: KeySuggestion.closest(to: name, in: placeholders).map { "did you mean '{\($0)}'?" })
        }
        return text
    }

    /// Names inside `{identifier}`; other braces (JSON snippets, `{ }`) are left alone.
    static func placeholderNames(in text: String) -> [String] {
        var names: [String] = []
        var current: String?
        for character in text {
            if character == "{" {
                current = ""
            } else if character == "}" {
                if let name = current, !name.isEmpty { names.append(name) }
                current = nil
            } else if current != nil {
                if character == "_" || (character.isASCII && (character.isLetter || character.isNumber)) {
                    current!.append(character)
                } else {
                    current = nil
                }
            }
        }
        return names
    }
}
