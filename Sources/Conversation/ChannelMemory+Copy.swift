import Foundation
import SQLCore

/// `parley memory migrate`: everything one memory holds, copied into another (a SQLite file
/// into the PostgreSQL server a sharded bot shares). Rows keep their keys, turns their
/// sequence numbers (so replies stay after their questions and summaries cover the same
/// turns); a row the target already has is left as it is, so a second run copies nothing twice.
extension ChannelMemory {
    /// Every table and its columns, parents first.
    static let tables: [(name: String, columns: [String])] = [
        ("channels", ["channel", "persona", "greeted", "guild"]),
        ("turns", ["seq", "channel", "message_id", "author_id", "author", "role", "content", "created", "answers"]),
        ("answered", ["message_id", "created"]),
        ("started_threads", ["channel", "created"]),
        ("summaries", ["channel", "text", "through_place", "through_seq", "turns", "updated", "authors"]),
        ("profiles", ["user_id", "text", "updated"]),
        ("last_seen", ["channel", "message_id", "guild", "seen"]),
    ]

    /// What one table's copy did.
    public struct CopyCount: Sendable, Equatable {
        public var table: String
        public var read: Int
        public var inserted: Int
    }

    /// Copies every row of every table into `target`, a table per transaction.
    public func copy(to target: ChannelMemory) async throws -> [CopyCount] {
        var counts: [CopyCount] = []
        for table in Self.tables {
            let list = table.columns.joined(separator: ", ")
            let rows = try await database.perform { db in
                try db.query("SELECT \(list) FROM \(table.name) ORDER BY \(table.columns[0])")
            }
            let inserted = try await target.database.perform { db in
                try db.transaction {
                    var inserted = 0
                    let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
                    for row in rows {
                        try db.run("INSERT INTO \(table.name) (\(list)) VALUES (\(marks)) ON CONFLICT DO NOTHING", row)
                        inserted += db.changes
                    }
                    // Explicit sequence numbers leave PostgreSQL's identity where it was: the
                    // next turn stored must come after the copied ones.
                    if table.name == "turns", db.dialect == .postgres {
                        try db.run(
                            "SELECT setval(pg_get_serial_sequence('turns', 'seq'), (SELECT COALESCE(MAX(seq), 0) + 1 FROM turns), false)"
                        )
                    }
                    return inserted
                }
            }
            counts.append(CopyCount(table: table.name, read: rows.count, inserted: inserted))
        }
        return counts
    }
}
