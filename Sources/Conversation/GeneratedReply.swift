/// A cleaned reply and what generating it cost.
public struct GeneratedReply: Sendable, Equatable {
    public var text: String
    /// Tokens the model sampled for it (all attempts, the text cut away by cleaning included),
    /// as the backend counted them while generating: the reply is never tokenized again.
    public var tokens: Int

    public init(text: String, tokens: Int) {
        self.text = text
        self.tokens = tokens
    }
}
