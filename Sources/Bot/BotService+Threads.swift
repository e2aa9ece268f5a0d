import Configuration
import Conversation
import DiscordModels
import Logging
import Synchronization

/// `triggers.threads`: a mention in a busy channel is answered in a new thread started from it.
extension BotService {
    /// Channels whose last writers are tracked for "busy"; the least recently active are forgotten.
    static let maximumActivityTables = 10_000

    /// Whether someone other than the message's author wrote in its channel within
    /// `busy_seconds` (before this message), then notes the message.
    func noteActivity(_ message: Message) -> Bool {
        guard let author = message.author?.id, author != context.botUser.id else { return false }
        let now = ContinuousClock.now
        let window = Duration.milliseconds(Int64(context.config.triggers.threads.busySeconds * 1000))
        var activity = self.activity[message.channelID] ?? ChannelActivity()
        let busy = activity.isBusy(for: author, now: now, window: window)
        activity.note(author, at: now)
        self.activity[message.channelID] = activity
        return busy
    }

    /// A mention in a busy guild channel (not already a thread) gets a thread of its own.
    func startsThread(_ decision: TriggerPolicy.Decision, message: Message, parent: Snowflake?, busy: Bool) -> Bool {
        guard context.config.triggers.threads.enabled, decision == .reply(.mention), busy else { return false }
        return message.guildID != nil && parent == nil && !context.startedThread(message.channelID)
    }

    /// The reply to `message` goes to the thread started for it, in order with the thread's own.
    func reply(to message: Message, in thread: Snowflake) {
        worker(for: thread).enqueue(message)
    }

    /// Once: the threads the bot started before a restart stay always-on.
    func loadStartedThreads() async {
        guard !startedThreadsLoaded else { return }
        startedThreadsLoaded = true
        do {
            let threads = try await context.pipeline.startedThreads()
            context.startedThreads.withLock { for thread in threads { $0[Snowflake(thread)] = true } }
        } catch {
            context.logger.warning("could not read the threads the bot started", metadata: ["error": "\(error)"])
        }
    }
}
