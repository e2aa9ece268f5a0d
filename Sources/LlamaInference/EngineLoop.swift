import Foundation
import Inference
import LlamaRuntime
import Logging
import Sampling
import Synchronization

/// Runs on the engine thread and owns the llama.cpp context. Continuous batching: every step
/// decodes one token for each generating slot plus a bounded chunk of pending prompt tokens, so a
/// long prompt never freezes the other conversations.
final class EngineLoop {
    let model: LlamaModel
    let configuration: EngineConfiguration
    let logger: Logger
    let mailbox: EngineMailbox
    var slots: [Slot] = []
    var snapshots: SnapshotCache
    var tick: UInt64 = 0
    /// Decode steps so far: the clock of prefill aging.
    var steps: UInt64 = 0
    var threadAdapter: ThreadAdapter?
    let processorLoad: any ProcessorLoadSource

    init(
        model: LlamaModel, configuration: EngineConfiguration, logger: Logger, mailbox: EngineMailbox,
        processorLoad: any ProcessorLoadSource = SystemProcessorLoad()
    ) {
        self.model = model
        self.configuration = configuration
        self.logger = logger
        self.mailbox = mailbox
        self.processorLoad = processorLoad
        self.snapshots = SnapshotCache(capacityBytes: configuration.cacheMegabytes << 20)
    }

    /// Tokens one decode may carry: the configured batch, and never less than one token per slot
    /// plus a chunk of prefill.
    var batchCapacity: Int { max(configuration.batchSize, configuration.slots + configuration.prefillChunk) }

    func run(started: OneShot) {
        let context: LlamaContext
        do {
            // One sequence per slot, each with the full per-conversation context. Separate KV
            // streams (not unified) batch faster when conversations share no prefix.
            context = try LlamaContext(
                model: model,
                options: ContextOptions(
                    contextSize: configuration.contextSize * configuration.slots, sequences: configuration.slots,
                    batchSize: batchCapacity,
                    threads: configuration.threads, unifiedKV: false, fullSWA: true, maxOutputs: configuration.slots))
            slots = (0..<configuration.slots).map { Slot(sequence: Int32($0)) }
            if configuration.adaptiveThreads {
                threadAdapter = ThreadAdapter(maxThreads: context.threads, source: processorLoad)
            }
            let threads = context.threads
            mailbox.statistics.withLock { $0.threads = threads }
            loadPersistedSnapshots(context: context)
            started.fire(.success(()))
        } catch {
            started.fire(.failure(error))
            mailbox.stopped.fire(.success(()))
            return
        }
        let batch = LlamaBatch(capacity: batchCapacity)
        while true {
            forget(context: context)
            admit(context: context)
            reap()
            publishCounts()
            if !slots.contains(where: \.isBusy) {
                if mailbox.queue.withLock({ $0.closed && $0.waiting.isEmpty }) { break }
                if threadAdapter == nil {
                    mailbox.wake.wait()
                } else {
                    // Idle, the load is still sampled (about once a second), so the first reply
                    // after a quiet spell already decodes with the right thread count.
                    _ = mailbox.wake.wait(timeout: .now() + .seconds(1))
                    adaptThreads(context: context)
                }
                continue
            }
            adaptThreads(context: context)
            step(context: context, batch: batch)
        }
        persistSnapshots(context: context)
        mailbox.stopped.fire(.success(()))
    }

    /// Clears the KV of idle slots holding a forgotten conversation and drops its snapshot. A
    /// busy slot is cleared once its reply is done.
    func forget(context: LlamaContext) {
        let forgotten = mailbox.queue.withLock { queue -> [String] in
            let due = queue.forgotten.filter { name in !slots.contains { $0.isBusy && $0.conversation == name } }
            queue.forgotten.removeAll { due.contains($0) }
            return due
        }
        for conversation in forgotten {
            snapshots.remove(conversation)
            for slot in slots where slot.conversation == conversation {
                context.clear(sequence: slot.sequence)
                slot.tokens = []
                slot.conversation = nil
            }
        }
        if !forgotten.isEmpty { logger.debug("forgot cached conversations", metadata: ["conversations": "\(forgotten)"]) }
    }

    /// One engine step: a decode of every slot without a seed, batched together, then one decode
    /// per seeded slot holding only its tokens (`Slot.isReproducible`).
    func step(context: LlamaContext, batch: LlamaBatch) {
        resolveSharedPrefixes(context: context)
        compactSequences(context: context)
        let group = slots.filter { $0.isBusy && !$0.isReproducible }.sorted { $0.sequence < $1.sequence }
        decode(group, context: context, batch: batch)
        for slot in slots where slot.isBusy && slot.isReproducible {
            decode([slot], context: context, batch: batch)
        }
    }

