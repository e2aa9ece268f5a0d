/// Counters the engine keeps for `status`, metrics and the benchmark.
public struct EngineStatistics: Sendable, Equatable {
    /// Requests finished (any outcome).
    public var requests = 0
    /// Prompt tokens requested, and how many of them were already in a slot or a snapshot.
    public var promptTokens = 0
    public var reusedTokens = 0
    /// Prompt tokens copied from another conversation's KV (a shared system prompt or card)
    /// beyond what the request's own slot held.
    public var sharedTokens = 0
    /// Prompt tokens actually run through the model.
    public var prefilledTokens = 0
    public var generatedTokens = 0
    /// Prompts the engine tokenized itself because the request carried no tokens.
    public var promptsTokenized = 0
    public var snapshotsRestored = 0
    /// Batched decodes, and the runs of consecutive KV sequences they held summed over them: equal
    /// when every step was one micro-batch wide (`SequenceLayout`). Swaps that kept them so.
    public var batchedDecodes = 0
    public var sequenceRuns = 0
    public var sequenceSwaps = 0
    public var snapshotsStored = 0
    public var active = 0
    /// Threads the engine decodes with now (fewer than configured while the machine is busy).
    public var threads = 0
    public var queued = 0
    /// Iterations of the engine thread's loop: advances while it works (the watchdog's liveness).
    public var loopIterations: UInt64 = 0
    /// False once shutdown has begun: the engine takes no more requests.
    public var running = true

    public init() {}

    /// Share of prompt tokens served from the prefix cache.
    public var prefixHitRatio: Double {
        promptTokens == 0 ? 0 : Double(reusedTokens) / Double(promptTokens)
    }
}
