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
        let buttons = replyButtons(for: message)
        let live = liveReply(to: message, components: buttons?.streaming, logger: logger)
        if let position = await context.queue.enter(), context.config.reply.queueNotice > 0,
            position >= context.config.reply.queueNotice
        {
            await noticeQueuePosition(position, replyingTo: message)
        }
        let written = WrittenSoFar()
        var onText: (@Sendable (String) async -> Void)?
        if let live {
            onText = { @Sendable text in
                written.text = text
                await live.update(text)
            }
        }
        let update = onText // a constant: the generation task (which Stop cancels) captures it
        do {
            let (key, pipeline, answered) = (channel.rawValue, context.pipeline, message.id.rawValue)
            let generated = try await stoppable(buttons?.stop, written: written, fallback: settings.fallback) {
                try await pipeline.generateReply(channel: key, through: answered, settings: settings, onText: update)
            }
            let reply = generated.text
            typing?.cancel()
            let ids = try await post(
                reply, replyingTo: reference(to: message), nonce: { Self.nonce(for: message.id, part: $0) }, live: live,
                buttons: buttons?.finished)
            try await context.pipeline.recordReply(
                reply, channel: key, messageID: ids.first?.rawValue, answering: answered,
                settings: settings, botID: context.botUser.id.rawValue)
            await posted(ids, answering: message.id, replacing: buttons?.previous)
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
            await abandoned(live, answering: message.id, restoring: buttons?.previous)
            await notify(error, replyingTo: message)
        }
        await context.queue.leave()
    }

    /// Refreshes "typing…" every 8 s (Discord shows it for about 10 s) until cancelled.
    func typingIndicator() -> Task<Void, Never> {
        let (rest, channel) = (context.rest, channel)
        return Task {
            while !Task.isCancelled {
                try? await rest.triggerTyping(channel: channel)
                try? await Task.sleep(for: .seconds(8))
            }
        }
    }
}
