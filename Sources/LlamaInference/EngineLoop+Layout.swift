import Inference
import LlamaRuntime
import Logging
import Synchronization

extension EngineLoop {
    /// Before each batched step: the slots decoding together move onto consecutive KV sequences
    /// (`SequenceLayout`), so the step is one micro-batch wide rather than one per run. Seeded
    /// slots decode alone, so they are not members; their KV moves bit for bit if it must.
    func compactSequences(context: LlamaContext) {
        var slotOf = [Int](repeating: 0, count: slots.count)
        for (index, slot) in slots.enumerated() { slotOf[Int(slot.sequence)] = index }
        let members = slotOf.map { slots[$0].isBusy && !slots[$0].isReproducible }
        for (outside, hole) in SequenceLayout.swaps(members: members) {
            let moving = slots[slotOf[outside]]
            let other = slots[slotOf[hole]]
            do {
                try context.swap(sequence: moving.sequence, with: other.sequence)
            } catch {
                logger.error(
                    "moving a conversation's KV failed",
                    metadata: ["from": "\(moving.sequence)", "to": "\(other.sequence)", "error": "\(error)"])
                for slot in [moving, other] where context.isEmpty(sequence: slot.sequence) && !slot.tokens.isEmpty {
                    slot.tokens = []
                    finish(slot, error: InferenceError.engine("\(error)"))
                }
                continue
            }
            (moving.sequence, other.sequence) = (other.sequence, moving.sequence)
            mailbox.statistics.withLock { $0.sequenceSwaps += 1 }
        }
    }
}
