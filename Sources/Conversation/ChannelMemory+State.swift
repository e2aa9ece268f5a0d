import Foundation
import SQLCore

extension ChannelMemory {
    /// Records that `messageID` is being answered. False when it already was: a message is
    /// answered at most once, across gateway replays and daemon restarts.
    public func claimAnswer(messageID: String) async throws -> Bool {
        try await database.perform { db in
            try db.run(
                "INSERT INTO answered (message_id, created) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [.text(messageID), .real(Date().timeIntervalSince1970)])
            return db.changes > 0
        }
    }

    /// The persona chosen for a channel with the `persona` command (nil: the configured one).
    public func persona(channel: String) async throws -> String? {
        try await database.perform { db in
            try db.query("SELECT persona FROM channels WHERE channel = ?", [.text(channel)]).first?.first?.string
        }
    }

    public func setPersona(_ persona: String?, channel: String) async throws {
        try await database.perform { db in
            try db.run(
                "INSERT INTO channels (channel, persona) VALUES (?, ?) ON CONFLICT(channel) DO UPDATE SET persona = excluded.persona",
                [.text(channel), persona.map { .text($0) } ?? .null])
        }
    }

    /// True the first time it is asked for a channel (then the persona's greeting is posted).
    public func claimGreeting(channel: String) async throws -> Bool {
        try await database.perform { db in
            try db.transaction {
                try db.run("INSERT INTO channels (channel, greeted) VALUES (?, 0) ON CONFLICT DO NOTHING", [.text(channel)])
                try db.run("UPDATE channels SET greeted = 1 WHERE channel = ? AND greeted = 0", [.text(channel)])
                return db.changes > 0
            }
        }
    }

    /// Undoes `claimGreeting` when the greeting could not be posted: the next message greets.
    public func releaseGreeting(channel: String) async throws {
        try await database.perform { db in
            try db.run("UPDATE channels SET greeted = 0 WHERE channel = ?", [.text(channel)])
        }
    }
}
