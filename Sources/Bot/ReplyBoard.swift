import DiscordModels
import Synchronization

/// The newest reply with buttons in each channel: which message it answers, whom, the messages
/// it was posted as, and the Stop handle while it is generated. A button on any other reply no
/// longer applies (a newer one). In memory: after a restart a press brings its reply back from
/// what memory stores (`BotService.restore`). Bounded like the other per-channel tables.
final class ReplyBoard: Sendable {
    struct Entry: Sendable {
        var answered: Snowflake
        /// The person answered (nil when Discord did not say): they may press its buttons.
        var author: Snowflake?
        /// Its messages on Discord, first to last; empty until posted.
        var parts: [Snowflake] = []
        /// Set while it is being generated and can be stopped.
        var stop: GenerationStop?
        /// A Regenerate or Continue is queued or running: further presses wait for it.
        var revising = false
    }

    static let capacity = 10_000
    private let entries = Mutex(LRUMap<Snowflake, Entry>(capacity: ReplyBoard.capacity))

    /// A new reply in `channel`; returns the one it replaces (whose buttons must go).
    func begin(_ entry: Entry, in channel: Snowflake) -> Entry? {
        entries.withLock { map in
            defer { map[channel] = entry }
            return map[channel]
        }
    }

    func entry(in channel: Snowflake) -> Entry? { entries.withLock { $0[channel] } }

    /// A reply known again from memory (after a restart), unless the channel has one by now;
    /// returns the channel's entry.
    func restore(_ entry: Entry, in channel: Snowflake) -> Entry {
        entries.withLock { map in
            if let existing = map[channel] { return existing }
            map[channel] = entry
            return entry
        }
    }

    /// Changes the channel's entry if it is still the reply to `answered`; false otherwise.
    @discardableResult
    func update(in channel: Snowflake, answered: Snowflake, _ change: (inout Entry) -> Void) -> Bool {
        entries.withLock { map in
            guard var entry = map[channel], entry.answered == answered else { return false }
            change(&entry)
            map[channel] = entry
            return true
        }
    }

    /// A reply that failed: the one it replaced (`previous`) is the channel's newest again.
    func abandon(in channel: Snowflake, answered: Snowflake, restoring previous: Entry?) {
        entries.withLock { map in
            guard map[channel]?.answered == answered else { return }
            map[channel] = previous
        }
    }
}
