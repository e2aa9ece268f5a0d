import LlamaRuntime
import ParleyTestSupport
import Testing

/// Decoding a sequence together with others in one batch must give (nearly) the logits it gets
/// alone. Not exactly: with more rows in a batch llama.cpp switches to other matrix kernels (and
/// quantizes activations differently), which moves logits of this Q4 model by up to about 0.7 out
/// of a range of about ±30 (AVX2; other CPUs pick other kernels). Hence a tolerance, and the
/// decision that matters: the same top token wherever the lone top token leads by more than the
/// tolerance could move — a near-tie may flip on another CPU, and that is not a bug.
@Suite struct BatchedLogitsTests {
    @Test func batchedLogitsMatchLoneLogits() async throws {
        try await ParleyProcess.onThread { try Self.compare() }
    }

    static func compare() throws {
        let model = SmokeTests.model
        let prompts = ["The quick brown fox", "Once upon a time", "In 1969, astronauts", "1, 2, 3, 4, 5, 6, 7, 8,"]
        let tokenized = try prompts.map { model.promptStart + (try model.tokenize($0, parseSpecial: false)) }

        // Alone: one sequence per context.
        var alone: [[Float]] = []
        for tokens in tokenized {
            let context = try LlamaContext(model: model, options: ContextOptions(contextSize: 256, threads: 2))
            let batch = LlamaBatch(capacity: 64)
            var index: Int32 = 0
            for (i, t) in tokens.enumerated() {
                index = batch.append(token: t, position: i, sequence: 0, wantsLogits: i == tokens.count - 1)
            }
            try context.decode(batch)
            alone.append(context.logits(at: index))
        }

        // Together: four sequences in one batch of one context.
        let context = try LlamaContext(
            model: model, options: ContextOptions(contextSize: 1024, sequences: 4, threads: 2, unifiedKV: false))
        let batch = LlamaBatch(capacity: 128)
        var indices: [Int32] = []
        for (s, tokens) in tokenized.enumerated() {
            for (i, t) in tokens.enumerated() {
                let index = batch.append(token: t, position: i, sequence: Int32(s), wantsLogits: i == tokens.count - 1)
                if i == tokens.count - 1 { indices.append(index) }
            }
        }
        try context.decode(batch)
        let tolerance: Float = 1.0
        var decided = 0
        for (s, index) in indices.enumerated() {
            let together = context.logits(at: index)
            let maxDiff = zip(alone[s], together).map { abs($0 - $1) }.max() ?? .infinity
            #expect(together.count == alone[s].count)
            #expect(maxDiff < tolerance, "sequence \(s): max logit difference \(maxDiff)")
            // Two logits each moving less than the tolerance cannot swap a lead of twice that.
            if lead(alone[s]) > 2 * tolerance {
                decided += 1
                #expect(argmax(together) == argmax(alone[s]), "sequence \(s)")
            }
        }
        // Counting on has a clear next token on any CPU; the open prompts are near-ties even alone.
        #expect(decided >= 1, "leads: \(alone.map { lead($0) })")
        print("batched logits: top-token leads alone \(alone.map { lead($0) }), \(decided) decided")
    }

    static func argmax(_ v: [Float]) -> Int { v.indices.max { v[$0] < v[$1] } ?? -1 }

    /// How far the top logit is ahead of the second.
    static func lead(_ v: [Float]) -> Float {
        let top = argmax(v)
        return v[top] - (v.indices.filter { $0 != top }.map { v[$0] }.max() ?? -.infinity)
    }
}
