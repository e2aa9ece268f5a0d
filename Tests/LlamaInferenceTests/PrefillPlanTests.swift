import Testing

@testable import LlamaInference

/// The chat scheduler's prefill decision, without a model: follow-ups first, cold prompts sharing
/// the rest, the whole batch when nothing decodes, and no prompt passed over for ever.
@Suite struct PrefillPlanTests {
    let plan = PrefillPlan(chunk: 192, fullBatch: 512, agingSteps: 24)

    @Test func aFollowUpGoesBeforeAColdPromptThatArrivedFirst() {
        let cold = PrefillPlan.Candidate(slot: 0, remaining: 1150, admittedAt: 0)
        let followUp = PrefillPlan.Candidate(slot: 1, remaining: 60, admittedAt: 1)
        let shares = plan.allocate([cold, followUp], decoding: true, step: 2)
        #expect(shares.map(\.slot) == [1, 0])
        #expect(shares.map(\.take) == [60, 132])
    }

    @Test func withNothingDecodingAStepTakesTheWholeBatch() {
        let cold = PrefillPlan.Candidate(slot: 0, remaining: 1150, admittedAt: 0)
        #expect(plan.allocate([cold], decoding: false, step: 0).map(\.take) == [512])
        #expect(plan.allocate([cold], decoding: true, step: 0).map(\.take) == [192])
    }

    @Test func aPromptPassedOverLongEnoughIsOwedAQuarterOfEachStep() {
        let old = PrefillPlan.Candidate(slot: 0, remaining: 900, admittedAt: 0)
        let young = PrefillPlan.Candidate(slot: 1, remaining: 200, admittedAt: 20)
        #expect(plan.allocate([old, young], decoding: true, step: 23).map(\.slot) == [1])
        // Aged, the old prompt gets its quarter first; the young one still gets the rest.
        let aged = plan.allocate([old, young], decoding: true, step: 24)
        #expect(aged.map(\.slot) == [0, 1])
        #expect(aged.map(\.take) == [48, 144])
        // Alone, an aged prompt takes the whole budget: the guarantee is a floor.
        #expect(plan.allocate([old], decoding: true, step: 30).map(\.take) == [192])
    }

    /// The chat workload's cold start: sixteen cold channels that have all waited past the aging
    /// delay, and one follow-up. The follow-up is prefilled at once, not after all sixteen (which
    /// is what aged-prompts-first did).
    @Test func aFollowUpIsNotQueuedBehindEveryAgedColdPrompt() {
        let cold = (0..<16).map { PrefillPlan.Candidate(slot: $0, remaining: 1100, admittedAt: 0) }
        let followUp = PrefillPlan.Candidate(slot: 16, remaining: 100, admittedAt: 40)
        let shares = plan.allocate(cold + [followUp], decoding: true, step: 41)
        #expect(shares.first { $0.slot == 16 }?.take == 100)
        #expect(Array(shares.map(\.slot).prefix(2)) == [0, 16], "the oldest aged prompt first, then the short one")
        #expect(shares.first?.take == 48 + 2, "its quarter, then its part of what is left")
        #expect(shares.reduce(0) { $0 + $1.take } == 192)
        #expect(Set(shares.dropFirst(2).map(\.take)).isSubset(of: [2, 3]), "the other cold ones share the rest")
    }

    /// Sixteen cold channels at once: they share each step equally, so they finish close together
    /// (shortest first among them finished them one by one); near its end a cold prompt is short
    /// and goes first.
    @Test func coldPromptsShareTheStepAndOneNearItsEndGoesFirst() {
        let cold = (0..<16).map { PrefillPlan.Candidate(slot: $0, remaining: 1100, admittedAt: 0) }
        let shares = plan.allocate(cold, decoding: false, step: 1)
        #expect(shares.map(\.slot) == Array(0..<16), "oldest first, ties by slot")
        #expect(shares.allSatisfy { $0.take == 32 }, "512 over 16")
        // Uneven needs: what the nearly-done one cannot use goes to the others.
        let mixed = [
            PrefillPlan.Candidate(slot: 0, remaining: 1100, admittedAt: 0),
            PrefillPlan.Candidate(slot: 1, remaining: 400, admittedAt: 0),
            PrefillPlan.Candidate(slot: 2, remaining: 300, admittedAt: 0),
        ]
        let step = plan.allocate(mixed, decoding: true, step: 1)
        #expect(step.map(\.slot) == [2] && step.map(\.take) == [192], "the short one takes the chunk first")
        let lighter = plan.allocate(Array(mixed.prefix(2)), decoding: true, step: 1)
        #expect(lighter.map(\.take) == [96, 96], "two long prompts split the chunk")
    }

    /// Seeded random steps: a share never exceeds what is left or the budget, the budget is used
    /// whenever there is enough to fill it, and a long prompt facing a stream of short arrivals is
    /// done within its aging delay plus its guaranteed quarters.
    @Test func sharesAreBoundedWorkConservingAndNothingStarves() {
        var random = SplitMix(seed: 0x5eed_13)
        var checked = 0
        for _ in 0..<2_000 {
            let candidates = (0..<Int(random.next() % 8 + 1)).map {
                PrefillPlan.Candidate(slot: $0, remaining: Int(random.next() % 3000), admittedAt: random.next() % 100)
            }
            let decoding = random.next() % 2 == 0
            let step = 100 + random.next() % 50
            let shares = plan.allocate(candidates, decoding: decoding, step: step)
            let budget = decoding ? plan.chunk : plan.fullBatch
            let total = shares.reduce(0) { $0 + $1.take }
            #expect(total <= budget)
            #expect(total == min(budget, candidates.reduce(0) { $0 + $1.remaining }))
            for share in shares {
                #expect(share.take > 0 && share.take <= candidates[share.slot].remaining)
            }
            #expect(Set(shares.map(\.slot)).count == shares.count)
            checked += 1
        }
        // Starvation: one 3,000-token prompt; every step a new 100-token follow-up arrives.
        var long = PrefillPlan.Candidate(slot: 0, remaining: 3000, admittedAt: 0)
        var step: UInt64 = 0
        while long.remaining > 0 {
            let arrival = PrefillPlan.Candidate(slot: 1, remaining: 100, admittedAt: step)
            for share in plan.allocate([long, arrival], decoding: true, step: step) where share.slot == 0 {
                long.remaining -= share.take
            }
            step += 1
            #expect(
                step <= plan.agingSteps + 3000 / UInt64(PrefillPlan.agedShare(of: plan.chunk)) + 1,
                "the long prompt is not starved")
            if step > 1000 { break }
        }
        #expect(long.remaining == 0)
        print("fuzz PrefillPlan: \(checked) random steps checked; the long prompt finished at step \(step)")
    }
}

/// A small seeded generator, so the property test's inputs are the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
