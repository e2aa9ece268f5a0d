import Conversation
import Inference
import Logging
import Synchronization
import Testing

/// A backend with a local tokenizer (one token ID per three UTF-8 bytes) that records every
/// tokenization it is asked for and every request it is given, and answers a fixed reply.
final class CountingBackend: InferenceBackend {
    struct Call: Hashable {
        var text: String
        var scaffold: Bool
    }

    let calls = Mutex<[Call]>([])
    let requests = Mutex<[GenerationRequest]>([])
    let start: [Int32]
    let reply: [String]

    /// The reply stops at max_tokens (the usage says so).
    let limited: Bool

    init(start: [Int32] = [2], reply: [String] = ["Magnets ", "pull ", "iron."], limited: Bool = false) {
        self.start = start
        self.reply = reply
        self.limited = limited
    }

    static func ids(_ text: String, scaffold: Bool) -> [Int32] {
        (0..<((text.utf8.count + 2) / 3)).map { Int32($0 % 100) + (scaffold ? 1_000 : 10) }
    }

    func tokenCount(_ text: String, scaffold: Bool) async throws -> Int { try await tokenize(text, scaffold: scaffold).count }

    func tokenize(_ text: String, scaffold: Bool) async throws -> TokenRun {
        calls.withLock { $0.append(Call(text: text, scaffold: scaffold)) }
        return TokenRun(ids: Self.ids(text, scaffold: scaffold))
    }

    var promptStart: TokenRun { TokenRun(ids: start) }

    /// What the engine's admission feeds for `prompt` when it tokenizes it itself.
    func admissionTokens(_ prompt: Prompt) -> [Int32] {
        start
            + prompt.segments.flatMap { segment -> [Int32] in
                switch segment {
                case let .scaffold(s): Self.ids(s, scaffold: true)
                case let .text(s): Self.ids(s, scaffold: false)
                }
            }
    }

    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<String, any Error> {
        requests.withLock { $0.append(request) }
        return AsyncThrowingStream { continuation in
            for piece in reply {
                request.usage?.record(1) // one sampled token a piece
                continuation.yield(piece)
            }
            if limited { request.usage?.recordTokenLimit() }
            continuation.finish()
        }
    }

    var modelDescription: String { "counting" }
    var contextSize: Int { 2048 }
    var capacity: Int { 1 }
}

/// Building a prompt and generating a reply tokenizes each piece of text once: the prompt's
/// tokens go with the request, and the reply's size comes from the generation.
@Suite struct TokenizeOnceTests {
    static let history: [(String, Turn.Role, String)] = [
        ("alice", .user, "how do magnets work?"), ("Parley", .bot, "Electrons line up."),
        ("bob", .user, "and superconductors?"), ("Parley", .bot, "They expel fields."),
        ("alice", .user, "why is the sky blue?"), ("bob", .user, "and what about tides?"),
    ]

    func pipeline(_ backend: CountingBackend) async throws -> ConversationPipeline {
        let pipeline = ConversationPipeline(
            memory: try ChannelMemory(path: ":memory:"), backend: backend, logger: Logger(label: "test"))
        for (n, (author, role, content)) in Self.history.enumerated() {
            try await pipeline.record(
                StoredTurn(
                    channel: "c", messageID: "\(n)", authorID: author,
                    turn: Turn(role: role, author: author, content: content)))
        }
        return pipeline
    }

    @Test(arguments: [PromptFormat.alpaca, .chatML, .alpacaInput])
    func aReplyTokenizesEachPieceOnce(format: PromptFormat) async throws {
        let backend = CountingBackend()
        let pipeline = try await pipeline(backend)
        let settings = ChannelSettings(format: format, system: "You are a helpful assistant.")
        let reply = try await pipeline.generateReply(channel: "c", settings: settings)

        let calls = backend.calls.withLock { $0 }
        let repeated = Dictionary(grouping: calls) { $0 }.filter { $0.value.count > 1 }.keys
        #expect(repeated.isEmpty, "tokenized more than once: \(repeated.map(\.text))")
        #expect(!calls.contains { $0.text.contains("Magnets pull") }, "the reply is never tokenized")
        let request = try #require(backend.requests.withLock { $0.first })
        // Each message is a text segment of its own (consecutive ones too), so the text priced
        // per message is exactly the prompt's text: nothing is tokenized that the prompt lacks.
        let textPriced = Set(calls.filter { !$0.scaffold }.map(\.text))
        let textInPrompt = Set(request.prompt.segments.compactMap { if case let .text(t) = $0 { t } else { nil } })
        #expect(textPriced == textInPrompt)
        #expect(request.tokens == backend.admissionTokens(request.prompt), "the carried tokens are what admission would feed")
        #expect(reply.text == "Magnets pull iron." && reply.tokens == 3, "the reply's size is the generation's own count")
        // Every message, the system text and a few distinct markers: nothing more.
        #expect(calls.count <= Self.history.count + 8, "\(calls.count) tokenizations for \(Self.history.count) turns")
        print("\(format): \(calls.count) tokenize calls for a reply to \(Self.history.count) turns")
    }

    /// The budget counts the start the backend really feeds: BOS for a model that adds one,
    /// nothing for one that does not.
    @Test(arguments: [[Int32](), [2]])
    func theBudgetCountsTheStartTheEngineFeeds(start: [Int32]) async throws {
        let backend = CountingBackend(start: start)
        let pipeline = try await pipeline(backend)
        let built = try await pipeline.prompt(channel: "c", settings: ChannelSettings(system: "Be brief."))
        #expect(built.tokens == backend.admissionTokens(built.prompt).count)
        #expect(built.tokenIDs == backend.admissionTokens(built.prompt))
    }
}
