/// Which KV sequences to swap so that the conversations decoding together sit on consecutive
/// sequence ids. With one KV stream per sequence, llama.cpp splits a batch into micro-batches
/// of consecutive ids only (`split_equal`, sequential), so a step over {0, 5, 10, 15} runs four
/// graph passes where {0, 1, 2, 3} runs one: measured on the default model, 4 scattered streams
/// took 1.8x the time of 4 adjacent ones, and 15 streams around one idle sequence 1.45x all 16.
/// A swap moves two conversations' KV (a few milliseconds for a thousand tokens), so the fewest
/// swaps win: keep the window of the most members and fill its holes from outside. Pure, so the
/// policy is tested without a model.
enum SequenceLayout {
    /// Pairs `(outside, hole)`: a member sequence outside the chosen window and a non-member
    /// inside it. After the swaps the members are consecutive. Linear in the sequences.
    static func swaps(members: [Bool]) -> [(Int, Int)] {
        let count = members.count(where: { $0 })
        guard count > 0, count < members.count else { return [] }
        // Slide a window of `count` sequences; keep the first one holding the most members.
        var inside = members[0..<count].count(where: { $0 })
        var (best, bestStart) = (inside, 0)
        for start in 1...(members.count - count) {
            if members[start - 1] { inside -= 1 }
            if members[start + count - 1] { inside += 1 }
            if inside > best { (best, bestStart) = (inside, start) }
        }
        guard best < count else { return [] }
        let window = bestStart..<(bestStart + count)
        let holes = window.filter { !members[$0] }
        let outside = members.indices.filter { members[$0] && !window.contains($0) }
        return Array(zip(outside, holes))
    }

    /// Runs of consecutive ids in `sorted`: the micro-batches llama.cpp splits a one-token-each
    /// batch over these sequences into.
    static func runs(_ sorted: [Int32]) -> Int {
        guard !sorted.isEmpty else { return 0 }
        return 1 + zip(sorted, sorted.dropFirst()).count { $1 != $0 + 1 }
    }
}
