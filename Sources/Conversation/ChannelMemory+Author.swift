import Foundation
import SQLite

extension ChannelMemory {
    /// `forget-me`: every turn `author` wrote, in every channel. Returns how many went and from
    /// which channels (their cached engine state goes too).
    public func delete(author: String) async throws -> (turns: Int, channels: [String]) {
        try await database.perform { db in
            try db.transaction {
                let channels = try db.query(
                    "SELECT DISTINCT channel FROM turns WHERE author_id = ? ORDER BY channel", [.text(author)]
                ).compactMap { $0.first?.string }
                try db.run("DELETE FROM turns WHERE author_id = ?", [.text(author)])
                return (db.changes, channels)
            }
        }
    }
}
