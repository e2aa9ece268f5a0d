/// How much generation runs at once and how much waits.
public struct WorkersConfig: Sendable, Equatable {
    /// Conversations decoded in parallel (llama.cpp sequence slots).
    public var slots: Int = 4
    /// Requests waiting for a slot before new ones are turned away with a "busy" reply.
    public var queueLimit: Int = 32
    /// Memory for cached prompt prefixes, in MiB; 0 disables the cache.
    public var cacheMB: Int = 256
    /// Prompt tokens processed per step, so a long prompt cannot stall the other slots.
    public var prefillChunk: Int = 192
    /// Channels sharing a prompt prefix (a card, a system prompt) copy its KV instead of each
    /// prefilling it.
    public var sharePrefixes = true

    public init() {}

    static let keys = ["slots", "queue_limit", "cache_mb", "prefill_chunk", "share_prefixes"]

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["slots"] { slots = try value.int(in: 1...64) }
        if let value = map["queue_limit"] { queueLimit = try value.int(in: 1...10000) }
        if let value = map["cache_mb"] { cacheMB = try value.int(in: 0...1_048_576) }
        if let value = map["prefill_chunk"] { prefillChunk = try value.int(in: 16...4096) }
        if let value = map["share_prefixes"] { sharePrefixes = try value.bool() }
    }
}
