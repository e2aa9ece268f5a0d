import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Foundation
import Logging

/// Reply buttons (`reply.buttons`): which go under a reply, Stop's effect on its generation, and
/// the buttons of the reply it replaces, which no longer apply once it is posted.
extension ChannelWorker {
    struct ButtonPlan {
        /// Under the live message while it is written (nil when replies are not streamed).
        var streaming: [MessageComponent]?
        var finished: [MessageComponent]
        var stop: GenerationStop?
        /// The channel's reply before this one.
        var previous: ReplyBoard.Entry?
    }

    /// Registers the reply to `message` as the channel's newest; nil when buttons are off.
    func replyButtons(for message: Message) -> ButtonPlan? {
        let config = context.config.reply
        guard config.buttons else { return nil }
        let stop = config.stream ? GenerationStop() : nil
        let previous = context.replies.begin(
            ReplyBoard.Entry(answered: message.id, author: message.author?.id, stop: stop), in: channel)
        return ButtonPlan(
            streaming: stop == nil ? nil : ReplyButton.streaming(answering: message.id),
            finished: ReplyButton.finished(answering: message.id), stop: stop, previous: previous)
    }

    /// Runs `generate` so that Stop can cancel it; a stopped reply is what was written by then
    /// (the generation's own result when it still returned one), `fallback` if nothing was.
    func stoppable(
        _ stop: GenerationStop?, written: WrittenSoFar, fallback: String,
        _ generate: @escaping @Sendable () async throws -> GeneratedReply
    ) async throws -> GeneratedReply {
        guard let stop else { return try await generate() }
        let task = Task { try await generate() }
        stop.attach { task.cancel() }
        let result = await task.result
        guard stop.isStopped else { return try result.get() }
        context.counters.add("replies_stopped")
        let text = (try? result.get().text) ?? written.text
        context.logger.info(
            "reply stopped by its button", metadata: ["channel": "\(channel)", "characters": "\(text.count)"])
        return GeneratedReply(text: text.isEmpty ? fallback : text, tokens: (try? result.get().tokens) ?? 0)
    }

    /// The reply to `answered` is posted as `ids`: it is the one whose buttons apply now, and
    /// the previous reply's are removed.
    func posted(_ ids: [Snowflake], answering answered: Snowflake, replacing previous: ReplyBoard.Entry?) async {
        guard
            context.replies.update(
                in: channel, answered: answered,
                {
                    $0.parts = ids
                    $0.stop = nil
                })
        else { return }
        if let previous, previous.answered != answered, let last = previous.parts.last {
            await removeButtons(from: last)
        }
    }

    /// A reply that failed: its live message loses its Stop button, the previous reply's
    /// buttons apply again.
    func abandoned(_ live: LiveReply?, answering answered: Snowflake, restoring previous: ReplyBoard.Entry?) async {
        context.replies.abandon(in: channel, answered: answered, restoring: previous)
        if context.config.reply.buttons, let message = await live?.messageID { await removeButtons(from: message) }
    }

    /// Best effort: a message whose buttons cannot be removed keeps them, and a press on one
    /// is answered "can no longer be changed".
    func removeButtons(from message: Snowflake) async {
        do {
            _ = try await context.rest.editMessage(channel: channel, message: message, MessageEdit(components: []))
        } catch {
            context.logger.notice(
                "could not remove a reply's buttons",
                metadata: ["channel": "\(channel)", "message_id": "\(message)", "error": "\(error)"])
        }
    }
}
