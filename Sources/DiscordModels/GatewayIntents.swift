/// Gateway intent bits this bot cares about.
public struct GatewayIntents: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let guilds = GatewayIntents(rawValue: 1 << 0)
    public static let guildMessages = GatewayIntents(rawValue: 1 << 9)
    public static let directMessages = GatewayIntents(rawValue: 1 << 12)
    public static let messageContent = GatewayIntents(rawValue: 1 << 15)

    /// GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT = 37377.
    public static let parleyDefault: GatewayIntents = [.guilds, .guildMessages, .directMessages, .messageContent]
}
