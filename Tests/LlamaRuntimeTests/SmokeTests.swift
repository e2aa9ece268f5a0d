import Foundation
import LlamaRuntime
import ParleyTestSupport
import Sampling
import Testing

/// The whole native chain: libllama loads, the real default model loads, tokenization and greedy
/// decoding work and are deterministic.
@Suite struct SmokeTests {
    static let model: LlamaModel = try! LlamaModel(path: TestModel.path)

    @Test func modelMetadata() {
        let model = Self.model
        #expect(model.summary.lowercased().contains("gemma3"))
        #expect(model.vocabularySize > 200_000)
        #expect(model.trainedContext >= 8192)
        #expect(model.slidingWindow > 0, "Gemma 3 uses sliding-window attention")
        // 18 layers, one KV head, keys and values of 256 each, f16: what llama.cpp's log reports.
        #expect(model.kvBytesPerCell == 18 * 1 * (256 + 256) * 2)
    }

    @Test func tokenizeRoundTrip() throws {
        let tokens = try Self.model.tokenize("Hello, world! Ünïcødé 🎉", parseSpecial: false)
        #expect(tokens.count > 3)
        #expect(Self.model.text(of: tokens) == "Hello, world! Ünïcødé 🎉")
    }

    @Test func specialTokensOnlyInScaffolding() throws {
        let marker = "<start_of_turn>"
        let asScaffold = try Self.model.tokenize(marker, parseSpecial: true)
        let asUserText = try Self.model.tokenize(marker, parseSpecial: false)
        #expect(asScaffold.count == 1, "the template's marker is one control token")
        #expect(asUserText.count > 1, "a user typing the marker gets plain text")
        #expect(Self.model.text(of: asUserText) == marker)
    }

    @Test func greedyGenerationIsDeterministic() async throws {
        // Decoding blocks; it runs on a thread of its own, not on the cooperative pool.
        let first = try await ParleyProcess.onThread { try Self.greedy("The capital of France is", tokens: 8) }
        let second = try await ParleyProcess.onThread { try Self.greedy("The capital of France is", tokens: 8) }
        #expect(first.count == 8)
        #expect(first == second)
        #expect(!Self.model.text(of: first).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    private static func greedy(_ text: String, tokens count: Int) throws -> [Int32] {
        let context = try LlamaContext(model: Self.model, options: ContextOptions(contextSize: 512, threads: 2))
        let batch = LlamaBatch(capacity: 512)
        let sampler = LlamaSampler(model: Self.model, options: .greedy())
        let prompt = Self.model.promptStart + (try Self.model.tokenize(text, parseSpecial: false))
        var index: Int32 = 0
        for (i, token) in prompt.enumerated() {
            index = batch.append(token: token, position: i, sequence: 0, wantsLogits: i == prompt.count - 1)
        }
        try context.decode(batch)
        var output: [Int32] = []
        for position in prompt.count..<(prompt.count + count) {
            let token = sampler.sample(context, at: index)
            output.append(token)
            batch.clear()
            index = batch.append(token: token, position: position, sequence: 0, wantsLogits: true)
            try context.decode(batch)
        }
        return output
    }
}
