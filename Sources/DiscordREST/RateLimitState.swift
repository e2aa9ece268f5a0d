import Foundation
import HTTPTransport

/// Discord's REST rate limits as a pure state machine. Requests take a ticket, ask `acquire` when
/// they may go (now, at an instant, or after another request finishes), and report the response
/// to `complete`, which learns buckets from the headers and says whether to retry. Time comes in
/// as an argument; nothing here sleeps.
public struct RateLimitState: Sendable {
    /// Added to every `Reset-After` (see `complete`).
    static let resetMargin: Duration = .milliseconds(5)

    public struct Limits: Sendable {
        public var globalPerSecond = 50
        /// Discord bans an IP for a while after 10,000 invalid (401/403/429) requests in 10 minutes;
        /// we stop well before.
        public var invalidLimit = 9_500
        public var invalidWindow: Duration = .seconds(600)
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
        /// 5xx: the caller retries with backoff while it has attempts left.
        case serverError
        case fail(RESTError)
    }

    struct Bucket: Sendable {
        var remaining: Int?
        var resetAt: ContinuousClock.Instant?
        var busy = false
    }

    public let limits: Limits
    var routeBuckets: [String: String] = [:]
    var buckets: [String: Bucket] = [:]
    var queues: [String: [Int]] = [:]
    var globalUntil: ContinuousClock.Instant?
    var recent: [ContinuousClock.Instant] = []
    var invalid: [ContinuousClock.Instant] = []
    public internal(set) var halted: RESTError?
    var nextTicket = 0
    /// Counters for metrics: 429s seen and invalid requests in the window.
    public internal(set) var rateLimited = 0

    public init(limits: Limits = .init()) { self.limits = limits }

    public var invalidRequestsInWindow: Int { invalid.count }

    /// The bucket a route is in: the learned hash, or the route itself until Discord names one.
    public func bucketKey(for route: Route) -> String {
        (routeBuckets[route.routeKey] ?? "route:\(route.routeKey)") + "|" + (route.majorParameter ?? "")
    }

    public mutating func enqueue(_ route: Route) -> Ticket {
        nextTicket += 1
        let ticket = Ticket(id: nextTicket, queueKey: route.routeKey + "|" + (route.majorParameter ?? ""))
        queues[ticket.queueKey, default: []].append(ticket.id)
        return ticket
    }

    public mutating func acquire(_ ticket: Ticket, _ route: Route, now: ContinuousClock.Instant) -> Decision {
        if let halted { return .fail(halted) }
        guard queues[ticket.queueKey]?.first == ticket.id else { return .wait(until: nil) }
        let window = limits.invalidWindow
        invalid.removeAll { now - $0 >= window }
        if invalid.count >= limits.invalidLimit {
            return .wait(until: invalid[invalid.count - limits.invalidLimit] + limits.invalidWindow)
        }
        if let until = globalUntil, until > now { return .wait(until: until) }
        recent.removeAll { now - $0 >= .seconds(1) }
        if recent.count >= limits.globalPerSecond {
            return .wait(until: recent[recent.count - limits.globalPerSecond] + .seconds(1))
        }
        let key = bucketKey(for: route)
        var bucket = buckets[key] ?? Bucket()
        if bucket.busy { return .wait(until: nil) }
        if let remaining = bucket.remaining, remaining <= 0, let reset = bucket.resetAt {
            if reset > now { return .wait(until: reset) }
            bucket.remaining = nil  // a reset in the past: the window is over, no wait
        }
        bucket.busy = true
        if let remaining = bucket.remaining { bucket.remaining = remaining - 1 }
        buckets[key] = bucket
        recent.append(now)
        return .go(bucket: key)
    }

    /// The request ended without a response (network error, cancellation): free its bucket, and
    /// when it will not be retried, its place in the queue.
    public mutating func abandon(_ ticket: Ticket, bucket: String?, final: Bool) {
        if let bucket { buckets[bucket]?.busy = false }
        if final { dequeue(ticket) }
    }

    mutating func dequeue(_ ticket: Ticket) {
        queues[ticket.queueKey]?.removeAll { $0 == ticket.id }
        if queues[ticket.queueKey]?.isEmpty == true { queues[ticket.queueKey] = nil }
    }
}
