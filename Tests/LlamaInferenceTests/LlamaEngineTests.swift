import Foundation
import Inference
import LlamaInference
import Logging
import ParleyTestSupport
import Sampling
import Testing

/// The local engine with the real default model.
@Suite(.serialized) struct LlamaEngineTests {
    static func engine(slots: Int = 1, queueLimit: Int = 8, context: Int = 1024) async throws -> LlamaEngine {
        try await LlamaEngine(
            configuration: EngineConfiguration(
                modelPath: TestModel.path, contextSize: context, threads: 2,
                slots: slots, queueLimit: queueLimit),
            logger: Logger(label: "test"))
    }

    static func prompt(_ question: String) -> Prompt {
        var p = Prompt()
        p.scaffold("<start_of_turn>user\n")
        p.text(question)
        p.scaffold("<end_of_turn>\n<start_of_turn>model\n")
        return p
    }

    static func collect(_ stream: AsyncThrowingStream<String, any Error>) async throws -> String {
        var text = ""
        for try await piece in stream { text += piece }
        return text
    }

    /// Greedy decoding is deterministic along one numeric path. The second and third runs both
    /// find the prompt cached and decode only its last token, so they must agree exactly; the
    /// first (a full prefill, another batch shape) may differ from them in near-ties on some CPUs.
    @Test func greedyIsDeterministicAndReusesThePrefix() async throws {
        let engine = try await Self.engine()
        let request = GenerationRequest(
            conversation: "c1", prompt: Self.prompt("Name three colors."),
            options: .greedy(maxTokens: 16))
        let first = try await Self.collect(engine.generate(request))
        let second = try await Self.collect(engine.generate(request))
        let reused = engine.statistics.reusedTokens
        let third = try await Self.collect(engine.generate(request))
        #expect(!first.isEmpty && !second.isEmpty)
        #expect(reused > 0, "the repeat reuses the cached prompt")
        #expect(engine.statistics.reusedTokens == 2 * reused, "so does the third run, by as much")
        #expect(third == second)
        await engine.shutdown()
    }

    /// The engine says when a reply stopped at max_tokens, so the pipeline can end it at a sentence.
    @Test func aReplyCutByMaxTokensIsMarked() async throws {
        let engine = try await Self.engine()
        var options = GenerationOptions.greedy(maxTokens: 3)
        options.ignoreEndOfGeneration = true
        var request = GenerationRequest(
            conversation: "limit", prompt: Self.prompt("Write a long story about the sea."), options: options)
        let limited = GenerationUsage()
        request.usage = limited
        _ = try await Self.collect(engine.generate(request))
        #expect(limited.reachedTokenLimit && limited.completionTokens == 3)
        // A stop string that is always found first (any text contains a space or ends) is not the limit.
        request.options = GenerationOptions.greedy(maxTokens: 64, stop: [" ", "\n", "."])
        let stopped = GenerationUsage()
        request.usage = stopped
        request.conversation = "stop"
        _ = try await Self.collect(engine.generate(request))
        #expect(!stopped.reachedTokenLimit, "\(stopped.completionTokens) tokens")
        await engine.shutdown()
    }

    /// A channel's `reset`: its cached tokens are dropped, so the same prompt is computed afresh.
    @Test func forgetDropsTheConversationsCachedTokens() async throws {
        let engine = try await Self.engine()
        let request = GenerationRequest(
            conversation: "c1", prompt: Self.prompt("Name three colors."),
            options: .greedy(maxTokens: 8))
        let first = try await Self.collect(engine.generate(request))
        _ = try await Self.collect(engine.generate(request))
        let reused = engine.statistics.reusedTokens
        #expect(reused > 0, "without forget, a repeat reuses the prompt")
        await engine.forget(conversation: "c1")
        let afterForget = try await Self.collect(engine.generate(request))
        #expect(engine.statistics.reusedTokens == reused, "nothing reused after forget")
        #expect(afterForget == first)
        await engine.shutdown()
    }

    /// Seeded, so both runs take the same numeric path (fresh prefill) and the cut reply is
    /// exactly the prefix of the free one on any CPU.
    @Test func stopStringsEndTheReplyAndAreNeverEmitted() async throws {
        let engine = try await Self.engine()
        let question = Self.prompt("Count from 1 to 10, separated by commas.")
        let free = try await Self.collect(
            engine.generate(
                GenerationRequest(
                    conversation: "c", prompt: question, options: .greedy(maxTokens: 32).seeded)))
        // A stop string taken from the middle of the greedy reply: the reply must end right before it.
        let chars = Array(free)
        #expect(chars.count >= 12, "reply too short to cut: \(free)")
        let stop = String(chars[(chars.count / 2)..<(chars.count / 2 + 4)])
        let expected = String(free[..<free.range(of: stop)!.lowerBound])
        let stopped = try await Self.collect(
            engine.generate(
                GenerationRequest(
                    conversation: "c", prompt: question, options: .greedy(maxTokens: 32, stop: [stop]).seeded)))
        #expect(stopped == expected)
        #expect(!stopped.contains(stop))
        await engine.shutdown()
    }

    @Test func promptThatDoesNotFitIsRejected() async throws {
        let engine = try await Self.engine(context: 256)
        let long = String(repeating: "word ", count: 400)
        await #expect(throws: InferenceError.self) {
            _ = try await Self.collect(
                engine.generate(
                    GenerationRequest(
                        conversation: "c", prompt: Self.prompt(long), options: .greedy(maxTokens: 8))))
        }
        await engine.shutdown()
    }

    @Test func fullQueueAnswersBusy() async throws {
        let engine = try await Self.engine(queueLimit: 1)
        #expect(engine.capacity == 1, "its capacity is its slots: the bot counts places in line by it")
        // The first request occupies the engine, the second waits, the third finds the queue full.
        let long = GenerationRequest(
            conversation: "a", prompt: Self.prompt("Write a long story."), options: .greedy(maxTokens: 200))
        let streams = (0..<3).map { _ in engine.generate(long) }
        var busy = 0
        for stream in streams {
            do { _ = try await Self.collect(stream) } catch InferenceError.busy { busy += 1 }
        }
        #expect(busy >= 1)
        await engine.shutdown()
    }
}

extension GenerationOptions {
    /// A fixed seed: the engine's reproducible path (fresh prefill, decoded alone).
    var seeded: GenerationOptions {
        var copy = self
        copy.seed = 1
        return copy
    }
}
