/// When and how a channel's running summary is written (`memory.summary`).
public struct SummarySettings: Sendable, Equatable {
    /// Turns that left the prompt before a summary is worth writing: refreshing in chunks keeps
    /// the prompt's start (where the summary sits) the same between refreshes.
    public var minimumTurns = 8
    /// Turns folded in by one refresh, so one summary request stays short.
    public var maximumTurns = 32
    /// The summary's length, in tokens.
    public var maxTokens = 160

    public init() {}
}
