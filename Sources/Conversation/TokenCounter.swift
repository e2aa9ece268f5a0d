public import Inference

/// Tokenizes prompt pieces with the model's own tokenizer (the backend answers; Conversation
/// never sees llama.cpp). `scaffold` parses special tokens, as the engine will for markers.
public struct TokenCounter: Sendable {
    public let tokenize: @Sendable (String, Bool) async throws -> TokenRun
    /// What every prompt starts with (`InferenceBackend.promptStart`: BOS when the model adds one).
    public let start: TokenRun

    public init(start: TokenRun, tokenize: @escaping @Sendable (String, Bool) async throws -> TokenRun) {
        self.start = start
        self.tokenize = tokenize
    }

    /// A counter without token IDs (an estimate, or a test's): prompts start with one BOS.
    public init(start: TokenRun = TokenRun(count: 1), _ count: @escaping @Sendable (String, Bool) async throws -> Int) {
        self.init(start: start) { TokenRun(count: try await count($0, $1)) }
    }

    public init(_ backend: any InferenceBackend) {
        self.init(start: backend.promptStart) { try await backend.tokenize($0, scaffold: $1) }
    }

    public func count(_ text: String, _ scaffold: Bool) async throws -> Int { try await tokenize(text, scaffold).count }

    /// The prompt's tokens as the engine feeds them: the start, then each segment on its own.
    public func tokens(in prompt: Prompt) async throws -> Int {
        try await PieceTokens(self).tokens(in: prompt).count
    }
}

/// One build's tokenizer: each distinct piece (a message, a marker, the system text) is
/// tokenized once however often the builder prices it, and the final prompt's tokens are made of
/// those pieces, so the prompt is never tokenized as a whole again (not here, not at admission).
final class PieceTokens {
    private struct Key: Hashable {
        var text: String
        var scaffold: Bool
    }

    let counter: TokenCounter
    private var known: [Key: TokenRun] = [:]

    init(_ counter: TokenCounter) { self.counter = counter }

    func run(_ text: String, scaffold: Bool) async throws -> TokenRun {
        let key = Key(text: text, scaffold: scaffold)
        if let run = known[key] { return run }
        let run = try await counter.tokenize(text, scaffold)
        known[key] = run
        return run
    }

    func count(_ text: String, scaffold: Bool) async throws -> Int { try await run(text, scaffold: scaffold).count }

    func tokens(in prompt: Prompt, start: TokenRun? = nil) async throws -> TokenRun {
        var total = start ?? counter.start
        for segment in prompt.segments {
            switch segment {
            case let .scaffold(s): total.append(try await run(s, scaffold: true))
            case let .text(s): total.append(try await run(s, scaffold: false))
            }
        }
        return total
    }
}
