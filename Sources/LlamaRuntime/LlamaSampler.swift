internal import CLlama
public import Sampling

/// One sequence's sampler chain, built from the sampling settings of `GenerationOptions`
/// (`temperature == 0` means greedy). Not thread-safe: used on the engine thread only.
public final class LlamaSampler {
    let chain: UnsafeMutablePointer<llama_sampler>

    public init(model: LlamaModel, options p: GenerationOptions) {
        var params = llama_sampler_chain_default_params()
        params.no_perf = true
        chain = llama_sampler_chain_init(params)
        // top_k first: on a 262k-token vocabulary every later stage then works on k entries
        // instead of the whole vocabulary (about 3x cheaper per token).
        if p.topK > 0 { llama_sampler_chain_add(chain, llama_sampler_init_top_k(Int32(p.topK))) }
        if p.repeatLastN != 0, p.repeatPenalty != 1 || p.frequencyPenalty != 0 || p.presencePenalty != 0 {
            llama_sampler_chain_add(
                chain,
                llama_sampler_init_penalties(
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
        // No seed: llama.cpp draws one for this chain.
        llama_sampler_chain_add(chain, llama_sampler_init_dist(p.seed ?? LLAMA_DEFAULT_SEED))
    }

    deinit { llama_sampler_free(chain) }

    /// Samples from the logits of batch entry `index` and records the token in the penalty window.
    public func sample(_ context: LlamaContext, at index: Int32) -> Int32 {
        llama_sampler_sample(chain, context.context, index)
    }
}
