import DiscordModels
import Foundation
import HTTPTransport
import Logging

/// Discord's REST API with its rate limits honoured: requests wait for their bucket, the global
/// limit and the invalid-request breaker; 429s are waited out; 5xx and network errors are retried
/// with backoff. The token goes into the Authorization header and nowhere else.
public actor DiscordRESTClient {
    public struct Configuration: Sendable {
        public var apiBase: String
        public var token: String
        public var userAgent: String
        /// Attempts for 5xx / network errors (429s are waited out separately, up to `maxRateLimitRetries`).
        public var maxAttempts: Int
        public var maxRateLimitRetries: Int
        public var retryBase: Duration
        public var timeout: Duration

        public init(apiBase: String = "https://discord.com/api/v10", token: String, userAgent: String,
                    maxAttempts: Int = 4, maxRateLimitRetries: Int = 10, retryBase: Duration = .milliseconds(500),
                    timeout: Duration = .seconds(30)) {
            self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
            self.token = token
            self.userAgent = userAgent
            self.maxAttempts = maxAttempts
            self.maxRateLimitRetries = maxRateLimitRetries
            self.retryBase = retryBase
            self.timeout = timeout
        }
    }

    public let configuration: Configuration
    let http: HTTPClient
    let logger: Logger
    var state = RateLimitState()
    var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    var nextWaiter = 0
    public private(set) var retries = 0

    public init(configuration: Configuration, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.http = http
        self.logger = logger
    }

    /// 429 responses seen, for metrics.
    public var rateLimitedResponses: Int { state.rateLimited }

    /// Sends `route` with an optional JSON body; returns the 2xx response or throws `RESTError`.
    public func request(_ route: Route, json body: Data? = nil) async throws -> HTTPResponse {
        let ticket = state.enqueue(route)
        var attempts = 0, rateLimits = 0
        while true {
            let bucket: String
            switch state.acquire(ticket, route, now: .now) {
            case let .go(key): bucket = key
            case let .wait(until):
                if Task.isCancelled { state.abandon(ticket, bucket: nil, final: true); signal(); throw CancellationError() }
                await wait(until: until)
                continue
            case let .fail(error):
                state.abandon(ticket, bucket: nil, final: true)
                signal()
                throw error
            }
            let response: HTTPResponse
            do {
                response = try await http.send(httpRequest(route, body: body))
            } catch {
                attempts += 1
                let final = attempts >= configuration.maxAttempts || Task.isCancelled
                state.abandon(ticket, bucket: bucket, final: final)
                signal()
                if Task.isCancelled { throw CancellationError() }
                if final { throw RESTError.exhausted(attempts: attempts, last: "\(error)", route: route.description) }
                try await backoff(attempts, route: route, reason: "\(error)")
                continue
            }
            let outcome = state.complete(ticket, route, bucket: bucket, response: response, now: .now)
            signal()
            switch outcome {
            case .done:
                return response
            case let .retry(after):
                rateLimits += 1
                logger.warning("rate limited by Discord; waiting", metadata: ["route": "\(route)", "retry_after": "\(after)"])
                if rateLimits > configuration.maxRateLimitRetries {
                    state.abandon(ticket, bucket: nil, final: true)
                    throw RESTError.exhausted(attempts: rateLimits, last: "HTTP 429", route: route.description)
                }
                retries += 1
            case .serverError:
                attempts += 1
                if attempts >= configuration.maxAttempts {
                    state.abandon(ticket, bucket: nil, final: true)
                    signal()
                    throw RESTError.exhausted(attempts: attempts, last: "HTTP \(response.status)", route: route.description)
                }
                try await backoff(attempts, route: route, reason: "HTTP \(response.status)")
            case let .fail(error):
                if case .unauthorized = error { logger.critical("\(error)") }
                throw error
            }
        }
    }

    func httpRequest(_ route: Route, body: Data?) -> HTTPRequest {
        var headers: HTTPHeaders = [("Authorization", "Bot \(configuration.token)"), ("User-Agent", configuration.userAgent)]
        if body != nil { headers.add("Content-Type", "application/json") }
        return HTTPRequest(method: route.method, url: configuration.apiBase + route.path, headers: headers,
                           body: body ?? (route.method == "POST" ? Data() : nil), timeout: configuration.timeout)
    }

    private func backoff(_ attempt: Int, route: Route, reason: String) async throws {
        retries += 1
        let delay = configuration.retryBase * Double(1 << min(attempt - 1, 6)) * Double.random(in: 0.75...1.25)
        logger.warning("REST request failed; retrying", metadata: ["route": "\(route)", "attempt": "\(attempt)", "reason": "\(reason)", "delay": "\(delay)"])
        try await Task.sleep(for: delay)
    }
}
