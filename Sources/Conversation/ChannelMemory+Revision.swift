import Foundation
import SQLCore

/// A reply's buttons: which stored reply they may still change.
extension ChannelMemory {
    /// The channel's newest turn (in conversation order: a reply right after the message it
    /// answers) when it is the bot's reply stored under `messageID` (a reply its buttons may
    /// still change), nil otherwise.
    public func newestReply(channel: String, messageID: String) async throws -> StoredTurn? {
        try await database.perform { db in
            try Self.newestTurn(channel, in: db).flatMap { $0.messageID == messageID && $0.turn.role == .bot ? $0 : nil }
        }
    }

    /// A revised reply: the bot's turn under `messageID` gets `content` (the old text is gone)
    /// and, when its first message changed, that message's id. False when it is not stored.
    @discardableResult
    public func replaceReply(channel: String, messageID: String, content: String, newMessageID: String) async throws -> Bool {
        try await database.perform { db in
            try db.run(
                "UPDATE turns SET content = ?, message_id = ? WHERE channel = ? AND message_id = ? AND role = ?",
                [.text(content), .text(newMessageID), .text(channel), .text(messageID), .text(Turn.Role.bot.rawValue)])
            return db.changes > 0
        }
    }

    /// After a restart: the channel's newest turn, when it is the bot's reply to `answered` — the
    /// message it was stored as answering (or, for a reply stored without one, the newest stored
    /// message before it claimed for an answer), claimed within the replay window
    /// (`answerWindow`) — with that message's author. Nil otherwise.
    public func restorableReply(channel: String, answered: String) async throws -> (reply: StoredTurn, author: String)? {
        try await database.perform { db in
            guard
                let reply = try Self.newestTurn(channel, in: db),
                reply.turn.role == .bot, reply.messageID != nil,
                let question = try db.query(
                    """
                    SELECT t.message_id, t.author_id FROM turns t JOIN answered a ON a.message_id = t.message_id
                    WHERE t.channel = ? AND t.role != ? AND t.seq <= COALESCE((SELECT answers FROM turns WHERE seq = ?), ?)
                    ORDER BY t.seq DESC LIMIT 1
                    """, [.text(channel), .text(Turn.Role.bot.rawValue), .integer(reply.sequence), .integer(reply.sequence)]
                ).first,
                question[0].string == answered, let author = question[1].string
            else { return nil }
            return (reply, author)
        }
    }

    private static func newestTurn(_ channel: String, in db: any SQLConnection) throws -> StoredTurn? {
        try db.query(
            """
            SELECT seq, channel, message_id, author_id, author, role, content, created FROM turns
            WHERE channel = ? ORDER BY COALESCE(answers, seq) DESC, seq DESC LIMIT 1
            """, [.text(channel)]
        ).map(turn).first
    }
}
