import Foundation
import SQLCore

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
