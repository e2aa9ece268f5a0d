import DiscordModels

/// The names of the guilds, roles and channels the bot has seen (GUILD_CREATE, channel, thread
/// and role events), so a message's `<@&id>` and `<#id>` reach the model as `@role` and
/// `#channel`, and `{channel}` / `{guild}` in a prompt read as names. Bounded like every
/// per-guild table: Discord never says when to forget.
struct GuildNames: Sendable {
    static let capacity = 100_000
    private(set) var roles = LRUMap<Snowflake, String>(capacity: GuildNames.capacity)
    private(set) var channels = LRUMap<Snowflake, String>(capacity: GuildNames.capacity)
    private(set) var guilds = LRUMap<Snowflake, String>(capacity: GuildNames.capacity)
    /// Channel → its guild (GUILD_CREATE lists channels without their guild id).
    private(set) var channelGuilds = LRUMap<Snowflake, Snowflake>(capacity: GuildNames.capacity)

    mutating func record(_ guild: Guild) {
        if let name = guild.name { guilds[guild.id] = name }
        for role in guild.roles ?? [] { record(role) }
        for channel in (guild.channels ?? []) + (guild.threads ?? []) {
            record(channel)
            channelGuilds[channel.id] = guild.id
        }
    }

    mutating func record(_ role: Role) {
        if let name = role.name { roles[role.id] = name }
    }

    mutating func record(_ channel: Channel) {
        if let name = channel.name { channels[channel.id] = name }
        if let guild = channel.guildID { channelGuilds[channel.id] = guild }
    }

    mutating func forgetRole(_ id: Snowflake) { roles[id] = nil }
    mutating func forgetChannel(_ id: Snowflake) {
        channels[id] = nil
        channelGuilds[id] = nil
    }

    /// The channel's and its guild's names, as far as known.
    func names(of channel: Snowflake) -> (channel: String?, guild: String?) {
        (channels[channel], channelGuilds[channel].flatMap { guilds[$0] })
    }
}
