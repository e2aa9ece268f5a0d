public import Foundation
import SQLCore

/// Retention for every channel at once, not only the one about to be answered: quiet channels,
/// DMs and ambient-only channels age out too.
extension ChannelMemory {
    /// How long a message stays claimed as answered. Far beyond any replay the gateway can make
    /// (a RESUME replays a session's missed events only minutes back; a new session replays
    /// nothing) and beyond a daemon's restart, so no message is answered twice.
    public static let answerWindow: TimeInterval = 7 * 86400

    /// How often the bot applies `retain` (and once at start).
    public static let retentionInterval: Duration = .seconds(3600)

    /// What one `retain` removed.
    public struct RetentionReport: Sendable, Equatable {
        public var turns: Int
        public var answers: Int
    }

    /// At most `maxTurns` per channel, none older than `maxAge` (nil: kept whatever their age),
    /// and answered-message records past `answerWindow`.
    @discardableResult
    public func retain(maxTurns: Int, maxAge: TimeInterval?, now: Date = Date()) async throws -> RetentionReport {
        try await database.perform { db in
            try db.transaction {
                var turns = 0
                try db.run(
                    """
                    DELETE FROM turns WHERE seq IN (SELECT seq FROM
                    (SELECT seq, ROW_NUMBER() OVER (PARTITION BY channel ORDER BY seq DESC) AS newest FROM turns) AS ranked
                    WHERE newest > ?)
                    """, [.integer(Int64(maxTurns))])
                turns += db.changes
                if let maxAge {
                    try db.run("DELETE FROM turns WHERE created < ?", [.real(now.timeIntervalSince1970 - maxAge)])
                    turns += db.changes
                }
                try db.run("DELETE FROM answered WHERE created < ?", [.real(now.timeIntervalSince1970 - Self.answerWindow)])
                return RetentionReport(turns: turns, answers: db.changes)
            }
        }
    }
}
