import Inference
import LlamaRuntime
import Logging
import Sampling
import Synchronization

extension EngineLoop {
    /// Moves waiting requests into free slots, placing each where the most of its prompt is
    /// already computed, and trims that slot's KV to the part the prompt shares.
    func admit(context: LlamaContext) {
        while slots.contains(where: { !$0.isBusy }) {
            guard let job = mailbox.queue.withLock({ $0.next() }) else { return }
            // A forget posted before this job was queued is visible now: apply it first.
            forget(context: context)
            if job.isCancelled {
                job.continuation.finish()
                continue
            }
            if job.isPastDeadline {
                job.continuation.finish(throwing: InferenceError.deadlineExceeded)
                continue
            }
            let prompt: [Int32]
            do {
                // Tokens the prompt builder carried are trusted (they came from this model's
                // `tokenize`); only a request without them is tokenized here.
                prompt = try job.request.tokens ?? tokenize(job.request.prompt)
            } catch {
                job.continuation.finish(throwing: InferenceError.engine("\(error)"))
                continue
            }
            let needed = prompt.count + job.request.options.maxTokens
            guard needed <= configuration.contextSize, !prompt.isEmpty else {
                job.continuation.finish(throwing: InferenceError.promptTooLong(tokens: needed, limit: configuration.contextSize))
                continue
            }
            let conversation = job.request.conversation
            // A seeded request reuses nothing (see `Slot.isReproducible`), so it need not take
            // the slot holding the longest shared prefix away from its conversation.
            let fresh = job.request.options.seed != nil
            guard
                let index = SlotChoice.choose(
                    conversation: conversation, prompt: fresh ? [] : prompt, slots: slots.map(\.summary))
            else {
                return
            }
            let slot = slots[index]
            if slot.conversation != conversation {
                switchConversation(of: slot, to: conversation, prompt: fresh ? [] : prompt, context: context)
            }
            snapshots.remove(conversation) // the slot now holds the newest state

            // At least one prompt token must be decoded to get fresh logits for the first reply token.
            var reused = fresh ? 0 : min(SlotChoice.commonPrefix(slot.tokens, prompt), prompt.count - 1)
            if !context.removeTokens(sequence: slot.sequence, from: reused) {
                context.clear(sequence: slot.sequence)
                reused = 0
            }
            slot.tokens.removeSubrange(reused...)
            slot.pending = prompt[reused...]
            // Another slot or snapshot may hold more of the prompt (a card many channels share).
            if !fresh { sharePrefix(into: slot, prompt: prompt, own: reused, context: context) }
            tick += 1
            slot.lastUsed = tick
            slot.admittedAt = steps
            slot.job = job
            slot.sampler = LlamaSampler(model: model, options: job.request.options)
            slot.text = ReplyText(stops: job.request.options.stop)
            slot.produced = 0
            mailbox.statistics.withLock {
                $0.promptTokens += prompt.count
                $0.reusedTokens += reused
            }
            logger.debug(
                "request admitted",
                metadata: [
                    "conversation": "\(conversation)", "slot": "\(slot.sequence)",
                    "prompt_tokens": "\(prompt.count)", "reused_tokens": "\(reused)",
                ])
        }
    }

    /// The slot changes hands: park the old conversation's KV in the RAM cache, and bring back the
    /// new one's snapshot when it shares more with the prompt than what the slot holds.
    private func switchConversation(of slot: Slot, to conversation: String, prompt: [Int32], context: LlamaContext) {
        let clock = ContinuousClock()
        if let old = slot.conversation, !slot.tokens.isEmpty, snapshots.capacityBytes > 0 {
            let start = clock.now
            if let state = try? context.state(of: slot.sequence) {
                snapshots.store(old, tokens: slot.tokens, state: state)
                mailbox.statistics.withLock { $0.snapshotsStored += 1 }
                logger.debug(
                    "conversation parked in RAM",
                    metadata: [
                        "conversation": "\(old)", "tokens": "\(slot.tokens.count)", "bytes": "\(state.count)",
                        "elapsed": "\(clock.now - start)",
                    ])
            }
        }
        slot.conversation = conversation
        guard let saved = snapshots.peekTokens(conversation),
            SlotChoice.commonPrefix(saved, prompt) > SlotChoice.commonPrefix(slot.tokens, prompt),
            let entry = snapshots.take(conversation)
        else { return }
        do {
            let start = clock.now
            try context.restore(entry.state, into: slot.sequence)
            slot.tokens = entry.tokens
            mailbox.statistics.withLock { $0.snapshotsRestored += 1 }
            logger.debug(
                "conversation restored from RAM",
                metadata: [
                    "conversation": "\(conversation)", "tokens": "\(entry.tokens.count)", "elapsed": "\(clock.now - start)",
                ])
        } catch {
            logger.warning(
                "snapshot restore failed; prefilling instead", metadata: ["conversation": "\(conversation)", "error": "\(error)"])
            context.clear(sequence: slot.sequence)
            slot.tokens = []
        }
    }

    /// Scaffolding parses special tokens; participants' text never does.
    func tokenize(_ prompt: Prompt) throws -> [Int32] {
        mailbox.statistics.withLock { $0.promptsTokenized += 1 }
        var tokens = model.promptStart
        for segment in prompt.segments {
            switch segment {
            case let .scaffold(s): tokens += try model.tokenize(s, parseSpecial: true)
            case let .text(s): tokens += try model.tokenize(s, parseSpecial: false)
            }
        }
        return tokens
    }
}
