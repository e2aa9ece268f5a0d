import Foundation
public import Sampling

/// One generation: which conversation it continues (for prefix reuse), what to feed, how to sample.
public struct GenerationRequest: Sendable {
    public var conversation: String
    public var prompt: Prompt
    public var options: GenerationOptions
    /// Past this instant the request fails with `.deadlineExceeded` (queued or generating).
    public var deadline: ContinuousClock.Instant?
    /// `prompt`'s tokens from this backend's `tokenize` (its `promptStart` first), when the caller
    /// already has them: the engine then feeds these instead of tokenizing the prompt again.
    public var tokens: [Int32]?
    /// Filled in with the number of tokens sampled, when set.
    public var usage: GenerationUsage?
    /// The same prompt as chat messages, for backends that take only those (`model.api: chat`).
    public var messages: [ChatMessage]?

    public init(
        conversation: String, prompt: Prompt, options: GenerationOptions = .init(),
        deadline: ContinuousClock.Instant? = nil
    ) {
        self.conversation = conversation
        self.prompt = prompt
        self.options = options
        self.deadline = deadline
    }
}

public enum InferenceError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The queue is full; the caller should tell the user to try again shortly.
    case busy(queued: Int)
    /// The prompt plus the reply budget exceed the context; the caller must trim.
    case promptTooLong(tokens: Int, limit: Int)
    case deadlineExceeded
    case shuttingDown
    case engine(String)
    case remote(String)

    public var description: String {
        switch self {
        case let .busy(queued): "the model is busy (\(queued) requests waiting); try again in a moment"
        case let .promptTooLong(tokens, limit): "the prompt is \(tokens) tokens; this context allows \(limit)"
        case .deadlineExceeded: "the reply took too long and was abandoned"
        case .shuttingDown: "Parley is shutting down"
        case let .engine(message): "inference failed: \(message)"
        case let .remote(message): "the remote model server failed: \(message)"
        }
    }
}
