public import Foundation

/// A turn as memory keeps it: the prompt-facing `Turn` plus where it came from.
public struct StoredTurn: Sendable, Equatable {
    public var channel: String
    /// The channel's guild (nil in DMs, or not known): leaving a guild forgets its channels.
    public var guild: String?
    /// Discord message id (nil for turns with no message, such as a greeting not yet posted).
    public var messageID: String?
    public var authorID: String
    public var turn: Turn
    public var timestamp: Date
    /// Order within the channel, assigned by the store.
    public var sequence: Int64
    /// For a bot reply: the message it answers. The reply is kept right after that message, so
    /// a reply posted after later messages arrived still reads as its answer (see `ChannelMemory`).
    public var answering: String?
    /// Where the turn reads in its channel, assigned by the store: its sequence, or for a reply
    /// the sequence of the message it answers.
    public var place: Int64?

    public init(
        channel: String, messageID: String?, authorID: String, turn: Turn, timestamp: Date = Date(), sequence: Int64 = 0,
        guild: String? = nil, answering: String? = nil, place: Int64? = nil
    ) {
        self.channel = channel
        self.guild = guild
        self.messageID = messageID
        self.authorID = authorID
        self.turn = turn
        self.timestamp = timestamp
        self.sequence = sequence
        self.answering = answering
        self.place = place
    }

    /// The turn's position for summaries (`ChannelSummary.through`).
    public var position: ChannelSummary.Position { .init(place: place ?? sequence, sequence: sequence) }
}
