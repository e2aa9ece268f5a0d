/// What the scheduler knows about a slot when choosing where a new request goes.
struct SlotSummary: Sendable, Equatable {
    var busy: Bool
    var conversation: String?
    /// Tokens currently in this slot's KV cache.
    var tokens: [Int32]
    /// Monotonic tick of the last use; smaller is older.
    var lastUsed: UInt64
}

/// Where a request should run: the slot that already holds its conversation, else an empty slot,
/// else the free slot sharing the longest token prefix with its prompt, else the least recently
/// used free slot. An empty slot comes before a shared prefix because taking a held slot evicts
/// a conversation that may come back, for a prefix (the start-of-text token, a system prompt, a
/// card) that `SharedPrefix` copies into the empty slot anyway. Pure, so the policy is tested
/// without a model.
enum SlotChoice {
    static func choose(conversation: String, prompt: [Int32], slots: [SlotSummary]) -> Int? {
        let free = slots.indices.filter { !slots[$0].busy }
        guard !free.isEmpty else { return nil }
        if let own = free.first(where: { slots[$0].conversation == conversation }) { return own }
        if let empty = free.first(where: { slots[$0].conversation == nil && slots[$0].tokens.isEmpty }) { return empty }
        let best = free.map { ($0, commonPrefix(slots[$0].tokens, prompt)) }.max { a, b in
            a.1 != b.1 ? a.1 < b.1 : slots[a.0].lastUsed > slots[b.0].lastUsed
        }
        if let best, best.1 > 0 { return best.0 }
        return free.min { slots[$0].lastUsed < slots[$1].lastUsed }
    }

    static func commonPrefix(_ a: [Int32], _ b: [Int32]) -> Int {
        var n = 0
        let limit = min(a.count, b.count)
        while n < limit, a[n] == b[n] { n += 1 }
        return n
    }
}
