internal import CLlama

/// A reusable token batch: entries from several sequences decoded in one `llama_decode` call.
public final class LlamaBatch {
    var batch: llama_batch
    let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
        batch = llama_batch_init(Int32(capacity), 0, 1)
        batch.n_tokens = 0
    }

    deinit { llama_batch_free(batch) }

    public var count: Int { Int(batch.n_tokens) }

    public func clear() { batch.n_tokens = 0 }

    /// Appends one token and returns its index in the batch (the index its logits are read at).
    @discardableResult
    public func append(token: Int32, position: Int, sequence: Int32, wantsLogits: Bool) -> Int32 {
        precondition(count < capacity, "LlamaBatch overflow: capacity \(capacity)")
        let i = Int(batch.n_tokens)
        batch.token[i] = token
        batch.pos[i] = Int32(position)
        batch.n_seq_id[i] = 1
        batch.seq_id[i]![0] = sequence
        batch.logits[i] = wantsLogits ? 1 : 0
        batch.n_tokens += 1
        return Int32(i)
    }
}
