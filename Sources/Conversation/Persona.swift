import Foundation

/// A character the bot plays: from the YAML `roleplay.personas` or an imported character card.
public struct Persona: Sendable, Equatable {
    public var name: String
    public var description: String
    public var personality: String
    public var scenario: String
    /// The greeting posted the first time a channel talks to this persona.
    public var firstMessage: String
    /// Example dialogue: `<START>` blocks of `{{user}}:` / `{{char}}:` lines.
    public var exampleDialogue: String
    /// Replaces the operator's system text when set.
    public var systemPrompt: String
    /// Placed after the history, right before the model's turn.
    public var postHistoryInstructions: String
    public var lorebook: Lorebook?

    public init(name: String, description: String = "", personality: String = "", scenario: String = "",
                firstMessage: String = "", exampleDialogue: String = "", systemPrompt: String = "",
                postHistoryInstructions: String = "", lorebook: Lorebook? = nil) {
        self.name = name
        self.description = description
        self.personality = personality
        self.scenario = scenario
        self.firstMessage = firstMessage
        self.exampleDialogue = exampleDialogue
        self.systemPrompt = systemPrompt
        self.postHistoryInstructions = postHistoryInstructions
        self.lorebook = lorebook
    }

    /// `{{char}}` and `{{user}}` (any case, as cards write them) replaced for this conversation.
    public func substitute(_ text: String, user: String) -> String {
        var result = text
        for (pattern, value) in [("{{char}}", name), ("{{user}}", user), ("<BOT>", name), ("<USER>", user)] {
            result = result.replacingOccurrences(of: pattern, with: value, options: .caseInsensitive)
        }
        return result
    }
}

/// A card's `character_book`: entries inserted into the prompt when their keys appear in recent
/// messages (or always, when constant), within a token budget.
public struct Lorebook: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var keys: [String]
        public var content: String
        public var constant: Bool
        public var insertionOrder: Int
        public var enabled: Bool

        public init(keys: [String], content: String, constant: Bool = false, insertionOrder: Int = 100, enabled: Bool = true) {
            self.keys = keys
            self.content = content
            self.constant = constant
            self.insertionOrder = insertionOrder
            self.enabled = enabled
        }
    }

    public var entries: [Entry]
    /// Tokens the inserted entries may take (nil: the prompt builder's default share).
    public var tokenBudget: Int?

    public init(entries: [Entry], tokenBudget: Int? = nil) {
        self.entries = entries
        self.tokenBudget = tokenBudget
    }

    /// Entries that apply to `recentText`, in insertion order.
    public func matching(_ recentText: String) -> [Entry] {
        let haystack = recentText.lowercased()
        return entries
            .filter { $0.enabled && ($0.constant || $0.keys.contains { !$0.isEmpty && haystack.contains($0.lowercased()) }) }
            .sorted { $0.insertionOrder < $1.insertionOrder }
    }
}
