public import Foundation

/// What a backfill after a gap reads from memory: where each recently active channel left off.
extension ConversationPipeline {
    /// Channels with a turn since `date`, most recent first, each with the newest message seen.
    public func activeChannels(since date: Date, limit: Int) async throws -> [ChannelMemory.ActiveChannel] {
        try await memory.activeChannels(since: date, limit: limit)
    }

    /// A message read and left aside (not stored): the next backfill starts after it.
    public func noteSeen(channel: String, messageID: String, guild: String?) async throws {
        try await memory.noteSeen(channel: channel, messageID: messageID, guild: guild)
    }
}
