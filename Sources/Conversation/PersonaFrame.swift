import Foundation
import Roleplay

/// The part of a prompt that does not depend on history: system text, the persona's description,
/// matching lorebook entries (within their budget) and example dialogue, with `{{char}}` and
/// `{{user}}` substituted. Every persona field is card text, so it goes through `PromptSanitizer`
/// after substitution (and after `<START>` became a sentence, so that marker survives).
struct PersonaFrame: Sendable {
    var system: String
    var examples: String
    var postHistory: String
    var speaker: String?

    init(input: PromptBuilder.Input, userName: String, recentText: String, pieces: PieceTokens, loreBudget: Int) async throws {
        guard var persona = input.persona else {
            system = input.system
            examples = ""
            postHistory = ""
            speaker = nil
            return
        }
        let sanitizer = PromptSanitizer()
        persona.name = sanitizer.name(persona.name)
        func sub(_ s: String) -> String { sanitizer.clean(persona.substitute(s, user: userName)) }
        // The operator's system text is trusted structure; a card's replacement for it is not.
        var lines = [persona.systemPrompt.isEmpty ? persona.substitute(input.system, user: userName) : sub(persona.systemPrompt)]
        lines.append(
            "You are \(persona.name). Stay in character and write only \(persona.name)'s replies; never write for anyone else.")
        if !persona.description.isEmpty { lines.append("\(persona.name)'s description: \(sub(persona.description))") }
        if !persona.personality.isEmpty { lines.append("\(persona.name)'s personality: \(sub(persona.personality))") }
        if !persona.scenario.isEmpty { lines.append("Scenario: \(sub(persona.scenario))") }
        if let book = persona.lorebook {
            // A card may ask for less than the builder's share, never more: lore cannot crowd out the history.
            var left = min(book.tokenBudget ?? loreBudget, loreBudget)
            for entry in book.matching(recentText) {
                let text = sub(entry.content)
                let cost = try await pieces.count(text, scaffold: false)
                guard cost <= left else { continue }
                left -= cost
                lines.append(text)
            }
        }
        system = lines.filter { !$0.isEmpty }.joined(separator: "\n")
        examples = sub(persona.exampleDialogue.replacingOccurrences(of: "<START>", with: "Example of how {{char}} talks:"))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        postHistory = sub(persona.postHistoryInstructions)
        speaker = persona.name
    }

    func parts(turns: [Turn], examples include: Bool) -> PromptParts {
        let system = include && !examples.isEmpty ? system + "\n\n" + examples : system
        return PromptParts(system: system, turns: turns, postHistory: postHistory, speaker: speaker)
    }
}
