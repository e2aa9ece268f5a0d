/// Tokens of a piece of prompt text, as a backend sees them: the IDs when it has a tokenizer of
/// its own (the local engine), only a count when it has none (a remote server; then an estimate).
/// A prompt's pieces concatenate into the prompt's run, so the engine can be handed the IDs the
/// budget was computed from instead of tokenizing the prompt again.
public struct TokenRun: Sendable, Equatable {
    public private(set) var count: Int
    /// Nil when any part of the run was only counted.
    public private(set) var ids: [Int32]?

    public init(ids: [Int32]) {
        self.count = ids.count
        self.ids = ids
    }

    public init(count: Int) {
        self.count = count
        self.ids = nil
    }

    public static let empty = TokenRun(ids: [])

    public mutating func append(_ other: TokenRun) {
        count += other.count
        if let more = other.ids { ids?.append(contentsOf: more) } else { ids = nil }
    }
}
