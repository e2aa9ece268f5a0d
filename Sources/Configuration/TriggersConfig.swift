/// Which messages the bot answers. Anything not matched here is ignored (but, with
/// `context: ambient`, still remembered as context).
public struct TriggersConfig: Sendable, Equatable {
    /// Answer when @mentioned.
    public var mention: Bool = true
    /// Answer every direct message.
    public var dm: Bool = true
    /// Answer replies to the bot's own messages.
    public var reply: Bool = true
    /// Answer messages containing any of these words (case-insensitive).
    public var wakeWords: [String] = []
    /// Channel ids where every message is answered.
    public var channels: [String] = []
    public var ignoreBots: Bool = true
    public var ignoreWebhooks: Bool = true
    /// What the model sees as history: only messages addressed to it, or the whole channel.
    public var context: TriggerContext = .addressed
    /// Prefix for admin/user commands (`!parley reset`); empty disables commands.
    public var commandPrefix: String = "!parley"
    /// Replies in new threads for mentions in busy channels (`triggers.threads`).
    public var threads = ThreadTriggers()
    /// After a gap no gateway session replays, channels with a turn within this many seconds
    /// are read back (`backfill_window`, default 24 h).
    public var backfillWindow: Double = 86400
    /// Messages found that way are handled only when at most this many seconds old
    /// (`backfill_max_age`, default 10 minutes); 0 turns the backfill off.
    public var backfillMaxAge: Double = 600

    public init() {}

    static let keys = [
        "mention", "dm", "reply", "wake_words", "channels", "ignore_bots", "ignore_webhooks", "context",
        "command_prefix", "threads", "backfill_window", "backfill_max_age",
    ]

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["mention"] { mention = try value.bool() }
        if let value = map["dm"] { dm = try value.bool() }
        if let value = map["reply"] { reply = try value.bool() }
        if let value = map["wake_words"] {
            wakeWords = []
            for element in try value.sequence() {
                let word = try element.isNull ? "" : element.string()
                guard !word.trimmingWhitespace().isEmpty else {
                    throw element.error("wake words must not be empty (an empty one would match every message)")
                }
                wakeWords.append(word)
            }
        }
        if let value = map["channels"] { channels = try value.snowflakeList() }
        if let value = map["ignore_bots"] { ignoreBots = try value.bool() }
        if let value = map["ignore_webhooks"] { ignoreWebhooks = try value.bool() }
        if let value = map["context"] { context = try value.choice(TriggerContext.self) }
        if let value = map["command_prefix"] { commandPrefix = try value.string().trimmingWhitespace() }
        if let value = map["threads"] { threads = try ThreadTriggers(from: value) }
        if let value = map["backfill_window"] { backfillWindow = try value.double(in: 0...(30 * 86400)) }
        if let value = map["backfill_max_age"] { backfillMaxAge = try value.double(in: 0...86400) }
    }
}

public enum TriggerContext: String, Sendable, Equatable, CaseIterable {
    /// History holds only the messages that triggered the bot, and its replies.
    case addressed
    /// History holds everything said in the channel, so the bot can follow the conversation.
    case ambient
}
