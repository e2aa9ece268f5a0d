public import Inference
import Synchronization

/// A model without a model: each generation streams the next scripted reply (pieces, or an
/// error), then `fallback` once the script is used up; a token is four UTF-8 bytes, rounded up.
/// It records requests and forgotten conversations, and `hold()` keeps generations waiting until
/// `release()`, so tests can fill the queue.
public final class ScriptedBackend: InferenceBackend {
    public enum Step: Sendable {
        case pieces([String])
        case failure(InferenceError)
        /// These pieces, then nothing more until the generation is cancelled (a reply stopped
        /// mid-stream).
        case piecesThenWait([String])
    }

    struct State {
        var script: [Step]
        var requests: [GenerationRequest] = []
        var forgotten: [String] = []
        var held = false
        var waiting: [CheckedContinuation<Void, Never>] = []
        var active = 0
        var cancelled = 0
    }
    private let state: Mutex<State>
    public let fallback: [String]
    public let capacity: Int
    public let contextSize: Int
    public var modelDescription: String { "scripted" }

    public init(_ script: [Step] = [], fallback: [String] = ["Sure."], capacity: Int = 2, contextSize: Int = 4096) {
        state = Mutex(State(script: script))
        self.fallback = fallback
        self.capacity = capacity
        self.contextSize = contextSize
    }

    /// Every generation asked for, in order.
    public var requests: [GenerationRequest] { state.withLock { $0.requests } }
    /// Conversations the backend was told to forget, in order.
    public var forgotten: [String] { state.withLock { $0.forgotten } }
    /// Generations running now (a slot each): started and not yet finished or cancelled.
    public var active: Int { state.withLock { $0.active } }
    /// Generations cancelled by their consumer before they finished.
    public var cancelled: Int { state.withLock { $0.cancelled } }
    /// Generations waiting for `release()`.
    public var waiting: Int { state.withLock { $0.waiting.count } }

    public func hold() { state.withLock { $0.held = true } }

    public func release() {
        let waiting = state.withLock { s in
            s.held = false
            defer { s.waiting = [] }
            return s.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<String, any Error> {
        let step = state.withLock { s -> Step in
            s.requests.append(request)
            s.active += 1
            return s.script.isEmpty ? .pieces(fallback) : s.script.removeFirst()
        }
        return AsyncThrowingStream { continuation in
            let task = Task {
                await self.waitWhileHeld()
                switch step {
                case let .pieces(pieces):
                    for piece in pieces { continuation.yield(piece) }
                    continuation.finish()
                case let .failure(error):
                    continuation.finish(throwing: error)
                case let .piecesThenWait(pieces):
                    for piece in pieces { continuation.yield(piece) }
                    try? await Task.sleep(for: .seconds(600)) // ends at once when cancelled
                    continuation.finish()
                }
            }
            continuation.onTermination = { termination in
                self.state.withLock { s in
                    s.active -= 1
                    if case .cancelled = termination { s.cancelled += 1 }
                }
                task.cancel()
            }
        }
    }

    private func waitWhileHeld() async {
        await withCheckedContinuation { continuation in
            let parked = state.withLock { s in
                guard s.held else { return false }
                s.waiting.append(continuation)
                return true
            }
            if !parked { continuation.resume() }
        }
    }

    public func tokenCount(_ text: String, scaffold: Bool) async throws -> Int { (text.utf8.count + 3) / 4 }

    public func forget(conversation: String) async { state.withLock { $0.forgotten.append(conversation) } }
}
