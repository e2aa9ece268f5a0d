/// What one guild's permissions are made of, kept up to date from gateway events, and the
/// computation Discord documents: owner → everything; @everyone and the member's roles; an
/// administrator has everything; then the channel's overwrites for @everyone, the member's roles
/// (denies before allows) and the member.
public struct GuildPermissions: Sendable, Equatable {
    public let guildID: Snowflake
    public var ownerID: Snowflake?
    public var roles: [Snowflake: Permissions] = [:]
    public var overwrites: [Snowflake: [PermissionOverwrite]] = [:]

    public init(guildID: Snowflake) { self.guildID = guildID }

    /// From GUILD_CREATE (everything) or GUILD_UPDATE (no channels: the known ones are kept).
    public mutating func update(from guild: Guild) {
        if let owner = guild.ownerID { ownerID = owner }
        if let roles = guild.roles {
            self.roles = Dictionary(roles.map { ($0.id, Permissions(string: $0.permissions)) }, uniquingKeysWith: { $1 })
        }
        for channel in guild.channels ?? [] { update(from: channel) }
    }

    /// From CHANNEL_CREATE / CHANNEL_UPDATE, or a channel listed in GUILD_CREATE. Threads have
    /// no overwrites: their parent channel's apply (the caller asks for the parent).
    public mutating func update(from channel: Channel) {
        guard !channel.isThread else { return }
        overwrites[channel.id] = channel.permissionOverwrites ?? []
    }

    /// A channel was deleted: its overwrites go with it.
    public mutating func remove(channel: Snowflake) { overwrites[channel] = nil }

    /// A member's permissions in `channel` (guild-level when the channel is unknown). For a
    /// thread, pass its parent channel.
    public func permissions(of user: Snowflake, roles memberRoles: [Snowflake], in channel: Snowflake) -> Permissions {
        if user == ownerID { return .all }
        var base = roles[guildID] ?? []
        for role in memberRoles { base.formUnion(roles[role] ?? []) }
        if base.contains(.administrator) { return .all }
        let channelOverwrites = overwrites[channel] ?? []
        func apply(_ overwrite: PermissionOverwrite) {
            base.subtract(Permissions(string: overwrite.deny))
            base.formUnion(Permissions(string: overwrite.allow))
        }
        if let everyone = channelOverwrites.first(where: { $0.id == guildID && $0.type == 0 }) { apply(everyone) }
        var deny = Permissions()
        var allow = Permissions()
        for overwrite in channelOverwrites
        where overwrite.type == 0 && overwrite.id != guildID && memberRoles.contains(overwrite.id) {
            deny.formUnion(Permissions(string: overwrite.deny))
            allow.formUnion(Permissions(string: overwrite.allow))
        }
        base.subtract(deny)
        base.formUnion(allow)
        if let member = channelOverwrites.first(where: { $0.id == user && $0.type == 1 }) { apply(member) }
        return base
    }

    /// Who may run state-changing commands in a channel besides `access.admins`: administrators,
    /// the guild's managers, and whoever can manage that channel.
    public func isManager(_ user: Snowflake, roles: [Snowflake], in channel: Snowflake) -> Bool {
        !permissions(of: user, roles: roles, in: channel).isDisjoint(with: [.administrator, .manageGuild, .manageChannels])
    }
}
