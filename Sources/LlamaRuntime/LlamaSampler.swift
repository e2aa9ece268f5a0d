internal import CLlama

/// Sampling settings for one request. `temperature == 0` means greedy (deterministic).
public struct SamplingParameters: Sendable, Equatable {
    public var temperature: Double
    public var topK: Int
    public var topP: Double
    public var minP: Double
    public var repeatPenalty: Double
    public var repeatLastN: Int
    public var frequencyPenalty: Double
    public var presencePenalty: Double
    public var seed: UInt32

    public init(temperature: Double = 0.7, topK: Int = 40, topP: Double = 0.95, minP: Double = 0.05,
                repeatPenalty: Double = 1.1, repeatLastN: Int = 64, frequencyPenalty: Double = 0,
                presencePenalty: Double = 0, seed: UInt32 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.repeatLastN = repeatLastN
        self.frequencyPenalty = frequencyPenalty
        self.presencePenalty = presencePenalty
        self.seed = seed
    }

    public static let greedy = SamplingParameters(temperature: 0, topK: 1, repeatPenalty: 1, repeatLastN: 0)
}

/// One sequence's sampler chain. Not thread-safe: used on the engine thread only.
public final class LlamaSampler {
    let chain: UnsafeMutablePointer<llama_sampler>

    public init(model: LlamaModel, parameters p: SamplingParameters) {
        var params = llama_sampler_chain_default_params()
        params.no_perf = true
        chain = llama_sampler_chain_init(params)
        // top_k first: on a 262k-token vocabulary every later stage then works on k entries
        // instead of the whole vocabulary (about 3x cheaper per token).
        if p.topK > 0 { llama_sampler_chain_add(chain, llama_sampler_init_top_k(Int32(p.topK))) }
        if p.repeatLastN != 0, p.repeatPenalty != 1 || p.frequencyPenalty != 0 || p.presencePenalty != 0 {
            llama_sampler_chain_add(chain, llama_sampler_init_penalties(
                Int32(model.vocabularySize), Int32(p.repeatLastN), Float(p.repeatPenalty),
                Float(p.frequencyPenalty), Float(p.presencePenalty)))
        }
        if p.temperature <= 0 {
            llama_sampler_chain_add(chain, llama_sampler_init_greedy())
            return
        }
        if p.topP < 1 { llama_sampler_chain_add(chain, llama_sampler_init_top_p(Float(p.topP), 1)) }
        if p.minP > 0 { llama_sampler_chain_add(chain, llama_sampler_init_min_p(Float(p.minP), 1)) }
        llama_sampler_chain_add(chain, llama_sampler_init_temp(Float(p.temperature)))
        llama_sampler_chain_add(chain, llama_sampler_init_dist(p.seed))
    }

    deinit { llama_sampler_free(chain) }

    /// Samples from the logits of batch entry `index` and records the token in the penalty window.
    public func sample(_ context: LlamaContext, at index: Int32) -> Int32 {
        llama_sampler_sample(chain, context.context, index)
    }
}
