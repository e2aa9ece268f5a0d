public import Configuration
public import DiscordModels
import Foundation

/// Decides what a channel message means for the bot: answer it, keep it as context, or ignore it.
public struct TriggerPolicy: Sendable {
    public enum Decision: Sendable, Equatable {
        /// Answer (why, for logs).
        case reply(Reason)
        /// Not addressed to the bot, but kept as conversation context (`triggers.context: ambient`).
        case ambient
        case ignore
    }

    public enum Reason: String, Sendable, Equatable {
        case mention, directMessage, replyToBot, wakeWord, alwaysOn
    }

    public var triggers: TriggersConfig
    public var channels: [String: ChannelOverride]
    public var botUserID: Snowflake

    public init(triggers: TriggersConfig, channels: [String: ChannelOverride] = [:], botUserID: Snowflake) {
        self.triggers = triggers
        self.channels = channels
        self.botUserID = botUserID
    }

    /// `parent`: the channel of the message's thread, whose always-on setting applies inside it.
    /// `startedByBot`: the message is in a thread the bot started, always-on with `triggers.threads`
    /// (unless the thread's own override says otherwise).
    public func decide(_ message: Message, parent: Snowflake? = nil, startedByBot: Bool = false) -> Decision {
        guard let author = message.author, author.id != botUserID else { return .ignore }
        if triggers.ignoreBots, author.bot == true { return .ignore }
        if triggers.ignoreWebhooks, message.webhookID != nil { return .ignore }
        let content = message.content?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !content.isEmpty else { return .ignore }
        if let reason = reason(for: message, parent: parent, startedByBot: startedByBot, content: content) {
            return .reply(reason)
        }
        return triggers.context == .ambient ? .ambient : .ignore
    }

    private func reason(for message: Message, parent: Snowflake?, startedByBot: Bool, content: String) -> Reason? {
        if message.isDirectMessage { return triggers.dm ? .directMessage : nil }
        if triggers.mention,
            message.mentions?.contains(where: { $0.id == botUserID }) == true
                || content.contains("<@\(botUserID)>") || content.contains("<@!\(botUserID)>")
        {
            return .mention
        }
        if triggers.reply, message.referencedMessage?.value.author?.id == botUserID { return .replyToBot }
        let started: Bool? = startedByBot && triggers.threads.enabled ? true : nil
        if alwaysOn(message.channelID.rawValue) ?? started ?? parent.flatMap({ alwaysOn($0.rawValue) }) ?? false {
            return .alwaysOn
        }
        let lowered = content.lowercased()
        if triggers.wakeWords.contains(where: { !$0.isEmpty && Self.containsWord(lowered, $0.lowercased()) }) { return .wakeWord }
        return nil
    }

    /// The channel's own always-on setting: its override's `always_on`, else whether
    /// `triggers.channels` lists it; nil when neither says (a thread then follows its parent).
    private func alwaysOn(_ channel: String) -> Bool? {
        channels[channel]?.alwaysOn ?? (triggers.channels.contains(channel) ? true : nil)
    }

    /// `word` as a whole word (so "parley" wakes on "hey parley," but not on "parleying").
    static func containsWord(_ text: String, _ word: String) -> Bool {
        var search = text[...]
        while let range = search.range(of: word) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            if !(before?.isLetter ?? false) && !(before?.isNumber ?? false) && !(after?.isLetter ?? false)
                && !(after?.isNumber ?? false)
            {
                return true
            }
            search = text[range.upperBound...]
        }
        return false
    }

    /// The message text without the bot's own mention, as the model should see it.
    public func cleanedContent(_ message: Message) -> String {
        (message.content ?? "")
            .replacingOccurrences(of: "<@!\(botUserID)>", with: "")
            .replacingOccurrences(of: "<@\(botUserID)>", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
