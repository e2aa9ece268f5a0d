import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Foundation
import Inference
import Logging

extension ChannelWorker {
    /// Replies never ping anyone but, when configured, the person answered.
    var allowedMentions: AllowedMentions {
        var allowed = AllowedMentions.none
        allowed.repliedUser = context.config.reply.mentionAuthor
        return allowed
    }

    /// The live message for `reply.stream`, nil when replies are posted once at the end.
    func liveReply(to message: Message, logger: Logger) -> LiveReply? {
        let config = context.config.reply
        guard config.stream else { return nil }
        return LiveReply(
            interval: .milliseconds(config.editIntervalMs), rest: context.rest, channel: channel,
            replyingTo: reference(to: message), allowedMentions: allowedMentions, nonce: Self.nonce(for: message.id, part: 0),
            logger: logger)
    }

    /// Posts `text` split into Discord-sized parts (at most `reply.max_parts`), the first as a
    /// reply to `replyTo` (or as the final edit of the live message when streaming); `nonce(part)`
    /// keeps a retried part from posting twice. Returns the id of the first part.
    func post(
        _ text: String, replyingTo replyTo: Snowflake?, nonce: (Int) -> String, live: LiveReply? = nil
    ) async throws -> Snowflake? {
        let config = context.config.reply
        // Capped parts: the splitter shortens the last one so the " […]" still fits the limit.
        let parts = MessageSplitter().split(text, maxParts: config.maxParts, marker: " […]")
        guard !parts.isEmpty else { return nil }
        var first = try await live?.finish(parts[0])
        let allowed = allowedMentions
        for (index, part) in parts.enumerated() where index > 0 || first == nil {
            let body = CreateMessage(
                content: part, replyTo: index == 0 ? replyTo : nil, allowedMentions: allowed,
                nonce: nonce(index))
            let posted = try await context.rest.createMessage(channel: channel, body)
            if index == 0 { first = posted.id }
            // The nonce returned an earlier attempt's message (a live post whose answer was
            // lost shows text in progress): make it say what it should.
            if let content = posted.content, content != part {
                _ = try await context.rest.editMessage(
                    channel: channel, message: posted.id, content: part, allowedMentions: allowed)
            }
        }
        return first
    }

    /// The persona's greeting, split like any reply. Its turn is already stored (before the
    /// message that woke it, in the order people see them); when it cannot be posted the turn is
    /// removed and the greeting released, so the channel's next message greets again.
    func greet(_ greeting: String, storedAs turnID: String, wokenBy message: Snowflake) async {
        do {
            _ = try await post(greeting, replyingTo: nil, nonce: { String("g\($0)-\(message.rawValue)".prefix(25)) })
        } catch {
            context.counters.add("greeting_errors")
            context.logger.error(
                "could not post the greeting; the channel will be greeted on its next message",
                metadata: ["channel": "\(channel)", "error": "\(error)"])
            try? await context.pipeline.withdrawGreeting(storedAs: turnID, channel: channel.rawValue)
        }
    }

    /// A command's answer or the cooldown notice: short, one part, never pings.
    func post(notice text: String, replyingTo message: Snowflake) async {
        do {
            _ = try await context.rest.createMessage(
                channel: channel,
                CreateMessage(
                    content: text, replyTo: message, allowedMentions: allowedMentions,
                    nonce: Self.nonce(for: message, part: 97)))
        } catch {
            context.logger.warning("could not post a notice", metadata: ["channel": "\(channel)", "error": "\(error)"])
        }
    }

    /// Discord nonces are at most 25 characters; derived from the message so a retry after a
    /// restart reuses it.
    static func nonce(for message: Snowflake, part: Int) -> String {
        String("p\(part)-\(message.rawValue)".prefix(25))
    }

    /// One short notice for the user; the log line carries the details.
    func notify(_ error: any Error, replyingTo message: Message) async {
        let text: String =
            switch error {
            case InferenceError.busy: "I'm handling a lot of conversations right now — please try again in a moment."
            case InferenceError.deadlineExceeded: "That took me too long, sorry. Could you ask again?"
            case InferenceError.promptTooLong: "That message is too long for me to read whole. Could you shorten it?"
            case is RESTError: "" // Discord itself is failing: a notice would fail the same way
            default: "Something went wrong on my side while answering. The operator has the details."
            }
        guard !text.isEmpty else { return }
        _ = try? await context.rest.createMessage(
            channel: channel,
            CreateMessage(
                content: text, replyTo: reference(to: message),
                nonce: Self.nonce(for: message.id, part: 99)))
    }

    /// Told once per message, when the wait is long: where it stands in line.
    func noticeQueuePosition(_ position: Int, replyingTo message: Message) async {
        context.counters.add("queue_notices")
        let text = "I'm answering other people first — you're number \(position) in line. I'll be with you shortly."
        _ = try? await context.rest.createMessage(
            channel: channel,
            CreateMessage(
                content: text, replyTo: reference(to: message),
                nonce: Self.nonce(for: message.id, part: 98)))
    }
}
