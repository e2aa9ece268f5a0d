import Foundation
import Inference
import LlamaRuntime
import ParleyTestSupport
import Roleplay
import Testing

@testable import Conversation

/// Budgets with the model's own tokenizer: the prompt plus the reply budget always fit the
/// context, and the persona is always intact.
@Suite struct PromptBudgetTests {
    static let model = try! LlamaModel(path: TestModel.path)
    static let counter = TokenCounter { text, scaffold in try model.tokenize(text, parseSpecial: scaffold).count }

    /// The prompt's tokens as the engine computes them (`EngineLoop.tokenize`): the model's start
    /// (BOS when it adds one), then each segment on its own.
    static func realIDs(_ prompt: Prompt) throws -> [Int32] {
        try model.promptStart
            + prompt.segments.flatMap { segment in
                switch segment {
                case let .scaffold(s): try model.tokenize(s, parseSpecial: true)
                case let .text(s): try model.tokenize(s, parseSpecial: false)
                }
            }
    }

    static func realTokens(_ prompt: Prompt) throws -> Int { try realIDs(prompt).count }

    static let words = [
        "magnet", "kraken", "harbour", "ship", "why", "how", "the", "a", "blue", "sky", "🎉", "naïve", "東京", "code", "```",
    ]

    /// Mostly chat-sized messages; with `huge`, every 17th is several hundred words.
    static func randomHistory(_ n: Int, huge: Bool = true, using rng: inout some RandomNumberGenerator) -> [Turn] {
        (0..<n).map { i in
            let length = Int.random(in: 1...(huge && i % 17 == 0 ? 600 : 40), using: &rng)
            let content = (0..<length).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ")
            return i % 3 == 2
                ? Turn(role: .bot, author: "Mora", content: content)
                : Turn(role: .user, author: ["alice", "bob", "carol"].randomElement(using: &rng)!, content: content)
        }
    }

    @Test func promptAlwaysFitsAndThePersonaIsIntact() async throws {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<25 {
            let context = [512, 1024, 2048].randomElement(using: &rng)!
            let reply = [64, 128, 256].randomElement(using: &rng)!
            let description = String(repeating: "She sails the northern seas. ", count: Int.random(in: 1...12, using: &rng))
            let persona = Persona(
                name: "Mora", description: description,
                exampleDialogue: "<START>\n{{user}}: hi\n{{char}}: Arr, " + String(repeating: "matey ", count: 40))
            let format: PromptFormat = [.alpaca, .alpacaInput, .chatML].randomElement(using: &rng)!
            let builder = PromptBuilder(
                renderer: PromptRenderer(format: format), contextTokens: context, replyTokens: reply, counter: Self.counter)
            let history = Self.randomHistory(Int.random(in: 1...120, using: &rng), using: &rng)
            let output = try await builder.build(.init(system: "Be brief.", persona: persona, history: history, botName: "Mora"))
            let tokens = try Self.realTokens(output.prompt)
            #expect(tokens + reply <= context, "round \(round): \(tokens) + \(reply) > \(context)")
            #expect(
                output.prompt.description.contains(description.trimmingCharacters(in: .whitespaces)),
                "persona cut in round \(round)")
            #expect(output.keptTurns >= 1)
            #expect(
                output.prompt.description.contains(String(history.last!.content.prefix(20))), "the newest message is always there"
            )
        }
    }

    @Test func aHugeMessageIsTruncatedWithAMarker() async throws {
        let builder = PromptBuilder(
            renderer: PromptRenderer(format: .alpaca), contextTokens: 512, replyTokens: 128, counter: Self.counter)
        let huge = String(repeating: "word ", count: 3000)
        let output = try await builder.build(
            .init(system: "", history: [Turn(role: .user, author: "alice", content: huge)], botName: "Parley"))
        #expect(output.prompt.description.contains("[…message truncated]"))
        #expect(try Self.realTokens(output.prompt) + 128 <= 512)
    }

    @Test func exampleDialogueGoesBeforeHistory() async throws {
        let persona = Persona(name: "Mora", exampleDialogue: "<START>\n" + String(repeating: "{{char}}: Arr!\n", count: 60))
        let builder = PromptBuilder(
            renderer: PromptRenderer(format: .alpaca), contextTokens: 1024, replyTokens: 128, counter: Self.counter)
        var rng = SystemRandomNumberGenerator()
        let short = try await builder.build(
            .init(system: "", persona: persona, history: Self.randomHistory(2, huge: false, using: &rng), botName: "Mora"))
        #expect(short.examplesIncluded)
        let long = try await builder.build(
            .init(system: "", persona: persona, history: Self.randomHistory(200, using: &rng), botName: "Mora"))
        #expect(!long.examplesIncluded)
    }

    /// Across 50 turns, each prompt mostly starts with the previous one, so the engine's prefix
    /// cache keeps hitting even while old history is being dropped.
    @Test func consecutivePromptsShareALongPrefix() async throws {
        // 2048 tokens: 50 turns of chat outgrow it, so history is dropped during the run.
        let builder = PromptBuilder(
            renderer: PromptRenderer(format: .alpaca), contextTokens: 2048, replyTokens: 128, counter: Self.counter)
        var rng = SystemRandomNumberGenerator()
        var history: [Turn] = []
        var previous: String?
        var shares: [Double] = []
        var dropped = false
        for i in 0..<50 {
            history += Self.randomHistory(2, huge: false, using: &rng).enumerated().map { n, t in
                Turn(role: n == 0 ? .user : .bot, author: n == 0 ? "alice" : "Parley", content: t.content + " \(i)")
            }
            let output = try await builder.build(.init(system: "You are helpful.", history: history, botName: "Parley"))
            let text = output.prompt.description
            if output.keptTurns < history.count { dropped = true }
            if let previous {
                let common = zip(previous, text).prefix { $0 == $1 }.count
                shares.append(Double(common) / Double(text.count))
            }
            previous = text
        }
        let average = shares.reduce(0, +) / Double(shares.count)
        #expect(dropped, "the history outgrew the budget, so dropping was exercised")
        #expect(average > 0.8, "average shared prefix \(average)")
        print("prefix share over 50 turns: \(average)")
    }
}
