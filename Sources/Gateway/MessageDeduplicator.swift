public import DiscordModels

/// Remembers the last `capacity` message ids, so a MESSAGE_CREATE replayed by a resume (or sent
/// twice by a compatible server) is delivered once.
public struct MessageDeduplicator: Sendable {
    private var seen: Set<Snowflake> = []
    private var order: [Snowflake] = []
    private var head = 0
    public let capacity: Int

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// True the first time an id is seen.
    public mutating func insert(_ id: Snowflake) -> Bool {
        guard !seen.contains(id) else { return false }
        seen.insert(id)
        if order.count < capacity {
            order.append(id)
        } else {
            seen.remove(order[head])
            order[head] = id
            head = (head + 1) % capacity
        }
        return true
    }
}
