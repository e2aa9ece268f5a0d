import Foundation
import SQLCore

/// The threads the bot started (`triggers.threads`), kept across restarts: the newest
/// `maximumStartedThreads`, forgotten with the thread.
extension ChannelMemory {
    public static let maximumStartedThreads = 10_000

    public func rememberStartedThread(_ thread: String) async throws {
        try await database.perform { db in
            try db.transaction {
                try db.run(
                    "INSERT INTO started_threads (channel, created) VALUES (?, ?) ON CONFLICT(channel) DO UPDATE SET created = excluded.created",
                    [.text(thread), .real(Date().timeIntervalSince1970)])
                try db.run(
                    """
                    DELETE FROM started_threads WHERE channel NOT IN
                    (SELECT channel FROM started_threads ORDER BY created DESC LIMIT ?)
                    """, [.integer(Int64(Self.maximumStartedThreads))])
            }
        }
    }

    /// Oldest first.
    public func startedThreads() async throws -> [String] {
        try await database.perform { db in
            try db.query("SELECT channel FROM started_threads ORDER BY created").compactMap { $0.first?.string }
        }
    }
}
