import Foundation
public import HTTPTransport
public import Inference
public import Logging
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

        public init(
            url: String, api: API = .completions, apiKey: String? = nil, model: String = "default", contextSize: Int = 4096,
            connectTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60), retries: Int = 2,
            retryBase: Duration = .milliseconds(500), retryMaximum: Duration = .seconds(8)
        ) {
            self.url = url
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
    /// The server queues what it cannot serve yet; the bot cannot know its place in that line.
    public var capacity: Int { .max }
    let client: HTTPClient
    let logger: Logger
    /// A number in 0...1 for the retry backoff's jitter; injected so tests can fix it.
    let random: @Sendable () -> Double
    let tokenizer: RemoteTokenizer

    public init(
        configuration: Configuration, client: HTTPClient, logger: Logger,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
        self.random = random
        tokenizer = RemoteTokenizer(
            base: configuration.url, model: configuration.model, apiKey: configuration.apiKey, client: client, logger: logger)
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

    private func run(
        _ request: GenerationRequest, into continuation: AsyncThrowingStream<String, any Error>.Continuation
    ) async throws {
        var attempt = 0
        while true {
            var emitted = false
            var bytes = 0
            do {
                try await stream(request) { text in
                    emitted = true
                    bytes += text.utf8.count
                    continuation.yield(text)
                }
                // The server's tokens are not ours to see: the reply's size is estimated once.
                request.usage?.record(Self.estimate(utf8: bytes))
                return
            } catch let error as InferenceError {
                guard case .remote = error, !emitted, attempt < configuration.retries, !Task.isCancelled else { throw error }
            } catch let error as HTTPError {
                if error.kind == .cancelled || Task.isCancelled { throw CancellationError() }
                guard !emitted, attempt < configuration.retries, error.kind != .shutdown else {
                    throw InferenceError.remote(error.description)
                }
            }
            attempt += 1
            let delay = retryDelay(attempt: attempt)
            logger.warning("remote model request failed; retrying", metadata: ["attempt": "\(attempt)", "delay": "\(delay)"])
            try await Task.sleep(for: delay)
        }
    }
}

extension HTTPError {
    /// Scheme, host and path of a URL, for logs.
    static func redactedEndpoint(_ url: String) -> String { HTTPError(kind: .network, message: "", url: url).endpoint }
}