    /// One decode of `group` (in sequence order): one token for each generating slot, and prompt
    /// tokens as `PrefillPlan` shares them out (shortest remaining first; a chunk while any slot is
    /// generating, the whole batch when none is).
    func decode(_ group: [Slot], context: LlamaContext, batch: LlamaBatch) {
        batch.clear()
        let generating = group.count { $0.nextToken != nil }
        let candidates = group.indices.compactMap { i -> PrefillPlan.Candidate? in
            group[i].isPrefilling
                ? .init(
                    slot: i, remaining: group[i].pending.count, admittedAt: group[i].admittedAt,
                    waiting: group[i].isWaiting) : nil
        }
        let plan = PrefillPlan(chunk: configuration.prefillChunk, fullBatch: batchCapacity - generating, agingSteps: 24)
        var takes = [Int](repeating: 0, count: group.count)
        for (i, take) in plan.allocate(candidates, decoding: generating > 0, step: steps) { takes[i] = take }
        // Slot by slot in sequence order, each slot's tokens together: llama.cpp's split gathers a
        // micro-batch's sequences in the order their first tokens come, consecutive ids only, so
        // in this order one micro-batch takes a token of every slot in the step.
        var sequences: [Int32] = []
        for (slot, take) in zip(group, takes) {
            slot.logitsIndex = -1
            if let token = slot.nextToken {
                slot.logitsIndex = batch.append(
                    token: token, position: slot.tokens.count, sequence: slot.sequence, wantsLogits: true)
                slot.tokens.append(token)
                slot.nextToken = nil
            }
            for token in slot.pending.prefix(take) {
                let last = slot.pending.count == 1
                let index = batch.append(token: token, position: slot.tokens.count, sequence: slot.sequence, wantsLogits: last)
                if last { slot.logitsIndex = index }
                slot.tokens.append(token)
                slot.pending.removeFirst()
            }
            if slot.logitsIndex >= 0 || take > 0 { sequences.append(slot.sequence) }
        }
        steps &+= 1
        guard batch.count > 0 else { return }
        let prefilled = takes.reduce(0, +)
        let runs = SequenceLayout.runs(sequences)
        mailbox.statistics.withLock {
            $0.prefilledTokens += prefilled
            $0.batchedDecodes += 1
            $0.sequenceRuns += runs
        }
        do {
            try context.decode(batch)
        } catch {
            logger.error("decode failed; failing the requests in this batch", metadata: ["error": "\(error)"])
            // A prompt waiting for a shared prefix had nothing in the batch: its leader fails, it prefills itself.
            for slot in group where slot.isBusy && slot.logitsIndex >= 0 || slot.isPrefilling && !slot.isWaiting {
                context.clear(sequence: slot.sequence)
                slot.tokens = []
                finish(slot, error: InferenceError.engine("\(error)"))
            }
            return
        }
        for slot in group where slot.isBusy && slot.logitsIndex >= 0 && slot.pending.isEmpty {
            advance(slot, context: context)
        }
    }

    /// Samples the slot's next token and streams whatever text it completes.
    func advance(_ slot: Slot, context: LlamaContext) {
        guard let job = slot.job, let sampler = slot.sampler else { return }
        let token = sampler.sample(context, at: slot.logitsIndex)
        if model.isEndOfGeneration(token), !job.request.options.ignoreEndOfGeneration { return finish(slot) }
        slot.produced += 1
        job.request.usage?.record(1)
        mailbox.statistics.withLock { $0.generatedTokens += 1 }
        switch slot.text.feed(model.piece(token)) {
        case let .emit(text):
            if !text.isEmpty { job.continuation.yield(text) }
        case let .stop(text):
            if !text.isEmpty { job.continuation.yield(text) }
            return finish(slot, flush: false)
        }
        if slot.produced >= job.request.options.maxTokens {
            job.request.usage?.recordTokenLimit()
            return finish(slot)
        }
        slot.nextToken = token
    }

    /// Ends the slot's request: flushes held-back text (unless a stop string ended it). Counters
    /// are updated before the stream ends, so a caller that sees the end sees the slot free.
    func finish(_ slot: Slot, error: (any Error)? = nil, flush: Bool = true) {
        guard let job = slot.job else { return }
        let rest = error == nil && flush ? slot.text.finish() : ""
        slot.release()
        mailbox.statistics.withLock { $0.requests += 1 }
        publishCounts()
        if let error {
            job.continuation.finish(throwing: error)
        } else {
            if !rest.isEmpty { job.continuation.yield(rest) }
            job.continuation.finish()
        }
    }

    /// Frees slots whose consumer went away or whose deadline passed, at the start of each step.
    func reap() {
        for slot in slots {
            guard let job = slot.job else { continue }
            if job.isCancelled {
                finish(slot, flush: false)
            } else if job.isPastDeadline {
                finish(slot, error: InferenceError.deadlineExceeded)
            }
        }
    }

    /// Follows the machine's load between steps (see `ThreadGovernor` for why).
    func adaptThreads(context: LlamaContext) {
        guard let threads = threadAdapter?.poll() else { return }
        let before = context.threads
        context.setThreads(threads)
        mailbox.statistics.withLock { $0.threads = threads }
        logger.info("decode threads changed with the machine's load", metadata: ["from": "\(before)", "to": "\(threads)"])
    }

    func publishCounts() {
        let active = slots.count(where: \.isBusy)
        mailbox.statistics.withLock {
            $0.active = active
            $0.loopIterations &+= 1 // liveness, for the watchdog
        }
    }
}
