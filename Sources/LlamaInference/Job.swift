import Inference
import Synchronization

/// A queued or running generation and the stream its text goes to.
final class Job: Sendable {
    let request: GenerationRequest
    let continuation: AsyncThrowingStream<String, any Error>.Continuation
    private let cancelled = Atomic<Bool>(false)

    init(request: GenerationRequest, continuation: AsyncThrowingStream<String, any Error>.Continuation) {
        self.request = request
        self.continuation = continuation
    }

    /// Set when the consumer goes away; the engine frees the slot at its next step.
    func cancel() { cancelled.store(true, ordering: .relaxed) }
    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    var isPastDeadline: Bool {
        guard let deadline = request.deadline else { return false }
        return ContinuousClock.now >= deadline
    }
}

/// Requests waiting for the engine, bounded so an overloaded bot answers "busy" instead of letting
/// replies pile up for minutes.
struct JobQueue: ~Copyable {
    private(set) var waiting: [Job] = []
    let limit: Int
    private(set) var closed = false
    /// Conversations to drop from the slots and the snapshot cache (`forget`), oldest first.
    var forgotten: [String] = []

    init(limit: Int) { self.limit = limit }

    mutating func enqueue(_ job: Job) -> Result<Void, InferenceError> {
        if closed { return .failure(.shuttingDown) }
        if waiting.count >= limit { return .failure(.busy(queued: waiting.count)) }
        waiting.append(job)
        return .success(())
    }

    mutating func next() -> Job? { waiting.isEmpty ? nil : waiting.removeFirst() }

    /// Closes the queue and returns the jobs that will never run.
    mutating func close() -> [Job] {
        closed = true
        defer { waiting.removeAll() }
        return waiting
    }
}
