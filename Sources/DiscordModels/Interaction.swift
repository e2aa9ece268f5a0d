/// INTERACTION_CREATE: a slash command, an autocomplete request, a button press or a modal.
/// In a guild it carries `member` (with the member's permissions in that channel, computed by
/// Discord); in a DM it carries `user` instead.
public struct Interaction: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var applicationID: Snowflake
    public var type: InteractionType
    public var data: InteractionData?
    public var guildID: Snowflake?
    public var channelID: Snowflake?
    /// The partial channel (id, type, name, parent for threads).
    public var channel: Channel?
    public var member: InteractionMember?
    public var user: User?
    public var token: InteractionToken
    public var version: Int?
    /// The message a component is attached to (component interactions).
    public var message: Message?
    /// The invoking user's language, e.g. "en-US".
    public var locale: String?

    public init(
        id: Snowflake, applicationID: Snowflake, type: InteractionType, data: InteractionData? = nil,
        guildID: Snowflake? = nil, channelID: Snowflake? = nil, member: InteractionMember? = nil, user: User? = nil,
        token: InteractionToken
    ) {
        (self.id, self.applicationID, self.type, self.data, self.guildID) = (id, applicationID, type, data, guildID)
        (self.channelID, self.member, self.user, self.token) = (channelID, member, user, token)
    }

    enum CodingKeys: String, CodingKey {
        case id, type, data, channel, member, user, token, version, message, locale
        case applicationID = "application_id"
        case guildID = "guild_id"
        case channelID = "channel_id"
    }

    /// Who acted: the member's user in a guild, the user in a DM.
    public var invoker: User? { member?.user ?? user }

    /// Where it happened (`channel_id`, or the partial channel's id).
    public var channelSnowflake: Snowflake? { channelID ?? channel?.id }

    public var handle: InteractionHandle { InteractionHandle(id: id, applicationID: applicationID, token: token) }

    public var isDirectMessage: Bool { guildID == nil }
}

/// Interaction types; unknown ones decode and are refused by the handler.
public struct InteractionType: RawRepresentable, Sendable, Hashable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let ping = InteractionType(rawValue: 1)
    public static let applicationCommand = InteractionType(rawValue: 2)
    public static let messageComponent = InteractionType(rawValue: 3)
    public static let autocomplete = InteractionType(rawValue: 4)
    public static let modalSubmit = InteractionType(rawValue: 5)
}

/// The guild member who acted, as interactions carry it: with the user and with `permissions`,
/// the member's permissions in the interaction's channel (overwrites applied, a decimal string).
public struct InteractionMember: Sendable, Codable, Equatable {
    public var user: User?
    public var nick: String?
    public var roles: [Snowflake]?
    public var permissions: String?

    public init(user: User?, nick: String? = nil, roles: [Snowflake]? = nil, permissions: String? = nil) {
        (self.user, self.nick, self.roles, self.permissions) = (user, nick, roles, permissions)
    }

    /// Administrators, the guild's managers and whoever can manage the channel: who may run
    /// state-changing commands (the same rule as `GuildPermissions.isManager`).
    public var managesChannel: Bool {
        !Permissions(string: permissions).isDisjoint(with: [.administrator, .manageGuild, .manageChannels])
    }
}
