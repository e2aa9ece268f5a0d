import Synchronization

/// How many tokens a generation sampled, filled in by the backend while it runs, so a caller
/// can log a reply's size without tokenizing the text again.
public final class GenerationUsage: Sendable {
    private let sampled = Atomic<Int>(0)

    public init() {}

    /// Tokens sampled so far (an estimate from the text for a remote server).
    public var completionTokens: Int { sampled.load(ordering: .relaxed) }

    public func record(_ tokens: Int) { sampled.add(tokens, ordering: .relaxed) }
}
