/// Where a new prompt's prefix can come from besides its own slot: channels that share a system
/// prompt or a character card should compute it once, not once per channel. Pure, so the policy
/// is tested without a model.
///
/// A prompt may copy the KV of another slot (idle or busy: its `tokens` are all decoded between
/// steps) or of another conversation's RAM snapshot. When the best offer is another slot's prompt
/// that is still being prefilled (many channels arriving at once), the prompt waits for that
/// leader to pass the shared part and copies it then, instead of prefilling it a second time.
enum SharedPrefix {
    /// A copy is worth its cost (a state copy of the whole prefix) only when it saves at least
    /// this many tokens of prefill over what the prompt's own slot already holds.
    static let minimumGain = 64

    /// A slot other than the one the prompt was placed in.
    struct Holder: Equatable {
        /// Index in the engine's slots.
        var slot: Int
        /// Tokens in its KV (all decoded).
        var tokens: [Int32]
        /// Prompt tokens it has yet to prefill; empty unless it may lead (prefilling, not waiting).
        var pending: ArraySlice<Int32> = []
    }

    enum Source: Equatable {
        case slot(Int)
        case snapshot(String)
    }

    enum Choice: Equatable {
        /// Copy `tokens` prefix tokens from `source` now.
        case copy(Source, tokens: Int)
        /// Wait until slot `leader` has decoded `tokens` tokens of the shared prefix, then copy.
        case wait(leader: Int, tokens: Int)
    }

    /// The best way to get more than the `own` tokens the prompt's slot already holds, or nil
    /// when nothing saves `minimumGain` tokens. At least one prompt token is always left to
    /// decode, for the logits of the first reply token.
    static func choose(prompt: [Int32], own: Int, holders: [Holder], snapshots: [(String, [Int32])]) -> Choice? {
        let limit = prompt.count - 1
        var ready: (Source, Int)?
        var promised: (Int, Int)?
        for holder in holders {
            let now = min(SlotChoice.commonPrefix(holder.tokens, prompt), limit)
            if now > ready?.1 ?? 0 { ready = (.slot(holder.slot), now) }
            guard now == holder.tokens.count, !holder.pending.isEmpty else { continue }
            let later = min(now + SlotChoice.commonPrefix(Array(holder.pending), Array(prompt[now...])), limit)
            if later > promised?.1 ?? 0 { promised = (holder.slot, later) }
        }
        for (conversation, tokens) in snapshots {
            let now = min(SlotChoice.commonPrefix(tokens, prompt), limit)
            if now > ready?.1 ?? 0 { ready = (.snapshot(conversation), now) }
        }
        let base = max(own, ready?.1 ?? 0)
        if let (leader, tokens) = promised, tokens >= base + minimumGain { return .wait(leader: leader, tokens: tokens) }
        if let (source, tokens) = ready, tokens >= own + minimumGain { return .copy(source, tokens: tokens) }
        return nil
    }

    enum Resolution: Equatable {
        /// The leader has not passed the shared part yet.
        case keepWaiting
        /// Copy this many tokens from the leader now.
        case copy(tokens: Int)
        /// The leader went away (finished early, failed, cancelled): prefill from `own` on.
        case prefill
    }

    /// What a waiting prompt does at the start of a step. `leaderServing` is false once the
    /// leader's request is no longer the one that was promised; whatever the leader's KV holds
    /// then is still copied when it is worth it, so a leader that fails releases its followers.
    static func resolve(
        prompt: [Int32], own: Int, target: Int, leaderTokens: [Int32], leaderServing: Bool
    ) -> Resolution {
        let common = min(SlotChoice.commonPrefix(leaderTokens, prompt), prompt.count - 1)
        if leaderServing, common < target { return .keepWaiting }
        return common >= own + minimumGain ? .copy(tokens: common) : .prefill
    }
}
