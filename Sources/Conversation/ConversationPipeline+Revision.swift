extension ConversationPipeline {
    /// The text of the channel's newest turn when it is the bot's reply whose first message is
    /// `messageID`: only that reply may still be regenerated or continued (a later message
    /// would change its prompt). Nil otherwise.
    public func revisableReply(channel: String, messageID: String) async throws -> String? {
        try await memory.newestReply(channel: channel, messageID: messageID)?.turn.content
    }

    /// After a restart, the reply to `answered` when its buttons still apply (see
    /// `ChannelMemory.restorableReply`): its text, its first message and the person answered.
    public func restorableReply(
        channel: String, answered: String
    ) async throws -> (text: String, messageID: String, author: String)? {
        guard let found = try await memory.restorableReply(channel: channel, answered: answered),
            let messageID = found.reply.messageID
        else { return nil }
        return (found.reply.turn.content, messageID, found.author)
    }

    /// A new version of the channel's newest turn, the bot's reply (see `ReplyRevision`),
    /// cleaned like any reply. Memory is unchanged until `replaceReply`.
    public func reviseReply(
        channel: String, settings: ChannelSettings, revision: ReplyRevision,
        onText: (@Sendable (String) async -> Void)? = nil
    ) async throws -> GeneratedReply {
        try await generate(channel: channel, settings: settings, revision: revision, onText: onText)
    }

    /// Stores the posted revision in place of the reply (only the newest text stays in memory).
    @discardableResult
    public func replaceReply(
        channel: String, messageID: String, with text: String, firstMessageID: String
    ) async throws
        -> Bool
    {
        try await memory.replaceReply(channel: channel, messageID: messageID, content: text, newMessageID: firstMessageID)
    }
}
