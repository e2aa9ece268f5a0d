import Conversation
import Foundation
import SQLCore
import SQLite
import Testing

/// What Discord deletes or edits reaches memory; retention covers every channel.
@Suite struct ChannelMemoryDeletionTests {
    func turn(
        _ channel: String, _ id: String, _ content: String, role: Turn.Role = .user, guild: String? = nil,
        at timestamp: Date = Date()
    ) -> StoredTurn {
        StoredTurn(
            channel: channel, messageID: id, authorID: "u", turn: Turn(role: role, author: "alice", content: content),
            timestamp: timestamp, guild: guild)
    }

    func contents(_ memory: ChannelMemory, _ channel: String) async throws -> [String] {
        try await memory.recent(channel: channel, limit: 100).map(\.turn.content)
    }

    /// Discord edits a long reply's first part (link embeds): the stored whole reply stays.
    @Test func theBotsOwnTurnsDoNotFollowEdits() async throws {
        let memory = try ChannelMemory(path: ":memory:")
        try await memory.append(turn("a", "1", "part one… part two", role: .bot))
        try await memory.append(turn("a", "2", "teh plan"))
        #expect(try await !memory.edit(messageID: "1", content: "part one…"))
        #expect(try await memory.edit(messageID: "2", content: "the plan"))
        #expect(try await contents(memory, "a") == ["part one… part two", "the plan"])
    }

    @Test func purgesChannelsAndGuildsAreForgotten() async throws {
        let memory = try ChannelMemory(path: ":memory:")
        for (channel, guild) in [("a", "g1"), ("b", "g1"), ("c", "g2"), ("dm", nil)] as [(String, String?)] {
            for n in 0..<3 { try await memory.append(turn(channel, "\(channel)\(n)", "\(channel) \(n)", guild: guild)) }
        }
        try await memory.setPersona("Mora", channel: "a")
        #expect(try await memory.delete(messageIDs: ["a0", "a2", "c1", "nothing"]) == 3)
        #expect(try await contents(memory, "a") == ["a 1"])
        #expect(try await contents(memory, "c") == ["c 0", "c 2"])

        try await memory.forget(channel: "a")
        #expect(try await contents(memory, "a").isEmpty)
        #expect(try await memory.persona(channel: "a") == nil, "the channel's settings go too")
        #expect(try await memory.forget(guild: "g1") == ["b"])
        #expect(try await contents(memory, "b").isEmpty)
        #expect(try await contents(memory, "c").count == 2, "another guild's channel stays")
        #expect(try await contents(memory, "dm").count == 3, "DMs belong to no guild")
    }

    /// A database from before memory knew guilds opens, keeps its turns, and learns a channel's
    /// guild from GUILD_CREATE's channel list.
    @Test func aVersion1DatabaseIsMigratedAndLearnsGuilds() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("memory-v1-\(UUID()).sqlite3").path
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let old = try SQLiteDatabase(path: path)
            try await old.perform { db in
                try db.run(
                    """
                    CREATE TABLE turns (seq INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, message_id TEXT,
                    author_id TEXT NOT NULL, author TEXT NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL, created REAL NOT NULL)
                    """)
                try db.run("CREATE TABLE answered (message_id TEXT PRIMARY KEY, created REAL NOT NULL)")
                try db.run("CREATE TABLE channels (channel TEXT PRIMARY KEY, persona TEXT, greeted INTEGER NOT NULL DEFAULT 0)")
                try db.run(
                    "INSERT INTO turns (channel, message_id, author_id, author, role, content, created) VALUES ('a', '1', 'u', 'alice', 'user', 'kept', 0)"
                )
                try db.run("INSERT INTO channels (channel, persona, greeted) VALUES ('b', 'Mora', 1)")
                try db.run("PRAGMA user_version = 1")
            }
        }
        let memory = try ChannelMemory(path: path)
        #expect(try await contents(memory, "a") == ["kept"])
        #expect(try await memory.persona(channel: "b") == "Mora")
        try await memory.assign(channels: ["a", "b", "unknown"], guild: "g")
        #expect(Set(try await memory.forget(guild: "g")) == ["a", "b"])
        #expect(try await contents(memory, "a").isEmpty)
        #expect(try await ChannelMemory(path: path).persona(channel: "b") == nil, "reopening a migrated file works")
    }

    /// Every channel, answered or not: quiet ones, DMs, ambient chatter.
    @Test func retentionCoversEveryChannelAndTheAnsweredTable() async throws {
        let memory = try ChannelMemory(path: ":memory:")
        let now = Date()
        try await memory.append(turn("quiet", "q0", "ancient", at: now - 40 * 86400))
        try await memory.append(turn("quiet", "q1", "recent", at: now - 86400))
        for n in 0..<6 { try await memory.append(turn("dm", "d\(n)", "dm \(n)")) }
        #expect(try await memory.claimAnswer(messageID: "q1"))
        let report = try await memory.retain(maxTurns: 4, maxAge: 30 * 86400, now: now)
        #expect(report.turns == 3)
        #expect(try await contents(memory, "quiet") == ["recent"])
        #expect(try await contents(memory, "dm") == ["dm 2", "dm 3", "dm 4", "dm 5"])
        #expect(try await !memory.claimAnswer(messageID: "q1"), "still within the replay window")

        let later = now + ChannelMemory.answerWindow + 60
        #expect(try await memory.retain(maxTurns: 4, maxAge: nil, now: later).answers == 1)
        #expect(try await contents(memory, "dm").count == 4, "no max age: kept whatever their age")
        #expect(try await memory.claimAnswer(messageID: "q1"), "past the window the record is gone")
    }
}
