import Foundation
import SQLCore

/// What Discord deleted leaves memory too: moderators' purges, deleted channels and threads, and
/// guilds the bot left never feed a prompt again.
extension ChannelMemory {
    /// MESSAGE_DELETE_BULK: forgets every stored turn of these messages. Returns how many went.
    @discardableResult
    public func delete(messageIDs: [String]) async throws -> Int {
        guard !messageIDs.isEmpty else { return 0 }
        return try await database.perform { db in
            try db.transaction {
                var removed = 0
                for id in messageIDs {
                    try db.run("DELETE FROM turns WHERE message_id = ?", [.text(id)])
                    removed += db.changes
                }
                return removed
            }
        }
    }

    /// CHANNEL_DELETE / THREAD_DELETE: the channel's turns and its settings (persona, greeted).
    public func forget(channel: String) async throws {
        try await database.perform { db in
            try db.transaction {
                try db.run("DELETE FROM turns WHERE channel = ?", [.text(channel)])
                try db.run("DELETE FROM channels WHERE channel = ?", [.text(channel)])
                try db.run("DELETE FROM started_threads WHERE channel = ?", [.text(channel)])
                try db.run("DELETE FROM last_seen WHERE channel = ?", [.text(channel)])
                try Self.deleteSummary(channel: channel, in: db)
            }
        }
    }

    /// GUILD_DELETE for a guild the bot left: forgets every channel known to be in it, and
    /// returns them (their cached engine state goes too).
    public func forget(guild: String) async throws -> [String] {
        try await database.perform { db in
            try db.transaction {
                let channels = try db.query("SELECT channel FROM channels WHERE guild = ?", [.text(guild)]).compactMap {
                    $0.first?.string
                }
                for channel in channels {
                    try db.run("DELETE FROM turns WHERE channel = ?", [.text(channel)])
                    try db.run("DELETE FROM last_seen WHERE channel = ?", [.text(channel)])
                    try Self.deleteSummary(channel: channel, in: db)
                }
                try db.run("DELETE FROM channels WHERE guild = ?", [.text(guild)])
                return channels
            }
        }
    }

    /// GUILD_CREATE lists a guild's channels and threads: those stored before memory knew guilds
    /// (or with no message since) learn theirs, so leaving the guild forgets them as well.
    public func assign(channels: [String], guild: String) async throws {
        guard !channels.isEmpty else { return }
        try await database.perform { db in
            try db.transaction {
                for channel in channels {
                    try db.run(
                        "UPDATE channels SET guild = ? WHERE channel = ? AND guild IS NULL", [.text(guild), .text(channel)])
                    try db.run(
                        "INSERT INTO channels (channel, guild) SELECT channel, ? FROM turns WHERE channel = ? LIMIT 1 ON CONFLICT DO NOTHING",
                        [.text(guild), .text(channel)])
                }
            }
        }
    }
}
