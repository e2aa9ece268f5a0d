import Testing

@testable import LlamaInference

/// `SequenceLayout` keeps the conversations decoding together on consecutive KV sequences with
/// the fewest swaps.
@Suite struct SequenceLayoutTests {
    @Test func aGapIsFilledFromTheEdge() {
        // Sixteen conversations, the one on sequence 7 idle: the last moves into its place.
        var members = [Bool](repeating: true, count: 16)
        members[7] = false
        let swaps = SequenceLayout.swaps(members: members)
        #expect(swaps.count == 1)
        #expect(Self.contiguous(Self.apply(swaps, to: members)))
    }

    @Test func scatteredStreamsGather() {
        let members = (0..<16).map { [0, 5, 10, 15].contains($0) }
        let swaps = SequenceLayout.swaps(members: members)
        #expect(swaps.count == 3)
        #expect(Self.contiguous(Self.apply(swaps, to: members)))
    }

    @Test func consecutiveOrEmptyOrFullNeedNothing() {
        #expect(SequenceLayout.swaps(members: [false, true, true, true, false]).isEmpty)
        #expect(SequenceLayout.swaps(members: [false, false]).isEmpty)
        #expect(SequenceLayout.swaps(members: [true, true]).isEmpty)
        #expect(SequenceLayout.swaps(members: []).isEmpty)
    }

    @Test func runsCountTheMicroBatches() {
        #expect(SequenceLayout.runs([]) == 0)
        #expect(SequenceLayout.runs([3]) == 1)
        #expect(SequenceLayout.runs([0, 1, 2, 3]) == 1)
        #expect(SequenceLayout.runs([0, 5, 10, 15]) == 4)
        #expect(SequenceLayout.runs([0, 1, 2, 5, 6, 9, 10, 11]) == 3)
    }

    /// Random layouts of up to 64 sequences: after the swaps the members are consecutive, no
    /// sequence is touched twice, and no layout could get there with fewer swaps (every window of
    /// the members' size holds at most `count - swaps` of them).
    @Test func seededLayoutsBecomeConsecutiveWithTheFewestSwaps() {
        var random = SplitMix(seed: 0x5e9_1a40)
        for _ in 0..<2_000 {
            let n = Int(random.next() % 64) + 1
            let density = random.next() % 100
            let members = (0..<n).map { _ in random.next() % 100 < density }
            let swaps = SequenceLayout.swaps(members: members)
            let touched = swaps.flatMap { [$0.0, $0.1] }
            #expect(Set(touched).count == touched.count)
            for (outside, hole) in swaps { #expect(members[outside] && !members[hole]) }
            let after = Self.apply(swaps, to: members)
            #expect(after.count(where: { $0 }) == members.count(where: { $0 }))
            #expect(Self.contiguous(after), "\(members)")
            let count = members.count(where: { $0 })
            if count > 0 {
                let most = (0...(n - count)).map { start in members[start..<(start + count)].count(where: { $0 }) }.max()!
                #expect(swaps.count == count - most)
            }
        }
    }

    static func apply(_ swaps: [(Int, Int)], to members: [Bool]) -> [Bool] {
        var result = members
        for (a, b) in swaps { result.swapAt(a, b) }
        return result
    }

    static func contiguous(_ members: [Bool]) -> Bool {
        let sequences = members.indices.filter { members[$0] }.map(Int32.init)
        return SequenceLayout.runs(sequences) <= 1
    }
}
