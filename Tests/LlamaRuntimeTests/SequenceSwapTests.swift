import LlamaRuntime
import ParleyTestSupport
import Testing

/// `LlamaContext.swap` exchanges two conversations' KV between their streams: each continues on
/// the other's sequence as it would have on its own. The same one-sequence batch over the same
/// cells runs the same kernels, so the logits barely move; a mixed-up or lost KV moves them by
/// about their whole spread (see `BatchedLogitsTests`).
@Suite struct SequenceSwapTests {
    @Test func swappedConversationsContinueOnEachOthersSequence() async throws {
        try await ParleyProcess.onThread { try Self.swapAndContinue() }
    }

    static func swapAndContinue() throws {
        let model = SmokeTests.model
        let context = try LlamaContext(
            model: model, options: ContextOptions(contextSize: 3 * 256, sequences: 3, threads: 2, unifiedKV: false))
        let batch = LlamaBatch(capacity: 64)
        let p = model.promptStart + (try model.tokenize("The quick brown fox jumps over", parseSpecial: false))
        let q = model.promptStart + (try model.tokenize("Once upon a time, in a land far away, there", parseSpecial: false))
        for (sequence, tokens) in [(Int32(0), p), (1, q)] {
            batch.clear()
            for (i, t) in tokens.enumerated() { _ = batch.append(token: t, position: i, sequence: sequence, wantsLogits: false) }
            try context.decode(batch)
        }
        let next = try model.tokenize(" the", parseSpecial: false)[0]
        // The logits of one more token on `sequence` after `tokens`, leaving the KV as it was.
        func probe(_ sequence: Int32, after tokens: [Int32]) throws -> [Float] {
            batch.clear()
            let index = batch.append(token: next, position: tokens.count, sequence: sequence, wantsLogits: true)
            try context.decode(batch)
            let logits = context.logits(at: index)
            #expect(context.removeTokens(sequence: sequence, from: tokens.count))
            return logits
        }
        let alongP = try probe(0, after: p)
        let alongQ = try probe(1, after: q)
        #expect(moved(alongP, alongQ) > 0.05, "the two conversations must be told apart")
        let (stateP, stateQ) = (try context.state(of: 0), try context.state(of: 1))

        try context.swap(sequence: 0, with: 1)
        // The same cells moved (a state also says which stream they are on, so its bytes differ).
        #expect(try context.state(of: 1).count == stateP.count)
        #expect(try context.state(of: 0).count == stateQ.count)
        #expect(moved(try probe(1, after: p), alongP) < 0.01)
        #expect(moved(try probe(0, after: q), alongQ) < 0.01)

        // Into an empty sequence it is a move.
        #expect(context.isEmpty(sequence: 2))
        try context.swap(sequence: 1, with: 2)
        #expect(context.isEmpty(sequence: 1))
        #expect(!context.isEmpty(sequence: 2))
        #expect(moved(try probe(2, after: p), alongP) < 0.01)
    }

    /// RMS difference of two logit rows, as a share of the first one's spread.
    static func moved(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count, let low = a.min(), let high = a.max(), high > low else { return .infinity }
        let squares = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        return (squares / Float(a.count)).squareRoot() / (high - low)
    }
}
