/// Discord permission bits (only those Parley asks about), sent as decimal strings.
public struct Permissions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let administrator = Permissions(rawValue: 1 << 3)
    public static let manageChannels = Permissions(rawValue: 1 << 4)
    public static let manageGuild = Permissions(rawValue: 1 << 5)
    public static let all = Permissions(rawValue: .max)

    /// Discord's decimal string ("8"); unparsable text grants nothing.
    public init(string: String?) { self.init(rawValue: string.flatMap(UInt64.init) ?? 0) }
}

/// A role as GUILD_CREATE and the role events carry it.
public struct Role: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var permissions: String?
    /// What `<@&id>` shows as (`@name`).
    public var name: String?

    public init(id: Snowflake, permissions: String?, name: String? = nil) {
        self.id = id
        self.permissions = permissions
        self.name = name
    }
}

/// A channel's permission overwrite: `type` 0 is a role (or @everyone: the guild's id), 1 a member.
public struct PermissionOverwrite: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var type: Int
    public var allow: String?
    public var deny: String?

    public init(id: Snowflake, type: Int, allow: String?, deny: String?) {
        (self.id, self.type, self.allow, self.deny) = (id, type, allow, deny)
    }
}

/// GUILD_ROLE_CREATE / GUILD_ROLE_UPDATE.
public struct GuildRoleEvent: Sendable, Codable, Equatable {
    public var guildID: Snowflake
    public var role: Role

    public init(guildID: Snowflake, role: Role) {
        self.guildID = guildID
        self.role = role
    }

    enum CodingKeys: String, CodingKey {
        case role
        case guildID = "guild_id"
    }
}

/// GUILD_ROLE_DELETE.
public struct GuildRoleDelete: Sendable, Codable, Equatable {
    public var guildID: Snowflake
    public var roleID: Snowflake

    public init(guildID: Snowflake, roleID: Snowflake) {
        self.guildID = guildID
        self.roleID = roleID
    }

    enum CodingKeys: String, CodingKey {
        case guildID = "guild_id"
        case roleID = "role_id"
    }
}
