import Conversation
import Foundation
import Inference
import LlamaInference
import LlamaRuntime
import Logging
import Roleplay
import Sampling

/// (h) A roleplay channel: a card of about `cardTokens` tokens with a lorebook, `turns` messages
/// from `speakers` people in turn, each answered by the model (closed loop, short greedy
/// replies). For each prompt, the share of its tokens that starts like the previous prompt
/// (what a prefix cache can reuse), and the engine's own reused-token ratio over the run. With
/// several speakers, the prompt's start must not change when someone else speaks.
struct RoleplayCacheBenchmark {
    var engineConfiguration: EngineConfiguration
    var turns = 50
    var cardTokens = 1000
    var replyTokens = 24
    var logger: Logger

    static let names = ["alice", "bob", "carol"]
    /// Keys of the lorebook's entries, mentioned by some messages (so entries come and go).
    static let keys = ["storm", "lamp", "ship", "gull"]

    func run(speakers: Int) async throws -> BenchmarkReport.RoleplayCache.Run {
        let engine = try await LlamaEngine(configuration: engineConfiguration, logger: logger)
        let persona = try card()
        let builder = PromptBuilder(
            renderer: PromptRenderer(format: .alpaca), contextTokens: engine.contextSize, replyTokens: replyTokens,
            counter: TokenCounter(engine))
        var history: [Turn] = []
        var previous: [Int32] = []
        var shares: [Double] = []
        let before = engine.statistics
        for turn in 0..<turns {
            let author = Self.names[turn % max(1, min(speakers, Self.names.count))]
            let key = turn % 3 == 0 ? "nothing in particular" : Self.keys[turn % Self.keys.count]
            history.append(Turn(role: .user, author: author, content: "Message \(turn + 1): tell me about the \(key), please."))
            let built = try await builder.build(.init(system: "", persona: persona, history: history, botName: persona.name))
            guard let tokens = built.tokenIDs else { throw BenchmarkError("the engine gave no prompt tokens") }
            if !previous.isEmpty {
                let common = zip(previous, tokens).prefix { $0 == $1 }.count
                shares.append(Double(common) / Double(tokens.count))
            }
            previous = tokens
            var options = GenerationOptions.greedy(maxTokens: replyTokens)
            options.stop += built.stops
            var request = GenerationRequest(conversation: "roleplay", prompt: built.prompt, options: options)
            request.tokens = tokens
            var raw = ""
            for try await piece in engine.generate(request) { raw += piece }
            let reply = ReplyCleaner(speaker: persona.name, participants: built.participants).clean(raw)
            history.append(Turn(role: .bot, author: persona.name, content: reply.isEmpty ? "…" : reply))
        }
        let after = engine.statistics
        await engine.shutdown()
        let prompted = after.promptTokens - before.promptTokens
        return .init(
            speakers: speakers, meanShare: shares.reduce(0, +) / Double(max(1, shares.count)), minShare: shares.min() ?? 0,
            engineReused: prompted > 0 ? Double(after.reusedTokens - before.reusedTokens) / Double(prompted) : 0)
    }

    /// A card of about `cardTokens` tokens that names `{{user}}`, with keyed and constant lore.
    func card() throws -> Persona {
        let intro = "{{char}} keeps the lighthouse and talks with {{user}} every night. "
        let model = try LlamaModel(path: engineConfiguration.modelPath)
        let body = model.text(of: Array(try model.tokenize(BenchmarkText.history, parseSpecial: false).prefix(cardTokens)))
        let entries =
            Self.keys.enumerated().map { n, key in
                Lorebook.Entry(
                    keys: [key], content: "About the \(key): {{char}} tells {{user}} story number \(n + 1) of the \(key).",
                    insertionOrder: n)
            } + [Lorebook.Entry(keys: [], content: "{{char}} never leaves the island.", constant: true, insertionOrder: 0)]
        return Persona(
            name: "Keeper", description: intro + body, personality: "patient, dry humour",
            scenario: "A lighthouse; {{user}} visits.", postHistoryInstructions: "Answer {{user}} in one or two sentences.",
            lorebook: Lorebook(entries: entries))
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension BenchmarkReport {
    /// (h) Prefix reuse in a roleplay channel, one speaker and several.
    public struct RoleplayCache: Sendable, Codable, Equatable {
        public struct Run: Sendable, Codable, Equatable {
            public var speakers: Int
            /// Mean over prompts of the share of each prompt that starts like the previous one.
            public var meanShare: Double
            public var minShare: Double
            /// The engine's reused prompt tokens over all prompt tokens in the run.
            public var engineReused: Double
        }

        public var turns: Int
        public var cardTokens: Int
        public var contextTokens: Int
        public var runs: [Run]

        public var table: String {
            var lines = [
                "(h) roleplay, \(turns) turns, a \(cardTokens)-token card with a lorebook, context \(contextTokens):"
            ]
            for run in runs {
                lines.append(
                    String(
                        format:
                            "      %d speaker%@  prompt shared with the previous one: mean %.2f, min %.2f   engine reused %.2f%@",
                        run.speakers, run.speakers == 1 ? " " : "s", run.meanShare, run.minShare, run.engineReused,
                        run.speakers > 1 ? "   [target mean >= 0.85]" : ""))
            }
            return lines.joined(separator: "\n")
        }
    }
}
