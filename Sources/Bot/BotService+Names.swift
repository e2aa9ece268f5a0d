import DiscordModels
import Gateway
import Synchronization

extension BotService {
    /// Keeps the guild, role and channel names `MentionRenderer` shows in place of ids (and
    /// prompts show for `{channel}` and `{guild}`).
    func learnNames(from event: GatewayEvent) {
        context.names.withLock { names in learn(from: event, into: &names) }
    }

    private func learn(from event: GatewayEvent, into names: inout GuildNames) {
        switch event {
        case let .ready(ready): for guild in ready.guilds ?? [] { names.record(guild) }
        case let .guildCreate(guild), let .guildUpdate(guild): names.record(guild)
        case let .guildRoleUpdate(event): names.record(event.role)
        case let .guildRoleDelete(event): names.forgetRole(event.roleID)
        case let .channelCreate(channel), let .channelUpdate(channel), let .threadUpdate(channel): names.record(channel)
        case let .channelDelete(channel), let .threadDelete(channel): names.forgetChannel(channel.id)
        case let .threadListSync(sync): for thread in sync.threads { names.record(thread) }
        default: break
        }
    }

    /// A message's text as the model should read it: the bot's own mention removed, every other
    /// mention, channel, role and custom emoji by name.
    func readableContent(of message: Message) -> String {
        var mentioned: [Snowflake: String] = [:]
        for user in message.mentions ?? [] { mentioned[user.id] = user.member?.nick ?? user.displayName }
        let names = context.names.withLock { $0 }
        let renderer = MentionRenderer(
            user: { mentioned[$0] }, role: { names.roles[$0] }, channel: { names.channels[$0] })
        return renderer.render(triggers.cleanedContent(message))
    }
}
