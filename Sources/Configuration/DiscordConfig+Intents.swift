import Yams

extension DiscordConfig {
    /// Gateway intent names (Discord's, lowercased) and their bits, so the config can say
    /// `[guilds, guild_messages]` instead of a magic number.
    public static let intentBits: [String: Int] = [
        "guilds": 1 << 0,
        "guild_members": 1 << 1,
        "guild_moderation": 1 << 2,
        "guild_expressions": 1 << 3,
        "guild_integrations": 1 << 4,
        "guild_webhooks": 1 << 5,
        "guild_invites": 1 << 6,
        "guild_voice_states": 1 << 7,
        "guild_presences": 1 << 8,
        "guild_messages": 1 << 9,
        "guild_message_reactions": 1 << 10,
        "guild_message_typing": 1 << 11,
        "direct_messages": 1 << 12,
        "direct_message_reactions": 1 << 13,
        "direct_message_typing": 1 << 14,
        "message_content": 1 << 15,
        "guild_scheduled_events": 1 << 16,
        "auto_moderation_configuration": 1 << 20,
        "auto_moderation_execution": 1 << 21,
        "guild_message_polls": 1 << 24,
        "direct_message_polls": 1 << 25,
    ]

    /// Older names Discord renamed; still accepted because guides on the web use them.
    static let intentAliases: [String: String] = [
        "guild_bans": "guild_moderation",
        "guild_emojis_and_stickers": "guild_expressions",
    ]

    /// `intents:` as a number or as a list of names.
    static func intents(_ node: ConfigNode) throws(ConfigError) -> Int {
        if case .scalar = node.node {
            return try node.int(in: 0...Int(Int32.max))
        }
        var bits = 0
        for element in try node.sequence() {
            let raw = try element.string().trimmingWhitespace().lowercased()
            let name = intentAliases[raw] ?? raw
            guard let bit = intentBits[name] else {
                let known = intentBits.keys.sorted()
                throw element.error(
                    "unknown gateway intent \(ConfigNode.quoted(raw))",
                    hint: KeySuggestion.closest(to: raw, in: known).map { "did you mean '\($0)'?" }
                        ?? "known intents: \(known.joined(separator: ", "))")
            }
            bits |= bit
        }
        return bits
    }
}
