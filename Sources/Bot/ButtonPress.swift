import DiscordModels

/// A press of one of the reply buttons, as the bot decides on it: the button (its `custom_id`
/// parsed), where and by whom. The answer to Discord is the caller's (within 3 s, never awaited
/// by the event loop).
struct ButtonPress: Sendable {
    var button: ReplyButton
    /// The interaction's id (nonces of what the press posts derive from it).
    var id: Snowflake
    var channel: Snowflake
    /// The message the button is on.
    var message: Snowflake?
    var user: Snowflake
    /// Administrator, Manage Server or Manage Channels in the channel, as the interaction's
    /// member permissions say (never in DMs).
    var managesChannel: Bool

    /// What the bot does about a press, and so what Discord is told.
    enum Outcome: Sendable, Equatable {
        /// Done or queued: acknowledged without a message (deferred update).
        case accepted
        /// Someone else's reply: told so, ephemerally.
        case notYours
        /// A reply the bot no longer knows or may no longer change (a newer reply, a message
        /// after it, a restart): told so, ephemerally, and its buttons removed.
        case expired
    }

    static let notYoursText = "These buttons are for the person I answered and this channel's managers."
    static let expiredText = "This reply can no longer be changed."
}
