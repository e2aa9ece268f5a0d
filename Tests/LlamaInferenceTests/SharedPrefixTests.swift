import ParleyTestSupport
import Testing

@testable import LlamaInference

/// Prefix sharing across conversations, without a model: which slot or snapshot a prompt copies
/// its card from, when it waits for a leader instead, and that followers are never stranded.
@Suite struct SharedPrefixTests {
    static let card = (0..<1000).map { Int32($0 % 500 + 10) }
    static func prompt(_ question: Int32) -> [Int32] { card + [question, question + 1, question + 2] }

    @Test func copiesTheCardFromAnotherSlotIdleOrBusy() {
        let other = SharedPrefix.Holder(slot: 3, tokens: Self.prompt(900) + [7, 7])
        let choice = SharedPrefix.choose(prompt: Self.prompt(800), own: 1, holders: [other], snapshots: [])
        #expect(choice == .copy(.slot(3), tokens: 1000))
    }

    @Test func copiesFromAnotherConversationsSnapshot() {
        let choice = SharedPrefix.choose(
            prompt: Self.prompt(800), own: 0, holders: [], snapshots: [("a", Array(Self.card.prefix(300))), ("b", Self.card)])
        #expect(choice == .copy(.snapshot("b"), tokens: 1000))
    }

    @Test func aGainBelowTheMinimumIsNotWorthACopy() {
        let other = SharedPrefix.Holder(slot: 1, tokens: Self.prompt(900))
        #expect(SharedPrefix.choose(prompt: Self.prompt(800), own: 1000 - 63, holders: [other], snapshots: []) == nil)
        #expect(
            SharedPrefix.choose(prompt: Self.prompt(800), own: 1000 - 64, holders: [other], snapshots: [])
                == .copy(.slot(1), tokens: 1000))
    }

    @Test func anIdenticalPromptLeavesOneTokenToDecode() {
        let other = SharedPrefix.Holder(slot: 1, tokens: Self.prompt(800) + [1, 2])
        #expect(
            SharedPrefix.choose(prompt: Self.prompt(800), own: 0, holders: [other], snapshots: [])
                == .copy(.slot(1), tokens: 1002))
    }

    @Test func waitsForALeaderStillPrefillingTheCard() {
        let prompt = Self.prompt(900)
        let leader = SharedPrefix.Holder(slot: 0, tokens: Array(prompt.prefix(192)), pending: prompt[192...])
        #expect(
            SharedPrefix.choose(prompt: Self.prompt(800), own: 0, holders: [leader], snapshots: [])
                == .wait(leader: 0, tokens: 1000))
        // A leader whose KV already diverged from its own prompt promises nothing more.
        let diverged = SharedPrefix.Holder(slot: 0, tokens: [1, 2, 3], pending: prompt[3...])
        #expect(SharedPrefix.choose(prompt: Self.prompt(800), own: 0, holders: [diverged], snapshots: []) == nil)
    }

    @Test func aReadyCopyIsPreferredUnlessTheLeaderPromisesMuchMore() {
        let prompt = Self.prompt(900)
        let leader = SharedPrefix.Holder(slot: 0, tokens: Array(prompt.prefix(100)), pending: prompt[100...])
        let ready = SharedPrefix.Holder(slot: 1, tokens: Array(Self.card.prefix(950)))
        #expect(
            SharedPrefix.choose(prompt: Self.prompt(800), own: 0, holders: [leader, ready], snapshots: [])
                == .copy(.slot(1), tokens: 950))
        let short = SharedPrefix.Holder(slot: 1, tokens: Array(Self.card.prefix(500)))
        #expect(
            SharedPrefix.choose(prompt: Self.prompt(800), own: 0, holders: [leader, short], snapshots: [])
                == .wait(leader: 0, tokens: 1000))
    }

    @Test func aFollowerCopiesOnceTheLeaderPassedTheCardAndIsReleasedIfItFails() {
        let prompt = Self.prompt(800)
        let half = Array(Self.card.prefix(500))
        #expect(
            SharedPrefix.resolve(prompt: prompt, own: 0, target: 1000, leaderTokens: half, leaderServing: true) == .keepWaiting)
        #expect(
            SharedPrefix.resolve(prompt: prompt, own: 0, target: 1000, leaderTokens: Self.prompt(900), leaderServing: true)
                == .copy(tokens: 1000))
        // The leader was cancelled half way: copy what it has; failed and cleared: prefill.
        #expect(
            SharedPrefix.resolve(prompt: prompt, own: 0, target: 1000, leaderTokens: half, leaderServing: false)
                == .copy(tokens: 500))
        #expect(SharedPrefix.resolve(prompt: prompt, own: 0, target: 1000, leaderTokens: [], leaderServing: false) == .prefill)
    }

    @Test func aWaitingCandidateGetsNoPrefillAndTheBudgetGoesToTheOthers() {
        let plan = PrefillPlan(chunk: 192, fullBatch: 512, agingSteps: 24)
        let leader = PrefillPlan.Candidate(slot: 0, remaining: 1003, admittedAt: 0)
        let follower = PrefillPlan.Candidate(slot: 1, remaining: 1003, admittedAt: 0, waiting: true)
        let other = PrefillPlan.Candidate(slot: 2, remaining: 40, admittedAt: 0)
        let shares = plan.allocate([follower, leader, other], decoding: false, step: 2)
        #expect(shares.map(\.slot) == [2, 0])
        #expect(shares.map(\.take) == [40, 472])
    }
}
