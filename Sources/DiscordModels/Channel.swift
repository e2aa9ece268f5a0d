/// CHANNEL_* / THREAD_* payload, or a channel or thread in GUILD_CREATE (only what the bot uses).
/// THREAD_DELETE sends only id, guild_id, parent_id and type.
public struct Channel: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var type: Int?
    public var guildID: Snowflake?
    public var name: String?
    public var permissionOverwrites: [PermissionOverwrite]?
    /// A thread's (or forum post's) channel; a channel's category.
    public var parentID: Snowflake?

    public init(
        id: Snowflake, type: Int? = nil, guildID: Snowflake? = nil, name: String? = nil,
        permissionOverwrites: [PermissionOverwrite]? = nil, parentID: Snowflake? = nil
    ) {
        (self.id, self.type, self.guildID, self.name, self.permissionOverwrites) = (id, type, guildID, name, permissionOverwrites)
        self.parentID = parentID
    }

    enum CodingKeys: String, CodingKey {
        case id, type, name
        case guildID = "guild_id"
        case permissionOverwrites = "permission_overwrites"
        case parentID = "parent_id"
    }

    /// Announcement, public and private threads (10, 11, 12); forum and media posts are public threads.
    public var isThread: Bool { type.map { (10...12).contains($0) } ?? false }
}

/// THREAD_LIST_SYNC: the active threads of channels the bot just gained access to.
public struct ThreadListSync: Sendable, Codable, Equatable {
    public var guildID: Snowflake
    public var threads: [Channel]

    public init(guildID: Snowflake, threads: [Channel]) {
        (self.guildID, self.threads) = (guildID, threads)
    }

    enum CodingKeys: String, CodingKey {
        case threads
        case guildID = "guild_id"
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
    /// Active threads the bot can see (GUILD_CREATE).
    public var threads: [Channel]?

    public init(
        id: Snowflake, name: String? = nil, unavailable: Bool? = nil, ownerID: Snowflake? = nil,
        roles: [Role]? = nil, channels: [Channel]? = nil, threads: [Channel]? = nil
    ) {
        (self.id, self.name, self.unavailable, self.ownerID, self.roles, self.channels) = (
            id, name, unavailable, ownerID, roles, channels
        )
        self.threads = threads
    }

    enum CodingKeys: String, CodingKey {
        case id, name, unavailable, roles, channels, threads
        case ownerID = "owner_id"
    }
}
