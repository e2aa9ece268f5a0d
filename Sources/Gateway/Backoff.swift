/// Exponential reconnect backoff with jitter: `base × 2^attempt`, capped, times a random factor in
/// 0.5...1 so many shards or bots do not reconnect in lockstep.
public struct Backoff: Sendable, Equatable {
    public let base: Duration
    public let maximum: Duration
    public private(set) var attempt = 0

    public init(base: Duration, maximum: Duration) {
        self.base = base
        self.maximum = maximum
    }

    /// The delay before the next attempt; `jitter` is a number in 0...1.
    public mutating func next(jitter: Double) -> Duration {
        let exponent = min(attempt, 30)
        attempt += 1
        let raw = base * Double(1 << exponent)
        let capped = raw > maximum ? maximum : raw
        return capped * (0.5 + 0.5 * min(max(jitter, 0), 1))
    }

    public mutating func reset() { attempt = 0 }
}
