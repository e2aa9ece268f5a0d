/// A channel's running summary: what the model wrote about the turns that no longer fit the
/// prompt, and which turns it covers (every turn at or before `through` in the channel's order,
/// each reply in the place of the message it answers).
public struct ChannelSummary: Sendable, Equatable {
    public var channel: String
    public var text: String
    public var through: Position
    /// Turns folded in so far (over every refresh).
    public var turns: Int
    /// Who wrote the turns it covers (user ids), so `forget-me` can drop it.
    public var authors: Set<String>

    /// A turn's place in its channel: `place` (its own sequence, or for a reply the sequence of
    /// the message it answers), then its sequence.
    public struct Position: Sendable, Equatable, Comparable {
        public var place: Int64
        public var sequence: Int64

        public init(place: Int64, sequence: Int64) {
            self.place = place
            self.sequence = sequence
        }

        public static func < (a: Position, b: Position) -> Bool { (a.place, a.sequence) < (b.place, b.sequence) }
    }

    public init(channel: String, text: String, through: Position, turns: Int, authors: Set<String> = []) {
        self.channel = channel
        self.text = text
        self.through = through
        self.turns = turns
        self.authors = authors
    }
}
