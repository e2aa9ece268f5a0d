import LlamaRuntime
import ParleyTestSupport
import Testing

/// The one-pass top-k against the obvious reference (sort everything), on seeded random
/// vocabularies with ties, NaN, infinities, ascending runs (every logit beats the threshold) and
/// sizes that are not a multiple of the 16-lane blocks.
@Suite struct TopCandidatesTests {
    @Test func agreesWithSortingEverything() {
        var rng = AdversarialText(seed: 0x7a11_5eed)
        var report = FuzzReport(name: "TopCandidates vs full sort")
        for index in 0..<400 {
            let size = Int(rng.next() % 5_000) + 1
            let k = Int(rng.next() % 70) + 1
            let shape = UInt64(rng.below(4))
            let logits: [Float] = (0..<size).map { i in Self.logit(i, shape: shape, using: &rng) }
            report.run(index) {
                var top = TopCandidates(k: k)
                let got = logits.withUnsafeBufferPointer { top.select($0) }
                let expected = Self.reference(logits, k: k)
                #expect(got == expected, "case \(index): size \(size), k \(k), shape \(shape)")
                return 1
            }
        }
        print(report)
    }

    @Test func reusedSelectorForgetsTheLastVocabulary() {
        var top = TopCandidates(k: 2)
        let first = [Float](arrayLiteral: 9, 8, 7).withUnsafeBufferPointer { top.select($0) }
        let second = [Float](arrayLiteral: 1, 3, 2).withUnsafeBufferPointer { top.select($0) }
        #expect(first.map(\.token) == [0, 1])
        #expect(second.map(\.token) == [1, 2])
    }

    @Test func fewerFiniteLogitsThanK() {
        var top = TopCandidates(k: 4)
        let got = [Float](arrayLiteral: -.infinity, .nan, 2, -.infinity).withUnsafeBufferPointer { top.select($0) }
        #expect(got == [.init(token: 2, logit: 2)])
    }

    static func logit(_ i: Int, shape: UInt64, using rng: inout AdversarialText) -> Float {
        let spread = Float(rng.below(1_000_000)) / 1000 - 500
        switch shape {
        case 0: return Float(rng.below(41) - 20) // many ties
        case 1: return Float(i) // ascending: the worst order for a threshold
        case 2:
            let odd: [Float] = [.nan, -.infinity, .infinity]
            let pick = rng.below(50)
            return pick < odd.count ? odd[pick] : spread
        default: return spread
        }
    }

    static func reference(_ logits: [Float], k: Int) -> [TopCandidates.Entry] {
        var entries: [TopCandidates.Entry] = []
        for (i, logit) in logits.enumerated() where !logit.isNaN && logit != -.infinity {
            entries.append(TopCandidates.Entry(token: Int32(i), logit: logit))
        }
        let sorted = entries.sorted { a, b in a.logit != b.logit ? a.logit > b.logit : a.token < b.token }
        return Array(sorted.prefix(k))
    }
}
