import DiscordModels
public import Foundation
public import HTTPTransport
public import Logging
import Timing

/// Discord's REST API with its rate limits honoured: requests wait for their bucket, the global
/// limit and the invalid-request breaker (shared by the daemon's clients); 429s are waited out;
/// outages (500/502/503/504, network errors) are retried with backoff; an HTML 429 halts the client
/// until its Retry-After. The token goes into the Authorization header and nowhere else.
public actor DiscordRESTClient {
    public struct Configuration: Sendable {
        public var apiBase: String
        public var token: String
        public var userAgent: String
        /// Attempts for outages (see `RateLimitState.isUnavailable`) and network errors (429s are waited out separately, up to `maxRateLimitRetries`).
        public var maxAttempts: Int
        public var maxRateLimitRetries: Int
        /// Outage retries wait `Backoff(base: retryBase, maximum: retryMaximum)`.
        public var retryBase: Duration
        public var retryMaximum: Duration
        public var timeout: Duration

        public init(
            apiBase: String = "https://discord.com/api/v10", token: String, userAgent: String,
            maxAttempts: Int = 4, maxRateLimitRetries: Int = 10, retryBase: Duration = .milliseconds(500),
            retryMaximum: Duration = .seconds(32), timeout: Duration = .seconds(30)
        ) {
            self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
            self.token = token
            self.userAgent = userAgent
            self.maxAttempts = maxAttempts
            self.maxRateLimitRetries = maxRateLimitRetries
            self.retryBase = retryBase
            self.retryMaximum = retryMaximum
            self.timeout = timeout
        }
    }

    public let configuration: Configuration
    let http: HTTPClient
    let logger: Logger
    var state: RateLimitState
    var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    var nextWaiter = 0
    let retryBackoff: Backoff
    /// A number in 0...1 for the backoff's jitter; injected so tests can fix it.
    let random: @Sendable () -> Double
    public private(set) var retries = 0

    /// `breaker`: shared by every client of the daemon, since Discord counts invalid requests per IP.
    public init(
        configuration: Configuration, http: HTTPClient, logger: Logger,
        breaker: InvalidRequestBreaker = InvalidRequestBreaker(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.configuration = configuration
        retryBackoff = Backoff(base: configuration.retryBase, maximum: configuration.retryMaximum)
        self.random = random
        self.http = http
        self.logger = logger
        state = RateLimitState(breaker: breaker)
    }

    /// 429 responses seen, for metrics.
    public var rateLimitedResponses: Int { state.rateLimited }
    /// Halts begun (a rejected token, Discord's edge refusing us), for metrics.
    public var halts: Int { state.halts }
    /// Whether requests are halted now, until when and why: for `/healthz` and metrics.
    public var status: RateLimitState.Status { state.status(now: .now) }

    /// Sends `route` with an optional JSON body; returns the 2xx response or throws `RESTError`
    /// (or `CancellationError`). The ticket is released here and only here, so every way out
    /// (answer, error, give-up, cancellation at any await) frees its place and wakes the next.
    public func request(_ route: Route, json body: Data? = nil) async throws -> HTTPResponse {
        let ticket = state.enqueue(route)
        defer {
            state.release(ticket)
            signal()
        }
        return try await attempt(ticket, route, body: body)
    }

    private func attempt(_ ticket: RateLimitState.Ticket, _ route: Route, body: Data?) async throws -> HTTPResponse {
        var failures = 0
        var rateLimits = 0
        while true {
            try Task.checkCancellation()
            let bucket: String
            switch state.acquire(ticket, route, now: .now) {
            case let .go(key): bucket = key
            case let .wait(until):
                try await wait(until: until)
                continue
            case let .fail(error):
                throw error
            }
            let response: HTTPResponse
            do {
                response = try await http.send(httpRequest(route, body: body))
            } catch {
                try Task.checkCancellation()
                failures += 1
                // A transport error quotes the URL, which holds an interaction's token.
                let reason = route.redacting("\(error)")
                guard failures < configuration.maxAttempts else {
                    throw RESTError.exhausted(attempts: failures, last: reason, route: route.description)
                }
                state.sendFailed(ticket, retryAt: backoff(failures, route: route, reason: reason))
                signal()
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
                guard rateLimits <= configuration.maxRateLimitRetries else {
                    throw RESTError.exhausted(attempts: rateLimits, last: "HTTP 429", route: route.description)
                }
                retries += 1
            case .serverError:
                failures += 1
                guard failures < configuration.maxAttempts else {
                    throw RESTError.exhausted(attempts: failures, last: "HTTP \(response.status)", route: route.description)
                }
                state.retryLater(ticket, at: backoff(failures, route: route, reason: "HTTP \(response.status)"))
            case let .fail(error):
                if case .unauthorized = error { logger.critical("\(error)") }
                throw error
            }
        }
    }

    func httpRequest(_ route: Route, body: Data?) -> HTTPRequest {
        var headers: HTTPHeaders = [("User-Agent", configuration.userAgent)]
        if route.usesBotToken { headers.add("Authorization", "Bot \(configuration.token)") }
        if body != nil { headers.add("Content-Type", "application/json") }
        return HTTPRequest(
            method: route.method, url: configuration.apiBase + route.path, headers: headers,
            body: body ?? (route.method == "POST" ? Data() : nil), timeout: configuration.timeout)
    }

    /// How long to wait after the `failures`-th failed attempt of one request.
    nonisolated func retryDelay(afterFailures failures: Int) -> Duration {
        retryBackoff.delay(attempt: failures - 1, jitter: random())
    }

    /// When the next attempt may go. The wait itself is the state machine's (`retryLater`), so
    /// cancelling it releases the ticket like any other exit.
    private func backoff(_ attempt: Int, route: Route, reason: String) -> ContinuousClock.Instant {
        retries += 1
        let delay = retryDelay(afterFailures: attempt)
        logger.warning(
            "REST request failed; retrying",
            metadata: ["route": "\(route)", "attempt": "\(attempt)", "reason": "\(reason)", "delay": "\(delay)"])
        return .now + delay
    }
}
