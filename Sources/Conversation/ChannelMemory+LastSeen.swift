public import Foundation
import SQLCore

/// The newest message seen in each channel, so that after a gap no gateway session can replay
/// (an expired session, a long stop) the bot can read what it missed from the channel's history
/// (`GET /channels/{id}/messages?after=`). Updated with every stored message, in the same write.
extension ChannelMemory {
    /// A channel with recent turns and the newest message seen in it.
    public struct ActiveChannel: Sendable, Equatable {
        public var channel: String
        /// The guild the channel's messages came from; nil for a DM. (Discord's message history
        /// leaves `guild_id` out, so this is how a backfill tells a DM from a guild channel.)
        public var guild: String?
        /// The newest message id seen (a snowflake).
        public var lastSeen: String

        public init(channel: String, guild: String?, lastSeen: String) {
            (self.channel, self.guild, self.lastSeen) = (channel, guild, lastSeen)
        }
    }

    /// v6: `last_seen`, one row per channel. Ids are stored as integers so that "newer" is a
    /// numeric comparison (snowflakes grow with time; as text, "999" would sort after "1000").
    static func createLastSeen(_ db: any SQLConnection) throws {
        try db.run(
            """
            CREATE TABLE IF NOT EXISTS last_seen (
                channel TEXT PRIMARY KEY, message_id BIGINT NOT NULL, guild TEXT, seen \(db.dialect.real) NOT NULL)
            """)
    }

    /// Records `messageID` as seen in `channel` (of `guild`, nil in a DM) unless a newer one
    /// already is. Ids that are not snowflakes (stand-ins such as a greeting's) are ignored.
    static func noteSeen(channel: String, messageID: String, guild: String?, at date: Date, in db: any SQLConnection) throws {
        guard let id = Int64(messageID), id > 0 else { return }
        try db.run(
            """
            INSERT INTO last_seen (channel, message_id, guild, seen) VALUES (?, ?, ?, ?)
            ON CONFLICT(channel) DO UPDATE SET message_id = excluded.message_id, guild = excluded.guild, seen = excluded.seen
            WHERE excluded.message_id > last_seen.message_id
            """, [.text(channel), .integer(id), guild.map { .text($0) } ?? .null, .real(date.timeIntervalSince1970)])
    }

    /// Marks a message as seen without storing a turn (one that was read and left aside).
    public func noteSeen(channel: String, messageID: String, guild: String?, at date: Date = Date()) async throws {
        try await database.perform { db in
            try Self.noteSeen(channel: channel, messageID: messageID, guild: guild, at: date, in: db)
        }
    }

    /// The newest message seen in `channel`.
    public func lastSeen(channel: String) async throws -> String? {
        try await database.perform { db in
            try db.query("SELECT message_id FROM last_seen WHERE channel = ?", [.text(channel)]).first?.first?.int.map {
                String($0)
            }
        }
    }

    /// Channels with a turn stored since `date` and a message seen, most recently active first,
    /// at most `limit`.
    public func activeChannels(since date: Date, limit: Int) async throws -> [ActiveChannel] {
        try await database.perform { db in
            try db.query(
                """
                SELECT t.channel, s.guild, s.message_id FROM
                (SELECT channel, MAX(created) AS newest FROM turns WHERE created >= ? GROUP BY channel) t
                JOIN last_seen s ON s.channel = t.channel ORDER BY t.newest DESC LIMIT ?
                """, [.real(date.timeIntervalSince1970), .integer(Int64(limit))]
            ).map { row in
                ActiveChannel(channel: row[0].string ?? "", guild: row[1].string, lastSeen: String(row[2].int ?? 0))
            }
        }
    }
}
