import Synchronization

/// The backend while a large model is still loading, so the gateway can connect (and resume)
/// at once: requests wait, in the order they came, until `resolve` hands over the loaded
/// backend, or fail with the load's error after `fail`. Before the load its figures are the
/// configured ones (`Placeholder`); prompt builders wait in `waitUntilReady` for the real ones.
public final class LoadingBackend: InferenceBackend {
    /// What is known before the model is loaded, from the configuration.
    public struct Placeholder: Sendable {
        public var contextSize: Int
        public var capacity: Int
        public var description: String

        public init(contextSize: Int, capacity: Int, description: String) {
            self.contextSize = contextSize
            self.capacity = capacity
            self.description = description
        }
    }

    /// Why a request failed: the model did not load (the daemon stops; systemd restarts it).
    public struct LoadFailed: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "the model could not be loaded: \(reason)" }
    }

    /// A generation asked for during the load: started on the loaded backend in the order asked.
    private struct Pending {
        var request: GenerationRequest
        var output: AsyncThrowingStream<String, any Error>.Continuation
    }

    private typealias Waiter = CheckedContinuation<any InferenceBackend, any Error>

    private enum State {
        case loading(generations: [Int: Pending], waiters: [Int: Waiter], next: Int)
        case ready(any InferenceBackend)
        case failed(LoadFailed)
    }

    private let placeholder: Placeholder
    private let state = Mutex<State>(.loading(generations: [:], waiters: [:], next: 0))

    public init(_ placeholder: Placeholder) { self.placeholder = placeholder }

    /// The loaded backend: every waiting request goes on, in the order it came.
    public func resolve(_ backend: any InferenceBackend) {
        let (generations, waiters) = settle(.ready(backend))
        for pending in generations { Self.relay(backend.generate(pending.request), to: pending.output) }
        for waiter in waiters { waiter.resume(returning: backend) }
    }

    /// The load failed: every waiting and later request fails with `reason`.
    public func fail(_ reason: String) {
        let error = LoadFailed(reason: reason)
        let (generations, waiters) = settle(.failed(error))
        for pending in generations { pending.output.finish(throwing: error) }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    /// The loaded backend, nil while loading or after a failed load.
    public var loaded: (any InferenceBackend)? {
        state.withLock { if case let .ready(backend) = $0 { backend } else { nil } }
    }

    /// Settles once (a later call changes nothing); returns what waited, oldest first.
    private func settle(_ outcome: State) -> ([Pending], [Waiter]) {
        state.withLock { s in
            guard case let .loading(generations, waiters, _) = s else { return ([], []) }
            s = outcome
            return (generations.sorted { $0.key < $1.key }.map(\.value), waiters.sorted { $0.key < $1.key }.map(\.value))
        }
    }

    /// Pipes the loaded backend's stream into the one handed out during the load; the consumer
    /// going away cancels the relay, and with it the real generation.
    private static func relay(
        _ stream: AsyncThrowingStream<String, any Error>, to output: AsyncThrowingStream<String, any Error>.Continuation
    ) {
        let task = Task {
            do {
                // A consumer already gone stops the loop, which ends the real generation too.
                for try await piece in stream {
                    if case .terminated = output.yield(piece) { break }
                }
                output.finish()
            } catch {
                output.finish(throwing: error)
            }
        }
        output.onTermination = { _ in task.cancel() }
    }

    /// Waits for the load; a cancelled waiter stops waiting (a reply stopped by its button).
    func backend() async throws -> any InferenceBackend {
        let ticket = Mutex<Int?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let now: Result<any InferenceBackend, any Error>? = state.withLock { s in
                    switch s {
                    case let .ready(backend): return .success(backend)
                    case let .failed(error): return .failure(error)
                    case .loading(let generations, var waiters, let next):
                        if Task.isCancelled { return .failure(CancellationError()) }
                        waiters[next] = continuation
                        ticket.withLock { $0 = next }
                        s = .loading(generations: generations, waiters: waiters, next: next + 1)
                        return nil
                    }
                }
                if let now { continuation.resume(with: now) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> Waiter? in
                guard case .loading(let generations, var waiters, let next) = s, let id = ticket.withLock({ $0 }) else {
                    return nil
                }
                let waiter = waiters.removeValue(forKey: id)
                s = .loading(generations: generations, waiters: waiters, next: next)
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    public func waitUntilReady() async throws { _ = try await backend() }

    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<String, any Error> {
        let (stream, output) = AsyncThrowingStream<String, any Error>.makeStream()
        // Taken in the lock, so requests reach the loaded backend in the order they were made.
        let settled = state.withLock { s -> Result<any InferenceBackend, LoadFailed>? in
            switch s {
            case let .ready(backend): return .success(backend)
            case let .failed(error): return .failure(error)
            case .loading(var generations, let waiters, let next):
                generations[next] = Pending(request: request, output: output)
                s = .loading(generations: generations, waiters: waiters, next: next + 1)
                output.onTermination = { [weak self] _ in self?.withdraw(next) }
                return nil
            }
        }
        switch settled {
        case let .success(backend): return backend.generate(request)
        case let .failure(error): output.finish(throwing: error)
        case nil: break
        }
        return stream
    }

    /// A generation whose consumer went away before the load: it never reaches the model.
    private func withdraw(_ id: Int) {
        state.withLock { s in
            guard case .loading(var generations, let waiters, let next) = s else { return }
            generations.removeValue(forKey: id)
            s = .loading(generations: generations, waiters: waiters, next: next)
        }
    }

    public func tokenCount(_ text: String, scaffold: Bool) async throws -> Int {
        try await backend().tokenCount(text, scaffold: scaffold)
    }

    public func tokenize(_ text: String, scaffold: Bool) async throws -> TokenRun {
        try await backend().tokenize(text, scaffold: scaffold)
    }

    public func forget(conversation: String) async {
        // Nothing is cached before the load; a restored state is the engine's to drop then.
        await (try? backend())?.forget(conversation: conversation)
    }

    public var promptStart: TokenRun { loaded?.promptStart ?? TokenRun(count: 1) }
    public var modelDescription: String { loaded?.modelDescription ?? placeholder.description }
    public var contextSize: Int { loaded?.contextSize ?? placeholder.contextSize }
    public var capacity: Int { loaded?.capacity ?? placeholder.capacity }
    public var status: String { loaded?.status ?? "\(placeholder.description): loading the model" }
    public var engineStatistics: EngineStatistics? { loaded?.engineStatistics }
    public var endpoints: [EndpointStatus] { loaded?.endpoints ?? [] }
}
