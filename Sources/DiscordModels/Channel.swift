/// CHANNEL_CREATE / CHANNEL_UPDATE payload, or a channel in GUILD_CREATE (only what the bot uses).
public struct Channel: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var type: Int?
    public var guildID: Snowflake?
    public var name: String?
    public var permissionOverwrites: [PermissionOverwrite]?

    public init(id: Snowflake, type: Int? = nil, guildID: Snowflake? = nil, name: String? = nil,
                permissionOverwrites: [PermissionOverwrite]? = nil) {
        (self.id, self.type, self.guildID, self.name, self.permissionOverwrites) = (id, type, guildID, name, permissionOverwrites)
    }

    enum CodingKeys: String, CodingKey {
        case id, type, name
        case guildID = "guild_id"
        case permissionOverwrites = "permission_overwrites"
    }
}

/// GUILD_CREATE payload, or an unavailable guild in READY (v10 sends those; v9-style servers
/// send full guilds in READY, which decode the same way).
public struct Guild: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var name: String?
    public var unavailable: Bool?
    /// For permissions (channel managers may run state-changing commands).
    public var ownerID: Snowflake?
    public var roles: [Role]?
    public var channels: [Channel]?

    public init(id: Snowflake, name: String? = nil, unavailable: Bool? = nil, ownerID: Snowflake? = nil,
                roles: [Role]? = nil, channels: [Channel]? = nil) {
        (self.id, self.name, self.unavailable, self.ownerID, self.roles, self.channels) = (id, name, unavailable, ownerID, roles, channels)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, unavailable, roles, channels
        case ownerID = "owner_id"
    }
}
