import LlamaRuntime
import ParleyTestSupport
import Testing

/// Decoding a sequence together with others in one batch must give (nearly) the logits it gets
/// alone. Not exactly: with more rows in a batch llama.cpp switches to other matrix kernels (and
/// quantizes activations differently), which moves logits of this Q4 model by up to about 0.7 out
/// of a range of about ±30. Hence a tolerance, and the decision that matters: the same top token.
@Suite struct BatchedLogitsTests {
    @Test func batchedLogitsMatchLoneLogits() async throws {
        try await ParleyProcess.onThread { try Self.compare() }
    }

    static func compare() throws {
        let model = SmokeTests.model
        let prompts = ["The quick brown fox", "Once upon a time", "In 1969, astronauts", "My favourite food is"]
        let tokenized = try prompts.map { [model.bos] + (try model.tokenize($0, parseSpecial: false)) }

        // Alone: one sequence per context.
        var alone: [[Float]] = []
        for tokens in tokenized {
            let context = try LlamaContext(model: model, options: ContextOptions(contextSize: 256, threads: 2))
            let batch = LlamaBatch(capacity: 64)
            var index: Int32 = 0
            for (i, t) in tokens.enumerated() { index = batch.append(token: t, position: i, sequence: 0, wantsLogits: i == tokens.count - 1) }
            try context.decode(batch)
            alone.append(context.logits(at: index))
        }

        // Together: four sequences in one batch of one context.
        let context = try LlamaContext(model: model, options: ContextOptions(contextSize: 1024, sequences: 4, threads: 2, unifiedKV: false))
        let batch = LlamaBatch(capacity: 128)
        var indices: [Int32] = []
        for (s, tokens) in tokenized.enumerated() {
            for (i, t) in tokens.enumerated() {
                let index = batch.append(token: t, position: i, sequence: Int32(s), wantsLogits: i == tokens.count - 1)
                if i == tokens.count - 1 { indices.append(index) }
            }
        }
        try context.decode(batch)
        for (s, index) in indices.enumerated() {
            let together = context.logits(at: index)
            let maxDiff = zip(alone[s], together).map { abs($0 - $1) }.max() ?? .infinity
            #expect(together.count == alone[s].count)
            #expect(maxDiff < 1.0, "sequence \(s): max logit difference \(maxDiff)")
            #expect(argmax(together) == argmax(alone[s]))
        }
    }

    static func argmax(_ v: [Float]) -> Int { v.indices.max { v[$0] < v[$1] } ?? -1 }
}
