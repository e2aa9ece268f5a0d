public import Inference

extension PromptRenderer {
    /// `parts` as chat messages, for servers that take only those: the system text (persona,
    /// lore, examples, summary) first; each run of people's messages one user message, a line
    /// per message ("name: text"), the per-turn context before the newest run and the
    /// post-history instructions after it; each bot turn an assistant message. The same cleaned
    /// text as the flat prompt, so special-token shapes are defused here too.
    public func messages(_ parts: PromptParts) -> [ChatMessage] {
        var messages: [ChatMessage] = []
        if !parts.system.isEmpty { messages.append(ChatMessage(role: .system, content: parts.system)) }
        let newest = (parts.turns.lastIndex { $0.role == .bot }).map { $0 + 1 } ?? parts.turns.startIndex
        var i = parts.turns.startIndex
        while i < parts.turns.endIndex {
            if parts.turns[i].role == .bot {
                messages.append(ChatMessage(role: .assistant, content: parts.turns[i].content))
                i += 1
                continue
            }
            let run = parts.turns[i...].prefix { $0.role != .bot }
            var lines = run.map { "\($0.author): \($0.content)" }
            if run.startIndex == newest {
                if !parts.late.isEmpty { lines.insert(parts.late, at: 0) }
                if !parts.postHistory.isEmpty { lines.append(parts.postHistory) }
            }
            messages.append(ChatMessage(role: .user, content: lines.joined(separator: "\n")))
            i = run.endIndex
        }
        // A prompt that ends with the bot's turn (a reply carried on): what is late still goes last.
        if newest == parts.turns.endIndex, !parts.turns.isEmpty {
            let tail = [parts.late, parts.postHistory].filter { !$0.isEmpty }
            if !tail.isEmpty { messages.append(ChatMessage(role: .user, content: tail.joined(separator: "\n"))) }
        }
        return messages
    }
}
