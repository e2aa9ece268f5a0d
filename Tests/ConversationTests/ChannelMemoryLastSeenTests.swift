import Conversation
import Foundation
import SQLCore
import SQLite
import Testing

/// The newest message seen per channel (schema v6): where a backfill after a gap starts.
@Suite struct ChannelMemoryLastSeenTests {
    func turn(
        _ channel: String, _ id: String, role: Turn.Role = .user, guild: String? = "g", at timestamp: Date = Date()
    ) -> StoredTurn {
        StoredTurn(
            channel: channel, messageID: id, authorID: "u", turn: Turn(role: role, author: "alice", content: "m \(id)"),
            timestamp: timestamp, guild: guild)
    }

    /// Snowflakes compare as numbers, the newest wins whatever the order stored; the bot's own
    /// turns and stand-in ids do not count.
    @Test func theNewestMessageIsKeptPerChannel() async throws {
        let memory = try ChannelMemory(path: ":memory:")
        try await memory.append(turn("a", "999"))
        try await memory.append(turn("a", "1000"))
        try await memory.append(turn("a", "998"))
        try await memory.append(turn("a", "5000", role: .bot))
        try await memory.append(turn("a", "greeting-1000"))
        try await memory.append(turn("b", "20"))
        try await memory.noteSeen(channel: "b", messageID: "21", guild: "g")
        #expect(try await memory.lastSeen(channel: "a") == "1000")
        #expect(try await memory.lastSeen(channel: "b") == "21")
        #expect(try await memory.lastSeen(channel: "c") == nil)
        try await memory.forget(channel: "a")
        #expect(try await memory.lastSeen(channel: "a") == nil, "a forgotten channel is not read back")
    }

    @Test func activeChannelsAreThoseWithRecentTurns() async throws {
        let memory = try ChannelMemory(path: ":memory:")
        let now = Date()
        try await memory.append(turn("old", "1", at: now - 90_000))
        try await memory.append(turn("recent", "2", at: now - 600))
        try await memory.append(turn("newest", "3", guild: nil, at: now - 10))
        let active = try await memory.activeChannels(since: now - 86_400, limit: 10)
        #expect(
            active == [
                .init(channel: "newest", guild: nil, lastSeen: "3"), .init(channel: "recent", guild: "g", lastSeen: "2"),
            ])
        #expect(try await memory.activeChannels(since: now - 86_400, limit: 1).map(\.channel) == ["newest"])
    }

    /// A v5 file opens as v6 and keeps its turns; its channels have no last-seen id until the next message.
    @Test func aVersion5DatabaseIsMigrated() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("memory-v5-\(UUID()).sqlite3").path
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let memory = try ChannelMemory(path: path)
            try await memory.append(turn("a", "10"))
        }
        do {
            let old = try SQLiteDatabase(path: path)
            try await old.perform { db in
                try db.run("DROP TABLE last_seen")
                try db.run("PRAGMA user_version = 5")
            }
        }
        let memory = try ChannelMemory(path: path)
        #expect(try await memory.recent(channel: "a", limit: 10).count == 1)
        #expect(try await memory.lastSeen(channel: "a") == nil)
        try await memory.append(turn("a", "11"))
        #expect(try await memory.lastSeen(channel: "a") == "11")
        let version = try await SQLiteDatabase(path: path).perform { db in try db.query("PRAGMA user_version") }
        #expect(version.first?.first?.int == 6)
    }
}
