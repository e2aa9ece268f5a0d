import Foundation
import Inference
import LlamaInference
import LlamaRuntime
import Logging
import ParleyTestSupport
import Sampling
import Testing

/// Prefix sharing with the real model: a second channel with the same long card prefills only
/// what follows the card. Token counts come from the engine's statistics; the reply check takes
/// one numeric path only (the same KV, the same one-token decode), so it holds on any CPU.
@Suite(.serialized) struct SharedPrefixEngineTests {
    static let card =
        "You are Captain Wren, keeper of the northern light. "
        + (1...40).map { "On night \($0) the lamp burned and the gulls slept on the old pier." }.joined(separator: " ")

    static func prompt(_ question: String) -> Prompt {
        var p = Prompt()
        p.scaffold("<start_of_turn>user\n")
        p.text(card + "\n" + question)
        p.scaffold("<end_of_turn>\n<start_of_turn>model\n")
        return p
    }

    static func engine(slots: Int, cacheMB: Int, share: Bool = true) async throws -> LlamaEngine {
        try await LlamaEngine(
            configuration: EngineConfiguration(
                modelPath: TestModel.path, contextSize: 2048, threads: 2, batchSize: 256, slots: slots,
                prefillChunk: 64, cacheMegabytes: cacheMB, sharePrefixes: share),
            logger: Logger(label: "test"))
    }

    static func collect(
        _ engine: LlamaEngine, _ conversation: String, _ prompt: Prompt, maxTokens: Int = 8
    ) async throws
        -> String
    {
        var text = ""
        let request = GenerationRequest(conversation: conversation, prompt: prompt, options: .greedy(maxTokens: maxTokens))
        for try await piece in engine.generate(request) { text += piece }
        return text
    }

    /// Two channels, same card, sent together: whichever is admitted second copies the card from
    /// the first (waiting for its prefill, or copying it from the busy slot) and prefills only the
    /// rest of its prompt.
    @Test func aSecondChannelWithTheSameCardPrefillsOnlyItsQuestion() async throws {
        let engine = try await Self.engine(slots: 2, cacheMB: 0)
        let a = Self.prompt("What do you keep?")
        let b = Self.prompt("Who are you, captain?")
        let common = try await Self.commonTokens(engine, a, b)
        #expect(common > 400, "the card is long")
        let replies = try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask { try await Self.collect(engine, "a", a) }
            try await Task.sleep(for: .milliseconds(20))
            group.addTask { try await Self.collect(engine, "b", b) }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let stats = engine.statistics
        await engine.shutdown()
        #expect(replies.allSatisfy { !$0.isEmpty })
        #expect(stats.sharedTokens == common, "the card was copied, not prefilled twice")
        #expect(stats.prefilledTokens == stats.promptTokens - common)
    }

    /// A new channel copies the card from another conversation's RAM snapshot: it decodes only its
    /// last prompt token, on exactly the KV the owner would reuse, so its reply is the owner's.
    @Test func aNewChannelCopiesTheCardFromAnotherConversationsSnapshot() async throws {
        let engine = try await Self.engine(slots: 1, cacheMB: 64)
        let p = Self.prompt("What do you keep?")
        _ = try await Self.collect(engine, "owner", p)
        _ = try await Self.collect(engine, "other", Prompt([.text("Something else entirely.")]))
        let before = engine.statistics
        let copied = try await Self.collect(engine, "newcomer", p)
        let after = engine.statistics
        let owners = try await Self.collect(engine, "owner", p)
        await engine.shutdown()
        #expect(after.prefilledTokens - before.prefilledTokens == 1, "only the last prompt token is decoded")
        #expect(after.sharedTokens - before.sharedTokens > 400)
        #expect(!copied.isEmpty)
        #expect(copied == owners)
    }

    /// A seeded request prefills from scratch even when another slot holds its whole card
    /// (`Slot.isReproducible`: one numeric path).
    @Test func aSeededRequestTakesNoSharedPrefix() async throws {
        let engine = try await Self.engine(slots: 2, cacheMB: 0)
        let p = Self.prompt("What do you keep?")
        _ = try await Self.collect(engine, "owner", p, maxTokens: 2)
        let before = engine.statistics
        var options = GenerationOptions.greedy(maxTokens: 2)
        options.seed = 7
        for try await _ in engine.generate(GenerationRequest(conversation: "seeded", prompt: p, options: options)) {}
        let after = engine.statistics
        await engine.shutdown()
        #expect(after.sharedTokens == before.sharedTokens)
        #expect(after.prefilledTokens - before.prefilledTokens == after.promptTokens - before.promptTokens)
    }

    /// With `sharePrefixes` off, each channel prefills its own card (the flag the bench compares).
    @Test func withSharingOffEachChannelPrefillsTheCard() async throws {
        let engine = try await Self.engine(slots: 2, cacheMB: 0, share: false)
        async let a = Self.collect(engine, "a", Self.prompt("What do you keep?"), maxTokens: 2)
        async let b = Self.collect(engine, "b", Self.prompt("Who are you, captain?"), maxTokens: 2)
        _ = try await (a, b)
        let stats = engine.statistics
        await engine.shutdown()
        #expect(stats.sharedTokens == 0)
        #expect(stats.prefilledTokens == stats.promptTokens)
    }

    /// Tokens the two prompts share, as the engine tokenizes them.
    static func commonTokens(_ engine: LlamaEngine, _ a: Prompt, _ b: Prompt) async throws -> Int {
        func tokens(_ p: Prompt) async throws -> [Int32] {
            var all = engine.promptStart.ids ?? []
            for segment in p.segments {
                switch segment {
                case let .scaffold(s): all += try await engine.tokenize(s, scaffold: true).ids ?? []
                case let .text(s): all += try await engine.tokenize(s, scaffold: false).ids ?? []
                }
            }
            return all
        }
        let x = try await tokens(a)
        let y = try await tokens(b)
        return zip(x, y).prefix { $0 == $1 }.count
    }
}
