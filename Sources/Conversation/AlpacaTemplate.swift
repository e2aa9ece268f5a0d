import Inference

/// The back-and-forth Alpaca layout of the Nous-Hermes model cards: system text, then for each
/// exchange an `### Instruction:` block (one line per user message, prefixed by the author) and a
/// `### Response:` block. Section markers are scaffolding; everything people typed is text.
public struct AlpacaTemplate: Sendable {
    public var system: String

    public init(system: String) { self.system = system }

    public func prompt(for turns: [Turn]) -> Prompt {
        var prompt = Prompt()
        if !system.isEmpty {
            prompt.text(system)
            prompt.scaffold("\n\n")
        }
        var index = turns.startIndex
        while index < turns.endIndex {
            let users = turns[index...].prefix { $0.role != .bot }
            if !users.isEmpty {
                prompt.scaffold("### Instruction:\n")
                for (n, turn) in users.enumerated() {
                    if n > 0 { prompt.scaffold("\n") }
                    prompt.text("\(turn.author): \(turn.content)")
                }
                prompt.scaffold("\n\n")
                index = users.endIndex
            }
            prompt.scaffold("### Response:\n")
            guard index < turns.endIndex, turns[index].role == .bot else { break }
            prompt.text(turns[index].content)
            prompt.scaffold("\n\n")
            index += 1
        }
        return prompt
    }

    /// Where a reply must end: the model starting a new section.
    public static let stops = ["### Instruction:", "### Response:", "### Input:"]
}
