/// The prompt layouts Parley can produce.
public enum PromptFormat: Sendable, Equatable {
    /// Back-and-forth Alpaca, as on the Nous-Hermes model cards.
    case alpaca
    /// System text as the instruction, the channel transcript as the input.
    case alpacaInput
    /// `<|im_start|>` / `<|im_end|>`, for Hermes-2-style models.
    case chatML
    /// Operator strings with `{system}`, `{name}`, `{content}`, `{char}` placeholders.
    case custom(system: String, user: String, bot: String, response: String)
}

/// The parts of a prompt before layout: what the budget works with.
public struct PromptParts: Sendable, Equatable {
    /// System text with the persona block, lore and (optionally) example dialogue.
    public var system: String
    public var turns: [Turn]
    /// Placed after the history, right before the model's turn.
    public var postHistory: String
    /// Who speaks in the model's turn: the persona's name in roleplay, else nil (no label).
    public var speaker: String?
    /// What changes from turn to turn (lore the newest messages triggered): placed right before
    /// the newest messages, so the system text and the older history before it stay the same
    /// prompt after prompt and the engine's prefix cache keeps hitting.
    public var late: String

    public init(system: String, turns: [Turn], postHistory: String = "", speaker: String? = nil, late: String = "") {
        self.system = system
        self.turns = turns
        self.postHistory = postHistory
        self.speaker = speaker
        self.late = late
    }
}
