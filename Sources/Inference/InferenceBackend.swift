/// What the bot needs from a model, whichever backend serves it (local llama.cpp or a remote
/// OpenAI-compatible server).
public protocol InferenceBackend: Sendable {
    /// Streams the reply as text pieces; finishing normally means the reply is complete.
    /// Cancelling the consuming task cancels the generation and frees its slot.
    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<String, any Error>

    /// Tokens `text` takes in this model (prompt budgeting). `scaffold` parses special tokens.
    func tokenCount(_ text: String, scaffold: Bool) async throws -> Int

    /// `text`'s tokens: the IDs when the backend tokenizes locally (the prompt builder then
    /// carries them to `generate`, see `GenerationRequest.tokens`), else `tokenCount`'s count.
    func tokenize(_ text: String, scaffold: Bool) async throws -> TokenRun

    /// What every prompt starts with before its first segment: BOS when the model adds one. The
    /// one place the rule lives, so the budget counts exactly what the engine feeds.
    var promptStart: TokenRun { get }

    /// A short description for `status` and logs, e.g. "gemma3 270M Q4_K - Medium".
    var modelDescription: String { get }

    /// Context size a single conversation may use.
    var contextSize: Int { get }

    /// Replies generated at once; more wait in order (the bot tells a waiting user their place
    /// in line). `Int.max` when the backend keeps no queue of ours (a remote server has its own).
    /// No default: a backend must say.
    var capacity: Int { get }

    /// One line for the `status` command: queue, activity, cache.
    var status: String { get }

    /// Drops whatever is cached for a conversation (a channel's `reset`): its next prompt starts
    /// from nothing. A generation in progress for it finishes first.
    func forget(conversation: String) async

    /// Counters for metrics; nil for backends that keep none (the remote one). Not named
    /// `statistics`: `LlamaEngine.statistics` is non-optional, and a non-optional property does
    /// not witness an optional requirement, so the nil default would silently win.
    var engineStatistics: EngineStatistics? { get }

    /// The remote endpoints it spreads requests over, for metrics and health; empty for a
    /// backend that has none (the in-process engine).
    var endpoints: [EndpointStatus] { get }

    /// Returns once the model is loaded (at once for a backend that loads before it exists;
    /// `LoadingBackend` waits); throws when it could not be. Prompt budgets wait for it, since
    /// `contextSize` and `promptStart` are the loaded model's.
    func waitUntilReady() async throws
}

extension InferenceBackend {
    public func tokenize(_ text: String, scaffold: Bool) async throws -> TokenRun {
        TokenRun(count: try await tokenCount(text, scaffold: scaffold))
    }
    /// Without a tokenizer of our own, assume the server adds one BOS token.
    public var promptStart: TokenRun { TokenRun(count: 1) }
    public var status: String { modelDescription }
    public func forget(conversation: String) async {}
    public var engineStatistics: EngineStatistics? { nil }
    public var endpoints: [EndpointStatus] { [] }
    public func waitUntilReady() async throws {}
}
