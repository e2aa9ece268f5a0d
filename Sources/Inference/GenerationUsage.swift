import Synchronization

/// How many tokens a generation sampled, filled in by the backend while it runs, so a caller
/// can log a reply's size without tokenizing the text again.
public final class GenerationUsage: Sendable {
    private let sampled = Atomic<Int>(0)
    private let limited = Atomic<Bool>(false)

    public init() {}

    /// Tokens sampled so far (an estimate from the text for a remote server).
    public var completionTokens: Int { sampled.load(ordering: .relaxed) }

    public func record(_ tokens: Int) { sampled.add(tokens, ordering: .relaxed) }

    /// Whether generation stopped because it reached `maxTokens` (not at an end or a stop), so
    /// the text may end mid-sentence.
    public var reachedTokenLimit: Bool { limited.load(ordering: .relaxed) }

    public func recordTokenLimit() { limited.store(true, ordering: .relaxed) }
}
