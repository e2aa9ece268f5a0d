public import DiscordModels

/// What the gateway gives its consumer. Disconnects appear only as status changes: the gateway
/// reconnects and resumes by itself, and never delivers the same MESSAGE_CREATE twice.
public enum GatewayEvent: Sendable, Equatable {
    case ready(Ready)
    case resumed
    case messageCreate(Message)
    case messageUpdate(Message)
    case messageDelete(MessageDelete)
    /// Needs GUILD_MESSAGES, like MESSAGE_DELETE; the channel, thread and guild events below need GUILDS.
    case messageDeleteBulk(MessageDeleteBulk)
    case channelCreate(Channel)
    case channelUpdate(Channel)
    case channelDelete(Channel)
    /// THREAD_CREATE / THREAD_UPDATE.
    case threadUpdate(Channel)
    case threadDelete(Channel)
    case threadListSync(ThreadListSync)
    case guildCreate(Guild)
    case guildUpdate(Guild)
    /// The bot left (or was removed from) the guild, or, with `unavailable: true`, an outage.
    case guildDelete(Guild)
    case guildRoleUpdate(GuildRoleEvent)
    case guildRoleDelete(GuildRoleDelete)
    /// A slash command, autocomplete request or button press (needs no intent).
    case interactionCreate(Interaction)
    case status(GatewayStatus)
}

public enum GatewayStatus: Sendable, Equatable {
    case connecting
    case connected
    case reconnecting(attempt: Int, delay: Duration, reason: String)
    /// The gateway stopped for good; the message names the operator's fix.
    case stopped(String)
}
