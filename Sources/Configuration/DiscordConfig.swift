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

    public static let defaultIntents = 37377

    public init() {}

    static let keys = ["token", "token_file", "api_base", "gateway_url", "intents", "compress", "shards"]

    /// Reads the section; the token itself is resolved later by `resolveToken`, which needs the
    /// environment and the file system.
    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = try map["token"]?.string().trimmingWhitespace(), !value.isEmpty {
            token = Secret(value)
        }
        if let path = try map["token_file"]?.optionalString() {
            tokenFile = FileAccess.resolve(path, against: node.context.baseDirectory)
        }
        if let value = map["api_base"] {
            apiBase = try Self.url(value, schemes: ["https", "http"])
        }
        if let value = map["gateway_url"] {
            gatewayURL = try Self.url(value, schemes: ["wss", "ws"])
        }
        if let value = map["intents"] { intents = try Self.intents(value) }
        if let value = map["compress"] { compress = try value.bool() }
        if let value = map["shards"] { shards = try ShardSpec(from: value) }
    }

    /// A URL with one of `schemes` and a host; anything else would only fail at connect time.
    static func url(_ node: ConfigNode, schemes: [String]) throws(ConfigError) -> String {
        let text = try node.nonEmptyString().trimmingWhitespace()
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            schemes.contains(scheme), let host = url.host, !host.isEmpty
        else {
            throw node.error(
                "expected a URL starting with \(schemes.map { "\($0)://" }.joined(separator: " or ")), "
                    + "got \(ConfigNode.quoted(text))")
        }
        return text
    }
}
