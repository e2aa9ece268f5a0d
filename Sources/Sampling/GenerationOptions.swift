/// How one reply is generated: the sampling settings, the token limit and the stop strings. The
/// one type for the idea: Configuration decodes it from `generation:` (and channel overrides),
/// Inference carries it in a request, LlamaRuntime's sampler and the OpenAI backend apply it.
/// Pure Swift, so every one of them can use it without pulling in a C library.
///
/// A new sampling setting is a field here (with its default), a row in Configuration's key table,
/// its use in `LlamaSampler` (and the OpenAI request body), and a line in the example config.
public struct GenerationOptions: Sendable, Equatable {
    /// Upper bound on tokens generated for one reply.
    public var maxTokens = 256
    /// 0 means greedy: always the most likely token.
    public var temperature = 0.7
    /// 0 disables top-k.
    public var topK = 40
    public var topP = 0.95
    /// Drops tokens below this fraction of the best one's probability.
    public var minP = 0.05
    /// 1 disables the repetition penalty.
    public var repeatPenalty = 1.1
    /// How many recent tokens the penalties look at; 0 disables them.
    public var repeatLastN = 64
    public var frequencyPenalty = 0.0
    public var presencePenalty = 0.0
    /// nil draws a seed per request. A fixed seed makes the reply reproducible on the same machine
    /// (same model file, llama.cpp build, CPU and engine settings): the engine then computes it
    /// along one path — fresh prefill, decoded in batches of its own — at the cost of the prefix
    /// cache and of batching with other replies. Across CPUs (AVX2, AVX-512) it may differ.
    public var seed: UInt32?
    /// Generation ends before any of these strings (on top of the template's own); they are never
    /// emitted.
    public var stop: [String] = []
    /// Keep going past end-of-generation tokens (benchmarks need a fixed number of tokens). Not a
    /// configuration key.
    public var ignoreEndOfGeneration = false

    public init() {}

    /// The defaults changed by `configure`: `GenerationOptions { $0.maxTokens = 32 }`. (No
    /// memberwise initializer: it would repeat every default, and every new setting would grow it.)
    public init(_ configure: (inout GenerationOptions) -> Void) {
        configure(&self)
    }

    /// Always the most likely token. No seed (the choice needs none), so greedy requests keep the
    /// prefix cache and batching; the last bits of the logits, and so near-ties, may then depend
    /// on what was cached and what ran alongside.
    public static func greedy(maxTokens: Int = 256, stop: [String] = []) -> GenerationOptions {
        GenerationOptions {
            $0.maxTokens = maxTokens
            $0.temperature = 0
            $0.topK = 1
            $0.repeatPenalty = 1
            $0.repeatLastN = 0
            $0.stop = stop
        }
    }
}
