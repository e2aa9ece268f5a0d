/// A prompt as the template built it: scaffolding (section markers, special tokens) is kept apart
/// from participants' text, so the engine can parse special tokens in the first and never in the
/// second. A user who types `<start_of_turn>` gets those characters, not a control token (and
/// `PromptSanitizer` defuses the shape too, for remote servers that parse the whole string).
public struct Prompt: Sendable, Equatable, CustomStringConvertible {
    public enum Segment: Sendable, Equatable {
        case scaffold(String)
        case text(String)

        public var string: String {
            switch self {
            case let .scaffold(s), let .text(s): s
            }
        }
    }

    public var segments: [Segment]

    public init(_ segments: [Segment] = []) { self.segments = segments }

    public mutating func scaffold(_ s: String) { append(.scaffold(s)) }
    public mutating func text(_ s: String) { append(.text(s)) }

    /// Adjacent segments of the same kind are merged, so tokenization sees whole runs of text.
    public mutating func append(_ segment: Segment) {
        guard !segment.string.isEmpty else { return }
        switch (segments.last, segment) {
        case let (.scaffold(a)?, .scaffold(b)): segments[segments.count - 1] = .scaffold(a + b)
        case let (.text(a)?, .text(b)): segments[segments.count - 1] = .text(a + b)
        default: segments.append(segment)
        }
    }

    /// The exact text sent to the model (`--show-prompt`).
    public var description: String { segments.map(\.string).joined() }
}
