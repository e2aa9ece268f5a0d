public import Foundation
public import Postgres
public import SQLCore
import SQLite

/// Every channel's conversation, in SQLite (WAL, full fsync) or PostgreSQL (shared by the
/// processes of a sharded bot): once `append` returns, the turn survives a restart or a SIGKILL.
/// A DM is a channel like any other. Every statement is written once, in the SQL both share.
public final class ChannelMemory: Sendable {
    let database: any SQLDatabase

    public init(path: String) throws {
        let file = try SQLiteDatabase(path: path)
        try Self.migrate(file)
        database = file
    }

    /// Memory on a PostgreSQL server, migrated to the current schema (one process at a time).
    public convenience init(postgres settings: PostgresSettings) async throws {
        try await self.init(database: PostgresDatabase.connect(settings))
    }

    public init(database: any SQLDatabase) async throws {
        try await database.perform { try Self.migrate($0) }
        self.database = database
    }

    static func migrate(_ db: any SQLConnection) throws {
        try db.exclusively { try migrateUnlocked(db) }
    }

    private static func migrateUnlocked(_ db: any SQLConnection) throws {
        let version = try db.schemaVersion()
        if version < 1 { try createTables(db) }
        if version < 2 {
            // v2: each channel's guild, so leaving a guild (GUILD_DELETE) can forget its channels.
            // Channels stored before v2 learn theirs from the next message or GUILD_CREATE.
            try db.transaction { // all or nothing: a crash in between must not leave a half-migrated file
                try db.run("ALTER TABLE channels ADD COLUMN guild TEXT")
                try db.run("CREATE INDEX IF NOT EXISTS channels_guild ON channels(guild)")
                try db.setSchemaVersion(2)
            }
        }
        if version < 3 {
            // v3: a reply's place is right after the message it answers (`answers`: that
            // message's seq), not where it was stored: replies to several people go out one
            // after another while later messages are already stored.
            try db.transaction {
                try db.run("ALTER TABLE turns ADD COLUMN answers BIGINT")
                // and the threads the bot started (`triggers.threads`), where it answers everything.
                try db.run(
                    "CREATE TABLE IF NOT EXISTS started_threads (channel TEXT PRIMARY KEY, created \(db.dialect.real) NOT NULL)")
                try db.setSchemaVersion(3)
            }
        }
        if version < 4 {
            // v4: each channel's running summary of the turns that left the prompt.
            try db.transaction {
                try createSummaries(db)
                try db.setSchemaVersion(4)
            }
        }
        if version < 5 {
            try db.transaction {
                try createProfiles(db)
                try db.setSchemaVersion(5)
            }
        }
        if version < 6 {
            // v6: the newest message seen per channel, where a backfill after a gap starts.
            try db.transaction {
                try createLastSeen(db)
                try db.setSchemaVersion(6)
            }
        }
    }

    private static func createTables(_ db: any SQLConnection) throws {
        try db.run(
            """
            CREATE TABLE IF NOT EXISTS turns (
                seq \(db.dialect.sequenceKey),
                channel TEXT NOT NULL, message_id TEXT, author_id TEXT NOT NULL, author TEXT NOT NULL,
                role TEXT NOT NULL, content TEXT NOT NULL, created \(db.dialect.real) NOT NULL)
            """)
        try db.run("CREATE INDEX IF NOT EXISTS turns_channel ON turns(channel, seq)")
        try db.run("CREATE INDEX IF NOT EXISTS turns_message ON turns(message_id)")
        try db.run("CREATE TABLE IF NOT EXISTS answered (message_id TEXT PRIMARY KEY, created \(db.dialect.real) NOT NULL)")
        try db.run(
            "CREATE TABLE IF NOT EXISTS channels (channel TEXT PRIMARY KEY, persona TEXT, greeted INTEGER NOT NULL DEFAULT 0)")
        try db.setSchemaVersion(1)
    }

