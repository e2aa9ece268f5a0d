import Foundation
import SQLCore

/// Each channel's running summary (`ChannelSummary`), kept with the turns it covers so a restart
/// neither loses it nor folds the same turns in twice.
extension ChannelMemory {
    static func createSummaries(_ db: any SQLConnection) throws {
        try db.run(
            """
            CREATE TABLE IF NOT EXISTS summaries (channel TEXT PRIMARY KEY, text TEXT NOT NULL,
            through_place BIGINT NOT NULL, through_seq BIGINT NOT NULL, turns INTEGER NOT NULL, updated \(db.dialect.real) NOT NULL)
            """)
    }

    public func summary(channel: String) async throws -> ChannelSummary? {
        try await database.perform { db in
            try db.query(
                "SELECT text, through_place, through_seq, turns, authors FROM summaries WHERE channel = ?", [.text(channel)]
            ).first.map { row in
                ChannelSummary(
                    channel: channel, text: row[0].string ?? "",
                    through: .init(place: row[1].int ?? 0, sequence: row[2].int ?? 0), turns: Int(row[3].int ?? 0),
                    authors: Set((row[4].string ?? "").split(separator: ",").map(String.init)))
            }
        }
    }

    /// Replaces the channel's summary (durable when this returns).
    public func store(_ summary: ChannelSummary) async throws {
        try await database.perform { db in
            try db.run(
                """
                INSERT INTO summaries (channel, text, through_place, through_seq, turns, authors, updated)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(channel) DO UPDATE SET text = excluded.text, through_place = excluded.through_place,
                through_seq = excluded.through_seq, turns = excluded.turns, authors = excluded.authors,
                updated = excluded.updated
                """,
                [
                    .text(summary.channel), .text(summary.text), .integer(summary.through.place),
                    .integer(summary.through.sequence), .integer(Int64(summary.turns)),
                    .text(summary.authors.sorted().joined(separator: ",")), .real(Date().timeIntervalSince1970),
                ])
        }
    }

    static func deleteSummary(channel: String, in db: any SQLConnection) throws {
        try db.run("DELETE FROM summaries WHERE channel = ?", [.text(channel)])
    }
}
