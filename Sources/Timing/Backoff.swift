/// The one retry formula of Parley (gateway reconnects, REST outages, the remote model server, a
/// failed bot): attempt n waits `min(base × 2^n, maximum)` times a factor in 0.5...1 picked by the
/// caller's jitter, so many shards or bots do not retry in lockstep while the wait still grows.
/// Each user brings its own base and cap; the jitter is a parameter so tests are deterministic.
public struct Backoff: Sendable, Equatable {
    public let base: Duration
    public let maximum: Duration
    /// Attempts made since the last `reset()`.
    public private(set) var attempt = 0

    public init(base: Duration, maximum: Duration) {
        self.base = base
        self.maximum = max(base, maximum)
    }

    /// The wait before attempt `attempt` (0 is the first retry); `jitter` is a number in 0...1,
    /// clamped, where 0 gives half the capped delay and 1 all of it.
    public func delay(attempt: Int, jitter: Double) -> Duration {
        // 2^30 × any sane base is beyond every cap; the limit keeps the shift from overflowing.
        let exponent = min(max(attempt, 0), 30)
        let raw = base * (1 << exponent)
        let capped = raw > maximum ? maximum : raw
        let factor = jitter.isNaN ? 1 : min(max(jitter, 0), 1)
        return capped * (0.5 + 0.5 * factor)
    }

    /// The delay before the next attempt, counting it.
    public mutating func next(jitter: Double) -> Duration {
        defer { attempt += 1 }
        return delay(attempt: attempt, jitter: jitter)
    }

    /// After a success: the next failure starts again from `base`.
    public mutating func reset() { attempt = 0 }
}
