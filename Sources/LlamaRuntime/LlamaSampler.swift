internal import CLlama
public import Sampling

/// One sequence's sampler chain, built from the sampling settings of `GenerationOptions`
/// (`temperature == 0` means greedy). Not thread-safe: used on the engine thread only.
public final class LlamaSampler {
    let chain: UnsafeMutablePointer<llama_sampler>
    /// The chain starts with top-k (k below the vocabulary): it is given only the best k logits
    /// (see `TopCandidates`) instead of the whole vocabulary. Nil: the whole vocabulary.
    private var top: TopCandidates?
    private let candidates: UnsafeMutableBufferPointer<llama_token_data>
    private let vocabularySize: Int

    /// `wholeVocabulary`: always hand the chain every logit, as llama.cpp's own
    /// `llama_sampler_sample` does (tests compare the two paths).
    public init(model: LlamaModel, options p: GenerationOptions, wholeVocabulary: Bool = false) {
        vocabularySize = model.vocabularySize
        let k = p.topK > 0 && p.topK < model.vocabularySize && !wholeVocabulary ? p.topK : 0
        top = k > 0 ? TopCandidates(k: k) : nil
        candidates = .allocate(capacity: k)
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

    /// Whether `sample` hands the chain only the top-k candidates.
    public var samplesTopCandidates: Bool { top != nil }

    deinit {
        llama_sampler_free(chain)
        candidates.deallocate()
    }

    /// Samples from the logits of batch entry `index` and records the token in the penalty window.
    public func sample(_ context: LlamaContext, at index: Int32) -> Int32 {
        guard top != nil, let logits = llama_get_logits_ith(context.context, index) else {
            return llama_sampler_sample(chain, context.context, index)
        }
        let best = top!.select(UnsafeBufferPointer(start: logits, count: vocabularySize))
        // Fewer than k finite logits: let llama.cpp handle the odd case its own way.
        guard best.count == candidates.count else { return llama_sampler_sample(chain, context.context, index) }
        for (i, entry) in best.enumerated() {
            candidates[i] = llama_token_data(id: entry.token, logit: entry.logit, p: 0)
        }
        // Best first, so the chain's top-k has nothing left to sort.
        var array = llama_token_data_array(data: candidates.baseAddress, size: candidates.count, selected: -1, sorted: true)
        llama_sampler_apply(chain, &array)
        precondition(array.selected >= 0 && array.selected < array.size, "the sampler chain selected no token")
        let token = array.data[Int(array.selected)].id
        llama_sampler_accept(chain, token)
        return token
    }
}
