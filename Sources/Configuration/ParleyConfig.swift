public import Sampling
import Yams

/// Everything `parley.yaml` can say, typed and validated. Every field has a default, so
/// `ParleyConfig()` is a complete working config (local console, default model).
public struct ParleyConfig: Sendable, Equatable {
    public var discord = DiscordConfig()
    public var model = ModelConfig()
    public var workers = WorkersConfig()
    public var generation = GenerationOptions()
    public var prompt = PromptConfig()
    public var memory = MemoryConfig()
    public var triggers = TriggersConfig()
    public var roleplay = RoleplayConfig()
    /// Per-channel overrides keyed by channel id (a snowflake string).
    public var channels: [String: ChannelOverride] = [:]
    public var access = AccessConfig()
    public var reply = ReplyConfig()
    public var metrics = MetricsConfig()
    public var log = LogConfig()
    /// Seconds to let in-flight replies finish on SIGTERM before giving up (`shutdown_timeout`).
    public var shutdownTimeoutSeconds: Double = 30
    /// Several bots on one engine (`bots:`); empty means one bot from the sections above. See
    /// `effectiveBots`.
    public var bots: [BotProfile] = []

    public init() {}

    static let keys = [
        "discord", "model", "workers", "generation", "prompt", "memory", "triggers", "roleplay", "channels",
        "access", "reply", "metrics", "log", "shutdown_timeout", "bots",
    ]

    /// Decodes the document root. Sections are read in dependency order (`channels` is checked
    /// against `roleplay` and `prompt`), then the token is resolved.
    init(from root: ConfigNode, credential: String = DiscordConfig.credentialName) throws(ConfigError) {
        if case .scalar = root.node, !root.isNull {
            throw root.error(
                "the top level must be a mapping of sections (discord:, model:, …), "
                    + "got \(root.kindDescription)")
        }
        let map = try root.mapping(allowedKeys: Self.keys)
        var discordSection: ConfigMapping?
        if let value = map["discord"] {
            discord = try DiscordConfig(from: value)
            discordSection = try value.mapping(allowedKeys: DiscordConfig.keys)
        }
        var modelSection: ConfigMapping?
        if let value = map["model"] {
            model = try ModelConfig(from: value)
            modelSection = try value.mapping(allowedKeys: ModelConfig.keys)
        }
        if let value = map["workers"] { workers = try WorkersConfig(from: value) }
        if let value = map["generation"] { generation = try GenerationOptions(from: value) }
        if let value = map["prompt"] { prompt = try PromptConfig(from: value) }
        if let value = map["memory"] {
            memory = try MemoryConfig(from: value)
            try memory.postgres?.resolvePassword(in: try value.mapping(allowedKeys: MemoryConfig.keys), context: root.context)
        }
        if let value = map["triggers"] { triggers = try TriggersConfig(from: value) }
        if let value = map["roleplay"] { roleplay = try RoleplayConfig(from: value) }
        if let value = map["channels"] {
            for entry in try value.mapping(allowedKeys: nil).entries {
                guard ConfigNode.isSnowflake(entry.key) else {
                    throw entry.keyNode.error(
                        "channel keys must be Discord channel ids (digits only)",
                        hint: "enable Developer Mode in Discord and use 'Copy Channel ID'")
                }
                channels[entry.key] = try ChannelOverride(from: entry.value, roleplay: roleplay, prompt: prompt)
            }
        }
        if let value = map["access"] { access = try AccessConfig(from: value) }
        if let value = map["reply"] { reply = try ReplyConfig(from: value) }
        if let value = map["metrics"] { metrics = try MetricsConfig(from: value) }
        if let value = map["log"] { log = try LogConfig(from: value) }
        if let value = map["shutdown_timeout"] { shutdownTimeoutSeconds = try value.double(in: 0...3600) }
        try discord.resolveToken(in: discordSection, context: root.context, credential: credential)
        try model.resolveAPIKey(in: modelSection, context: root.context)
        if let value = map["bots"], case let .mapping(rootMapping) = root.node {
            bots = try Self.decodeBots(value, root: rootMapping)
        }
    }
}
