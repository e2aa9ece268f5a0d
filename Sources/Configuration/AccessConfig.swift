/// Who may talk to the bot, and where. Block lists win over allow lists; an empty allow list
/// means "no restriction".
public struct AccessConfig: Sendable, Equatable {
    /// User ids allowed to run admin commands.
    public var admins: [String] = []
    public var allowGuilds: [String] = []
    public var blockGuilds: [String] = []
    public var allowChannels: [String] = []
    public var blockChannels: [String] = []
    public var allowUsers: [String] = []
    public var blockUsers: [String] = []
    /// Direct messages: true allows them, false refuses them; nil (unset) allows them unless
    /// `allowGuilds` is set, since an operator who limits the bot to some guilds does not expect
    /// anyone from elsewhere to use it in private.
    public var allowDMs: Bool?
    /// Minimum seconds between two answered messages from the same user.
    public var cooldownSeconds: Double = 3

    public init() {}

    static let keys = [
        "admins", "allow_guilds", "block_guilds", "allow_channels", "block_channels", "allow_users",
        "block_users", "allow_dms", "cooldown_seconds",
    ]

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["admins"] { admins = try value.snowflakeList() }
        if let value = map["allow_guilds"] { allowGuilds = try value.snowflakeList() }
        if let value = map["block_guilds"] { blockGuilds = try value.snowflakeList() }
        if let value = map["allow_channels"] { allowChannels = try value.snowflakeList() }
        if let value = map["block_channels"] { blockChannels = try value.snowflakeList() }
        if let value = map["allow_users"] { allowUsers = try value.snowflakeList() }
        if let value = map["block_users"] { blockUsers = try value.snowflakeList() }
        if let value = map["allow_dms"], try value.optionalString() != nil { allowDMs = try value.bool() }
        if let value = map["cooldown_seconds"] { cooldownSeconds = try value.double(in: 0...86400) }
    }
}
