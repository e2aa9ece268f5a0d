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
        // At most once, across gateway replays and restarts.
        guard (try? await context.pipeline.memory.claimAnswer(messageID: message.id.rawValue)) == true else {
            logger.debug("already answered; skipping")
            return
        }
        let started = ContinuousClock.now
        let settings = await context.settings(for: channel)
        let typing = context.config.reply.typing ? typingIndicator() : nil
        defer { typing?.cancel() }
        do {
            let deadline = ContinuousClock.now + .seconds(context.config.model.requestTimeout)
            let reply = try await context.pipeline.generateReply(channel: channel.rawValue, settings: settings, deadline: deadline)
            typing?.cancel()
            let firstID = try await post(reply, replyingTo: message)
            try await context.pipeline.recordReply(reply, channel: channel.rawValue, messageID: firstID?.rawValue,
                                                   settings: settings, botID: context.botUser.id.rawValue)
            context.counters.add("replies_sent")
            let latency = ContinuousClock.now - started
            context.counters.record(latency: latency)
            logger.info("replied", metadata: ["latency_ms": "\(latency.milliseconds)", "characters": "\(reply.count)"])
        } catch {
            context.counters.add("reply_errors")
            logger.error("reply failed", metadata: ["error": "\(error)"])
            await notify(error, replyingTo: message)
        }
    }

    /// Posts the reply split into Discord-sized parts, the first as a reply to the message.
    /// Returns the id of the first part.
    func post(_ reply: String, replyingTo message: Message) async throws -> Snowflake? {
        let config = context.config.reply
        var parts = MessageSplitter().split(reply)
        if parts.count > config.maxParts {
            parts = Array(parts.prefix(config.maxParts))
            parts[parts.count - 1] += " […]"
        }
        var first: Snowflake?
        for (index, part) in parts.enumerated() {
            var allowed = AllowedMentions.none
            allowed.repliedUser = config.mentionAuthor
            let body = CreateMessage(content: part, replyTo: index == 0 ? message.id : nil, allowedMentions: allowed,
                                     nonce: Self.nonce(for: message.id, part: index))
            let posted = try await context.rest.createMessage(channel: channel, body)
            if index == 0 { first = posted.id }
        }
        return first
    }

    /// Discord nonces are at most 25 characters; derived from the message so a retry after a
    /// restart reuses it.
    static func nonce(for message: Snowflake, part: Int) -> String {
        String("p\(part)-\(message.rawValue)".prefix(25))
    }

    /// One short notice for the user; the log line carries the details.
    private func notify(_ error: any Error, replyingTo message: Message) async {
        let text: String = switch error {
        case InferenceError.busy: "I'm handling a lot of conversations right now — please try again in a moment."
        case InferenceError.deadlineExceeded: "That took me too long, sorry. Could you ask again?"
        case InferenceError.promptTooLong: "That message is too long for me to read whole. Could you shorten it?"
        case is RESTError: ""  // Discord itself is failing: a notice would fail the same way
        default: "Something went wrong on my side while answering. The operator has the details."
        }
        guard !text.isEmpty else { return }
        _ = try? await context.rest.createMessage(channel: channel, CreateMessage(content: text, replyTo: message.id,
                                                                                  nonce: Self.nonce(for: message.id, part: 99)))
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
