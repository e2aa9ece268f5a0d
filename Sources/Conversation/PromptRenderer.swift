public import Inference

/// Lays out `PromptParts` in a format. Markers are scaffolding; system text, names and messages
/// are text (never parsed for special tokens), already sanitised by the builder.
public struct PromptRenderer: Sendable {
    public let format: PromptFormat

    public init(format: PromptFormat) { self.format = format }

    public func render(_ parts: PromptParts) -> Prompt {
        switch format {
        case .alpaca: alpaca(parts)
        case .alpacaInput: alpacaInput(parts)
        case .chatML: chatML(parts)
        case let .custom(system, user, bot, response): custom(parts, system, user, bot, response)
        }
    }

    /// Where a reply must end: the model opening a section or speaking for someone else.
    public func stops(participants: [String]) -> [String] {
        let sections: [String] =
            switch format {
            // Any new `###` heading: the model opening a section of its own (`### You:`) ends the reply too.
            case .alpaca, .alpacaInput: ["### Instruction:", "### Input:", "### Response:", "\n### "]
            case .chatML: ["<|im_end|>", "<|im_start|>"]
            case let .custom(_, user, _, _): [String(user.prefix { $0 != "{" })].filter { $0.count >= 2 }
            }
        return sections + participants.filter { !$0.isEmpty }.map { "\n\($0):" }
    }

    /// What `turn` adds to a prompt, as it would stand alone: its text (a segment of its own in
    /// the prompt, turns being kept apart by scaffolding) and the markers around it. The builder
    /// prices a turn with this, so the price tokenizes the very pieces the prompt is made of.
    public func fragment(of turn: Turn, speaker: String?) -> Prompt {
        var p = Prompt()
        switch format {
        case .alpaca:
            p.scaffold(turn.role == .bot ? "### Response:\n" : "### Instruction:\n")
            p.text(turn.role == .bot ? botText(turn, speaker) : userText(turn))
            p.scaffold("\n\n")
        case .chatML:
            p.scaffold(turn.role == .bot ? "<|im_start|>assistant\n" : "<|im_start|>user\n")
            p.text(turn.role == .bot ? botText(turn, speaker) : userText(turn))
            p.scaffold("<|im_end|>\n")
        case .alpacaInput:
            p.text(userText(turn))
            p.scaffold("\n")
        case let .custom(_, user, bot, _):
            p = fill(turn, turn.role == .bot ? bot : user, speaker)
        }
        return p
    }

    private func botText(_ turn: Turn, _ speaker: String?) -> String {
        speaker.map { "\($0): \(turn.content)" } ?? turn.content
    }

    private func userText(_ turn: Turn) -> String { "\(turn.author): \(turn.content)" }

    /// Messages one after another, each its own text segment: the newline between them is layout.
    private func run(_ p: inout Prompt, _ turns: ArraySlice<Turn>) {
        for (n, turn) in turns.enumerated() {
            if n > 0 { p.scaffold("\n") }
            p.text(userText(turn))
        }
    }

    /// Per-turn context before the newest messages (their own line, apart from them). Only a
    /// prompt with messages has it; the builder prices it on its own.
    private func late(_ p: inout Prompt, _ parts: PromptParts) {
        guard !parts.late.isEmpty else { return }
        p.text(parts.late)
        p.scaffold("\n")
    }

    /// Where the newest messages start: after the last bot turn (the end when the bot spoke last).
    private func newestStart(_ turns: [Turn]) -> Int {
        (turns.lastIndex { $0.role == .bot }).map { $0 + 1 } ?? turns.startIndex
    }

    /// Post-history instructions after the last message, apart from it.
    private func postHistory(_ p: inout Prompt, _ parts: PromptParts) {
        guard !parts.postHistory.isEmpty else { return }
        p.scaffold("\n")
        p.text(parts.postHistory)
    }

    private func alpaca(_ parts: PromptParts) -> Prompt {
        var p = Prompt()
        if !parts.system.isEmpty {
            p.text(parts.system)
            p.scaffold("\n\n")
        }
        var i = parts.turns.startIndex
        while i < parts.turns.endIndex {
            let users = parts.turns[i...].prefix { $0.role != .bot }
            if !users.isEmpty {
                p.scaffold("### Instruction:\n")
                if users.endIndex == parts.turns.endIndex { late(&p, parts) }
                run(&p, users)
                i = users.endIndex
                if i == parts.turns.endIndex { postHistory(&p, parts) }
                p.scaffold("\n\n")
            }
            p.scaffold("### Response:\n")
            guard i < parts.turns.endIndex else { break }
            p.text(botText(parts.turns[i], parts.speaker))
            p.scaffold("\n\n")
            i += 1
        }
        if parts.turns.last?.role == .bot {
            // No newest messages (a reply carried on): the per-turn context goes last.
            if !parts.late.isEmpty {
                p.text(parts.late)
                p.scaffold("\n\n")
            }
            p.scaffold("### Response:\n")
        }
        if let speaker = parts.speaker { p.text("\(speaker):") }
        return p
    }

