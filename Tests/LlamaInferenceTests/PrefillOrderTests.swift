import Foundation
import Inference
import LlamaInference
import Logging
import ParleyTestSupport
import Sampling
import Synchronization
import Testing

/// The engine follows `PrefillPlan` end to end, with the real model: a short follow-up sent just
/// after a long cold prompt gets its first text before the long prompt's. The long prompt needs
/// several whole-batch steps, the short one a single step, so whichever policy orders prefill
/// decides which stream speaks first: arrival order (the cold prompt was admitted first) makes the
/// follow-up wait, shortest-first does not. An order of events, not a time.
@Suite(.serialized) struct PrefillOrderTests {
    @Test func aShortPromptSpeaksBeforeALongOneAdmittedFirst() async throws {
        let engine = try await LlamaEngine(
            configuration: EngineConfiguration(
                modelPath: TestModel.path, contextSize: 2048, threads: 2, batchSize: 256, slots: 2,
                prefillChunk: 64, cacheMegabytes: 0),
            logger: Logger(label: "test"))
        let words = (0..<1400).map { ["harbour", "lantern", "keeper", "storm", "gull", "rope", "tide"][$0 % 7] }
        let long = Prompt([.text(words.joined(separator: " "))])
        let short = Prompt([.text("Say hello.")])
        let options = GenerationOptions.greedy(maxTokens: 2)
        let order = FirstTexts()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (name, prompt) in [("long", long), ("short", short)] {
                group.addTask {
                    for try await _ in engine.generate(GenerationRequest(conversation: name, prompt: prompt, options: options)) {
                        order.saw(name)
                    }
                }
                // The long prompt is queued first.
                if name == "long" { try await Task.sleep(for: .milliseconds(20)) }
            }
            try await group.waitForAll()
        }
        await engine.shutdown()
        #expect(order.names == ["short", "long"])
    }
}

/// Which streams spoke, in the order their first text arrived.
final class FirstTexts: Sendable {
    private let seen = Mutex<[String]>([])
    func saw(_ name: String) { seen.withLock { if !$0.contains(name) { $0.append(name) } } }
    var names: [String] { seen.withLock { $0 } }
}
