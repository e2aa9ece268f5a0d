/// Which prompts get prefill tokens in one engine step, and how many: the chat scheduler's one
/// decision, pure so tests drive it without a model.
///
/// Why: in a chat, most prompts are follow-ups (a few dozen new tokens after a reused prefix) and
/// some are cold (a thousand tokens of history the engine never saw). Serving prefill in arrival
/// order makes every follow-up wait behind every cold prompt, so short prompts (at most
/// `longPrompt` tokens left) go first, shortest first. Long prompts share what is left equally.
/// Shortest-first among them too finished sixteen cold channels one by one: the first ones then
/// asked their follow-ups while every step still carried a chunk of the others' history, so
/// each of those replies decoded slowly (follow-up reply p95 13-17 s in the chat workload), and
/// the last cold channel waited for all of that. Shared, the cold prompts finish close together
/// and the conversations go on in step, as llama-server's do. (A few at a time, the oldest four or
/// eight sharing the step, was faster overall, 0.87-0.92x of llama-server's wall against 0.96x,
/// but put follow-up first text p95 at 1.04-1.58 s: their steps carried history again.) Aging
/// keeps a long prompt from starving behind a stream of short ones: the oldest prompt passed over
/// for `agingSteps` gets a quarter of every step's budget (`agedShare`). (Aged prompts going first, FIFO, made every
/// follow-up wait behind all sixteen cold channels once they had waited 24 steps.) Chunking only
/// protects conversations that are decoding: with none decoding, a step takes the whole batch.
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

    /// A prompt with more than this many tokens left shares the step with the other long ones;
    /// one with fewer goes first (a follow-up, or a long prompt close to done).
    var longPrompt: Int { 2 * chunk }

    /// `(slot, tokens)` in the order they go into the batch; every candidate with a share gets at
    /// least one token, and the total never exceeds the step's budget. Waiting candidates get none.
    func allocate(_ candidates: [Candidate], decoding: Bool, step: UInt64) -> [(slot: Int, take: Int)] {
        var budget = decoding ? chunk : fullBatch
        let ready = candidates.filter { $0.remaining > 0 && !$0.waiting }
        let oldestAged = ready.filter { step >= $0.admittedAt && step - $0.admittedAt >= agingSteps }
            .min { ($0.admittedAt, $0.slot) < ($1.admittedAt, $1.slot) }
        var given: [Int: Int] = [:]
        func give(_ candidate: Candidate, atMost limit: Int) {
            let take = min(limit, budget, candidate.remaining - given[candidate.slot, default: 0])
            guard take > 0 else { return }
            given[candidate.slot, default: 0] += take
            budget -= take
        }
        if let oldestAged { give(oldestAged, atMost: Self.agedShare(of: budget)) }
        let short = shortestFirst(ready.filter { $0.remaining <= longPrompt })
        let long = ready.filter { $0.remaining > longPrompt }
        for candidate in short { give(candidate, atMost: budget) }
        // Equal shares: the prompt needing least first, each getting the rest split over those
        // left, so what one cannot use goes to the others; then any remainder, oldest first.
        let byNeed = long.sorted {
            ($0.remaining - given[$0.slot, default: 0], $0.slot) < ($1.remaining - given[$1.slot, default: 0], $1.slot)
        }
        for (i, candidate) in byNeed.enumerated() { give(candidate, atMost: budget / (byNeed.count - i)) }
        let byAge = long.sorted { ($0.admittedAt, $0.slot) < ($1.admittedAt, $1.slot) }
        for candidate in byAge { give(candidate, atMost: budget) }
        // Each slot's tokens go into the batch once: the aged prompt first, then short ones
        // shortest first, then long ones oldest first.
        let order = (oldestAged.map { [$0] } ?? []) + (short + byAge).filter { $0.slot != oldestAged?.slot }
        return order.compactMap { candidate in given[candidate.slot].map { (candidate.slot, $0) } }
    }

    /// By remaining tokens, ties by age, then slot.
    func shortestFirst(_ candidates: [Candidate]) -> [Candidate] {
        candidates.sorted { a, b in (a.remaining, a.admittedAt, a.slot) < (b.remaining, b.admittedAt, b.slot) }
    }
}
