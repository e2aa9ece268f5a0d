import DiscordModels

/// The names of the roles and channels the bot has seen (GUILD_CREATE, channel, thread and role
/// events), so a message's `<@&id>` and `<#id>` reach the model as `@role` and `#channel`.
/// Bounded like every per-guild table: Discord never says when to forget.
struct GuildNames: Sendable {
    static let capacity = 100_000
    private(set) var roles = LRUMap<Snowflake, String>(capacity: GuildNames.capacity)
    private(set) var channels = LRUMap<Snowflake, String>(capacity: GuildNames.capacity)

    mutating func record(_ guild: Guild) {
        for role in guild.roles ?? [] { record(role) }
        for channel in (guild.channels ?? []) + (guild.threads ?? []) { record(channel) }
    }

    mutating func record(_ role: Role) {
        if let name = role.name { roles[role.id] = name }
    }

    mutating func record(_ channel: Channel) {
        if let name = channel.name { channels[channel.id] = name }
    }

    mutating func forgetRole(_ id: Snowflake) { roles[id] = nil }
    mutating func forgetChannel(_ id: Snowflake) { channels[id] = nil }
}
