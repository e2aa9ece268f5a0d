import Foundation
import SQLite

extension ChannelMemory {
    /// For `retry`: forgets the channel's last reply if it is the newest turn. False when the
    /// newest turn is not the bot's (nothing to regenerate).
    public func dropLastReply(channel: String) async throws -> Bool {
        try await database.perform { db in
            try db.transaction {
                guard
                    let row = try db.query(
                        "SELECT seq, role FROM turns WHERE channel = ? ORDER BY seq DESC LIMIT 1", [.text(channel)]
                    ).first,
                    row[1].string == Turn.Role.bot.rawValue
                else { return false }
                try db.run("DELETE FROM turns WHERE seq = ?", [row[0]])
                return true
            }
        }
    }
}

extension ChannelMemory {
    /// The channel's newest turn when it is the bot's reply stored under `messageID` (a reply
    /// its buttons may still change), nil otherwise.
    public func newestReply(channel: String, messageID: String) async throws -> StoredTurn? {
        try await database.perform { db in
            try db.query(
                """
                SELECT seq, channel, message_id, author_id, author, role, content, created FROM turns
                WHERE channel = ? ORDER BY seq DESC LIMIT 1
                """, [.text(channel)]
            ).map(Self.turn).first { $0.messageID == messageID && $0.turn.role == .bot }
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
}
