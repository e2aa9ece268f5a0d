import Foundation
import HTTPTransport

/// Discord's REST rate limits as a pure state machine. Requests take a ticket, ask `acquire` when
/// they may go (now, at an instant, or after another request finishes), and report the response
/// to `complete`, which learns buckets from the headers and says whether to retry. Every ticket
/// ends with `release`, whatever happened, which gives up its place and bucket. Time comes in as
/// an argument; nothing here sleeps.
public struct RateLimitState: Sendable {
    /// Added to every `Reset-After` (see `complete`).
    static let resetMargin: Duration = .milliseconds(5)

    public struct Limits: Sendable {
        public var globalPerSecond = 50
        /// For the breaker made when none is shared (see `InvalidRequestBreaker`).
        public var invalidLimit = 9_500
        public var invalidWindow: Duration = .seconds(600)
        /// A halt (a Cloudflare 429) ending within this is waited out like a global 429; a longer
        /// one fails requests at once until it ends, so callers report instead of hanging.
        public var haltWaitLimit: Duration = .seconds(60)
        /// A Cloudflare 429 without `Retry-After`: its bans usually last minutes; we probe again
        /// after this.
        public var defaultHalt: Duration = .seconds(600)
        /// Buckets kept at most (idle ones whose window has passed go first; see `prune`).
        public var maxBuckets = 4_096
        public init() {}
    }

    public struct Ticket: Sendable, Hashable {
        public let id: Int
        /// Requests with the same route and major parameter go out in the order they were made.
        public let queueKey: String
    }

    public enum Decision: Sendable, Equatable {
        case go(bucket: String)
        /// Try again at this instant, or (nil) when another request completes.
        case wait(until: ContinuousClock.Instant?)
        case fail(RESTError)
    }

    public enum Outcome: Sendable, Equatable {
        case done
        case retry(after: Duration)
        /// 500/502/503/504 (and Cloudflare's 520–524): the caller retries with backoff while it
        /// has attempts left.
        case serverError
        case fail(RESTError)
    }

    struct Bucket: Sendable {
        var remaining: Int?
        var resetAt: ContinuousClock.Instant?
        var busy = false
    }

    /// One route + major parameter: its tickets in order; the route names its bucket.
    struct Queue: Sendable {
        var route: Route
        var tickets: [Int]
    }

    public let limits: Limits
    public let breaker: InvalidRequestBreaker
    var routeBuckets: [String: String] = [:]
    var buckets: [String: Bucket] = [:]
    var queues: [String: Queue] = [:]
    /// Tickets with a request on the wire, and the bucket it holds.
    var inFlight: [Int: String] = [:]
    /// Tickets waiting out a backoff before their next attempt.
    var notBefore: [Int: ContinuousClock.Instant] = [:]
    var globalUntil: ContinuousClock.Instant?
    var recent: [ContinuousClock.Instant] = []
    public internal(set) var halt: Halt?
    var pruneAt: Int
    var nextTicket = 0
    /// Counters for metrics: 429s seen, and halts begun.
    public internal(set) var rateLimited = 0
    public internal(set) var halts = 0

    /// `breaker`: the daemon's shared one; a private one from `limits` when nil.
    public init(limits: Limits = .init(), breaker: InvalidRequestBreaker? = nil) {
        self.limits = limits
        self.breaker = breaker ?? InvalidRequestBreaker(limit: limits.invalidLimit, window: limits.invalidWindow)
        pruneAt = limits.maxBuckets
    }

    public var invalidRequestsInWindow: Int { breaker.count }

    /// The bucket a route is in: the learned hash, or the route itself until Discord names one.
    public func bucketKey(for route: Route) -> String {
        (routeBuckets[route.routeKey] ?? "route:\(route.routeKey)") + "|" + (route.majorParameter ?? "")
    }

    public mutating func enqueue(_ route: Route) -> Ticket {
        nextTicket += 1
        let ticket = Ticket(id: nextTicket, queueKey: route.routeKey + "|" + (route.majorParameter ?? ""))
        queues[ticket.queueKey, default: Queue(route: route, tickets: [])].tickets.append(ticket.id)
        return ticket
    }

    public mutating func acquire(_ ticket: Ticket, _ route: Route, now: ContinuousClock.Instant) -> Decision {
        if let decision = haltDecision(now: now) { return decision }
        guard queues[ticket.queueKey]?.tickets.first == ticket.id else { return .wait(until: nil) }
        if let until = notBefore[ticket.id], until > now { return .wait(until: until) }
        if let until = breaker.blockedUntil(now: now) { return .wait(until: until) }
        // Interaction routes are not bound to the global limit (Discord's docs): a bot at its
        // limit still answers within the interaction's three seconds.
        if route.usesBotToken {
            if let until = globalUntil, until > now { return .wait(until: until) }
            recent.removeAll { now - $0 >= .seconds(1) }
            if recent.count >= limits.globalPerSecond {
                return .wait(until: recent[recent.count - limits.globalPerSecond] + .seconds(1))
            }
        }
        let key = bucketKey(for: route)
        var bucket = buckets[key] ?? Bucket()
        if bucket.busy { return .wait(until: nil) }
        if let remaining = bucket.remaining, remaining <= 0, let reset = bucket.resetAt {
            if reset > now { return .wait(until: reset) }
            bucket.remaining = nil // a reset in the past: the window is over, no wait
        }
        bucket.busy = true
        if let remaining = bucket.remaining { bucket.remaining = remaining - 1 }
        buckets[key] = bucket
        notBefore[ticket.id] = nil
        inFlight[ticket.id] = key
        if route.usesBotToken { recent.append(now) }
        prune(now: now)
        return .go(bucket: key)
    }

    /// The request went out but no response came (network error): free its bucket, keep its
    /// place, and let it try again no earlier than `retryAt`.
    public mutating func sendFailed(_ ticket: Ticket, retryAt: ContinuousClock.Instant) {
        freeBucket(of: ticket)
        notBefore[ticket.id] = retryAt
    }

    /// After a 5xx: keep the place, try again no earlier than `at` (the backoff is a scheduled
    /// wait, not a sleep: cancelling it is just another exit, handled by `release`).
    public mutating func retryLater(_ ticket: Ticket, at: ContinuousClock.Instant) {
        notBefore[ticket.id] = at
    }

    /// The request is over, by any path (success, error, give-up, cancellation): its bucket and its
    /// place in the queue go to the next request. Idempotent.
    public mutating func release(_ ticket: Ticket) {
        freeBucket(of: ticket)
        notBefore[ticket.id] = nil
        dequeue(ticket)
    }

    mutating func freeBucket(of ticket: Ticket) {
        if let bucket = inFlight.removeValue(forKey: ticket.id) { buckets[bucket]?.busy = false }
    }

    mutating func dequeue(_ ticket: Ticket) {
        queues[ticket.queueKey]?.tickets.removeAll { $0 == ticket.id }
        if queues[ticket.queueKey]?.tickets.isEmpty == true { queues[ticket.queueKey] = nil }
    }
}
