import Foundation

/// Sampling and limits for one generation, independent of any backend.
public struct GenerationOptions: Sendable, Equatable {
    public var maxTokens: Int
    public var temperature: Double
    public var topK: Int
    public var topP: Double
    public var minP: Double
    public var repeatPenalty: Double
    public var repeatLastN: Int
    public var frequencyPenalty: Double
    public var presencePenalty: Double
    /// nil draws a seed per request. A fixed seed makes the reply reproducible on the same machine
    /// (same model file, llama.cpp build, CPU and engine settings): the engine then computes it
    /// along one path — fresh prefill, decoded in batches of its own — at the cost of the prefix
    /// cache and of batching with other replies. Across CPUs (AVX2, AVX-512) it may differ.
    public var seed: UInt32?
    /// Generation ends before any of these strings; they are never emitted.
    public var stop: [String]
    /// Keep going past end-of-generation tokens (benchmarks need a fixed number of tokens).
    public var ignoreEndOfGeneration = false

    public init(maxTokens: Int = 256, temperature: Double = 0.7, topK: Int = 40, topP: Double = 0.95,
                minP: Double = 0.05, repeatPenalty: Double = 1.1, repeatLastN: Int = 64,
                frequencyPenalty: Double = 0, presencePenalty: Double = 0, seed: UInt32? = nil,
                stop: [String] = []) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.repeatLastN = repeatLastN
        self.frequencyPenalty = frequencyPenalty
        self.presencePenalty = presencePenalty
        self.seed = seed
        self.stop = stop
    }

    /// Always the most likely token. No seed (the choice needs none), so greedy requests keep the
    /// prefix cache and batching; the last bits of the logits, and so near-ties, may then depend
    /// on what was cached and what ran alongside.
    public static func greedy(maxTokens: Int, stop: [String] = []) -> GenerationOptions {
        GenerationOptions(maxTokens: maxTokens, temperature: 0, topK: 1, repeatPenalty: 1, repeatLastN: 0,
                          stop: stop)
    }
}

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

    public init(conversation: String, prompt: Prompt, options: GenerationOptions = .init(),
                deadline: ContinuousClock.Instant? = nil) {
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
