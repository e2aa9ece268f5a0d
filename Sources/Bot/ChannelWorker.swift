import Conversation
import DiscordModels
import DiscordREST
import Foundation
import Inference
import Logging

/// One channel's replies, one at a time. Messages that arrive while a reply is being generated
/// are stored and answered together by the next reply, instead of queuing one reply each.
public actor ChannelWorker {
    let channel: Snowflake
    let context: BotContext
    /// The task answering this channel's messages, while there are any.
    private var running: Task<Void, Never>?
    /// The newest message waiting for an answer (the next reply replies to it).
    private var pending: Message?

    public init(channel: Snowflake, context: BotContext) {
        self.channel = channel
        self.context = context
    }

    /// Notes a triggering message and makes sure a reply will follow; returns at once (the event
    /// stream must not wait for one channel's reply).
    public func enqueue(_ message: Message) {
        pending = message
        guard running == nil else {
            context.counters.add("messages_merged")
            return
        }
        running = Task { await drainPending() }
    }

    private func drainPending() async {
        while let next = pending {
            pending = nil
            await reply(to: next)
        }
        running = nil
    }

    /// Waits until this channel has nothing left to answer.
    public func waitUntilIdle() async {
        while let task = running { await task.value }
    }

    public var isIdle: Bool { running == nil }

    private func reply(to message: Message) async {
        var logger = context.logger
        logger[metadataKey: "channel"] = "\(channel)"
        logger[metadataKey: "message_id"] = "\(message.id)"
        if let guild = message.guildID { logger[metadataKey: "guild"] = "\(guild)" }
        // At most once, across gateway replays and restarts.
        guard (try? await context.pipeline.memory.claimAnswer(messageID: message.id.rawValue)) == true else {
            logger.debug("already answered; skipping")
            return
        }
        let started = ContinuousClock.now
        let settings = await context.settings(for: channel)
        let typing = context.config.reply.typing ? typingIndicator() : nil
        defer { typing?.cancel() }
        let live = liveReply(to: message, logger: logger)
        if let position = await context.queue.enter(), context.config.reply.queueNotice > 0,
           position >= context.config.reply.queueNotice {
            await noticeQueuePosition(position, replyingTo: message)
        }
        var onText: (@Sendable (String) async -> Void)?
        if let live { onText = { text in await live.update(text) } }
        do {
            let deadline = ContinuousClock.now + .seconds(context.config.model.requestTimeout)
            let reply = try await context.pipeline.generateReply(channel: channel.rawValue, settings: settings, deadline: deadline,
                                                                 onText: onText)
            typing?.cancel()
            let firstID = try await post(reply, replyingTo: message, live: live)
            try await context.pipeline.recordReply(reply, channel: channel.rawValue, messageID: firstID?.rawValue,
                                                   settings: settings, botID: context.botUser.id.rawValue)
            context.counters.add("replies_sent")
            let latency = ContinuousClock.now - started
            context.counters.record(latency: latency)
            let tokens = (try? await context.pipeline.backend.tokenCount(reply, scaffold: false)) ?? 0
            logger.info("replied", metadata: ["latency_ms": "\(latency.milliseconds)", "tokens": "\(tokens)",
                                              "characters": "\(reply.count)"])
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