    /// Stores a turn and returns its sequence number.
    @discardableResult
    public func append(_ turn: StoredTurn) async throws -> Int64 {
        try await database.perform { db in
            // A message replayed (a resume from a slightly old sequence, a backfill that overlaps
            // the gateway) is stored once: its first turn stands.
            if let id = turn.messageID, turn.turn.role != .bot,
                let stored = try Self.sequence(of: id, channel: turn.channel, in: db)
            {
                return stored
            }
            if let guild = turn.guild {
                try db.run(
                    """
                    INSERT INTO channels (channel, guild) VALUES (?, ?)
                    ON CONFLICT(channel) DO UPDATE SET guild = excluded.guild WHERE channels.guild IS DISTINCT FROM excluded.guild
                    """, [.text(turn.channel), .text(guild)])
            }
            let answers = try turn.answering.flatMap { try Self.sequence(of: $0, channel: turn.channel, in: db) }
            let inserted = try db.query(
                """
                INSERT INTO turns (channel, message_id, author_id, author, role, content, created, answers)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq
                """,
                [
                    .text(turn.channel), turn.messageID.map { .text($0) } ?? .null, .text(turn.authorID),
                    .text(turn.turn.author), .text(turn.turn.role.rawValue), .text(turn.turn.content),
                    .real(turn.timestamp.timeIntervalSince1970), answers.map { .integer($0) } ?? .null,
                ])
            let sequence = inserted.first?.first?.int ?? 0
            if let id = turn.messageID, turn.turn.role != .bot {
                try Self.noteSeen(channel: turn.channel, messageID: id, guild: turn.guild, at: turn.timestamp, in: db)
            }
            return sequence
        }
    }

    /// The channel's last `limit` turns, oldest first, each reply right after the message it
    /// answers. With `through`, the history as it stood for that message: nothing said after it,
    /// but the replies to earlier messages (all of it when that message is not stored).
    public func recent(channel: String, limit: Int, through messageID: String? = nil) async throws -> [StoredTurn] {
        try await database.perform { db in
            let end = try messageID.flatMap { try Self.sequence(of: $0, channel: channel, in: db) } ?? Int64.max
            return try db.query(
                """
                SELECT seq, channel, message_id, author_id, author, role, content, created, place FROM
                (SELECT *, COALESCE(answers, seq) AS place FROM turns WHERE channel = ? AND COALESCE(answers, seq) <= ?
                ORDER BY place DESC, seq DESC LIMIT ?) AS r ORDER BY place, seq
                """, [.text(channel), .integer(end), .integer(Int64(limit))]
            ).map(Self.turn)
        }
    }

    /// Where a message's turn is in its channel (nil when it is not stored).
    static func sequence(of messageID: String, channel: String, in db: any SQLConnection) throws -> Int64? {
        try db.query(
            "SELECT seq FROM turns WHERE channel = ? AND message_id = ? ORDER BY seq LIMIT 1",
            [.text(channel), .text(messageID)]
        ).first?.first?.int
    }

    /// A user's message was edited: its stored turn follows. False when we never stored it. The
    /// bot's own turns never follow: a long reply is stored whole under its first part's id, and
    /// Discord sends MESSAGE_UPDATE for that part alone (link embeds, for instance).
    @discardableResult
    public func edit(messageID: String, content: String) async throws -> Bool {
        try await database.perform { db in
            try db.run(
                "UPDATE turns SET content = ? WHERE message_id = ? AND role != ?",
                [.text(content), .text(messageID), .text(Turn.Role.bot.rawValue)])
            return db.changes > 0
        }
    }

    @discardableResult
    public func delete(messageID: String) async throws -> Bool {
        try await database.perform { db in
            try db.run("DELETE FROM turns WHERE message_id = ?", [.text(messageID)])
            return db.changes > 0
        }
    }

    /// Forgets a channel's conversation (the `reset` command).
    public func reset(channel: String) async throws {
        try await database.perform { db in
            try db.transaction {
                try db.run("DELETE FROM turns WHERE channel = ?", [.text(channel)])
                try db.run("UPDATE channels SET greeted = 0 WHERE channel = ?", [.text(channel)])
                try Self.deleteSummary(channel: channel, in: db)
            }
        }
    }

    /// Applies retention: at most `maxTurns` per channel, none older than `maxAge`.
    public func prune(channel: String, maxTurns: Int, maxAge: TimeInterval?) async throws {
        try await database.perform { db in
            try db.run(
                """
                DELETE FROM turns WHERE channel = ? AND seq NOT IN
                (SELECT seq FROM turns WHERE channel = ? ORDER BY seq DESC LIMIT ?)
                """, [.text(channel), .text(channel), .integer(Int64(maxTurns))])
            if let maxAge {
                try db.run(
                    "DELETE FROM turns WHERE channel = ? AND created < ?",
                    [.text(channel), .real(Date().timeIntervalSince1970 - maxAge)])
            }
        }
    }

    static func turn(_ row: [SQLValue]) -> StoredTurn {
        StoredTurn(
            channel: row[1].string ?? "", messageID: row[2].string, authorID: row[3].string ?? "",
            turn: Turn(
                role: Turn.Role(rawValue: row[5].string ?? "") ?? .user, author: row[4].string ?? "",
                content: row[6].string ?? ""),
            timestamp: Date(timeIntervalSince1970: row[7].double ?? 0), sequence: row[0].int ?? 0,
            place: row.count > 8 ? row[8].int : nil)
    }
}
