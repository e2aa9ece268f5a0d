import Inference
import Sampling

/// The request that asks the model to fold turns into a channel's summary, in the channel's own
/// layout: the turns as they were said (cleaned like any prompt), then one instruction.
struct SummaryPrompt {
    var format: PromptFormat
    /// The summary so far, which the new one extends.
    var previous: String?

    static let system = "You keep short, factual notes about a group chat."
    static let requester = "Note-taker"

    func request(conversation: String, turns: [Turn], maxTokens: Int) -> GenerationRequest {
        let sanitizer = PromptSanitizer()
        let speakers = Array(Set(turns.map(\.author))).map(sanitizer.name).sorted()
        var lines = turns.map { turn in
            Turn(role: .user, author: sanitizer.name(turn.author), content: sanitizer.clean(turn.content, speakers: speakers))
        }
        var ask = "Summarize the conversation above in at most five sentences: who said what, facts, decisions, open questions."
        if let previous, !previous.isEmpty {
            ask += " Begin from these earlier notes and keep what still matters: " + sanitizer.clean(previous, speakers: speakers)
        }
        lines.append(Turn(role: .user, author: Self.requester, content: ask))
        let renderer = PromptRenderer(format: format)
        var options = GenerationOptions.greedy(maxTokens: maxTokens)
        options.stop = renderer.stops(participants: speakers + [Self.requester])
        let parts = PromptParts(system: Self.system, turns: lines)
        var request = GenerationRequest(conversation: conversation, prompt: renderer.render(parts), options: options)
        request.messages = renderer.messages(parts)
        return request
    }
}
