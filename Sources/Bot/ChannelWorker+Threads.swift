import Conversation
import DiscordModels
import DiscordREST
import Logging
import Synchronization

extension ChannelWorker {
    /// `triggers.threads`: starts a thread from `message`, named after the question, and hands
    /// the reply to the thread's worker. When Discord refuses (no permission, a thread already
    /// made) the reply is posted here instead: logged, never dropped.
    func replyInThread(to message: Message, turn: StoredTurn) async {
        let name = ThreadName.make(from: turn.turn.content)
        let thread: Channel
        do {
            thread = try await context.rest.startThread(channel: channel, message: message.id, name: name)
            var copy = turn
            copy.channel = thread.id.rawValue
            // The thread's conversation starts with the question, durable before the reply.
            try await context.pipeline.record(copy)
        } catch {
            context.counters.add("thread_errors")
            context.logger.warning(
                "could not start a thread; replying in the channel",
                metadata: ["channel": "\(channel)", "message_id": "\(message.id)", "error": "\(error)"])
            await reply(to: message)
            return
        }
        // Not greeted later either: the greeting would come after the answer.
        _ = try? await context.pipeline.claimGreeting(channel: thread.id.rawValue)
        context.threads.withLock { $0.record(Channel(id: thread.id, type: thread.type ?? 11, parentID: channel)) }
        context.startedThreads.withLock { $0[thread.id] = true }
        do {
            try await context.pipeline.rememberStartedThread(thread.id.rawValue)
        } catch {
            context.logger.warning(
                "could not store a started thread; it is always-on until a restart",
                metadata: ["thread": "\(thread.id)", "error": "\(error)"])
        }
        context.counters.add("threads_started")
        await handOff(message, thread.id)
    }

    /// Replies refer to the message answered only in its own channel (in a thread started from
    /// it, Discord shows that message at the top already).
    func reference(to message: Message) -> Snowflake? {
        message.channelID == channel ? message.id : nil
    }
}
