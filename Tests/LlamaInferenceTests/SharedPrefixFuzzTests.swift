import ParleyTestSupport
import Testing

@testable import LlamaInference

/// Seeded simulations of many channels arriving at once, some sharing a card, with leaders that
/// fail part way: `SharedPrefix` and `PrefillPlan` together as the engine drives them. Every
/// prompt finishes within a bound, every copy takes only tokens the leader really holds, and a
/// follower's KV ends up exactly its prompt.
@Suite struct SharedPrefixFuzzTests {
    struct SimSlot {
        var prompt: [Int32]
        var tokens: [Int32] = []
        var pending: ArraySlice<Int32> = []
        var waiting: (leader: Int, tokens: Int)?
        var serving = true
        var copied = 0
    }

    @Test func simultaneousArrivalsFinishAndCopyOnlyWhatLeadersHold() {
        var random = AdversarialText(seed: 0x14_5ca1e)
        var report = FuzzReport(name: "SharedPrefix arrivals")
        let plan = PrefillPlan(chunk: 64, fullBatch: 256, agingSteps: 24)
        for index in 0..<300 {
            report.run(index) {
                let cards = (0..<2).map { c in (0..<(random.below(400) + 1)).map { Int32(c * 1000 + $0 % 97) } }
                var slots = (0..<(random.below(8) + 1)).map { _ -> SimSlot in
                    let card = random.below(3) < 2 ? cards[random.below(2)] : []
                    let suffix = (0..<(random.below(40) + 1)).map { _ in Int32(5000 + random.below(50)) }
                    return SimSlot(prompt: card + suffix)
                }
                // All admitted before any prefill, in order: each may follow an earlier one.
                for i in slots.indices {
                    slots[i].pending = slots[i].prompt[...]
                    let holders = (0..<i).compactMap { j -> SharedPrefix.Holder? in
                        slots[j].waiting == nil ? .init(slot: j, tokens: slots[j].tokens, pending: slots[j].pending) : nil
                    }
                    if case let .wait(leader, tokens)? = SharedPrefix.choose(
                        prompt: slots[i].prompt, own: 0, holders: holders, snapshots: [])
                    {
                        slots[i].waiting = (leader, tokens)
                    }
                }
                let failAt = random.below(3) == 0 ? random.below(30) : -1
                var checked = 0
                var step: UInt64 = 0
                while slots.contains(where: { $0.serving && !$0.pending.isEmpty }) {
                    if Int(step) == failAt, let victim = slots.indices.first(where: { slots[$0].serving }) {
                        slots[victim].serving = false // a failed decode: the KV is cleared
                        slots[victim].tokens = []
                        slots[victim].pending = []
                    }
                    for i in slots.indices where slots[i].serving {
                        guard let wait = slots[i].waiting else { continue }
                        let leader = slots[wait.leader]
                        switch SharedPrefix.resolve(
                            prompt: slots[i].prompt, own: 0, target: wait.tokens, leaderTokens: leader.tokens,
                            leaderServing: leader.serving)
                        {
                        case .keepWaiting: continue
                        case let .copy(n):
                            #expect(SlotChoice.commonPrefix(leader.tokens, slots[i].prompt) >= n, "copies only real KV")
                            #expect(n < slots[i].prompt.count)
                            slots[i].tokens = Array(slots[i].prompt[..<n])
                            slots[i].pending = slots[i].prompt[n...]
                            slots[i].copied = n
                            checked += 2
                        case .prefill: break
                        }
                        slots[i].waiting = nil
                    }
                    let candidates = slots.indices.compactMap { i -> PrefillPlan.Candidate? in
                        slots[i].serving && !slots[i].pending.isEmpty
                            ? .init(slot: i, remaining: slots[i].pending.count, admittedAt: 0, waiting: slots[i].waiting != nil)
                            : nil
                    }
                    for share in plan.allocate(candidates, decoding: false, step: step) {
                        #expect(slots[share.slot].waiting == nil, "a waiting prompt gets no prefill")
                        slots[share.slot].tokens += slots[share.slot].pending.prefix(share.take)
                        slots[share.slot].pending.removeFirst(share.take)
                    }
                    step += 1
                    if step > 2_000 { break }
                }
                let total = slots.reduce(0) { $0 + $1.prompt.count }
                #expect(step <= UInt64(total + slots.count), "every prompt finishes: no follower is stranded")
                for slot in slots where slot.serving {
                    #expect(slot.tokens == slot.prompt)
                    checked += 1
                }
                return checked + 1
            }
        }
        print(report)
    }
}
