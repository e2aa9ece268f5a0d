import LlamaRuntime
import ParleyTestSupport
import Sampling
import Testing

/// The sampler's top-k path (`TopCandidates`) chooses what llama.cpp's own whole-vocabulary path
/// chooses from the same logits: greedy, and seeded temperature sampling with penalties. Both
/// samplers read the very same logits each step, so this holds on any CPU.
@Suite struct SamplerPathTests {
    @Test func topCandidatesChooseWhatTheWholeVocabularyChooses() async throws {
        var seeded = GenerationOptions()
        seeded.seed = 42
        seeded.temperature = 1.0
        var penalised = GenerationOptions.greedy()
        penalised.topK = 40
        penalised.repeatPenalty = 1.3
        for options in [GenerationOptions.greedy(), seeded, penalised] {
            let (fast, whole) = try await ParleyProcess.onThread { try Self.sampleBoth(options, steps: 32) }
            #expect(fast == whole, "options \(options)")
        }
    }

    @Test func onlyATopKChainTakesTheShortPath() {
        var all = GenerationOptions()
        all.topK = 0
        #expect(LlamaSampler(model: SmokeTests.model, options: .greedy()).samplesTopCandidates)
        #expect(LlamaSampler(model: SmokeTests.model, options: GenerationOptions()).samplesTopCandidates)
        #expect(!LlamaSampler(model: SmokeTests.model, options: all).samplesTopCandidates)
        #expect(!LlamaSampler(model: SmokeTests.model, options: .greedy(), wholeVocabulary: true).samplesTopCandidates)
    }

    /// Decodes one sequence, sampling each step with both samplers from the same logits and
    /// feeding the short path's token; returns both choices.
    static func sampleBoth(_ options: GenerationOptions, steps: Int) throws -> ([Int32], [Int32]) {
        let model = SmokeTests.model
        let context = try LlamaContext(model: model, options: ContextOptions(contextSize: 256, threads: 1))
        let batch = LlamaBatch(capacity: 64)
        let fast = LlamaSampler(model: model, options: options)
        let whole = LlamaSampler(model: model, options: options, wholeVocabulary: true)
        let prompt = model.promptStart + (try model.tokenize("Write a poem about the sea:", parseSpecial: false))
        var index: Int32 = 0
        for (i, token) in prompt.enumerated() {
            index = batch.append(token: token, position: i, sequence: 0, wantsLogits: i == prompt.count - 1)
        }
        try context.decode(batch)
        var chosen: ([Int32], [Int32]) = ([], [])
        for position in prompt.count..<(prompt.count + steps) {
            let token = fast.sample(context, at: index)
            chosen.0.append(token)
            chosen.1.append(whole.sample(context, at: index))
            batch.clear()
            index = batch.append(token: token, position: position, sequence: 0, wantsLogits: true)
            try context.decode(batch)
        }
        return chosen
    }
}
