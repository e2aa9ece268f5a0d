/// Host-RAM copies of conversations' KV state, for conversations that lost their slot. Restoring
/// one takes about a millisecond where re-prefilling takes about a second per 400 tokens.
/// Least recently used entries are dropped first once `capacityBytes` is exceeded.
struct SnapshotCache: Sendable {
    struct Entry: Sendable, Equatable {
        var tokens: [Int32]
        var state: [UInt8]
        var lastUsed: UInt64
    }

    let capacityBytes: Int
    private(set) var entries: [String: Entry] = [:]
    private(set) var bytes = 0
    private var tick: UInt64 = 0

    init(capacityBytes: Int) { self.capacityBytes = capacityBytes }

    /// Stores (or replaces) a conversation's state. An entry larger than the whole cache is refused.
    mutating func store(_ conversation: String, tokens: [Int32], state: [UInt8]) {
        remove(conversation)
        guard capacityBytes > 0, state.count <= capacityBytes else { return }
        tick += 1
        entries[conversation] = Entry(tokens: tokens, state: state, lastUsed: tick)
        bytes += state.count
        while bytes > capacityBytes, let oldest = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
            remove(oldest)
        }
    }

    /// Takes a conversation's entry out of the cache (it moves back into a slot).
    mutating func take(_ conversation: String) -> Entry? {
        guard let entry = entries[conversation] else { return nil }
        remove(conversation)
        return entry
    }

    func peekTokens(_ conversation: String) -> [Int32]? { entries[conversation]?.tokens }

    mutating func remove(_ conversation: String) {
        if let old = entries.removeValue(forKey: conversation) { bytes -= old.state.count }
    }
}
