import Foundation

/// What one channel says in the workload: history the bot only overhears (not addressed to it,
/// kept as context with `triggers.context: ambient`), then questions addressed to it. Both
/// sides of the benchmark get the very same script.
public struct ChannelScript: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var author: String
        public var authorID: String
        public var text: String
    }

    public var channel: String
    public var history: [Line]
    /// Asked in order, each once the previous reply is complete (closed loop).
    public var questions: [Line]
}

/// Builds the scripts from a seed: chatter made of a fixed vocabulary, different in every channel
/// (no two channels share a prefix beyond the system prompt), the same on every run.
public struct WorkloadScript: Sendable {
    public var channels: Int
    /// Words of history per channel (about 1.4 tokens a word for the default model).
    public var historyWords: Int
    public var questions: Int
    public var seed: UInt64

    public init(channels: Int, historyWords: Int, questions: Int, seed: UInt64 = 14) {
        self.channels = channels
        self.historyWords = historyWords
        self.questions = questions
        self.seed = seed
    }

    static let people = [("ann", "3001"), ("ben", "3002"), ("cleo", "3003"), ("dev", "3004")]
    static let subjects = [
        "the river trail", "my sourdough", "the night bus", "our garden", "the old lighthouse", "the chess club",
        "that new café", "the mountain pass", "my bike", "the school fair", "the harbour", "the library",
    ]
    static let verbs = ["was", "seemed", "felt", "looked", "turned out", "got"]
    static let adjectives = [
        "quiet", "crowded", "muddy", "bright", "slow", "lovely", "strange", "cold", "noisy", "perfect", "late", "busy",
    ]
    static let tails = [
        "after the rain", "on saturday", "this morning", "again", "for once", "all week", "near the bridge",
        "at dusk", "before lunch", "with the kids",
    ]
    static let asks = [
        "what do you think about {s}?", "can you suggest something to do near {s}?",
        "how would you describe {s} in one sentence?", "any tips for visiting {s}?",
        "what should I bring to {s}?", "is {s} worth it in winter?", "tell me a fun fact related to {s}.",
        "how do I get to {s} from the station?",
    ]

    /// The scripts for every channel, channel ids counting up from `firstChannel`.
    public func scripts(firstChannel: Int = 5001) -> [ChannelScript] {
        (0..<channels).map { index in
            var rng = SplitMix(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
            var history: [ChannelScript.Line] = []
            var words = 0
            while words < historyWords {
                let (name, id) = Self.people[rng.next(Self.people.count)]
                let sentence =
                    "\(Self.subjects[rng.next(Self.subjects.count)]) \(Self.verbs[rng.next(Self.verbs.count)]) "
                    + "\(Self.adjectives[rng.next(Self.adjectives.count)]) \(Self.tails[rng.next(Self.tails.count)])"
                let text = rng.next(2) == 0 ? sentence : sentence + ", and \(Self.subjects[rng.next(Self.subjects.count)]) too"
                history.append(.init(author: name, authorID: id, text: text))
                words += text.split(separator: " ").count
            }
            let asker = Self.people[index % Self.people.count]
            let questions = (0..<questions).map { q in
                let ask = Self.asks[(index + q) % Self.asks.count]
                let subject = Self.subjects[(index * 5 + q * 7) % Self.subjects.count]
                return ChannelScript.Line(
                    author: asker.0, authorID: asker.1, text: ask.replacingOccurrences(of: "{s}", with: subject))
            }
            return ChannelScript(channel: "\(firstChannel + index)", history: history, questions: questions)
        }
    }
}

/// A small seeded generator, so the scripts do not depend on the platform's random numbers.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
