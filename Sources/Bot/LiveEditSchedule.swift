import DiscordREST
import Foundation

/// When a streamed reply (`reply.stream`) is posted and edited: posted as soon as there is text,
/// then edited at most once per interval while tokens arrive (Discord rate-limits edits), and the
/// final text always applied. Pure: the caller passes the time and performs the actions.
struct LiveEditSchedule: Sendable {
    enum Action: Equatable, Sendable {
        case none
        case post(String)
        case edit(String)
    }

    /// Shown after text that is still being written.
    static let inProgressMarker = " …"

    let interval: Duration
    /// Longest text one message may show, in Unicode scalars as Discord counts them (see
    /// `MessageLength`); the rest waits for the end.
    let limit: Int
    private(set) var posted = false
    private(set) var shown = ""
    private var lastUpdate: ContinuousClock.Instant?

    init(interval: Duration, limit: Int = MessageLength.limit) {
        self.interval = interval
        self.limit = limit
    }

    /// The reply so far, at `now`.
    mutating func update(_ text: String, now: ContinuousClock.Instant) -> Action {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .none }
        let budget = limit - MessageLength.count(Self.inProgressMarker)
        let visible = MessageLength.prefix(trimmed, fitting: budget) + Self.inProgressMarker
        guard visible != shown else { return .none }
        if !posted {
            posted = true
            return record(.post(visible), visible, now)
        }
        guard let last = lastUpdate, now - last >= interval else { return .none }
        return record(.edit(visible), visible, now)
    }

    /// The finished first part: edits the live message unless it already shows exactly this;
    /// `.post` when nothing was posted yet (the reply came before any text was shown).
    mutating func finish(_ firstPart: String) -> Action {
        defer { shown = firstPart }
        if !posted {
            posted = true
            return .post(firstPart)
        }
        return firstPart == shown ? .none : .edit(firstPart)
    }

    private mutating func record(_ action: Action, _ visible: String, _ now: ContinuousClock.Instant) -> Action {
        shown = visible
        lastUpdate = now
        return action
    }
}
