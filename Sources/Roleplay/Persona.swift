import Foundation

/// A character the bot plays: from the YAML `roleplay.personas` (decoded by Configuration) or an
/// imported TavernAI / SillyTavern character card (read by Conversation), which have the same
/// fields, so cards and hand-written personas are interchangeable. The one type for the idea,
/// in a pure module below both.
public struct Persona: Sendable, Equatable {
    /// Display name, `{{char}}` in templates; the YAML defaults it to the persona's key.
    public var name: String
    public var description: String
    public var personality: String
    public var scenario: String
    /// The greeting posted the first time a channel talks to this persona.
    public var firstMessage: String
    /// Other greetings (a V2 card's `alternate_greetings`): each channel gets one of all of them.
    public var alternateGreetings: [String]
    /// Example dialogue: `<START>` blocks of `{{user}}:` / `{{char}}:` lines.
    public var exampleDialogue: String
    /// Replaces the operator's system text when set.
    public var systemPrompt: String
    /// Placed after the history, right before the model's turn.
    public var postHistoryInstructions: String
    public var lorebook: Lorebook?

    public init(
        name: String, description: String = "", personality: String = "", scenario: String = "",
        firstMessage: String = "", alternateGreetings: [String] = [], exampleDialogue: String = "",
        systemPrompt: String = "", postHistoryInstructions: String = "", lorebook: Lorebook? = nil
    ) {
        self.name = name
        self.description = description
        self.personality = personality
        self.scenario = scenario
        self.firstMessage = firstMessage
        self.alternateGreetings = alternateGreetings
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

    /// The greeting for `channel`: one of the first message and the alternate greetings, the same
    /// one every time for the same channel (an FNV-1a hash of its id picks it), so a restart or a
    /// second look never changes it. Nil when the persona has none.
    public func greeting(for channel: String) -> String? {
        let greetings = ([firstMessage] + alternateGreetings).filter {
            !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        guard !greetings.isEmpty else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in channel.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return greetings[Int(hash % UInt64(greetings.count))]
    }
}
