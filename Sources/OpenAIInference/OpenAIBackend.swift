import Foundation
public import HTTPTransport
public import Inference
public import Logging
import Sampling
import Synchronization
import Timing

/// Streams completions from an OpenAI-compatible `/v1/completions` or `/v1/chat/completions`
/// endpoint (llama-server, vLLM, Ollama, hosted APIs), for operators who outgrow one machine or
/// have GPUs elsewhere.
public final class OpenAIBackend: InferenceBackend {
    public struct Configuration: Sendable {
        /// Which route: `/v1/completions` (one prompt string) or `/v1/chat/completions`
        /// (messages: Ollama, vLLM's chat route, OpenRouter and hosted APIs that offer only it).
        public enum API: String, Sendable, Equatable {
            case completions, chat
        }

        /// Base URL up to and including `/v1`.
        public var url: String
        /// More replicas of the same model (`model.urls`), each up to `/v1`: `EndpointRouter`
        /// keeps each conversation on one while it is up and fails over when it is not.
        public var replicas: [String]
        public var api: API
        public var apiKey: String?
        /// Sent as `model`; many single-model servers ignore it.
        public var model: String
        public var contextSize: Int
        public var connectTimeout: Duration
        /// No byte for this long means the server stalled.
        public var idleTimeout: Duration
        /// Attempts after a connection failure, 429 or 5xx, made only before any text was streamed.
        public var retries: Int
        /// Those attempts wait `Backoff(base: retryBase, maximum: retryMaximum)`.
        public var retryBase: Duration
        public var retryMaximum: Duration

        /// Every endpoint, `url` first.
        public var urls: [String] { [url] + replicas }

