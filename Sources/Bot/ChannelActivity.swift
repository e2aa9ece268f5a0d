import DiscordModels

/// Who wrote last in a channel, for `triggers.threads`: a channel is busy for someone when a
/// person other than them wrote there within `triggers.threads.busy_seconds`. Two entries are
/// enough to know it exactly: the last message, and the last one by anyone else.
struct ChannelActivity: Sendable {
    struct Entry: Sendable {
        var author: Snowflake
        var at: ContinuousClock.Instant
    }
    private var last: Entry?
    /// The newest message by someone other than `last`'s author.
    private var other: Entry?

    init() {}

    mutating func note(_ author: Snowflake, at now: ContinuousClock.Instant) {
        if let last, last.author != author { other = last }
        last = Entry(author: author, at: now)
    }

    /// When someone other than `person` last wrote (nil: nobody else has).
    func lastMessage(byOtherThan person: Snowflake) -> ContinuousClock.Instant? {
        guard let last else { return nil }
        return last.author != person ? last.at : other?.at
    }

    func isBusy(for person: Snowflake, now: ContinuousClock.Instant, window: Duration) -> Bool {
        lastMessage(byOtherThan: person).map { now - $0 <= window } ?? false
    }
}
