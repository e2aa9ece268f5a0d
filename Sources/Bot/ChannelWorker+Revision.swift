import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Foundation
import Inference
import Logging

/// Regenerate and Continue, done as the channel's jobs (in order with its replies): the reply's
/// messages are edited to the new text (more parts posted, surplus ones deleted) and memory keeps
/// only the new version. The press was acknowledged already; a reply that changed meanwhile (a
/// newer one, a message after it) is left alone.
extension ChannelWorker {
    func revise(_ action: ReplyButton.Action, answering answered: Snowflake, press: Snowflake) async {
        defer { context.replies.update(in: channel, answered: answered) { $0.revising = false } }
        var logger = context.logger
        logger[metadataKey: "channel"] = "\(channel)"
        logger[metadataKey: "message_id"] = "\(answered)"
        guard let entry = context.replies.entry(in: channel), entry.answered == answered, entry.stop == nil,
            let first = entry.parts.first,
            let previous = try? await context.pipeline.revisableReply(channel: channel.rawValue, messageID: first.rawValue)
        else {
            logger.debug("the reply changed before its button's turn; leaving it")
            return
        }
        let settings = await context.settings(for: channel)
        let revision: ReplyRevision = action == .extend ? .extend(previous) : .regenerate
        _ = await context.queue.enter()
        let typing = context.config.reply.typing ? typingIndicator() : nil
        defer { typing?.cancel() }
        do {
            let generated = try await context.pipeline.reviseReply(
                channel: channel.rawValue, settings: settings, revision: revision)
            typing?.cancel()
            let ids = try await replace(entry.parts, with: generated.text, answering: answered, press: press)
            try await context.pipeline.replaceReply(
                channel: channel.rawValue, messageID: first.rawValue, with: generated.text,
                firstMessageID: (ids.first ?? first).rawValue)
            context.replies.update(in: channel, answered: answered) { $0.parts = ids }
            context.counters.add(action == .extend ? "replies_continued" : "replies_regenerated")
            logger.info("revised a reply", metadata: ["button": "\(action.rawValue)", "characters": "\(generated.text.count)"])
        } catch {
            context.counters.add("reply_errors")
            logger.error("could not revise a reply", metadata: ["button": "\(action.rawValue)", "error": "\(error)"])
            await notify(error, replyingTo: Message(id: answered, channelID: channel), nonce: press)
        }
        await context.queue.leave()
    }

    /// Shows `text` in place of the reply's messages `old`: each kept part edited, extra parts
    /// posted after them, surplus ones deleted; the buttons go under the new last part.
    private func replace(
        _ old: [Snowflake], with text: String, answering answered: Snowflake, press: Snowflake
    ) async throws -> [Snowflake] {
        let parts = MessageSplitter().split(text, maxParts: context.config.reply.maxParts, marker: " […]")
        let allowed = allowedMentions
        var ids: [Snowflake] = []
        for (index, part) in parts.enumerated() {
            let buttons = index == parts.count - 1 ? ReplyButton.finished(answering: answered) : []
            if index < old.count {
                _ = try await context.rest.editMessage(
                    channel: channel, message: old[index],
                    MessageEdit(content: part, allowedMentions: allowed, components: buttons))
                ids.append(old[index])
            } else {
                let body = CreateMessage(
                    content: part, allowedMentions: allowed, nonce: Self.nonce(for: press, part: index),
                    components: buttons.isEmpty ? nil : buttons)
                ids.append(try await context.rest.createMessage(channel: channel, body).id)
            }
        }
        for surplus in old.dropFirst(parts.count) {
            do { try await context.rest.deleteMessage(channel: channel, message: surplus) } catch {
                context.logger.notice(
                    "could not delete a part of a replaced reply",
                    metadata: ["channel": "\(channel)", "message_id": "\(surplus)", "error": "\(error)"])
            }
        }
        return ids
    }
}
