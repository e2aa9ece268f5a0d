import Foundation
import Roleplay

/// The part of a prompt that does not depend on history: system text, the persona's description,
/// lorebook entries (within their budget) and example dialogue. Every persona field is card
/// text, so it goes through `PromptSanitizer` after substitution (and after `<START>` became a
/// sentence, so that marker survives).
///
/// Why two parts: with several people in a channel, filling `{{user}}` with the latest speaker,
/// or putting the lore their words triggered at the top, changed the start of every prompt and
/// the whole card was prefilled again each time someone else spoke. The stable part (`system`,
/// `examples`) reads the same whoever speaks: `{{user}}` becomes a neutral form, and only
/// constant lore entries are in it. What changes per turn (`late`: the lore the recent messages
/// triggered, with the speaker's name, and the speaker's own profile) goes right before the
/// newest messages.
struct PersonaFrame: Sendable {
    /// `{{user}}` in the stable part: it is the same whoever speaks.
    static let neutralUser = "the people in this channel"
    /// `{{user}}` as a speaker label in example dialogue.
    static let exampleUser = "User"
    /// Introduces the channel's running summary.
    static let summaryLead = "Earlier in this conversation (a summary):"

    var system: String
    var examples: String
    var postHistory: String
    var speaker: String?
    var late: String

    init(input: PromptBuilder.Input, userName: String, recentText: String, pieces: PieceTokens, loreBudget: Int) async throws {
        let sanitizer = PromptSanitizer()
        // Channel and server names are Discord's, chosen by people: cleaned like display names.
        var placeholders = input.placeholders
        placeholders.channelName = placeholders.channelName.map(sanitizer.name)
        placeholders.guildName = placeholders.guildName.map(sanitizer.name)
        // The summary closes the stable part: it changes only when refreshed, in chunks.
        let summary = input.summary.flatMap { $0.isEmpty ? nil : "\(Self.summaryLead) \(sanitizer.clean($0))" }
        guard var persona = input.persona else {
            system = [placeholders.fill(input.system, user: Self.neutralUser, char: sanitizer.name(input.botName)), summary]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n\n")
            examples = ""
            postHistory = ""
            speaker = nil
            late = ""
            return
        }
        persona.name = sanitizer.name(persona.name)
        func fill(_ s: String, _ user: String) -> String {
            placeholders.fill(persona.substitute(s, user: user), user: user, char: persona.name)
        }
        func stable(_ s: String) -> String { sanitizer.clean(fill(s, Self.neutralUser)) }
        func current(_ s: String) -> String { sanitizer.clean(fill(s, userName)) }
        // The operator's system text is trusted structure; a card's replacement for it is not.
        var lines = [persona.systemPrompt.isEmpty ? fill(input.system, Self.neutralUser) : stable(persona.systemPrompt)]
        lines.append(
            "You are \(persona.name). Stay in character and write only \(persona.name)'s replies; never write for anyone else.")
        if !persona.description.isEmpty { lines.append("\(persona.name)'s description: \(stable(persona.description))") }
        if !persona.personality.isEmpty { lines.append("\(persona.name)'s personality: \(stable(persona.personality))") }
        if !persona.scenario.isEmpty { lines.append("Scenario: \(stable(persona.scenario))") }
        var lore: [String] = []
        if let book = persona.lorebook {
            // A card may ask for less than the builder's share, never more: lore cannot crowd out the history.
            var left = min(book.tokenBudget ?? loreBudget, loreBudget)
            for entry in book.matching(recentText) {
                let text = entry.constant ? stable(entry.content) : current(entry.content)
                let cost = try await pieces.count(text, scaffold: false)
                guard cost <= left else { continue }
                left -= cost
                if entry.constant { lines.append(text) } else { lore.append(text) }
            }
        }
        if let summary { lines.append(summary) }
        system = lines.filter { !$0.isEmpty }.joined(separator: "\n")
        examples = sanitizer.clean(
            fill(
                persona.exampleDialogue.replacingOccurrences(of: "<START>", with: "Example of how {{char}} talks:"),
                Self.exampleUser)
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        postHistory = current(persona.postHistoryInstructions)
        speaker = persona.name
        if let profile = input.speakerProfile.map({ sanitizer.clean($0) }), !profile.isEmpty {
            lore.append("\(userName) describes themselves: \(profile)")
        }
        late = lore.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    func parts(turns: [Turn], examples include: Bool) -> PromptParts {
        let system = include && !examples.isEmpty ? system + "\n\n" + examples : system
        return PromptParts(system: system, turns: turns, postHistory: postHistory, speaker: speaker, late: late)
    }
}
