import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Foundation
import Inference
import Logging
import Timing

extension ChannelWorker {
    func reply(to message: Message) async {
        var logger = context.logger
        logger[metadataKey: "channel"] = "\(channel)"
        logger[metadataKey: "message_id"] = "\(message.id)"
        if let guild = message.guildID { logger[metadataKey: "guild"] = "\(guild)" }
        // At most once, across gateway replays and restarts.
        guard (try? await context.pipeline.claimAnswer(messageID: message.id.rawValue)) == true else {
            logger.debug("already answered; skipping")
            return
        }
        let started = ContinuousClock.now
        let settings = await context.settings(for: channel)
        let typing = context.config.reply.typing ? typingIndicator() : nil
        defer { typing?.cancel() }
        let live = liveReply(to: message, logger: logger)
        if let position = await context.queue.enter(), context.config.reply.queueNotice > 0,
            position >= context.config.reply.queueNotice
        {
            await noticeQueuePosition(position, replyingTo: message)
        }
        var onText: (@Sendable (String) async -> Void)?
        if let live { onText = { text in await live.update(text) } }
        do {
            let generated = try await context.pipeline.generateReply(
                channel: channel.rawValue, through: message.id.rawValue, settings: settings, onText: onText)
            let reply = generated.text
            typing?.cancel()
            let firstID = try await post(
                reply, replyingTo: reference(to: message), nonce: { Self.nonce(for: message.id, part: $0) }, live: live)
            try await context.pipeline.recordReply(
                reply, channel: channel.rawValue, messageID: firstID?.rawValue, answering: message.id.rawValue,
                settings: settings, botID: context.botUser.id.rawValue)
            context.counters.add("replies_sent")
            let latency = ContinuousClock.now - started
            context.counters.record(latency: latency)
            logger.info(
                "replied",
                metadata: [
                    "latency_ms": "\(latency.wholeMilliseconds)", "tokens": "\(generated.tokens)",
                    "characters": "\(reply.count)",
                ])
        } catch {
            context.counters.add("reply_errors")
            logger.error("reply failed", metadata: ["error": "\(error)"])
            await notify(error, replyingTo: message)
        }
        await context.queue.leave()
    }

    /// Refreshes "typing…" every 8 s (Discord shows it for about 10 s) until cancelled.
    private func typingIndicator() -> Task<Void, Never> {
        let (rest, channel) = (context.rest, channel)
        return Task {
            while !Task.isCancelled {
                try? await rest.triggerTyping(channel: channel)
                try? await Task.sleep(for: .seconds(8))
            }
        }
    }
}
