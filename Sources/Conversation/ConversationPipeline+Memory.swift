public import Foundation

/// What the bot may do to memory besides recording turns, named by what it means in a channel.
/// Memory itself stays behind the pipeline, so every change to a conversation passes here.
extension ConversationPipeline {
    /// MESSAGE_UPDATE: the stored turn follows the edit. False when the message is not stored.
    @discardableResult
    public func edit(messageID: String, content: String) async throws -> Bool {
        try await memory.edit(messageID: messageID, content: content)
    }

    /// MESSAGE_DELETE: the turn is forgotten. False when the message is not stored.
    @discardableResult
    public func delete(messageID: String) async throws -> Bool {
        try await memory.delete(messageID: messageID)
    }

    /// MESSAGE_DELETE_BULK (a moderator's purge); returns the turns removed.
    @discardableResult
    public func delete(messageIDs: [String]) async throws -> Int {
        try await memory.delete(messageIDs: messageIDs)
    }

    /// Claims the right to answer `messageID`: true once, across gateway replays and restarts.
    public func claimAnswer(messageID: String) async throws -> Bool {
        try await memory.claimAnswer(messageID: messageID)
    }

    /// True the first time a channel talks to the persona (then its greeting is given).
    public func claimGreeting(channel: String) async throws -> Bool {
        try await memory.claimGreeting(channel: channel)
    }

    /// A greeting that could not be stored: the channel's next message greets again.
    public func releaseGreeting(channel: String) async throws {
        try await memory.releaseGreeting(channel: channel)
    }

    /// A greeting stored as `turnID` that could not be posted: its turn goes and the greeting
    /// is released, so the channel's next message greets again. The release is tried even when
    /// the removal fails: a greeting given twice beats one never given.
    public func withdrawGreeting(storedAs turnID: String, channel: String) async throws {
        var removal: (any Error)?
        do { try await memory.delete(messageID: turnID) } catch { removal = error }
        try await memory.releaseGreeting(channel: channel)
        if let removal { throw removal }
    }

    /// The persona the channel chose with the `persona` command (nil: the configured one).
    public func persona(channel: String) async throws -> String? {
        try await memory.persona(channel: channel)
    }

    public func choosePersona(_ persona: String?, channel: String) async throws {
        try await memory.setPersona(persona, channel: channel)
    }

    /// For `retry`: forgets the channel's last reply if it is the newest turn (false otherwise).
    public func dropLastReply(channel: String) async throws -> Bool {
        try await memory.dropLastReply(channel: channel)
    }

    /// GUILD_CREATE: which guild these channels belong to, so leaving it forgets them.
    public func assign(channels: [String], guild: String) async throws {
        try await memory.assign(channels: channels, guild: guild)
    }

    /// Applies retention to every channel (`maxAgeDays` nil: no age limit) and drops
    /// answered-message records past the replay window.
    public func applyRetention(
        maxTurns: Int, maxAgeDays: Double?, now: Date = Date()
    ) async throws -> ChannelMemory.RetentionReport {
        try await memory.retain(maxTurns: maxTurns, maxAge: maxAgeDays.map { $0 * 86400 }, now: now)
    }
}
