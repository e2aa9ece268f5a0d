/// CHANNEL_CREATE payload (only what the bot uses).
public struct Channel: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var type: Int?
    public var guildID: Snowflake?
    public var name: String?

    enum CodingKeys: String, CodingKey {
        case id, type, name
        case guildID = "guild_id"
    }
}

/// GUILD_CREATE payload, or an unavailable guild in READY (v10 sends those; v9-style servers
/// send full guilds in READY, which decode the same way).
public struct Guild: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var name: String?
    public var unavailable: Bool?
}
