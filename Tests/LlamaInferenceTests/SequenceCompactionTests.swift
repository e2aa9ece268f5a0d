import Foundation
import Inference
import LlamaInference
import Logging
import ParleyTestSupport
import Sampling
import Testing

/// With the real model: conversations that return to slots far apart are moved onto adjacent KV
/// sequences, so every batched step is one micro-batch wide, and a conversation whose KV was
/// moved still reuses all of it.
@Suite(.serialized) struct SequenceCompactionTests {
    @Test func followUpsOnScatteredSlotsDecodeAsOneRun() async throws {
        let engine = try await LlamaEngine(
            configuration: EngineConfiguration(
                modelPath: TestModel.path, contextSize: 512, threads: 2, slots: 4, cacheMegabytes: 0),
            logger: Logger(label: "test"))
        let ask = { (name: String) in try await Self.ask(name, engine) }
        // One at a time, the least recently used slot each: a, b, c, d on sequences 0 to 3.
        for name in ["a", "b", "c", "d"] { try await ask(name) }
        let before = engine.statistics

        // a and c come back together to their own slots, 0 and 2: one of them moves next to the other.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in ["a", "c"] { group.addTask { try await Self.ask(name, engine) } }
            try await group.waitForAll()
        }
        let together = engine.statistics
        #expect(together.sequenceSwaps - before.sequenceSwaps == 1)
        #expect(together.batchedDecodes > before.batchedDecodes)
        #expect(
            together.sequenceRuns - before.sequenceRuns == together.batchedDecodes - before.batchedDecodes,
            "every step one run of sequences")

        // b's KV may have moved; its same question still reuses all but the last prompt token.
        try await ask("b")
        let after = engine.statistics
        #expect(after.reusedTokens - together.reusedTokens == after.promptTokens - together.promptTokens - 1)
        await engine.shutdown()
    }

    /// The same question from `name` each time; long enough a reply that both streams overlap.
    static func ask(_ name: String, _ engine: LlamaEngine) async throws {
        var options = GenerationOptions.greedy(maxTokens: 12)
        options.ignoreEndOfGeneration = true
        let prompt = Prompt([.text("\(name) asks: tell me about the sea and the ships on it.")])
        for try await _ in engine.generate(GenerationRequest(conversation: name, prompt: prompt, options: options)) {}
    }
}
