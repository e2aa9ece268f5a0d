/// A Discord user as messages and READY carry it. Optional fields are optional: compatible
/// servers leave many of them out.
public struct User: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var username: String
    public var globalName: String?
    public var bot: Bool?
    public var discriminator: String?
    /// In a guild message's `mentions`: the mentioned member's guild part (their nickname).
    public var member: GuildMember?

    public init(id: Snowflake, username: String, globalName: String? = nil, bot: Bool? = nil, member: GuildMember? = nil) {
        self.id = id
        self.username = username
        self.globalName = globalName
        self.bot = bot
        self.member = member
    }

    enum CodingKeys: String, CodingKey {
        case id, username, bot, discriminator, member
        case globalName = "global_name"
    }

    /// What people see: the global display name, else the username.
    public var displayName: String { globalName ?? username }
}

/// The guild-specific part of an author (nickname).
public struct GuildMember: Sendable, Codable, Equatable {
    public var nick: String?
    public var roles: [Snowflake]?

    public init(nick: String? = nil, roles: [Snowflake]? = nil) {
        self.nick = nick
        self.roles = roles
    }
}
