import DiscordModels
import DiscordREST

/// Reads what a channel said after a given message, oldest first, in bounded pages through the
/// REST client's rate limiter: the backfill after a gap no gateway session can replay.
struct HistoryReader: Sendable {
    let rest: any DiscordClient
    /// Messages per request (Discord's most).
    static let pageSize = 100
    /// Requests per channel at most: a backfill reads a few hundred messages, never a whole history.
    static let maximumPages = 5

    /// The messages after `after`, oldest first. Every page must move past the previous one,
    /// so a server that ignores `after` cannot keep it reading.
    func messages(channel: Snowflake, after: Snowflake) async throws -> [Message] {
        var collected: [Message] = []
        var cursor = after
        for _ in 0..<Self.maximumPages {
            let page = try await rest.messages(channel: channel, after: cursor, limit: Self.pageSize)
            let newer = page.filter { $0.id.isAfter(cursor) }
            collected += newer
            guard page.count >= Self.pageSize, let newest = newer.max(by: { $1.id.isAfter($0.id) }) else { break }
            cursor = newest.id
        }
        return collected.sorted { $1.id.isAfter($0.id) }
    }
}
