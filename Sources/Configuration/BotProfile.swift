import Yams

/// One bot of a daemon that runs several (`bots:`), sharing one model and worker pool: its
/// name and its whole effective config — the top-level sections with the bot's own merged over
/// them, key by key.
public struct BotProfile: Sendable, Equatable {
    public var name: String
    public var config: ParleyConfig

    public init(name: String, config: ParleyConfig) {
        self.name = name
        self.config = config
    }
}

extension ParleyConfig {
    /// What a bot may set for itself. Model, workers, metrics, log and shutdown belong to the
    /// daemon: one engine serves every bot.
    static let botSections = ["discord", "prompt", "generation", "triggers", "roleplay", "channels", "access", "reply", "memory"]

    /// The bots to run: `bots:` when given, else one bot named "main" with this config.
    public var effectiveBots: [BotProfile] {
        bots.isEmpty ? [BotProfile(name: "main", config: self)] : bots
    }

    /// Decodes `bots:`. Each entry is merged over `root` (without `bots`) and decoded as a whole
    /// config, so every check of a single-bot file applies to each bot, with its own key path.
    static func decodeBots(_ node: ConfigNode, root: Node.Mapping) throws(ConfigError) -> [BotProfile] {
        guard case let .sequence(items) = node.node else {
            throw node.error("expected a list of bots, got \(node.kindDescription)", hint: "e.g. bots:\n  - name: captain")
        }
        let shared = root.map { ($0.key, $0.value) }.filter { $0.0.scalar?.string != "bots" }
        var profiles: [BotProfile] = []
        var tokens: [String: String] = [:]
        for (index, item) in items.enumerated() {
            let at = ConfigNode(node: item, keyPath: "\(node.keyPath)[\(index)]", context: node.context)
            let map = try at.mapping(allowedKeys: ["name"] + botSections)
            guard let nameNode = map["name"] else { throw at.error("every bot needs a name", hint: "e.g. name: captain") }
            let name = try nameNode.string()
            guard !name.isEmpty, name.count <= 32,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else {
                throw nameNode.error("a bot name is 1-32 letters, digits, '-' or '_', got \(ConfigNode.quoted(name))")
            }
            guard !profiles.contains(where: { $0.name == name }) else { throw nameNode.error("two bots are named '\(name)'") }
            var sections = shared
            for entry in map.entries where entry.key != "name" && !entry.value.isNull {
                set(&sections, entry.key, entry.value.node, keyNode: entry.keyNode.node)
            }
            let merged = Node.mapping(Node.Mapping(sections, root.tag, root.style, root.mark))
            var config = try ParleyConfig(
                from: ConfigNode(node: merged, keyPath: at.keyPath, context: node.context),
                credential: "\(DiscordConfig.credentialName)-\(name)")
            // Bots keep separate memories: each answers a message once, in its own conversation.
            if index > 0, map["memory"].flatMap({ try? $0.mapping(allowedKeys: nil)["path"] }) == nil {
                config.memory.path = MemoryConfig.path(config.memory.path, suffix: name)
            }
            if let postgres = config.memory.postgres,
                let other = profiles.first(where: { $0.config.memory.postgres?.url == postgres.url })
            {
                throw at.error(
                    "bots '\(other.name)' and '\(name)' use the same memory.url",
                    hint: "give each bot a database of its own: memory: {url: ...} under it")
            }
            guard let token = config.discord.token?.value else {
                throw at.error(
                    "bot '\(name)' has no Discord token",
                    hint:
                        "set discord.token or discord.token_file under it, or the systemd credential \(DiscordConfig.credentialName)-\(name)"
                )
            }
            if let other = tokens[token] { throw at.error("bots '\(other)' and '\(name)' use the same Discord token") }
            tokens[token] = name
            profiles.append(BotProfile(name: name, config: config))
        }
        guard !profiles.isEmpty else { throw node.error("bots: lists no bot", hint: "leave bots: out to run one bot") }
        return profiles
    }

    /// `override` merged over `base`: mappings key by key (recursively), anything else replaced.
    /// Keys match by their text (Yams compares nodes by tag too).
    static func merge(_ base: Node?, _ override: Node) -> Node {
        guard case let .mapping(baseMap)? = base, case let .mapping(overMap) = override else { return override }
        var pairs = baseMap.map { ($0.key, $0.value) }
        for (key, value) in overMap {
            set(&pairs, key.scalar?.string ?? "", value, keyNode: key)
        }
        return .mapping(Node.Mapping(pairs, baseMap.tag, baseMap.style, overMap.mark))
    }

    private static func set(_ pairs: inout [(Node, Node)], _ key: String, _ value: Node, keyNode: Node) {
        if let index = pairs.firstIndex(where: { $0.0.scalar?.string == key }) {
            pairs[index].1 = merge(pairs[index].1, value)
        } else {
            pairs.append((keyNode, value))
        }
    }
}
