import Foundation
import Inference
import Roleplay
import Testing

@testable import Conversation

/// Roleplay prompts with several people: the system text and the card read the same whoever
/// speaks, and what changes per turn (triggered lore) sits right before the newest messages, so
/// each prompt starts like the previous one and the engine's prefix cache keeps hitting.
@Suite struct StablePromptTests {
    static let speakers = ["alice", "bob", "carol"]

    static func persona(descriptionWords: Int = 20) -> Persona {
        let filler = (0..<descriptionWords).map { "word\($0)" }.joined(separator: " ")
        return Persona(
            name: "Keeper", description: "{{char}} keeps the lighthouse and talks with {{user}}. " + filler,
            scenario: "{{user}} visits the lighthouse.", exampleDialogue: "<START>\n{{user}}: hi\n{{char}}: Evening.",
            systemPrompt: "Play {{char}} for {{user}}.", postHistoryInstructions: "Answer {{user}} briefly.",
            lorebook: Lorebook(entries: [
                .init(keys: ["storm"], content: "The storm of '82 took {{user}}'s boat."),
                .init(keys: [], content: "The lamp never goes out.", constant: true),
            ]))
    }

    func builder(_ format: PromptFormat = .alpaca, context: Int = 8192) -> PromptBuilder {
        PromptBuilder(
            renderer: PromptRenderer(format: format), contextTokens: context, replyTokens: 128,
            counter: PromptGoldenTests.roughCounter)
    }

    func history(turns: Int) -> [Turn] {
        (0..<turns).flatMap { i in
            [
                Turn(role: .user, author: Self.speakers[i % 3], content: "message \(i)\(i % 4 == 1 ? " about the storm" : "")"),
                Turn(role: .bot, author: "Keeper", content: "answer \(i)"),
            ]
        }
    }

    @Test func theCardReadsTheSameWhoeverSpeaks() async throws {
        var starts: Set<String> = []
        for turns in 1...6 {
            let prompt = try await builder().build(
                .init(system: "", persona: Self.persona(), history: Array(history(turns: turns).dropLast()), botName: "Keeper")
            ).prompt.description
            // Everything before the first section marker: system text, card, constant lore, examples.
            starts.insert(String(prompt[..<prompt.range(of: "### ")!.lowerBound]))
            for name in Self.speakers { #expect(!starts.first!.contains(name), "no speaker's name in the card") }
        }
        #expect(starts.count == 1, "\(starts)")
        #expect(starts.first!.contains("talks with the people in this channel"))
        #expect(starts.first!.contains("The lamp never goes out."), "constant lore stays in the stable part")
        #expect(starts.first!.contains("User: hi"), "example dialogue gets a neutral label")
    }

    @Test func triggeredLoreAndTheSpeakerComeRightBeforeTheNewestMessage() async throws {
        // Turn 1 (bob) mentions the storm.
        let turns = Array(history(turns: 2).dropLast())
        let prompt = try await builder().build(
            .init(system: "", persona: Self.persona(), history: turns, botName: "Keeper")
        ).prompt.description
        let tail = "### Instruction:\nThe storm of '82 took bob's boat.\nbob: message 1 about the storm\nAnswer bob briefly.\n\n"
        #expect(prompt.hasSuffix(tail + "### Response:\nKeeper:"), "\(prompt)")
        #expect(prompt.components(separatedBy: "storm of '82").count == 2, "the lore is in the prompt once")
    }

    @Test(arguments: [
        PromptFormat.alpaca, .alpacaInput, .chatML,
        .custom(system: "<s>{system}\n", user: "<u>{name}: {content}\n", bot: "<b>{content}\n", response: "<b>"),
    ])
    func everyLayoutPutsTheLateBlockBeforeTheNewestMessages(format: PromptFormat) async throws {
        let turns = Array(history(turns: 2).dropLast()) + [Turn(role: .user, author: "carol", content: "me too")]
        let prompt = try await builder(format).build(
            .init(system: "", persona: Self.persona(), history: turns, botName: "Keeper")
        ).prompt.description
        let lore = try #require(prompt.range(of: "The storm of '82 took carol's boat."))
        let previousAnswer = try #require(prompt.range(of: "answer 0"))
        let newest = try #require(prompt.range(of: "message 1 about the storm"))
        #expect(previousAnswer.upperBound <= lore.lowerBound && lore.upperBound <= newest.lowerBound, "\(prompt)")
    }

    @Test func aPromptEndingWithTheBotsTurnStillCarriesTheLore() async throws {
        let turns = history(turns: 2) // ends with the bot's answer
        let prompt = try await builder().build(
            .init(system: "", persona: Self.persona(), history: turns, botName: "Keeper")
        ).prompt.description
        #expect(prompt.hasSuffix("answer 1\n\nThe storm of '82 took bob's boat.\n\n### Response:\nKeeper:"), "\(prompt)")
    }

    /// 50 turns, three people in turn, a card far longer than a turn, a context the run outgrows:
    /// on average at least 85% of each prompt starts like the previous one (the issue's figure).
    @Test func threeSpeakersStillShareALongPrefix() async throws {
        let builder = builder(context: 4096)
        var history: [Turn] = []
        var previous: String?
        var shares: [Double] = []
        for i in 0..<50 {
            history.append(
                Turn(role: .user, author: Self.speakers[i % 3], content: "message \(i) " + (i % 3 == 1 ? "storm" : "calm")))
            let output = try await builder.build(
                .init(system: "", persona: Self.persona(descriptionWords: 800), history: history, botName: "Keeper"))
            let text = output.prompt.description
            if let previous { shares.append(Double(zip(previous, text).prefix { $0 == $1 }.count) / Double(text.count)) }
            previous = text
            history.append(Turn(role: .bot, author: "Keeper", content: "reply number \(i), a sentence or two long."))
        }
        let average = shares.reduce(0, +) / Double(shares.count)
        print("prefix share over 50 turns, 3 speakers, a card and lore: \(average)")
        #expect(average >= 0.85, "average shared prefix \(average)")
    }
}
