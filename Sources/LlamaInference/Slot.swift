import Inference
import LlamaRuntime
import Sampling

/// One sequence of the shared context: the conversation it holds in KV, and the request it is
/// serving, if any. Lives on the engine thread only.
final class Slot {
    /// The KV sequence holding this slot's conversation. It changes when the engine swaps two
    /// slots' KV to keep the conversations decoding together on consecutive sequences
    /// (`SequenceLayout`); a slot's index in the engine's list never does.
    var sequence: Int32
    var conversation: String?
    /// Exactly the tokens in this sequence's KV cache, in position order.
    var tokens: [Int32] = []
    var lastUsed: UInt64 = 0
    /// The engine step at which the current request was admitted (prefill aging).
    var admittedAt: UInt64 = 0

    // The request being served.
    var job: Job?
    var pending: ArraySlice<Int32> = []
    var sampler: LlamaSampler?
    var text = ReplyText(stops: [])
    var produced = 0
    /// Sampled but not yet decoded; fed at the next step.
    var nextToken: Int32?
    /// Where this slot's logits are in the current batch, or -1.
    var logitsIndex: Int32 = -1
    /// Set while the prompt waits for another slot to prefill a prefix they share (`SharedPrefix`).
    var awaiting: Awaiting?

    struct Awaiting {
        /// Index of the leading slot, and the request it must still be serving (held, so a new
        /// request can never be mistaken for it).
        var leader: Int
        var job: Job
        /// Tokens of the shared prefix the leader must have decoded.
        var tokens: Int
        /// Tokens of the prompt this slot's own KV holds.
        var own: Int
        var prompt: [Int32]
    }

    init(sequence: Int32) { self.sequence = sequence }

    /// The request has a fixed seed, so its reply must come out the same on every run on this
    /// machine. llama.cpp's kernels round differently for other batch shapes (and a reused
    /// prefix was computed in another shape), so such a request is prefilled from scratch and
    /// decoded in batches holding only its own tokens: one numeric path, whatever else runs.
    var isReproducible: Bool { job?.request.options.seed != nil }

    var isBusy: Bool { job != nil }
    var isPrefilling: Bool { job != nil && !pending.isEmpty }
    var isWaiting: Bool { awaiting != nil }

    var summary: SlotSummary {
        SlotSummary(busy: isBusy, conversation: conversation, tokens: tokens, lastUsed: lastUsed)
    }

    /// Forgets the request (the KV contents stay, for the conversation's next message).
    func release() {
        job = nil
        pending = []
        sampler = nil
        nextToken = nil
        logitsIndex = -1
        produced = 0
        awaiting = nil
    }
}
