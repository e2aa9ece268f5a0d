import DiscordModels
import DiscordREST
import Foundation
import Logging

/// One streamed reply's message on Discord (`reply.stream: true`): posted early as a reply to
/// the triggering message, edited as text arrives (see `LiveEditSchedule`), finished with the
/// final first part. A failed live post or edit is only logged: `finish` still delivers.
actor LiveReply {
    private var schedule: LiveEditSchedule
    private let rest: any DiscordClient
    private let channel: Snowflake
    private let message: Snowflake?
    private let allowedMentions: AllowedMentions
    private let nonce: String
    private let logger: Logger
    private(set) var messageID: Snowflake?

    init(
        interval: Duration, rest: any DiscordClient, channel: Snowflake, replyingTo message: Snowflake?,
        allowedMentions: AllowedMentions, nonce: String, logger: Logger
    ) {
        schedule = LiveEditSchedule(interval: interval)
        self.rest = rest
        self.channel = channel
        self.message = message
        self.allowedMentions = allowedMentions
        self.nonce = nonce
        self.logger = logger
    }

    /// The reply so far.
    func update(_ text: String) async {
        await perform(schedule.update(text, now: .now))
    }

    /// Shows the final first part; returns the message id, nil when it could not be posted live
    /// (the caller then posts it normally).
    func finish(_ firstPart: String) async throws -> Snowflake? {
        let action = schedule.finish(firstPart)
        guard let messageID else { return nil }
        if case let .edit(text) = action {
            // The final edit must land: unlike live edits, its failure fails the reply.
            _ = try await rest.editMessage(channel: channel, message: messageID, content: text, allowedMentions: allowedMentions)
        }
        return messageID
    }

    private func perform(_ action: LiveEditSchedule.Action) async {
        do {
            switch action {
            case .none:
                return
            case let .post(text):
                let body = CreateMessage(content: text, replyTo: message, allowedMentions: allowedMentions, nonce: nonce)
                messageID = try await rest.createMessage(channel: channel, body).id
            case let .edit(text):
                guard let messageID else { return }
                _ = try await rest.editMessage(
                    channel: channel, message: messageID, content: text, allowedMentions: allowedMentions)
            }
        } catch {
            logger.warning(
                "a live edit of the reply failed; the final text will still be posted", metadata: ["error": "\(error)"])
        }
    }
}
