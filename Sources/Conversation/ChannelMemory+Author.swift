import Foundation
import SQLCore

extension ChannelMemory {
    /// `forget-me`: every turn `author` wrote, in every channel, their profile, and every
    /// channel summary that drew on their words. Returns how many turns went, from which
    /// channels (their cached engine state goes too), and whether a profile went.
    public func delete(author: String) async throws -> (turns: Int, channels: [String], profile: Bool) {
        try await database.perform { db in
            try db.transaction {
                let summarized = try db.query("SELECT channel, authors FROM summaries").compactMap { row -> String? in
                    (row[1].string ?? "").split(separator: ",").contains(Substring(author)) ? row[0].string : nil
                }
                for channel in summarized { try Self.deleteSummary(channel: channel, in: db) }
                try db.run("DELETE FROM profiles WHERE user_id = ?", [.text(author)])
                let profile = db.changes > 0
                let channels = try db.query(
                    "SELECT DISTINCT channel FROM turns WHERE author_id = ? ORDER BY channel", [.text(author)]
                ).compactMap { $0.first?.string }
                try db.run("DELETE FROM turns WHERE author_id = ?", [.text(author)])
                let turns = db.changes
                return (turns, Array(Set(channels + summarized)).sorted(), profile)
            }
        }
    }
}
