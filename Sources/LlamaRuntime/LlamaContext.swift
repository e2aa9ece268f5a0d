internal import CLlama
import Foundation

/// How a context is sized. `sequences` independent conversations share it; with `unifiedKV` off
/// each sequence gets `contextSize / sequences` cells of its own.
public struct ContextOptions: Sendable, Equatable {
    public var contextSize: Int
    public var sequences: Int
    public var batchSize: Int
    public var threads: Int
    public var unifiedKV: Bool
    /// Gemma 3 and other sliding-window models only keep the window unless this is set, which makes
    /// removing a divergent tail (prefix reuse) impossible; we need the full-size SWA cache.
    public var fullSWA: Bool
    /// Rows of logits one decode can return (0: one per batch entry). llama.cpp reserves
    /// rows × vocabulary floats: 512 rows of Gemma's 262k vocabulary is 512 MB. The engine needs one
    /// row per sequence.
    public var maxOutputs: Int

    public init(
        contextSize: Int = 4096, sequences: Int = 1, batchSize: Int = 512, threads: Int = 0,
        unifiedKV: Bool = true, fullSWA: Bool = true, maxOutputs: Int = 0
    ) {
        self.contextSize = contextSize
        self.sequences = sequences
        self.batchSize = batchSize
        self.threads = threads
        self.unifiedKV = unifiedKV
        self.fullSWA = fullSWA
        self.maxOutputs = maxOutputs
    }

    /// Threads to use: the configured count, or one per core when 0.
    var effectiveThreads: Int {
        threads > 0 ? threads : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// A llama.cpp context: the KV cache and the compute buffers. Not thread-safe; it belongs to the
/// one engine thread that created it and is deliberately not `Sendable`. Decode from as few
/// long-lived threads as possible: the OpenMP build keeps a thread pool for every thread that ever
/// decoded, and once those pools hold more threads than there are cores libgomp stops spinning at
/// its barriers, so every decode sleeps and wakes at each of them (0.7-0.9x the speed, measured).
/// The daemon decodes on its engine thread only.
public final class LlamaContext {
    let context: OpaquePointer
    let model: LlamaModel
    /// Threads llama.cpp uses for the next decode (generation and batch alike).
    public private(set) var threads: Int

    public init(model: LlamaModel, options: ContextOptions) throws(LlamaError) {
        var params = llama_context_default_params()
        params.n_ctx = UInt32(options.contextSize)
        params.n_batch = UInt32(options.batchSize)
        params.n_ubatch = UInt32(min(options.batchSize, 512))
        params.n_seq_max = UInt32(options.sequences)
        params.n_threads = Int32(options.effectiveThreads)
        params.n_threads_batch = Int32(options.effectiveThreads)
        params.swa_full = options.fullSWA
        params.kv_unified = options.unifiedKV
        params.n_outputs_max = UInt32(options.maxOutputs)
        params.no_perf = true
        guard let context = llama_init_from_model(model.model, params) else {
            throw .contextCreationFailed(contextSize: options.contextSize, sequences: options.sequences)
        }
        self.context = context
        self.model = model
        self.threads = options.effectiveThreads
    }

    deinit { llama_free(context) }

    /// Changes the thread count from the next decode on (cheap: no buffers are rebuilt). With
    /// one thread a decode has no barriers, which is what keeps it fast when other processes
    /// hold the cores.
    public func setThreads(_ count: Int) {
        let count = max(1, count)
        guard count != threads else { return }
        llama_set_n_threads(context, Int32(count), Int32(count))
        threads = count
    }

    /// Runs the model over `batch`. Only a batch that found no KV room throws `.noKVSlot`, so the
    /// caller can evict and retry; other failures are fatal for the request.
    public func decode(_ batch: LlamaBatch) throws(LlamaError) {
        let code = llama_decode(context, batch.batch)
        switch code {
        case 0: return
        case 1: throw .noKVSlot(tokens: Int(batch.batch.n_tokens))
        default: throw .decodeFailed(code: code, tokens: Int(batch.batch.n_tokens))
        }
    }

    /// A copy of the logits produced for batch entry `index` (for tests and diagnostics).
    public func logits(at index: Int32) -> [Float] {
        guard let pointer = llama_get_logits_ith(context, index) else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: model.vocabularySize))
    }

    // MARK: KV memory

    private var memory: OpaquePointer { llama_get_memory(context) }

    /// Drops positions `from...` of `sequence` (the divergent tail). False when the cache type
    /// cannot remove a partial range; the caller then clears the whole sequence.
    public func removeTokens(sequence: Int32, from start: Int) -> Bool {
        llama_memory_seq_rm(memory, sequence, Int32(start), -1)
    }

    public func clear(sequence: Int32) {
        _ = llama_memory_seq_rm(memory, sequence, -1, -1)
    }

    // MARK: Per-sequence state (host-RAM snapshots of one conversation's KV)

    public func state(of sequence: Int32) throws(LlamaError) -> [UInt8] {
        let size = llama_state_seq_get_size(context, sequence)
        guard size > 0 else { throw .stateSaveFailed(sequence: sequence) }
        // Written in place: no zeroing and no second copy (a 1,000-token state of the default
        // model is 18 MB, and a swap holds two).
        let context = context
        let data = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = min(size, llama_state_seq_get_data(context, buffer.baseAddress, size, sequence))
        }
        guard !data.isEmpty else { throw .stateSaveFailed(sequence: sequence) }
        return data
    }

    public func restore(_ state: [UInt8], into sequence: Int32) throws(LlamaError) {
        clear(sequence: sequence)
        let read = llama_state_seq_set_data(context, state, state.count, sequence)
        guard read > 0 else { throw .stateRestoreFailed(sequence: sequence, bytes: state.count) }
    }

    /// Replaces `destination`'s KV with a copy of `source`'s (the caller trims the tail). A
    /// round trip through host memory rather than `llama_memory_seq_cp`: with one KV stream per
    /// sequence, seq_cp copies the whole stream (every cell of the context, used or not) and only
    /// at the next decode, so a restore into the source or a state read of the destination in
    /// between would see stale data; the state copy moves only the cells in use, at once. Measured
    /// with the default model: a 1,000-token prefix copies in about 4 ms, where seq_cp of a
    /// 2,048-cell stream adds about 6 ms to the next decode (and grows with the context).
    public func copy(sequence source: Int32, to destination: Int32) throws(LlamaError) {
        try restore(state(of: source), into: destination)
    }

    /// Exchanges the KV of two sequences, through host memory as `copy` does (only the cells in
    /// use move). Both states are read before either sequence changes, so a failed read leaves
    /// both as they were; a failed restore leaves both cleared (the caller re-prefills them).
    public func swap(sequence a: Int32, with b: Int32) throws(LlamaError) {
        let stateA = isEmpty(sequence: a) ? nil : try state(of: a)
        let stateB = isEmpty(sequence: b) ? nil : try state(of: b)
        clear(sequence: a)
        clear(sequence: b)
        do {
            if let stateA { try restore(stateA, into: b) }
            if let stateB { try restore(stateB, into: a) }
        } catch {
            clear(sequence: a)
            clear(sequence: b)
            throw error
        }
    }

    /// True when the sequence holds no cells.
    public func isEmpty(sequence: Int32) -> Bool { llama_memory_seq_pos_max(memory, sequence) < 0 }
}
