import Foundation

/// How to reach Discord. With no token at all, Parley runs the local console channel instead.
public struct DiscordConfig: Sendable, Equatable {
    /// The bot token after resolution (see `ConfigLoader`): `token`, else `token_file`, else the
    /// systemd credential `$CREDENTIALS_DIRECTORY/discord-token`; nil means "no Discord".
    public var token: Secret?
    /// The `token_file` as given (resolved against the config file's directory), if any.
    public var tokenFile: String?
    public var apiBase: String = "https://discord.com/api/v10"
    public var gatewayURL: String = "wss://gateway.discord.gg"
    /// Gateway intents bit set; the default is GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES |
    /// MESSAGE_CONTENT, what a chat bot needs and nothing that requires extra approval.
    public var intents: Int = DiscordConfig.defaultIntents
    /// zlib-stream compression on the gateway connection.
    public var compress: Bool = true
    public var shards: ShardSpec = .auto
    /// Allows `http://` / `ws://` to hosts other than loopback, which send the token unencrypted:
    /// only for a trusted network (a compatible server on the LAN). Also governs the gateway URLs
    /// servers announce at run time (see `ClearTextPolicy.secured`).
    public var allowInsecure: Bool = false
    /// Slash commands: registered at start and on reload (only when they changed), in
    /// `commandsGuild` alone when set (instant, for trying them out), else globally.
    public var commands: Bool = true
    public var commandsGuild: String?

    public static let defaultIntents = 37377

    public init() {}

    static let keys = [
        "token", "token_file", "api_base", "gateway_url", "intents", "compress", "shards", "allow_insecure", "commands",
        "commands_guild",
    ]

    /// Reads the section; the token itself is resolved later by `resolveToken`, which needs the
    /// environment and the file system.
    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["allow_insecure"] { allowInsecure = try value.bool() }
        if let value = try map["token"]?.string().trimmingWhitespace(), !value.isEmpty {
            token = Secret(value)
        }
        if let path = try map["token_file"]?.optionalString() {
            tokenFile = FileAccess.resolve(path, against: node.context.baseDirectory)
        }
        if let value = map["api_base"] {
            apiBase = try Self.url(value, schemes: ["https", "http"], clearText: allowInsecure ? nil : "discord.allow_insecure")
        }
        if let value = map["gateway_url"] {
            gatewayURL = try Self.url(value, schemes: ["wss", "ws"], clearText: allowInsecure ? nil : "discord.allow_insecure")
        }
        if let value = map["intents"] { intents = try Self.intents(value) }
        if let value = map["compress"] { compress = try value.bool() }
        if let value = map["shards"] { shards = try ShardSpec(from: value) }
        if let value = map["commands"] { commands = try value.bool() }
        if let value = map["commands_guild"] { commandsGuild = try value.snowflake() }
    }

    /// A URL with one of `schemes` and a host; anything else would only fail at connect time.
    /// With `clearText` (the key that would allow it), a clear-text URL to a host other than
    /// loopback is refused: it would carry the token or key unencrypted.
    static func url(
        _ node: ConfigNode, schemes: [String], clearText allowKey: String? = nil
    ) throws(ConfigError)
        -> String
    {
        let text = try node.nonEmptyString().trimmingWhitespace()
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            schemes.contains(scheme), let host = url.host, !host.isEmpty
        else {
            throw node.error(
                "expected a URL starting with \(schemes.map { "\($0)://" }.joined(separator: " or ")), "
                    + "got \(node.quotedValue(text))")
        }
        if let allowKey, ClearTextPolicy.exposes(text) {
            let secure = ClearTextPolicy.secured(text, allowInsecure: false)
            throw node.error(
                "\(scheme):// to a host that is not loopback would send the credential unencrypted",
                hint: "use \(secure.prefix { $0 != ":" })://, or set \(allowKey): true on a trusted network")
        }
        return text
    }
}
