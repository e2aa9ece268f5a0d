import DiscordModels

/// Which shards this process runs. `discord.shards: auto` takes Discord's recommendation from
/// `GET /gateway/bot`; explicit ids let several processes split one bot: with `count: 4`, one
/// process runs `ids: [0, 1]` and another `ids: [2, 3]` (identify concurrency is per process,
/// so give each process its own `session_start_limit` share).
public struct ShardPlan: Sendable, Equatable {
    public var ids: [Int]
    public var count: Int

    public init(ids: [Int], count: Int) {
        self.ids = ids
        self.count = count
    }

    /// `explicit` from the config, else the recommended count (at least 1), all ids.
    public static func resolve(explicit: (ids: [Int], count: Int)?, recommended: Int?) -> ShardPlan {
        if let explicit { return ShardPlan(ids: explicit.ids, count: explicit.count) }
        let count = max(recommended ?? 1, 1)
        return ShardPlan(ids: Array(0..<count), count: count)
    }

    /// `[id, count]` for identify, or nil for an unsharded bot (a single shard 0 of 1).
    public func identifyShard(_ id: Int) -> [Int]? { count == 1 ? nil : [id, count] }
}
