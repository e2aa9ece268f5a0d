/// What a gateway close means for the session: resume it, start a new one, or stop because an
/// operator must fix something (with the fix named).
public enum GatewayCloseAction: Sendable, Equatable {
    case resume
    case reidentify
    case fatal(String)
}

public enum GatewayCloseCode {
    /// Classifies a close code (nil: TCP drop or no close frame at all).
    public static func action(for code: Int?) -> GatewayCloseAction {
        switch code {
        case 4004:
            .fatal("Discord rejected the token (4004 authentication failed): check discord.token / the discord-token credential")
        case 4010:
            .fatal("invalid shard (4010): check discord.shards ids and count")
        case 4011:
            .fatal("sharding required (4011): set discord.shards to auto or a count large enough for the bot's guilds")
        case 4012:
            .fatal("invalid API version (4012): this server does not speak the configured gateway version")
        case 4013:
            .fatal("invalid intents (4013): discord.intents has an unknown bit")
        case 4014:
            .fatal(
                "disallowed intents (4014): enable the Message Content intent (and any other privileged intent in discord.intents) for the bot in the Discord developer portal"
            )
        case 4007, 4009:
            .reidentify // invalid sequence / session timed out: the old session cannot be resumed
        default:
            .resume
        }
    }
}