        public init(
            url: String, replicas: [String] = [], api: API = .completions, apiKey: String? = nil, model: String = "default",
            contextSize: Int = 4096,
            connectTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60), retries: Int = 2,
            retryBase: Duration = .milliseconds(500), retryMaximum: Duration = .seconds(8)
        ) {
            self.url = url
            self.replicas = replicas.filter { $0 != url }
            self.api = api
            self.apiKey = apiKey
            self.model = model
            self.contextSize = contextSize
            self.connectTimeout = connectTimeout
            self.idleTimeout = idleTimeout
            self.retries = retries
            self.retryBase = retryBase
            self.retryMaximum = retryMaximum
        }
    }

    public let configuration: Configuration
    public var modelDescription: String { "\(configuration.model) at \(HTTPError.redactedEndpoint(configuration.url))" }
    public var contextSize: Int { configuration.contextSize }
    /// With replicas, how many take requests now.
    public var status: String {
        let all = endpoints
        guard all.count > 1 else { return modelDescription }
        return "\(modelDescription), \(all.filter(\.isUsable).count) of \(all.count) replicas up"
    }
    /// The server queues what it cannot serve yet; the bot cannot know its place in that line.
    public var capacity: Int { .max }
    let client: HTTPClient
    let logger: Logger
    /// A number in 0...1 for the retry backoff's jitter; injected so tests can fix it.
    let random: @Sendable () -> Double
    let tokenizer: RemoteTokenizer
    let router: Mutex<EndpointRouter>

    public init(
        configuration: Configuration, client: HTTPClient, logger: Logger,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
        self.random = random
        router = Mutex(EndpointRouter(count: configuration.urls.count))
        tokenizer = RemoteTokenizer(
            bases: configuration.urls, model: configuration.model, apiKey: configuration.apiKey, client: client, logger: logger)
    }

    /// How long to wait before retry number `attempt` (1 is the first).
    func retryDelay(attempt: Int) -> Duration {
        Backoff(base: configuration.retryBase, maximum: configuration.retryMaximum)
            .delay(attempt: attempt - 1, jitter: random())
    }

    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<String, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.run(request, into: continuation)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The server's own count where it has `/tokenize` (llama-server, vLLM); elsewhere an
    /// estimate that errs on the side of fitting (3 bytes a token, where text averages about 4).
    public func tokenCount(_ text: String, scaffold: Bool) async throws -> Int {
        await tokenizer.count(text, scaffold: scaffold) ?? Self.estimate(utf8: text.utf8.count)
    }

    static func estimate(utf8 bytes: Int) -> Int { (bytes + 2) / 3 }

    /// Each replica's state, labelled by its URL without credentials or query.
    public var endpoints: [EndpointStatus] {
        router.withLock { $0.status(labels: configuration.urls.map(HTTPError.redactedEndpoint), now: .now) }
    }

    private func run(
        _ request: GenerationRequest, into continuation: AsyncThrowingStream<String, any Error>.Continuation
    ) async throws {
        var attempt = 0
        // Replicas that failed this request: the next attempt goes elsewhere, at once.
        var tried: Set<Int> = []
        // What the consumer has been given. A replica lost mid-reply hands the rest to the next,
        // which continues from this text (`/v1/completions` only: a chat route cannot be given
        // the start of its own answer, so there a failure after text is reported).
        var written = ""
        while true {
            let index = router.withLock { router in
                let index = router.choose(request.conversation, now: .now, excluding: tried)
                router.begin(index)
                return index
            }
            let base = configuration.urls[index]
            logger.debug(
                "remote model request",
                metadata: [
                    "conversation": "\(request.conversation)", "endpoint": "\(HTTPError.redactedEndpoint(base))",
                    "attempt": "\(attempt)", "continuing": "\(!written.isEmpty)",
                ])
            let failure: InferenceError
            do {
                try await stream(try await continuing(request, after: written), base: base) { text in
                    written += text
                    continuation.yield(text)
                }
                router.withLock { $0.end(index, ok: true, now: .now) }
                // The server's tokens are not ours to see: the reply's size is estimated once.
                request.usage?.record(Self.estimate(utf8: written.utf8.count))
                return
            } catch let error as InferenceError {
                let ours = error == .deadlineExceeded || Task.isCancelled
                router.withLock { $0.end(index, ok: ours ? nil : false, now: .now) }
                guard case .remote = error, !Task.isCancelled else { throw error }
                failure = error
            } catch let error as HTTPError {
                let ours = error.kind == .cancelled || error.kind == .shutdown || Task.isCancelled
                router.withLock { $0.end(index, ok: ours ? nil : false, now: .now) }
                if error.kind == .cancelled || Task.isCancelled { throw CancellationError() }
                failure = InferenceError.remote(error.description)
                if error.kind == .shutdown { throw failure }
            } catch {
                router.withLock { $0.end(index, ok: nil, now: .now) }
                throw error
            }
            attempt += 1
            tried.insert(index)
            let untried = tried.count < configuration.urls.count
            // Once text was given, only another replica may go on with the reply, at once, and
            // only on the route that can be handed the text so far.
            guard attempt <= configuration.retries, written.isEmpty || (untried && configuration.api == .completions) else {
                throw failure
            }
            if untried {
                logger.warning(
                    "remote model server failed; trying another",
                    metadata: ["attempt": "\(attempt)", "failed": "\(HTTPError.redactedEndpoint(base))"])
                continue
            }
            tried = []
            let delay = retryDelay(attempt: attempt)
            logger.warning("remote model request failed; retrying", metadata: ["attempt": "\(attempt)", "delay": "\(delay)"])
            try await Task.sleep(for: delay)
        }
    }

    /// The request that continues a reply from `written`: the prompt followed by that text, and
    /// what is left of the token budget.
    func continuing(_ request: GenerationRequest, after written: String) async throws -> GenerationRequest {
        guard !written.isEmpty else { return request }
        var next = request
        next.prompt.text(written)
        next.tokens = nil
        let used = try await tokenCount(written, scaffold: false)
        next.options.maxTokens = max(1, request.options.maxTokens - used)
        return next
    }
}

extension HTTPError {
    /// Scheme, host and path of a URL, for logs.
    static func redactedEndpoint(_ url: String) -> String { HTTPError(kind: .network, message: "", url: url).endpoint }
}
