import Synchronization

/// Discord bans an IP for a while after 10,000 invalid requests (401, 403, 429) in 10 minutes,
/// counted per IP, not per token: every bot of the daemon shares one breaker, created where the
/// REST clients are. A lock-protected window rather than an actor so the rate-limit state machine
/// can consult it synchronously; nothing is called while the lock is held, so it cannot re-enter.
public final class InvalidRequestBreaker: Sendable {
    /// We stop well before Discord's 10,000.
    public let limit: Int
    public let window: Duration
    private let recorded = Mutex<[ContinuousClock.Instant]>([])

    public init(limit: Int = 9_500, window: Duration = .seconds(600)) {
        self.limit = max(1, limit)
        self.window = window
    }

    /// One more invalid request, answered at `now`.
    public func record(at now: ContinuousClock.Instant) {
        recorded.withLock { $0.append(now) }
    }

    /// Nil while requests may go; otherwise when the oldest counted request leaves the window.
    public func blockedUntil(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        let (limit, window) = (self.limit, self.window)
        return recorded.withLock { times in
            times.removeAll { now - $0 >= window }
            guard times.count >= limit else { return nil }
            return times.sorted()[times.count - limit] + window
        }
    }

    /// Invalid requests counted and not yet expired (pruned when `blockedUntil` is asked).
    public var count: Int { recorded.withLock { $0.count } }
}