    private func alpacaInput(_ parts: PromptParts) -> Prompt {
        var p = Prompt()
        p.scaffold("### Instruction:\n")
        p.text(parts.system + (parts.postHistory.isEmpty ? "" : "\n\(parts.postHistory)"))
        p.scaffold("\n\n### Input:\n")
        let newest = newestStart(parts.turns)
        let older = newest > parts.turns.startIndex
        let newer = newest < parts.turns.endIndex
        run(&p, parts.turns[..<newest])
        if !parts.late.isEmpty, !parts.turns.isEmpty {
            if older { p.scaffold("\n") }
            p.text(parts.late)
            if newer { p.scaffold("\n") }
        } else if older, newer {
            p.scaffold("\n")
        }
        run(&p, parts.turns[newest...])
        p.scaffold("\n\n### Response:\n")
        if let speaker = parts.speaker { p.text("\(speaker):") }
        return p
    }

    private func chatML(_ parts: PromptParts) -> Prompt {
        var p = Prompt()
        if !parts.system.isEmpty {
            p.scaffold("<|im_start|>system\n")
            p.text(parts.system)
            p.scaffold("<|im_end|>\n")
        }
        var i = parts.turns.startIndex
        while i < parts.turns.endIndex {
            if parts.turns[i].role == .bot {
                p.scaffold("<|im_start|>assistant\n")
                p.text(botText(parts.turns[i], parts.speaker))
                p.scaffold("<|im_end|>\n")
                i += 1
                continue
            }
            let users = parts.turns[i...].prefix { $0.role != .bot }
            p.scaffold("<|im_start|>user\n")
            if users.endIndex == parts.turns.endIndex { late(&p, parts) }
            run(&p, users)
            i = users.endIndex
            if i == parts.turns.endIndex { postHistory(&p, parts) }
            p.scaffold("<|im_end|>\n")
        }
        if parts.turns.last?.role == .bot, !parts.late.isEmpty {
            p.scaffold("<|im_start|>user\n")
            p.text(parts.late)
            p.scaffold("<|im_end|>\n")
        }
        p.scaffold("<|im_start|>assistant\n")
        if let speaker = parts.speaker { p.text("\(speaker):") }
        return p
    }

    private func custom(_ parts: PromptParts, _ system: String, _ user: String, _ bot: String, _ response: String) -> Prompt {
        var p = Prompt()
        let char = parts.speaker ?? ""
        if !parts.system.isEmpty { fill(&p, system, ["system": parts.system, "char": char]) }
        let newest = newestStart(parts.turns)
        for (index, turn) in parts.turns.enumerated() {
            if index == newest, !parts.late.isEmpty { p.text(parts.late + "\n") }
            for segment in fill(turn, turn.role == .bot ? bot : user, parts.speaker).segments { p.append(segment) }
        }
        if newest == parts.turns.endIndex, newest > 0, !parts.late.isEmpty { p.text(parts.late + "\n") }
        if !parts.postHistory.isEmpty { p.text(parts.postHistory + "\n") }
        fill(&p, response, ["char": char])
        return p
    }

    private func fill(_ turn: Turn, _ format: String, _ speaker: String?) -> Prompt {
        var p = Prompt()
        fill(&p, format, ["name": turn.author, "content": turn.content, "char": speaker ?? ""])
        return p
    }

    /// Literal parts of a format are scaffolding; substituted values are text.
    private func fill(_ p: inout Prompt, _ format: String, _ values: [String: String]) {
        var rest = Substring(format)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}"), let value = values[String(rest[rest.index(after: open)..<close])]
            else {
                p.scaffold(String(rest[...open]))
                rest = rest[rest.index(after: open)...]
                continue
            }
            p.scaffold(String(rest[..<open]))
            p.text(value)
            rest = rest[rest.index(after: close)...]
        }
        p.scaffold(String(rest))
    }
}
