import Foundation
import Testing

@testable import LlamaInference

@Suite struct SlotPolicyTests {
    func slot(_ busy: Bool, _ conversation: String?, _ tokens: [Int32], _ used: UInt64) -> SlotSummary {
        SlotSummary(busy: busy, conversation: conversation, tokens: tokens, lastUsed: used)
    }

    @Test func ownConversationFirst() {
        let slots = [slot(false, "a", [1, 2, 3], 5), slot(false, "b", [9], 1)]
        #expect(SlotChoice.choose(conversation: "b", prompt: [1, 2, 3, 4], slots: slots) == 1)
    }

    @Test func longestPrefixThenLeastRecentlyUsed() {
        let slots = [slot(false, "a", [1, 2], 5), slot(false, "b", [1, 2, 3], 9), slot(false, "c", [7], 1)]
        #expect(SlotChoice.choose(conversation: "z", prompt: [1, 2, 3, 4], slots: slots) == 1)
        #expect(SlotChoice.choose(conversation: "z", prompt: [8, 8], slots: slots) == 2)
    }

    @Test func anEmptySlotBeforeEvictingAConversationForAPrefix() {
        let slots = [slot(false, "a", [1, 2, 3], 5), slot(false, nil, [], 0), slot(false, "c", [1, 2], 1)]
        #expect(SlotChoice.choose(conversation: "z", prompt: [1, 2, 3, 4], slots: slots) == 1)
        #expect(SlotChoice.choose(conversation: "c", prompt: [1, 2, 3, 4], slots: slots) == 2)
    }

    @Test func busySlotsAreNeverChosen() {
        let slots = [slot(true, "a", [1, 2, 3], 1), slot(true, "b", [], 2)]
        #expect(SlotChoice.choose(conversation: "a", prompt: [1, 2, 3], slots: slots) == nil)
    }
}

@Suite struct SnapshotCacheTests {
    @Test func evictsLeastRecentlyUsedBeyondCapacity() {
        var cache = SnapshotCache(capacityBytes: 10)
        cache.store("a", tokens: [1], state: [UInt8](repeating: 0, count: 4))
        cache.store("b", tokens: [2], state: [UInt8](repeating: 0, count: 4))
        cache.store("c", tokens: [3], state: [UInt8](repeating: 0, count: 4))
        #expect(cache.entries.keys.sorted() == ["b", "c"])
        #expect(cache.bytes == 8)
        #expect(cache.take("b")?.tokens == [2])
        #expect(cache.bytes == 4)
    }

    @Test func refusesAnEntryLargerThanTheCache() {
        var cache = SnapshotCache(capacityBytes: 3)
        cache.store("a", tokens: [1], state: [1, 2, 3, 4])
        #expect(cache.entries.isEmpty)
    }

    @Test func snapshotFileRoundTripsAndRejectsTruncation() {
        let file = SnapshotFile(conversation: "chan-1 ✨", tokens: [1, -2, 300_000], state: [9, 8, 7])
        let data = file.encoded()
        #expect(SnapshotFile(decoding: data) == file)
        #expect(SnapshotFile(decoding: data.dropLast()) == nil)
        #expect(SnapshotFile(decoding: Data("nope".utf8)) == nil)
    }
}
