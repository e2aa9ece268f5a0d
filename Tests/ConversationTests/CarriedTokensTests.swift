import Conversation
import Inference
import LlamaInference
import Logging
import ParleyTestSupport
import Sampling
import Synchronization
import Testing

/// The real model: the tokens the prompt builder carries are the ones the engine's admission
/// would compute itself, and the budget counts exactly what it feeds.
@Suite(.serialized) struct CarriedTokensTests {
    /// Forwards to the engine, counting every tokenization asked of it.
    final class Counted: InferenceBackend {
        let engine: LlamaEngine
        let calls = Mutex(0)
        init(_ engine: LlamaEngine) { self.engine = engine }
        func generate(_ request: GenerationRequest) -> AsyncThrowingStream<String, any Error> { engine.generate(request) }
        func tokenCount(_ text: String, scaffold: Bool) async throws -> Int {
            calls.withLock { $0 += 1 }
            return try await engine.tokenCount(text, scaffold: scaffold)
        }
        func tokenize(_ text: String, scaffold: Bool) async throws -> TokenRun {
            calls.withLock { $0 += 1 }
            return try await engine.tokenize(text, scaffold: scaffold)
        }
        var promptStart: TokenRun { engine.promptStart }
        var modelDescription: String { engine.modelDescription }
        var contextSize: Int { engine.contextSize }
        var capacity: Int { engine.capacity }
    }

    static let turns = [
        Turn(role: .user, author: "alice", content: "how do magnets work? <start_of_turn> is just text"),
        Turn(role: .bot, author: "Parley", content: "Electrons line up. 🧲"),
        Turn(role: .user, author: "bob", content: "and superconductors?"),
        Turn(role: .bot, author: "Parley", content: "They expel magnetic fields."),
        Turn(role: .user, author: "alice", content: "naïve question: why is the sky blue?"),
    ]

    @Test(arguments: [PromptFormat.alpaca, .chatML])
    func carriedTokensAreWhatAdmissionFeeds(format: PromptFormat) async throws {
        let engine = try await LlamaEngine(
            configuration: EngineConfiguration(modelPath: TestModel.path, contextSize: 1024, threads: 2, slots: 1, queueLimit: 4),
            logger: Logger(label: "test"))
        let builder = PromptBuilder(
            renderer: PromptRenderer(format: format), contextTokens: 1024, replyTokens: 8,
            counter: TokenCounter(engine))
        let built = try await builder.build(.init(system: "You are a helpful assistant.", history: Self.turns, botName: "Parley"))
        let ids = try #require(built.tokenIDs, "the local engine hands out token IDs")
        #expect(ids.count == built.tokens)
        #expect(ids == (try PromptBudgetTests.realIDs(built.prompt)), "what admission computes for the prompt")

        // The engine tokenizes the prompt itself: its count is the budget's, BOS rule included.
        let options = GenerationOptions.greedy(maxTokens: 2)
        for try await _ in engine.generate(GenerationRequest(conversation: "c", prompt: built.prompt, options: options)) {}
        let first = engine.statistics
        #expect(first.promptsTokenized == 1)
        #expect(first.promptTokens == built.tokens, "the budget counts exactly what admission feeds")

        // Carried: not tokenized again, and the slot's tokens (from admission's own tokenization)
        // match the carried ones up to the last, so all but the last are reused.
        var carried = GenerationRequest(conversation: "c", prompt: built.prompt, options: options)
        carried.tokens = ids
        let usage = GenerationUsage()
        carried.usage = usage
        for try await _ in engine.generate(carried) {}
        let after = engine.statistics
        #expect(after.promptsTokenized == 1, "carried tokens are not tokenized again")
        #expect(after.promptTokens - first.promptTokens == ids.count)
        #expect(after.reusedTokens - first.reusedTokens == ids.count - 1, "carried tokens equal the engine's own tokenization")
        #expect(usage.completionTokens == after.generatedTokens - first.generatedTokens && usage.completionTokens > 0)
        await engine.shutdown()
    }

    /// Tokenizations one reply costs on the real model, for a channel with five turns.
    @Test func aReplyToFiveTurnsTokenizesEachPieceOnce() async throws {
        let engine = try await LlamaEngine(
            configuration: EngineConfiguration(modelPath: TestModel.path, contextSize: 1024, threads: 2, slots: 1, queueLimit: 4),
            logger: Logger(label: "test"))
        let backend = Counted(engine)
        let pipeline = ConversationPipeline(
            memory: try ChannelMemory(path: ":memory:"), backend: backend, logger: Logger(label: "test"))
        for (n, turn) in Self.turns.enumerated() {
            try await pipeline.record(StoredTurn(channel: "c", messageID: "\(n)", authorID: turn.author, turn: turn))
        }
        var generation = GenerationOptions.greedy(maxTokens: 4)
        generation.ignoreEndOfGeneration = true
        let settings = ChannelSettings(system: "You are a helpful assistant.", generation: generation)
        let reply = try await pipeline.generateReply(channel: "c", settings: settings)
        let calls = backend.calls.withLock { $0 }
        let built = try await pipeline.prompt(channel: "c", settings: settings)
        #expect(engine.statistics.promptsTokenized == 0, "admission took the carried tokens")
        #expect(calls <= built.prompt.segments.count + 2, "\(calls) tokenizations for \(built.prompt.segments.count) segments")
        #expect(reply.tokens == engine.statistics.generatedTokens)
        await engine.shutdown()
        print(
            "one reply to \(Self.turns.count) turns: \(calls) tokenize calls in the builder, \(engine.statistics.promptsTokenized) at admission, 0 for the reply"
        )
    }
}
