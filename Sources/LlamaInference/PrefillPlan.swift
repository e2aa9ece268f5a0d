/// Which prompts get prefill tokens in one engine step, and how many: the chat scheduler's one
/// decision, pure so tests drive it without a model.
///
/// Why: in a chat, most prompts are follow-ups (a few dozen new tokens after a reused prefix) and
/// some are cold (a thousand tokens of history the engine never saw). Serving prefill in arrival
/// order makes every follow-up wait behind every cold prompt. Shortest remaining prefill first
/// answers the follow-ups at once; aging bounds how long a long prompt can be passed over, so it is
/// never starved. Chunking only protects conversations that are decoding: with none decoding, a
/// step takes the whole batch.
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
    /// A prompt admitted this many steps ago goes before every shorter one.
    var agingSteps: UInt64

    /// `(slot, tokens)` in the order they go into the batch; every candidate with a share gets at
    /// least one token, and the total never exceeds the step's budget. Waiting candidates get none.
    func allocate(_ candidates: [Candidate], decoding: Bool, step: UInt64) -> [(slot: Int, take: Int)] {
        var budget = decoding ? chunk : fullBatch
        var plan: [(slot: Int, take: Int)] = []
        for candidate in order(candidates, step: step) where budget > 0 && candidate.remaining > 0 && !candidate.waiting {
            let take = min(budget, candidate.remaining)
            plan.append((candidate.slot, take))
            budget -= take
        }
        return plan
    }

    /// Aged prompts first, oldest first; then the rest by remaining tokens, ties by age.
    func order(_ candidates: [Candidate], step: UInt64) -> [Candidate] {
        func aged(_ c: Candidate) -> Bool { step &- c.admittedAt >= agingSteps && step >= c.admittedAt }
        return candidates.sorted { a, b in
            switch (aged(a), aged(b)) {
            case (true, false): return true
            case (false, true): return false
            case (true, true): return (a.admittedAt, a.slot) < (b.admittedAt, b.slot)
            case (false, false): return (a.remaining, a.admittedAt, a.slot) < (b.remaining, b.admittedAt, b.slot)
            }
        }
    }
}
