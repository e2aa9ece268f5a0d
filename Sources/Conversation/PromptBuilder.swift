import Foundation
public import Inference
public import Roleplay

/// Builds the prompt for a channel within the context window: persona and system text always,
/// example dialogue while it fits, then as much history as fits, dropped oldest first in chunks.
public struct PromptBuilder: Sendable {
    public struct Input: Sendable {
        public var system: String
        public var persona: Persona?
        /// Oldest first, ending with the messages to answer.
        public var history: [Turn]
        public var botName: String
        /// `{date}`, `{channel}`, … in the system text and the persona.
        public var placeholders: PromptPlaceholders
        /// The channel's running summary of turns that left the prompt (model-written: data).
        public var summary: String?
        /// In roleplay, the newest speaker's description of themselves (`profile`).
        public var speakerProfile: String?

        public init(
            system: String, persona: Persona? = nil, history: [Turn], botName: String,
            placeholders: PromptPlaceholders = PromptPlaceholders(), summary: String? = nil, speakerProfile: String? = nil
        ) {
            self.speakerProfile = speakerProfile
            self.system = system
            self.persona = persona
            self.history = history
            self.botName = botName
            self.placeholders = placeholders
            self.summary = summary
        }
    }

    public struct Output: Sendable {
        public var prompt: Prompt
        public var stops: [String]
        public var tokens: Int
        /// The prompt's token IDs, when the backend tokenizes locally: handed to the engine
        /// (`GenerationRequest.tokens`) so it does not tokenize the prompt again.
        public var tokenIDs: [Int32]?
        public var keptTurns: Int
        public var examplesIncluded: Bool
        /// The people in the recent history (not the bot).
        public var participants: [String]
        /// The same prompt as chat messages (`PromptRenderer.messages`).
        public var messages: [ChatMessage]
    }

    public var renderer: PromptRenderer
    public var contextTokens: Int
    public var replyTokens: Int
    public var counter: TokenCounter
    /// When history must shrink, it shrinks by this share of its budget at once, so the next
    /// prompts keep the same start (and the engine's prefix cache keeps hitting).
    public var chunkShare = 0.4
    /// Room left for the difference between per-part counts and the whole prompt's count.
    public var safetyMargin = 16

    public init(renderer: PromptRenderer, contextTokens: Int, replyTokens: Int, counter: TokenCounter) {
        self.renderer = renderer
        self.contextTokens = contextTokens
        self.replyTokens = replyTokens
        self.counter = counter
    }

    public func build(_ input: Input) async throws -> Output {
        let available = contextTokens - replyTokens - safetyMargin
        let sanitizer = PromptSanitizer()
        let participants = Array(Set(input.history.suffix(40).filter { $0.role != .bot }.map { sanitizer.name($0.author) }))
            .sorted()
        let speakers = participants + ([input.botName] + (input.persona.map { [$0.name] } ?? [])).map(sanitizer.name)
        let turns = input.history.map { turn in
            Turn(role: turn.role, author: sanitizer.name(turn.author), content: sanitizer.clean(turn.content, speakers: speakers))
        }
        let userName = turns.last { $0.role != .bot }?.author ?? "user"
        let pieces = PieceTokens(counter)
        let frame = try await PersonaFrame(
            input: input, userName: userName, recentText: turns.suffix(6).map(\.content).joined(separator: "\n"),
            pieces: pieces, loreBudget: contextTokens / 4)
        var costs: [Int] = []
        for turn in turns { costs.append(try await cost(of: turn, frame, pieces)) }

        // Example dialogue goes before any history does.
        var examples = !frame.examples.isEmpty
        var fixed = try await fixedCost(frame, examples: examples, pieces)
        if examples, fixed + costs.reduce(0, +) > available {
            examples = false
            fixed = try await fixedCost(frame, examples: false, pieces)
        }
        let historyBudget = max(available - fixed, 1)
        let (kept, cut) = try await truncateOversized(turns, costs, limit: historyBudget / 2, frame, pieces)
        var start = chunkedStart(cut, budget: historyBudget)
        while true {
            let parts = frame.parts(turns: Array(kept[start...]), examples: examples)
            let prompt = renderer.render(parts)
            let tokens = try await pieces.tokens(in: prompt)
            if tokens.count <= contextTokens - replyTokens || start >= kept.count - 1 {
                return Output(
                    prompt: prompt, stops: renderer.stops(participants: participants), tokens: tokens.count,
                    tokenIDs: tokens.ids, keptTurns: kept.count - start, examplesIncluded: examples,
                    participants: participants, messages: renderer.messages(parts))
            }
            start += 1 // the estimate was short: drop one more (rare)
        }
    }

    /// The frame's price. The per-turn context is rendered only with messages, so it is priced
    /// as its own piece (plus one for the merges at its edges).
    private func fixedCost(_ frame: PersonaFrame, examples: Bool, _ pieces: PieceTokens) async throws -> Int {
        let late = frame.late.isEmpty ? 0 : try await pieces.count(frame.late, scaffold: false) + 1
        return try await pieces.tokens(in: renderer.render(frame.parts(turns: [], examples: examples))).count + late
    }

    /// A message's price: the tokens of its fragment (its text and the markers around it), the
    /// very pieces the prompt is made of, plus one for the merges of adjacent markers.
    private func cost(of turn: Turn, _ frame: PersonaFrame, _ pieces: PieceTokens) async throws -> Int {
        try await pieces.tokens(in: renderer.fragment(of: turn, speaker: frame.speaker), start: .empty).count + 1
    }

    /// The first turn to keep. Cut points sit at multiples of `chunkShare × budget` in the
    /// history's cumulative token count, so they do not move while the history grows.
    func chunkedStart(_ costs: [Int], budget: Int) -> Int {
        var cumulative = [0]
        for cost in costs { cumulative.append(cumulative.last! + cost) }
        let total = cumulative.last!
        guard total > budget, !costs.isEmpty else { return 0 }
        let step = max(Int(Double(budget) * chunkShare), 1)
        // The smallest multiple k of `step` whose cut leaves at most `budget`, found directly
        // (not by trying k = 1, 2, … which is as slow as the history is long in tokens): the
        // cut must reach the first turn from which the rest fits (or the last turn).
        let target = min(cumulative.firstIndex { $0 >= total - budget } ?? costs.count - 1, costs.count - 1)
        let k = target == 0 ? 1 : cumulative[target - 1] / step + 1
        return min(cumulative.firstIndex { $0 >= k * step } ?? costs.count - 1, costs.count - 1)
    }

    /// A single message longer than `limit` tokens is cut, with a visible marker.
    private func truncateOversized(
        _ turns: [Turn], _ costs: [Int], limit: Int, _ frame: PersonaFrame,
        _ pieces: PieceTokens
    ) async throws -> ([Turn], [Int]) {
        var turns = turns
        var costs = costs
        for i in turns.indices where costs[i] > limit {
            // Cut in scalars: one grapheme (a letter with thousands of marks) can outgrow the limit.
            let scalars = turns[i].content.unicodeScalars
            let keep = max(Int(Double(scalars.count) * Double(limit) / Double(costs[i]) * 0.9), 1)
            turns[i].content = String(String.UnicodeScalarView(scalars.prefix(keep))) + " […message truncated]"
            costs[i] = try await cost(of: turns[i], frame, pieces)
        }
        return (turns, costs)
    }

}
