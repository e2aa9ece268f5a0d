import Foundation
import SQLCore

/// People's own short descriptions of themselves (`profile`), one per user and bot: a roleplay
/// prompt uses the speaker's as their persona. Stored as written (cleaned when it enters a
/// prompt, like a message); `forget-me` deletes it.
extension ChannelMemory {
    /// v5: profiles, and which authors each summary drew on (so `forget-me` can drop the
    /// summaries that hold someone's words).
    static func createProfiles(_ db: any SQLConnection) throws {
        try db.run(
            "CREATE TABLE IF NOT EXISTS profiles (user_id TEXT PRIMARY KEY, text TEXT NOT NULL, updated \(db.dialect.real) NOT NULL)"
        )
        try db.run("ALTER TABLE summaries ADD COLUMN authors TEXT NOT NULL DEFAULT ''")
    }

    public func profile(user: String) async throws -> String? {
        try await database.perform { db in
            try db.query("SELECT text FROM profiles WHERE user_id = ?", [.text(user)]).first?.first?.string
        }
    }

    /// Sets (or, with nil, removes) a user's profile.
    public func setProfile(_ text: String?, user: String) async throws {
        try await database.perform { db in
            if let text {
                try db.run(
                    """
                    INSERT INTO profiles (user_id, text, updated) VALUES (?, ?, ?)
                    ON CONFLICT(user_id) DO UPDATE SET text = excluded.text, updated = excluded.updated
                    """, [.text(user), .text(text), .real(Date().timeIntervalSince1970)])
            } else {
                try db.run("DELETE FROM profiles WHERE user_id = ?", [.text(user)])
            }
        }
    }
}
