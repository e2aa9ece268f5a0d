import Foundation
public import Inference
import LlamaRuntime
public import Logging
import Synchronization

/// The local llama.cpp backend: one model, one context with `slots` sequences, and a dedicated
/// engine thread (never Swift's cooperative pool) that batches all conversations together.
/// Callers enqueue requests and receive text through an AsyncThrowingStream.
public final class LlamaEngine: InferenceBackend {
    public let modelDescription: String
    public let contextSize: Int
    /// Its slots: the conversations decoded together.
    public let capacity: Int
    let model: LlamaModel
    let mailbox: EngineMailbox

    /// Loads the model and starts the engine thread; returns once the context exists.
    /// `processorLoad`: where the engine reads the machine's CPU load (tests script it).
    public init(
        configuration: EngineConfiguration, logger: Logger,
        processorLoad: any ProcessorLoadSource = SystemProcessorLoad()
    ) async throws {
        // llama.cpp's own log (load details, cache layout) goes through ours, at debug level.
        LlamaBackend.routeLog(to: logger)
        let model = try LlamaModel(path: configuration.modelPath, gpuLayers: configuration.gpuLayers)
        self.model = model
        self.modelDescription = model.summary
        if !model.repacksWeights {
            logger.warning(
                "this llama.cpp carries its AMX kernels, which crash on AMX CPUs (ggml-org/llama.cpp#20824): weight repacking is off, prefill is slower; make deps builds a library without them"
            )
        }
        self.contextSize = configuration.contextSize
        self.capacity = configuration.slots
        let mailbox = EngineMailbox(limit: configuration.queueLimit)
        self.mailbox = mailbox
        let started = OneShot()
        // The loop and the llama.cpp context it creates live and die on this thread alone.
        let thread = Thread {
            EngineLoop(
                model: model, configuration: configuration, logger: logger, mailbox: mailbox,
                processorLoad: processorLoad
            ).run(started: started)
        }
        thread.name = "parley-engine"
        thread.stackSize = 8 << 20
        thread.start()
        try await started.wait()
        logger.info(
            "model loaded",
            metadata: [
                "model": "\(modelDescription)", "path": "\(configuration.modelPath)",
                "context": "\(configuration.contextSize)", "slots": "\(configuration.slots)",
            ])
    }

    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<String, any Error> {
        let (stream, continuation) = AsyncThrowingStream<String, any Error>.makeStream()
        let job = Job(request: request, continuation: continuation)
        continuation.onTermination = { [mailbox] _ in
            job.cancel()
            mailbox.wake.signal()
        }
        let accepted: Result<Void, InferenceError> = mailbox.queue.withLock { $0.enqueue(job) }
        switch accepted {
        case .success: mailbox.wake.signal()
        case let .failure(error): continuation.finish(throwing: error)
        }
        return stream
    }

    public func tokenCount(_ text: String, scaffold: Bool) async throws -> Int {
        try await tokenize(text, scaffold: scaffold).count
    }

    public func tokenize(_ text: String, scaffold: Bool) async throws -> TokenRun {
        TokenRun(ids: try model.tokenize(text, parseSpecial: scaffold))
    }

    public var promptStart: TokenRun { TokenRun(ids: model.promptStart) }

    /// The KV cache every slot's full context takes (llama.cpp allocates it up front).
    public var kvCacheBytes: Int { model.kvBytesPerCell * contextSize * capacity }

    public var status: String {
        let s = statistics
        return
            "\(modelDescription): \(s.active) replying, \(s.queued) waiting, prefix cache \(Int(s.prefixHitRatio * 100))% of prompt tokens reused, \(s.requests) requests served"
    }

    public var statistics: EngineStatistics {
        var stats = mailbox.statistics.withLock { $0 }
        (stats.queued, stats.running) = mailbox.queue.withLock { ($0.waiting.count, !$0.closed) }
        return stats
    }

    public var engineStatistics: EngineStatistics? { statistics }

    public func forget(conversation: String) async {
        mailbox.queue.withLock { $0.forgotten.append(conversation) }
        mailbox.wake.signal()
    }

    /// Stops taking requests and fails the queued ones; running replies finish. Then the engine
    /// saves its states (when a state directory is set) and its thread ends.
    public func shutdown() async {
        let dropped = mailbox.queue.withLock { $0.close() }
        for job in dropped { job.continuation.finish(throwing: InferenceError.shuttingDown) }
        mailbox.wake.signal()
        try? await mailbox.stopped.wait()
    }
}

/// What callers and the engine thread share: the bounded queue, the thread's wake-up, counters.
final class EngineMailbox: Sendable {
    let queue: Mutex<JobQueue>
    let wake = DispatchSemaphore(value: 0)
    let statistics = Mutex(EngineStatistics())
    let stopped = OneShot()

    init(limit: Int) { queue = Mutex(JobQueue(limit: limit)) }
}

/// A result delivered once, from a plain thread to async waiters.
final class OneShot: Sendable {
    private let state = Mutex<(Result<Void, any Error>?, [CheckedContinuation<Void, any Error>])>((nil, []))

    func fire(_ result: Result<Void, any Error>) {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            guard s.0 == nil else { return [] }
            s.0 = result
            defer { s.1 = [] }
            return s.1
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    func wait() async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let ready = state.withLock { s -> Result<Void, any Error>? in
                if s.0 == nil { s.1.append(c) }
                return s.0
            }
            if let ready { c.resume(with: ready) }
        }
    }
}
