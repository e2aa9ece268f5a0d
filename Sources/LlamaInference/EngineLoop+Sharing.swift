import Inference
import LlamaRuntime
import Logging
import Synchronization

/// Prefixes shared across conversations (see `SharedPrefix`): a new prompt copies the KV of a
/// system prompt or card another slot or snapshot already holds, or waits for the slot that is
/// prefilling it right now.
extension EngineLoop {
    /// Called at admission, once `slot` holds the `own` tokens of `prompt` it reuses and pends the
    /// rest. Seeded requests never get here (they prefill from scratch).
    func sharePrefix(into slot: Slot, prompt: [Int32], own: Int, context: LlamaContext) {
        guard configuration.sharePrefixes else { return }
        let holders = slots.indices.compactMap { i -> SharedPrefix.Holder? in
            let other = slots[i]
            guard other !== slot, !other.tokens.isEmpty || other.isPrefilling else { return nil }
            let leads = other.isPrefilling && !other.isWaiting
            return .init(slot: i, tokens: other.tokens, pending: leads ? other.pending : [])
        }
        let saved = snapshots.entries.map { ($0.key, $0.value.tokens) }
        switch SharedPrefix.choose(prompt: prompt, own: own, holders: holders, snapshots: saved) {
        case nil:
            return
        case let .copy(source, tokens):
            copyPrefix(from: source, tokens: tokens, into: slot, prompt: prompt, own: own, context: context)
        case let .wait(leader, tokens):
            guard let job = slots[leader].job else { return }
            slot.awaiting = .init(leader: leader, job: job, tokens: tokens, own: own, prompt: prompt)
            logger.debug(
                "waiting for a shared prefix",
                metadata: ["slot": "\(slot.sequence)", "leader": "\(slots[leader].sequence)", "tokens": "\(tokens)"])
        }
    }

    /// At the start of each step: waiting prompts whose leader has passed the shared part copy it;
    /// those whose leader went away copy what it holds, or prefill themselves.
    func resolveSharedPrefixes(context: LlamaContext) {
        for slot in slots {
            guard let wait = slot.awaiting, slot.isBusy else { continue }
            let leader = slots[wait.leader]
            let serving = leader.job === wait.job
            switch SharedPrefix.resolve(
                prompt: wait.prompt, own: wait.own, target: wait.tokens, leaderTokens: leader.tokens, leaderServing: serving)
            {
            case .keepWaiting:
                continue
            case let .copy(tokens):
                slot.awaiting = nil
                copyPrefix(
                    from: .slot(wait.leader), tokens: tokens, into: slot, prompt: wait.prompt, own: wait.own, context: context)
            case .prefill:
                slot.awaiting = nil
            }
        }
    }

    /// Replaces the slot's KV with `tokens` tokens of the source's; on any failure the slot keeps
    /// (or re-prefills) its own part, so the request is served either way.
    private func copyPrefix(
        from source: SharedPrefix.Source, tokens: Int, into slot: Slot, prompt: [Int32], own: Int, context: LlamaContext
    ) {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            switch source {
            case let .slot(index): try context.copy(sequence: slots[index].sequence, to: slot.sequence)
            case let .snapshot(conversation):
                guard let entry = snapshots.entries[conversation] else { return }
                try context.restore(entry.state, into: slot.sequence)
            }
            guard context.removeTokens(sequence: slot.sequence, from: tokens) else {
                throw LlamaError.stateRestoreFailed(sequence: slot.sequence, bytes: 0)
            }
        } catch {
            logger.warning("shared prefix copy failed; prefilling instead", metadata: ["error": "\(error)"])
            context.clear(sequence: slot.sequence)
            slot.tokens = []
            slot.pending = prompt[...]
            return
        }
        slot.tokens = Array(prompt[..<tokens])
        slot.pending = prompt[tokens...]
        mailbox.statistics.withLock { $0.sharedTokens += tokens - own }
        logger.debug(
            "shared prefix copied",
            metadata: [
                "slot": "\(slot.sequence)", "source": "\(source)", "tokens": "\(tokens)", "own": "\(own)",
                "elapsed": "\(clock.now - start)",
            ])
    }
}
