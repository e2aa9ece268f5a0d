public import DiscordModels

/// Which channel each known thread (or forum post) belongs to, so the parent's access rules,
/// overrides, always-on setting and permission overwrites apply inside it. Learned from
/// GUILD_CREATE's active threads, THREAD_CREATE/UPDATE and THREAD_LIST_SYNC; bounded: past
/// `capacity` the longest-known threads are dropped (they then count as channels of their own
/// until Discord mentions them again).
public struct ThreadParents: Sendable {
    public let capacity: Int
    private var parents: [Snowflake: Snowflake] = [:]
    /// Insertion order for eviction; may hold ids removed since (skipped when evicting).
    private var order: [Snowflake] = []
    private var head = 0

    public init(capacity: Int = 50_000) { self.capacity = max(1, capacity) }

    public var count: Int { parents.count }

    public func parent(of thread: Snowflake) -> Snowflake? { parents[thread] }

    /// Records a thread's parent; other channels are ignored.
    public mutating func record(_ channel: Channel) {
        guard channel.isThread, let parent = channel.parentID else { return }
        if parents.updateValue(parent, forKey: channel.id) == nil { order.append(channel.id) }
        while parents.count > capacity, head < order.count {
            parents[order[head]] = nil
            head += 1
        }
        // Keeps `order` within twice the live entries: amortised O(1) per record.
        if head > capacity || order.count - head > 2 * capacity {
            order = order[head...].filter { parents[$0] != nil }
            head = 0
        }
    }

    /// A deleted thread, or every thread of a deleted channel (returned, to forget them too).
    @discardableResult
    public mutating func remove(_ channel: Snowflake) -> [Snowflake] {
        parents[channel] = nil
        let children = parents.filter { $0.value == channel }.map(\.key)
        for child in children { parents[child] = nil }
        return children
    }
}
