import Foundation
import ParleyTestSupport

/// What the restart scenarios need: real snowflakes (a backfill reads by time), and messages
/// that reach both the gateway's session (replayed on resume) and the channel's history
/// (read back by a backfill), the way Discord keeps them.
extension Stage {
    /// A snowflake made `secondsAgo` before now; `sequence` tells apart ids of the same millisecond.
    static func snowflake(secondsAgo: Double = 0, sequence: Int) -> String {
        let milliseconds = UInt64((Date().timeIntervalSince1970 - secondsAgo) * 1000)
        return String((milliseconds - 1_420_070_400_000) << 22 | UInt64(sequence & 0xfff))
    }

    /// A guild message mentioning the bot: dispatched on the current session (delivered if the
    /// bot is connected, kept for a resume if not) and stored in the channel's history.
    @discardableResult
    func say(_ id: String, channel: String, _ text: String, author: String = "2000", name: String = "alice") -> String {
        mention(id, channel: channel, text, author: author, name: name)
        rest.addHistory(
            id: id, channel: channel, content: "<@\(Self.botID)> \(text)", authorID: author, authorName: name,
            mentionIDs: [Self.botID])
        return id
    }

    /// The gateway session files the daemon keeps in its state directory.
    var sessionFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/gateway")) ?? []).sorted()
    }

    /// Which message each of the bot's posts in `channel` answers, in order.
    func answered(in channel: String) -> [String] { rest.posts(in: channel).compactMap(\.replyTo) }
}
