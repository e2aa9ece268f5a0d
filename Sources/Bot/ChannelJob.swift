import Conversation
import DiscordModels

/// One piece of a channel's work, done in order by its `ChannelWorker`. Everything that posts to
/// Discord is a job: the event loop only decides and stores, so a slow or rate-limited channel
/// delays nobody else.
enum ChannelJob: Sendable {
    /// A model reply to the message, whose prompt ends at it. A person's queued replies merge
    /// (`ChannelBacklog`): their newest message is answered, and the earlier ones are in its prompt.
    case reply(Message)
    /// A short fixed answer to a message: a command's result, the cooldown notice.
    case notice(String, replyingTo: Snowflake)
    /// The persona's greeting, already stored as a turn under `storedAs`: posted (split like any
    /// reply); if it cannot be, the turn is removed and the channel may be greeted again.
    case greeting(String, storedAs: String, wokenBy: Snowflake)
    /// A reply in a new thread started from the message (`triggers.threads`; its turn, stored
    /// in this channel, is copied to the thread's); in this channel when the thread cannot be made.
    case thread(Message, turn: StoredTurn)

    var isNotice: Bool {
        if case .notice = self { true } else { false }
    }
}
