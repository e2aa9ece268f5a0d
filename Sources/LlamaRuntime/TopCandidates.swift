/// The `k` largest logits of a vocabulary in one linear pass. llama.cpp's own sampling first
/// copies every logit into a 262k-entry candidate array (3 MB for Gemma) and then sorts a prefix
/// of it: about half a millisecond per token, which at 16 streams costs a tenth of every step.
/// When the sampler chain begins with top-k, only these `k` entries can ever be chosen, so they
/// are all the chain needs.
///
/// The pass compares the maximum of each block of 64 logits with the current threshold (the k-th
/// best so far); only the rare logit above it enters a buffer of `2k`, which is cut back to its
/// best `k` when full. Each cut raises the threshold, so the work stays linear in the vocabulary.
public struct TopCandidates: Sendable {
    public struct Entry: Sendable, Equatable {
        public var token: Int32
        public var logit: Float

        public init(token: Int32, logit: Float) {
            self.token = token
            self.logit = logit
        }
    }

    public let k: Int
    /// Kept between calls only for its capacity.
    private var storage: [Entry] = []

    public init(k: Int) {
        precondition(k > 0, "top-k needs k > 0")
        self.k = k
        storage.reserveCapacity(2 * k)
    }

    /// The best `k` entries of `logits`, best first (ties: the lower token first). NaN never
    /// qualifies and neither does −∞, so fewer than `k` come back when fewer are finite.
    public mutating func select(_ logits: UnsafeBufferPointer<Float>) -> [Entry] {
        // Locals, not properties, in the loop: the optimiser keeps them in registers.
        var kept = storage
        storage = []
        kept.removeAll(keepingCapacity: true)
        var threshold = -Float.infinity
        defer { storage = kept }
        guard let base = logits.baseAddress else { return [] }
        let count = logits.count
        // A block's maximum first: a select-based reduction LLVM turns into vector code (Swift's
        // SIMD types measured 40x slower here), and NaN never wins it.
        let block = 64
        var i = 0
        while i + block <= count {
            var top = -Float.infinity
            for j in i..<(i &+ block) {
                let x = base[j]
                top = x > top ? x : top
            }
            if top > threshold {
                for j in i..<(i &+ block) where base[j] > threshold { keep(Int32(j), base[j], &kept, &threshold) }
            }
            i &+= block
        }
        for j in i..<count where base[j] > threshold { keep(Int32(j), base[j], &kept, &threshold) }
        cut(&kept)
        return kept
    }

    private func keep(_ token: Int32, _ logit: Float, _ kept: inout [Entry], _ threshold: inout Float) {
        kept.append(Entry(token: token, logit: logit))
        if kept.count == 2 * k {
            cut(&kept)
            threshold = kept[k - 1].logit
        }
    }

    /// Sorts best first and keeps the best `k`.
    private func cut(_ kept: inout [Entry]) {
        kept.sort { $0.logit != $1.logit ? $0.logit > $1.logit : $0.token < $1.token }
        if kept.count > k { kept.removeSubrange(k...) }
    }
}
