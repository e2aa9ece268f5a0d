/// A dictionary with a size bound: past `capacity` entries, the least recently used tenth is
/// evicted in one sweep (amortised O(log n) per insertion). For per-guild and per-channel state
/// that Discord never tells us to forget in time.
struct LRUMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    let capacity: Int
    private var entries: [Key: (value: Value, used: UInt64)] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { entries.count }
    var values: [Value] { entries.values.map(\.value) }

    subscript(key: Key) -> Value? {
        get { entries[key]?.value }
        set {
            guard let newValue else {
                entries[key] = nil
                return
            }
            clock += 1
            entries[key] = (newValue, clock)
            if entries.count > capacity { evict() }
        }
    }

    subscript(key: Key, default value: @autoclosure () -> Value) -> Value {
        get { self[key] ?? value() }
        set { self[key] = newValue }
    }

    /// Marks `key` used without changing it (a read that should keep it).
    mutating func touch(_ key: Key) {
        guard entries[key] != nil else { return }
        clock += 1
        entries[key]?.used = clock
    }

    private mutating func evict() {
        let keep = capacity - max(1, capacity / 10)
        let cutoff = entries.values.map(\.used).sorted(by: >)[keep - 1 < 0 ? 0 : keep - 1]
        entries = entries.filter { $0.value.used >= cutoff }
    }
}
