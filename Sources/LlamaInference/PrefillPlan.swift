/// Which prompts get prefill tokens in one engine step, and how many: the chat scheduler's one
/// decision, pure so tests drive it without a model.
///
/// Why: in a chat, most prompts are follow-ups (a few dozen new tokens after a reused prefix) and
/// some are cold (a thousand tokens of history the engine never saw). Serving prefill in arrival
/// order makes every follow-up wait behind every cold prompt. Shortest remaining prefill first
/// answers the follow-ups at once. Aging keeps a long prompt from starving without putting it
/// ahead: the oldest prompt passed over for `agingSteps` gets a quarter of every step's budget
/// (`agedShare`), the rest still goes shortest first. (Aged prompts going first, FIFO, made every
/// follow-up wait behind all sixteen cold channels once they had waited 24 steps: 25 s to first
/// text in the chat workload.) Chunking only protects conversations that are decoding: with none
/// decoding, a step takes the whole batch.
struct PrefillPlan: Equatable {
    struct Candidate: Equatable {
        /// The slot's position in the group being decoded.
        var slot: Int
        /// Prompt tokens still to prefill.
        var remaining: Int
        /// The engine step at which this prompt was admitted.
        var admittedAt: UInt64
        /// Waiting for another slot to prefill a prefix they share (`SharedPrefix`): it gets
        /// nothing until it has copied that prefix.
        var waiting = false
    }

    /// Prompt tokens for one step while some conversation is decoding (its next token waits for
    /// the whole batch, so the chunk bounds its latency).
    var chunk: Int
    /// Prompt tokens for one step when nothing is decoding: the batch's capacity.
    var fullBatch: Int
    /// A prompt admitted this many steps ago is owed `agedShare` of every step until it is done.
    var agingSteps: UInt64

    /// Of each step's budget, what the oldest aged prompt is guaranteed.
    static func agedShare(of budget: Int) -> Int { max(1, budget / 4) }

    /// `(slot, tokens)` in the order they go into the batch; every candidate with a share gets at
    /// least one token, and the total never exceeds the step's budget. Waiting candidates get none.
    func allocate(_ candidates: [Candidate], decoding: Bool, step: UInt64) -> [(slot: Int, take: Int)] {
        var budget = decoding ? chunk : fullBatch
        let ready = candidates.filter { $0.remaining > 0 && !$0.waiting }
        let oldestAged = ready.filter { step >= $0.admittedAt && step - $0.admittedAt >= agingSteps }
            .min { ($0.admittedAt, $0.slot) < ($1.admittedAt, $1.slot) }
        var given: [Int: Int] = [:]
        if let oldestAged {
            let take = min(Self.agedShare(of: budget), oldestAged.remaining)
            given[oldestAged.slot] = take
            budget -= take
        }
        for candidate in shortestFirst(ready) where budget > 0 {
            let take = min(budget, candidate.remaining - given[candidate.slot, default: 0])
            guard take > 0 else { continue }
            given[candidate.slot, default: 0] += take
            budget -= take
        }
        // Each slot's tokens go into the batch once: the aged prompt first, then shortest first.
        let order = (oldestAged.map { [$0] } ?? []) + shortestFirst(ready).filter { $0.slot != oldestAged?.slot }
        return order.compactMap { candidate in given[candidate.slot].map { (candidate.slot, $0) } }
    }

    /// By remaining tokens, ties by age, then slot.
    func shortestFirst(_ candidates: [Candidate]) -> [Candidate] {
        candidates.sorted { a, b in (a.remaining, a.admittedAt, a.slot) < (b.remaining, b.admittedAt, b.slot) }
    }
}
